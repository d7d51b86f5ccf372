#!/usr/bin/env python3
"""Unit tests of scripts/refresh_knowledge.py (offline: a wheel made here stands in for PyPI's)."""

import copy
import io
import os
import sys
import unittest
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import refresh_knowledge as rk  # noqa: E402

METADATA = """Metadata-Version: 2.1
Name: torch
Version: 2.15.0
Requires-Python: >=3.11
Requires-Dist: filelock
Requires-Dist: nvidia-cudnn-cu13==9.26.0.51; platform_system == "Linux"
Requires-Dist: cuda-toolkit[cudart]==13.2.2; platform_system == "Linux"
Requires-Dist: pyyaml; extra == "pyyaml"
Provides-Extra: pyyaml

Long description: Requires-Dist: not-a-header
"""


def make_wheel():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        wheel.writestr("torch/__init__.py", "x = 1\n" * 1000)
        wheel.writestr("torch/version.py", "__version__ = '2.15.0'\ncuda: Optional[str] = '13.2'\n")
        wheel.writestr("torch-2.15.0.dist-info/METADATA", METADATA)
    return buffer.getvalue()


class RemoteWheel(unittest.TestCase):
    def setUp(self):
        self.data = make_wheel()
        self.requests = []
        self.saved = rk.read_range

        def read_range(url, start, length):
            self.requests.append((start, length))
            return self.data[start:start + length]

        rk.read_range = read_range

    def tearDown(self):
        rk.read_range = self.saved

    def test_reads_metadata_and_version_py_by_ranges(self):
        facts = rk.wheel_facts("torch", {"url": "https://example/torch.whl", "size": len(self.data)})
        self.assertEqual(facts["requires_python"], ">=3.11")
        self.assertEqual(facts["built_cuda"], "13.2")
        self.assertIn('nvidia-cudnn-cu13==9.26.0.51; platform_system == "Linux"', facts["requires_dist"])
        self.assertNotIn("not-a-header", " ".join(facts["requires_dist"]))
        self.assertEqual(facts["provides_extra"], ["pyyaml"])
        self.assertTrue(all(start + length <= len(self.data) for start, length in self.requests))

    def test_torch_wheel_names_variant_cuda_and_cudnn(self):
        facts = rk.wheel_facts("torch", {"url": "u", "size": len(self.data)})
        self.assertEqual(rk.torch_wheel(facts), {"variant": "cu132", "cuda": "13.2", "cudnn": "9.26.0.51"})
        self.assertEqual(rk.torch_wheel({"built_cuda": None, "requires_dist": []}), {"variant": "cpu"})


class Specifiers(unittest.TestCase):
    def test_satisfies(self):
        self.assertTrue(rk.satisfies("2.15.0", ">=2.14.0"))
        self.assertFalse(rk.satisfies("2.13.0", ">=2.14.0"))
        self.assertTrue(rk.satisfies("2.12.1", ">=2.11,<3"))
        self.assertTrue(rk.satisfies("2.3.1", "~=2.3.0"))
        self.assertFalse(rk.satisfies("2.4.0", "~=2.3.0"))
        self.assertTrue(rk.satisfies("2.3.1", "==2.3.*"))

    def test_lower_bound_minor(self):
        self.assertEqual(rk.lower_bound_minor("<13.0,>=12.5.82"), "12.5")
        self.assertEqual(rk.lower_bound_minor("12.2.140"), "12.2")

    def test_release_tags(self):
        self.assertEqual(rk.wheel_tags("torch-2.15.0-cp312-cp312-manylinux_2_28_aarch64.whl")[3],
                         "manylinux_2_28_aarch64")
        self.assertEqual(rk.linux_platform("manylinux_2_17_x86_64.manylinux2014_x86_64"), "amd64")
        self.assertIsNone(rk.linux_platform("win_amd64"))
        self.assertIsNone(rk.parse_version("2.16.0rc1"))


def companion_releases(entries):
    return {version: {"uploaded": day, "metadata": {"w.whl": {"requires_dist": [f"torch{spec}"] if spec else []}}}
            for version, day, spec in entries}


class Companions(unittest.TestCase):
    def test_exact_pin_wins(self):
        releases = companion_releases([("0.29.0", "2026-09-02", "==2.14.0"), ("0.29.1", "2026-09-30", ">=2.14.0")])
        self.assertEqual(rk.companion(releases, "2.14.0", "2026-09-02"), "0.29.0")

    def test_same_day_admitting_release_is_the_one_made_for_it(self):
        releases = companion_releases([("0.29.1", "2026-09-30", ">=2.14.0"), ("0.29.2", "2026-10-28", ">=2.14.0")])
        self.assertEqual(rk.companion(releases, "2.14.1", "2026-09-30"), "0.29.1")
        self.assertEqual(rk.companion(releases, "2.15.0", "2026-10-28"), "0.29.2")

    def test_no_requirement_admits_every_torch(self):
        releases = companion_releases([("2.11.0", "2026-03-23", ""), ("2.11.1", "2026-06-01", ">=2.11")])
        self.assertEqual(rk.companion(releases, "2.11.0", "2026-03-23"), "2.11.0")
        self.assertEqual(rk.companion(releases, "2.13.0", "2026-07-08"), "2.11.0")


class Snapshot(unittest.TestCase):
    def test_recorded_snapshot_derives_the_data_rows(self):
        snapshot = rk.load_snapshot()
        for name in rk.DERIVED:
            self.assertEqual(rk.differences(name, snapshot), [], name)

    def test_a_new_release_shows_as_a_row_difference(self):
        snapshot = copy.deepcopy(rk.load_snapshot())
        torch = snapshot["projects"]["torch"]["releases"]
        newest = list(torch)[-1]
        torch["2.99.0"] = copy.deepcopy(torch[newest])
        found = rk.differences("pytorch.yaml", snapshot)
        self.assertEqual([(sign, version) for sign, version, _ in found], [("+", "2.99.0")])

    def test_drift_lists_new_and_changed_releases(self):
        old = rk.load_snapshot()
        new = copy.deepcopy(old)
        releases = new["projects"]["jax"]["releases"]
        releases["9.9.9"] = copy.deepcopy(releases[list(releases)[-1]])
        self.assertEqual(rk.snapshot_drift(old, new), ["  jax: new: 9.9.9"])


if __name__ == "__main__":
    unittest.main()
