"""Neurodocker (ReproEnv's DockerRenderer) recipes for the program of profiles/cuda-cpp,
the service of profiles/service-lite and the PyTorch service of profiles/torch-service,
two stages each (devel, then base).

Usage: python3 neurodocker_recipes.py cuda-cpp|service|framework REGISTRY [EXTRA_APT]
"""
import sys

from neurodocker.reproenv import DockerRenderer


def cuda_cpp(registry: str, extra: list) -> str:
    r = DockerRenderer("apt")
    r.from_(f"{registry}/cuda:13.0.2-devel-ubuntu24.04", as_="devel")
    r.install(["cmake", "make", "g++"] + extra)
    r.copy("src/", "/src")
    r.run('cmake -S /src -B /src/build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES="80-real;90"'
          ' && cmake --build /src/build -j"$(nproc)"')
    r.from_(f"{registry}/cuda:13.0.2-base-ubuntu24.04")
    r.copy("/src/build/saxpy", "/usr/local/bin/saxpy", from_="devel")
    r.user("app")
    r.entrypoint(["/usr/local/bin/saxpy"])
    return r.render()


def service(registry: str, extra: list, framework: bool = False) -> str:
    r = DockerRenderer("apt")
    r.from_(f"{registry}/cuda:13.0.2-devel-ubuntu24.04", as_="devel")
    r.install(["python3", "python3-venv", "python3-dev"] + extra)
    r.run("python3 -m venv /opt/venv")
    r.env(PATH="/opt/venv/bin:$PATH")
    if framework:
        # The framework in a step of its own, before the service's packages.
        r.run("pip install --no-cache-dir torch==2.13.0 torchvision==0.28.0")
    r.copy("requirements.txt", "/tmp/requirements.txt")
    r.run("pip install --no-cache-dir -r /tmp/requirements.txt")
    r.from_(f"{registry}/cuda:13.0.2-base-ubuntu24.04")
    r.install(["python3"])
    r.copy("/opt/venv", "/opt/venv", from_="devel")
    r.copy("app/", "/app")
    r.env(PATH="/opt/venv/bin:$PATH")
    if framework:
        r.env(LOG_LEVEL="info")
    r.workdir("/app")
    r.user("app")
    r._parts.append("EXPOSE 8000")
    r._parts.append('CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]')
    return r.render()


if __name__ == "__main__":
    kind, registry = sys.argv[1], sys.argv[2]
    extra = [p for p in (sys.argv[3] if len(sys.argv) > 3 else "").split(",") if p]
    recipes = {"cuda-cpp": cuda_cpp, "service": service, "framework": lambda reg, ex: service(reg, ex, framework=True)}
    print(recipes[kind](registry, extra))
