"""Placeholder entry point for the multi-arch example."""
import platform

print("serving on", platform.machine())
