"""Stand-in for jax.numpy: matmul only."""


def matmul(a, b, precision=None):
    from jax import Array
    return Array(a._m.product(b._m.on(a._m.device)))
