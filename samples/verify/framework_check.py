#!/usr/bin/env python3
"""Checks that the image's deep-learning framework can use the GPU.

cudagen-verify runs this with the image's Python (installed at
/opt/cudagen/share/framework_check.py) and embeds the one JSON object it prints
on stdout in its own verdict. Standard library only: the framework itself is
the thing under test. Exit 0 when the framework works on every visible GPU,
1 when it does not, 2 on a usage error.

Verdicts: ok, not-installed, cpu-only-build, cuda-build-no-gpu, arch-missing,
wrong-result, error.
"""

import argparse
import importlib.util
import json
import os
import sys
import time

MATMUL_N = 256
# Both products run in fp32 with TF32 off, so they agree to rounding.
MATMUL_RTOL = 1e-3


class Failure(Exception):
    """Raised with a verdict, what is wrong and what to do."""

    def __init__(self, verdict, diagnosis, fix):
        super().__init__(diagnosis)
        self.verdict, self.diagnosis, self.fix = verdict, diagnosis, fix


def import_framework(module, pip_name, report):
    """Imports the framework; its import time is reported since it dominates the check."""
    start = time.monotonic()
    try:
        framework = __import__(module)
        report["import_ms"] = round((time.monotonic() - start) * 1000, 1)
        return framework
    except ImportError as e:
        raise Failure("not-installed", f"{module} cannot be imported: {e}",
                      f"install {pip_name} in the image (profile `framework`), or run with --framework none")


def max_relative_error(gpu, cpu):
    """Largest |gpu - cpu| relative to the largest |cpu|, for nested lists or 2-D arrays."""
    worst = max(abs(v) for row in cpu for v in row) or 1.0
    return max(abs(g - c) for grow, crow in zip(gpu, cpu) for g, c in zip(grow, crow)) / worst


def check_matmul(error, device):
    if error > MATMUL_RTOL:
        raise Failure("wrong-result",
                      f"a {MATMUL_N}x{MATMUL_N} matmul on {device} differs from the CPU by {error:.2e} (relative)",
                      "look for ECC or Xid errors on the host (`nvidia-smi -q`, `dmesg`)")


# -- PyTorch -------------------------------------------------------------------

def arch_number(name):
    """'sm_90' -> 90, 'sm_90a' -> 90, 'compute_80' -> 80."""
    digits = "".join(ch for ch in name.split("_", 1)[-1] if ch.isdigit())
    return int(digits) if digits else None


def torch_covers(arch_list, major, minor):
    """SASS of the same major arch at or below the device runs; so does PTX of any older arch (JIT)."""
    cc = major * 10 + minor
    for name in arch_list:
        n = arch_number(name)
        if n is None:
            continue
        if name.startswith("sm_") and n // 10 == major and n <= cc:
            return True
        if name.startswith("compute_") and n <= cc:
            return True
    return False


def check_pytorch(report):
    torch = import_framework("torch", "torch", report)
    report["version"] = torch.__version__
    cuda = getattr(torch.version, "cuda", None)
    report["cuda_version"] = cuda
    if cuda is None:
        hip = getattr(torch.version, "hip", None)
        build = f"a ROCm build (HIP {hip})" if hip else "a CPU-only build"
        raise Failure("cpu-only-build", f"torch {torch.__version__} is {build}: torch.version.cuda is None",
                      "install a CUDA build of torch (e.g. from https://download.pytorch.org/whl/cu130); "
                      "cudagen picks it when the profile's `framework` names pytorch")
    if not torch.cuda.is_available():
        raise Failure("cuda-build-no-gpu",
                      f"torch {torch.__version__} is a CUDA {cuda} build but torch.cuda.is_available() is False "
                      f"({torch.cuda.device_count()} devices)",
                      "start the container with `--gpus all`; check NVIDIA_VISIBLE_DEVICES and CUDA_VISIBLE_DEVICES")
    arch_list = torch.cuda.get_arch_list()
    report["arch_list"] = arch_list
    for index in range(torch.cuda.device_count()):
        report["devices"].append(check_torch_device(torch, index, arch_list))


def disable_tf32(torch):
    matmul = torch.backends.cuda.matmul
    if hasattr(matmul, "fp32_precision"):  # torch >= 2.9 deprecates allow_tf32
        matmul.fp32_precision = "ieee"
    else:
        matmul.allow_tf32 = False


def check_torch_device(torch, index, arch_list):
    major, minor = torch.cuda.get_device_capability(index)
    device = {"index": index, "name": torch.cuda.get_device_name(index), "compute_capability": f"{major}.{minor}"}
    if not torch_covers(arch_list, major, minor):
        raise Failure("arch-missing",
                      f"torch {torch.__version__} has no kernels for sm_{major}{minor} "
                      f"({device['name']}): its arch list is {' '.join(arch_list)}",
                      f"install a torch build whose arch list covers sm_{major}{minor}, or add \"{major}.{minor}\" "
                      "to `gpu_archs` when building torch extensions")
    disable_tf32(torch)
    a = torch.randn(MATMUL_N, MATMUL_N)
    b = torch.randn(MATMUL_N, MATMUL_N)
    gpu = (a.to(f"cuda:{index}") @ b.to(f"cuda:{index}")).cpu()
    cpu = a @ b
    device["matmul_rel_error"] = float(((gpu - cpu).abs().max() / cpu.abs().max()).item())
    check_matmul(device["matmul_rel_error"], f"cuda:{index}")
    return device


# -- TensorFlow ----------------------------------------------------------------

def check_tensorflow(report):
    tf = import_framework("tensorflow", "tensorflow[and-cuda]", report)
    report["version"] = tf.__version__
    info = dict(tf.sysconfig.get_build_info())
    report["cuda_version"] = info.get("cuda_version")
    if not tf.test.is_built_with_cuda():
        raise Failure("cpu-only-build", f"tensorflow {tf.__version__} is a CPU-only build",
                      "install `tensorflow[and-cuda]` (cudagen does when the profile's `framework` names tensorflow)")
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        raise Failure("cuda-build-no-gpu",
                      f"tensorflow {tf.__version__} is a CUDA {info.get('cuda_version')} build but "
                      "tf.config.list_physical_devices('GPU') is empty",
                      "start the container with `--gpus all`; check NVIDIA_VISIBLE_DEVICES and CUDA_VISIBLE_DEVICES")
    tf.config.experimental.enable_tensor_float_32_execution(False)
    a = tf.random.normal((MATMUL_N, MATMUL_N))
    b = tf.random.normal((MATMUL_N, MATMUL_N))
    with tf.device("/CPU:0"):
        cpu = tf.matmul(a, b).numpy().tolist()
    for index, gpu_device in enumerate(gpus):
        with tf.device(f"/GPU:{index}"):
            gpu = tf.matmul(a, b).numpy().tolist()
        device = {"index": index, "name": gpu_device.name, "matmul_rel_error": max_relative_error(gpu, cpu)}
        report["devices"].append(device)
        check_matmul(device["matmul_rel_error"], gpu_device.name)


# -- JAX -----------------------------------------------------------------------

def jax_cuda_plugin():
    """The module that makes jax a CUDA build: jax_cuda13_plugin, jax_cuda12_plugin, ... or None."""
    for version in range(20, 10, -1):
        name = f"jax_cuda{version}_plugin"
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def check_jax(report):
    # cudagen-verify measures bandwidth while this runs: don't let JAX take 75% of the GPU.
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    jax = import_framework("jax", "jax[cuda13]", report)
    report["version"] = jax.__version__
    plugin = jax_cuda_plugin()
    report["cuda_plugin"] = plugin
    if plugin is None:
        raise Failure("cpu-only-build", f"jax {jax.__version__} is a CPU-only build: no jax_cudaNN_plugin is installed",
                      "install `jax[cuda13]` (or `jax[cuda12]`)")
    try:
        gpus = jax.devices("gpu")
    except RuntimeError as e:
        raise Failure("cuda-build-no-gpu", f"jax {jax.__version__} has {plugin} but sees no GPU: {e}",
                      "start the container with `--gpus all`; check NVIDIA_VISIBLE_DEVICES and CUDA_VISIBLE_DEVICES")
    key_a, key_b = jax.random.split(jax.random.PRNGKey(0))
    cpu_device = jax.devices("cpu")[0]
    a = jax.device_put(jax.random.normal(key_a, (MATMUL_N, MATMUL_N)), cpu_device)
    b = jax.device_put(jax.random.normal(key_b, (MATMUL_N, MATMUL_N)), cpu_device)
    cpu = jax.numpy.matmul(a, b, precision="highest").tolist()
    for gpu_device in gpus:
        ga, gb = jax.device_put(a, gpu_device), jax.device_put(b, gpu_device)
        gpu = jax.numpy.matmul(ga, gb, precision="highest").tolist()
        device = {"index": gpu_device.id, "name": gpu_device.device_kind,
                  "matmul_rel_error": max_relative_error(gpu, cpu)}
        report["devices"].append(device)
        check_matmul(device["matmul_rel_error"], str(gpu_device))


CHECKS = {"pytorch": check_pytorch, "tensorflow": check_tensorflow, "jax": check_jax}
MODULES = {"pytorch": "torch", "tensorflow": "tensorflow", "jax": "jax"}


def run(framework):
    report = {"framework": framework, "ok": False, "verdict": "error", "diagnosis": "", "fix": "",
              "version": None, "cuda_version": None, "devices": []}
    start = time.monotonic()
    try:
        CHECKS[framework](report)
        names = ", ".join(d["name"] for d in report["devices"])
        report.update(ok=True, verdict="ok",
                      diagnosis=f"{framework} {report['version']} works on {len(report['devices'])} GPU(s): {names}")
    except Failure as f:
        report.update(verdict=f.verdict, diagnosis=f.diagnosis, fix=f.fix)
    except Exception as e:  # the framework itself broke: report it rather than a traceback
        report.update(verdict="error", diagnosis=f"{framework} check raised {type(e).__name__}: {e}",
                      fix=f"run `python3 -c 'import {MODULES[framework]}'` in the container and read the error")
    report["elapsed_ms"] = round((time.monotonic() - start) * 1000, 1)
    return report


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", required=True, choices=sorted(CHECKS))
    args = parser.parse_args(argv)
    report = run(args.framework)
    sys.stdout.flush()
    print(json.dumps(report))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
