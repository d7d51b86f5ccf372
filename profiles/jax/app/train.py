"""Prints the devices JAX sees and runs one matmul."""
import jax
import jax.numpy as jnp

print(jax.devices())
print(jnp.ones((2, 2)) @ jnp.ones((2, 2)))
