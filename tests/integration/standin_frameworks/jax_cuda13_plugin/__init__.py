"""Stand-in for the jax CUDA 13 plugin: its presence makes the stand-in jax a CUDA build."""
