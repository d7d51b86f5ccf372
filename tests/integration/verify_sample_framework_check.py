#!/usr/bin/env python3
"""samples/verify/framework_check.py against fake frameworks.

Each case puts a stub `torch` or `jax` first on PYTHONPATH (python -S, so no
real framework in site-packages can answer instead) and checks the verdict.
Usage: verify_sample_framework_check.py PATH/TO/framework_check.py
"""

import importlib.util
import json
import pathlib
import subprocess
import sys
import tempfile
import textwrap
import unittest

SCRIPT = None

FAKE_TORCH = """
__version__ = "2.11.0+{tag}"
class version:
    cuda = {cuda!r}
    hip = None
class cuda:
    @staticmethod
    def is_available(): return {available!r}
    @staticmethod
    def device_count(): return {count!r}
    @staticmethod
    def get_arch_list(): return {arch_list!r}
    @staticmethod
    def get_device_capability(index): return {capability!r}
    @staticmethod
    def get_device_name(index): return "Fake H100"
"""


def fake_torch(cuda=None, available=False, count=0, arch_list=(), capability=(9, 0)):
    return FAKE_TORCH.format(tag="cu130" if cuda else "cpu", cuda=cuda, available=available, count=count,
                             arch_list=list(arch_list), capability=capability)


def check(framework, package, source):
    """Runs the script with `package` (a stub module) first on the path; returns (exit code, verdict)."""
    with tempfile.TemporaryDirectory() as root:
        (pathlib.Path(root) / package).mkdir()
        (pathlib.Path(root) / package / "__init__.py").write_text(textwrap.dedent(source))
        result = subprocess.run([sys.executable, "-S", SCRIPT, "--framework", framework], capture_output=True,
                                text=True, timeout=60, env={"PYTHONPATH": root})
    lines = result.stdout.splitlines()
    return result.returncode, json.loads(lines[-1]) if lines else None


class PyTorch(unittest.TestCase):
    def test_cpu_only_build_is_reported_as_such(self):
        code, verdict = check("pytorch", "torch", fake_torch(cuda=None))
        self.assertEqual(code, 1)
        self.assertEqual(verdict["verdict"], "cpu-only-build")
        self.assertEqual(verdict["diagnosis"], "torch 2.11.0+cpu is a CPU-only build: torch.version.cuda is None")
        self.assertIs(verdict["ok"], False)

    def test_cuda_build_that_sees_no_gpu_is_told_apart(self):
        code, verdict = check("pytorch", "torch", fake_torch(cuda="13.0", available=False))
        self.assertEqual(code, 1)
        self.assertEqual(verdict["verdict"], "cuda-build-no-gpu")
        self.assertEqual(verdict["diagnosis"], "torch 2.11.0+cu130 is a CUDA 13.0 build but "
                                               "torch.cuda.is_available() is False (0 devices)")
        self.assertIn("--gpus all", verdict["fix"])

    def test_device_arch_missing_from_the_wheel_is_named(self):
        code, verdict = check("pytorch", "torch", fake_torch(cuda="13.0", available=True, count=1,
                                                             arch_list=["sm_80", "sm_86"], capability=(9, 0)))
        self.assertEqual(code, 1)
        self.assertEqual(verdict["verdict"], "arch-missing")
        self.assertEqual(verdict["diagnosis"], "torch 2.11.0+cu130 has no kernels for sm_90 (Fake H100): "
                                               "its arch list is sm_80 sm_86")

    def test_missing_framework_is_not_installed(self):
        code, verdict = check("pytorch", "torch", "raise ImportError('libtorch_cuda.so: cannot open')\n")
        self.assertEqual(code, 1)
        self.assertEqual(verdict["verdict"], "not-installed")
        self.assertIn("libtorch_cuda.so: cannot open", verdict["diagnosis"])

    def test_framework_that_breaks_still_gives_a_verdict(self):
        # The stub has no torch.backends, so the matmul step raises AttributeError.
        code, verdict = check("pytorch", "torch", fake_torch(cuda="13.0", available=True, count=1, arch_list=["sm_90"]))
        self.assertEqual(code, 1)
        self.assertEqual(verdict["verdict"], "error")
        self.assertIn("AttributeError", verdict["diagnosis"])


class Jax(unittest.TestCase):
    def test_jax_without_a_cuda_plugin_is_a_cpu_only_build(self):
        code, verdict = check("jax", "jax", '__version__ = "0.11.2"\n')
        self.assertEqual(code, 1)
        self.assertEqual(verdict["verdict"], "cpu-only-build")
        self.assertIn("no jax_cudaNN_plugin", verdict["diagnosis"])


STANDINS = pathlib.Path(__file__).resolve().parent / "standin_frameworks"


def check_standin(framework, **config):
    """Runs the script against the stand-in frameworks (standin_frameworks/README.md), configured by `config`."""
    env = {"PYTHONPATH": str(STANDINS)}
    env.update({"STANDIN_" + key.upper(): str(value) for key, value in config.items()})
    result = subprocess.run([sys.executable, "-S", SCRIPT, "--framework", framework], capture_output=True,
                            text=True, timeout=60, env=env)
    lines = result.stdout.splitlines()
    if not lines:
        raise AssertionError(f"no verdict; stderr:\n{result.stderr}")
    return result.returncode, json.loads(lines[-1])


class StandInFrameworks(unittest.TestCase):
    """Every verdict of each framework, including ok, on stand-ins that compute real products."""

    def assert_verdict(self, framework, verdict, code=1, **config):
        got_code, got = check_standin(framework, **config)
        self.assertEqual((got_code, got["verdict"]), (code, verdict), got)
        self.assertIs(got["ok"], verdict == "ok")
        return got

    def test_ok_on_every_framework_compares_gpu_with_cpu(self):
        for framework in ("pytorch", "tensorflow", "jax"):
            with self.subTest(framework=framework):
                got = self.assert_verdict(framework, "ok", code=0, gpus=2)
                self.assertEqual(len(got["devices"]), 2)
                for device in got["devices"]:
                    self.assertLess(device["matmul_rel_error"], 1e-9)
                self.assertIn("works on 2 GPU(s)", got["diagnosis"])

    def test_wrong_gpu_result_on_every_framework(self):
        for framework in ("pytorch", "tensorflow", "jax"):
            with self.subTest(framework=framework):
                got = self.assert_verdict(framework, "wrong-result", gpu_error=0.5)
                self.assertIn("differs from the CPU", got["diagnosis"])

    def test_a_gpu_error_below_the_tolerance_is_ok(self):
        # 1e-7 absolute on products of N(0,1) 16x16 matrices is far below the 1e-3 relative tolerance.
        self.assert_verdict("pytorch", "ok", code=0, gpu_error=1e-7)

    def test_cpu_only_builds(self):
        for framework in ("pytorch", "tensorflow"):
            with self.subTest(framework=framework):
                self.assert_verdict(framework, "cpu-only-build", cuda="")
        self.assert_verdict("jax", "cpu-only-build", plugin=0)

    def test_cuda_builds_that_see_no_gpu(self):
        for framework in ("pytorch", "tensorflow", "jax"):
            with self.subTest(framework=framework):
                got = self.assert_verdict(framework, "cuda-build-no-gpu", gpus=0)
                self.assertIn("--gpus all", got["fix"])

    def test_tensorflow_reports_its_cuda_version(self):
        _, got = check_standin("tensorflow", gpus=0, cuda="12.5")
        self.assertEqual(got["cuda_version"], "12.5")
        self.assertIn("CUDA 12.5 build", got["diagnosis"])

    def test_pytorch_arch_missing_for_the_device(self):
        got = self.assert_verdict("pytorch", "arch-missing", archs="sm_80 sm_86", capability="9.0")
        self.assertIn("no kernels for sm_90", got["diagnosis"])

    def test_pytorch_ptx_covers_a_newer_device(self):
        self.assert_verdict("pytorch", "ok", code=0, archs="sm_80 compute_80", capability="9.0")


class ArchCoverage(unittest.TestCase):
    """framework_check.torch_covers: SASS runs on the same major arch at or above it, PTX on any newer arch."""

    @classmethod
    def setUpClass(cls):
        spec = importlib.util.spec_from_file_location("framework_check", SCRIPT)
        cls.module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.module)

    def test_exact_sass(self):
        self.assertTrue(self.module.torch_covers(["sm_80", "sm_90"], 9, 0))

    def test_older_sass_of_the_same_major(self):
        self.assertTrue(self.module.torch_covers(["sm_80"], 8, 6))

    def test_older_sass_of_another_major_does_not_run(self):
        self.assertFalse(self.module.torch_covers(["sm_80", "sm_86"], 9, 0))

    def test_older_ptx_is_jit_compiled(self):
        self.assertTrue(self.module.torch_covers(["sm_80", "compute_80"], 9, 0))

    def test_newer_ptx_does_not_run(self):
        self.assertFalse(self.module.torch_covers(["compute_100"], 9, 0))

    def test_arch_specific_sass(self):
        self.assertTrue(self.module.torch_covers(["sm_90a"], 9, 0))


if __name__ == "__main__":
    SCRIPT = sys.argv.pop(1)
    unittest.main(verbosity=2)
