"""Stand-in for tensorflow (see ../README.md)."""

import contextlib

import _standin_matrix as m

__version__ = "2.20.0"
_cuda = m.config("STANDIN_CUDA", "13.0") or None
_device = ["cpu"]


class _Tensor:
    def __init__(self, matrix):
        self._m = matrix

    def numpy(self):
        return self._m


class _PhysicalDevice:
    def __init__(self, index):
        self.name = "/physical_device:GPU:%d" % index
        self.device_type = "GPU"


class sysconfig:
    @staticmethod
    def get_build_info():
        return {"cuda_version": _cuda, "is_cuda_build": bool(_cuda)} if _cuda else {"is_cuda_build": False}


class test:
    @staticmethod
    def is_built_with_cuda():
        return bool(_cuda)


class config:
    @staticmethod
    def list_physical_devices(kind):
        return [_PhysicalDevice(i) for i in range(m.gpu_count())] if kind == "GPU" else []

    class experimental:
        @staticmethod
        def enable_tensor_float_32_execution(enabled):
            pass


_seed = [0]


class random:
    @staticmethod
    def normal(shape):
        _seed[0] += 1
        return _Tensor(m.Matrix.normal(_seed[0]))


@contextlib.contextmanager
def device(name):
    _device.append("cpu" if "CPU" in name else name)
    try:
        yield
    finally:
        _device.pop()


def matmul(a, b):
    return _Tensor(a._m.on(_device[-1]).product(b._m.on(_device[-1])))
