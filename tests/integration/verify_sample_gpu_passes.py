#!/usr/bin/env python3
"""cudagen-verify where a GPU exists: the passing verdict, asserted.

On a machine whose NVIDIA driver loads and shows at least one GPU, cudagen-verify
must exit 0 with ok=true, run saxpy correctly on every device from code it holds
(SASS for the device, or PTX it can JIT), and measure a device-to-device copy.
With a CUDA build of PyTorch importable, `--framework pytorch` must pass too.
Elsewhere (no driver, as on CPU-only CI) the test exits 77 and says why.
Usage: verify_sample_gpu_passes.py PATH/TO/cudagen-verify PATH/TO/framework_check.py
"""

import ctypes
import json
import subprocess
import sys
import unittest

BINARY = SCRIPT = None


def gpu_count():
    """Devices the driver reports, or None when libcuda.so.1 cannot be loaded."""
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return None
    if cuda.cuInit(0) != 0:
        return 0
    count = ctypes.c_int(0)
    return count.value if cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 else 0


def run(*args):
    result = subprocess.run([BINARY, "--json", "--framework-script", SCRIPT, *args], capture_output=True, text=True,
                            timeout=300)
    return result.returncode, json.loads(result.stdout)


def torch_with_cuda():
    probe = "import torch, sys; sys.exit(0 if torch.version.cuda else 1)"
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=120).returncode == 0


class GpuPresent(unittest.TestCase):
    def test_passing_verdict_on_every_device(self):
        code, verdict = run()
        self.assertEqual(code, 0, verdict)
        self.assertIs(verdict["ok"], True)
        self.assertEqual(verdict["exit_code"], 0)
        self.assertEqual(len(verdict["devices"]), gpu_count())
        for device in verdict["devices"]:
            self.assertIs(device["saxpy_ok"], True, device)
            self.assertIn(device["kernel_source"], ("SASS", "PTX-JIT"), device)
            self.assertGreater(device["d2d_gbps"], 0.0, device)

    @unittest.skipUnless(torch_with_cuda(), "no CUDA build of PyTorch importable by this python3")
    def test_pytorch_check_passes(self):
        code, verdict = run("--framework", "pytorch", "--python", sys.executable)
        self.assertEqual(code, 0, verdict)
        self.assertEqual(verdict["framework"]["verdict"], "ok", verdict["framework"])


if __name__ == "__main__":
    BINARY, SCRIPT = sys.argv.pop(1), sys.argv.pop(1)
    count = gpu_count()
    if not count:
        print("SKIP: no NVIDIA GPU here (" + ("libcuda.so.1 does not load" if count is None else "the driver reports none")
              + "): the passing verdict can only be asserted on a GPU machine")
        sys.exit(77)
    unittest.main(verbosity=2)
