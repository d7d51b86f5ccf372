#!/usr/bin/env python3
"""cudagen-verify on a machine without the NVIDIA driver (CPU-only CI).

It must exit 10 and its verdict must tell the user to start the container with
`--gpus all` (or CDI) on a host with the NVIDIA Container Toolkit. Where
libcuda.so.1 can be loaded this behaviour cannot be produced: exit 77 (skip).
Usage: verify_sample_no_driver.py PATH/TO/cudagen-verify
"""

import ctypes
import json
import subprocess
import sys
import unittest

BINARY = None
REQUIRED_KEYS = {"ok", "exit_code", "diagnosis", "fix", "driver_version", "runtime_version",
                 "devices", "framework", "elapsed_ms"}


def run(*args):
    result = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout, result.stderr


def driver_loadable():
    try:
        ctypes.CDLL("libcuda.so.1")
        return True
    except OSError:
        return False


class NoDriver(unittest.TestCase):
    def test_json_verdict_exits_10_and_names_the_fix(self):
        code, out, _ = run("--json")
        self.assertEqual(code, 10, out)
        verdict = json.loads(out)
        self.assertLessEqual(REQUIRED_KEYS, set(verdict))
        self.assertIs(verdict["ok"], False)
        # What the binary holds is read without a driver: never the empty lists of "not read".
        self.assertTrue(verdict["binary"]["sass"] or verdict["binary"]["ptx"], verdict["binary"])
        self.assertEqual(verdict["exit_code"], 10)
        self.assertIn("libcuda.so.1 cannot be loaded", verdict["diagnosis"])
        self.assertIn("docker run --gpus all", verdict["fix"])
        self.assertIn("--device nvidia.com/gpu=all", verdict["fix"])
        self.assertIn("NVIDIA Container Toolkit", verdict["fix"])
        self.assertEqual(verdict["devices"], [])
        self.assertIsNone(verdict["driver_version"])

    def test_json_is_one_line_on_stdout(self):
        _, out, err = run("--json")
        self.assertEqual(out.count("\n"), 1, out)
        self.assertEqual(err, "")

    def test_human_summary_exits_10_and_names_the_fix(self):
        code, out, _ = run()
        self.assertEqual(code, 10, out)
        self.assertTrue(out.startswith("cudagen-verify: FAILED (exit 10)\n"), out)
        self.assertIn("--gpus all", out)
        self.assertIn("NVIDIA Container Toolkit", out)

    def test_driver_check_comes_before_the_framework_check(self):
        code, out, _ = run("--json", "--framework", "pytorch", "--python", "/nonexistent/python3")
        self.assertEqual(code, 10, out)
        self.assertIsNone(json.loads(out)["framework"])

    def test_framework_from_environment_is_validated(self):
        result = subprocess.run([BINARY, "--json"], capture_output=True, text=True, timeout=60,
                                env={"CUDAGEN_VERIFY_FRAMEWORK": "caffe"})
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown framework 'caffe'", result.stderr)

    def test_unknown_flag_is_a_usage_error(self):
        code, out, err = run("--jsn")
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        self.assertIn("bad argument '--jsn'", err)

    def test_help_exits_0(self):
        code, out, _ = run("--help")
        self.assertEqual(code, 0)
        self.assertIn("--framework pytorch|tensorflow|jax|none", out)


if __name__ == "__main__":
    BINARY = sys.argv.pop(1)
    if driver_loadable():
        print("SKIP: libcuda.so.1 loads on this machine; the no-driver verdict needs a machine without the driver")
        sys.exit(77)
    unittest.main(verbosity=2)
