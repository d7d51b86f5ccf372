"""Stand-in for torch (see ../README.md)."""

import _standin_matrix as m

_cuda = m.config("STANDIN_CUDA", "13.0") or None
__version__ = "2.11.0+" + ("cu" + _cuda.replace(".", "") if _cuda else "cpu")


class version:
    cuda = _cuda
    hip = None


class Tensor:
    def __init__(self, matrix):
        self._m = matrix

    def to(self, device):
        if device.startswith("cuda") and not cuda.is_available():
            raise RuntimeError("Found no NVIDIA driver on your system")
        return Tensor(self._m.on(device))

    def cpu(self):
        return Tensor(self._m.on("cpu"))

    def __matmul__(self, other):
        if self._m.device != other._m.device:
            raise RuntimeError("Expected all tensors to be on the same device")
        return Tensor(self._m.product(other._m))

    def __sub__(self, other):
        return Tensor(m.Matrix([[a - b for a, b in zip(r, s)] for r, s in zip(self._m.rows, other._m.rows)], self._m.device))

    def abs(self):
        return Tensor(m.Matrix([[abs(a) for a in r] for r in self._m.rows], self._m.device))

    def max(self):
        return Tensor(m.Matrix([[max(max(r) for r in self._m.rows)]], self._m.device))

    def __truediv__(self, other):
        return Tensor(m.Matrix([[self.item() / other.item()]], self._m.device))

    def item(self):
        return self._m.rows[0][0]


_seed = [0]


def randn(*shape):
    _seed[0] += 1
    return Tensor(m.Matrix.normal(_seed[0]))


class cuda:
    @staticmethod
    def is_available():
        return m.gpu_count() > 0

    @staticmethod
    def device_count():
        return m.gpu_count()

    @staticmethod
    def get_arch_list():
        return m.config("STANDIN_ARCHS", "sm_80 sm_90").split() if _cuda else []

    @staticmethod
    def get_device_capability(index):
        major, minor = m.config("STANDIN_CAPABILITY", "9.0").split(".")
        return int(major), int(minor)

    @staticmethod
    def get_device_name(index):
        return "Stand-in GPU %d" % index


class backends:
    class cuda:
        class matmul:
            fp32_precision = "tf32"
