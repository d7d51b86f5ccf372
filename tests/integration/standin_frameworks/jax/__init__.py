"""Stand-in for jax (see ../README.md)."""

import os

import _standin_matrix as m

from . import numpy, random  # noqa: F401  (jax.numpy, jax.random)

__version__ = "0.8.1"
if os.environ.get("STANDIN_PLUGIN", "1") == "0":
    import sys
    sys.modules["jax_cuda13_plugin"] = None  # as if the plugin were not installed


class Device:
    def __init__(self, platform, index):
        self.platform = platform
        self.id = index
        self.device_kind = "Stand-in GPU" if platform == "gpu" else "cpu"

    def __str__(self):
        return "%s:%d" % (self.platform, self.id)


def devices(backend=None):
    if backend == "gpu":
        count = m.gpu_count() if os.environ.get("STANDIN_PLUGIN", "1") != "0" else 0
        if count == 0:
            raise RuntimeError("Unknown backend: 'gpu' requested, but no platforms that are instances of gpu are present")
        return [Device("gpu", i) for i in range(count)]
    return [Device("cpu", 0)]


class Array:
    def __init__(self, matrix):
        self._m = matrix

    def tolist(self):
        return self._m.tolist()


def device_put(array, device):
    return Array(array._m.on("cpu" if device.platform == "cpu" else str(device)))
