"""Dense matrices of floats for the stand-in frameworks (16x16 whatever is asked)."""

import os
import random

SIZE = 16


def config(name, default):
    return os.environ.get(name, default)


def gpu_count():
    return int(config("STANDIN_GPUS", "1")) if config("STANDIN_CUDA", "13.0") else 0


def gpu_error():
    return float(config("STANDIN_GPU_ERROR", "0"))


class Matrix:
    def __init__(self, rows, device="cpu"):
        self.rows = rows
        self.device = device

    @staticmethod
    def normal(seed=None):
        rng = random.Random(seed)
        return Matrix([[rng.gauss(0.0, 1.0) for _ in range(SIZE)] for _ in range(SIZE)])

    def on(self, device):
        return Matrix([row[:] for row in self.rows], device)

    def product(self, other):
        n = len(self.rows)
        cols = list(zip(*other.rows))
        rows = [[sum(a * b for a, b in zip(row, col)) for col in cols] for row in self.rows]
        if self.device != "cpu":
            # The GPU computes the same product (a faulty one adds an error).
            rows = [[v + gpu_error() for v in row] for row in rows]
        assert len(rows) == n
        return Matrix(rows, self.device)

    def tolist(self):
        return [row[:] for row in self.rows]
