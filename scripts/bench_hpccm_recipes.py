"""Writes N hpc-container-maker recipes' Dockerfiles in one Python process.

The peer side of scripts/bench_generate_vs_peers.sh: the same content as the
benchmark's cudagen profile (a CUDA devel base, apt packages, pip packages, a
CMake build of the sample's sources, a runtime stage that copies the built
program), one Dockerfile per recipe, each written as soon as it is made.

Usage: python bench_hpccm_recipes.py N OUTDIR [FASTAPI_VERSION]
(the version changes every recipe, as the benchmark's second set of profiles does)
"""
import os
import sys

import hpccm
from hpccm.building_blocks import apt_get, generic_cmake, pip
from hpccm.primitives import baseimage, copy, environment, label, runscript, shell, user


def recipe(name, fastapi):
    devel = hpccm.Stage()
    devel += baseimage(image="nvidia/cuda:13.0.2-devel-ubuntu24.04", _as="devel")
    devel += apt_get(ospackages=["ca-certificates", "git", "python3", "python3-venv", "python3-dev",
                                 "cmake", "make", "g++", "libgl1"])
    devel += pip(packages=["fastapi==" + fastapi, "uvicorn==0.30.1"], pip="pip3")
    devel += copy(src="src/", dest="/src")
    devel += environment(variables={"CUDAARCHS": '"80-real;90"'})
    devel += generic_cmake(package="saxpy.tar.gz", directory="saxpy", prefix="/usr/local",
                           cmake_opts=["-DCMAKE_BUILD_TYPE=Release"])
    runtime = hpccm.Stage()
    runtime += baseimage(image="nvidia/cuda:13.0.2-base-ubuntu24.04", _as="runtime")
    runtime += apt_get(ospackages=["python3", "libgl1"])
    runtime += shell(commands=["useradd --create-home --uid 10001 --user-group --shell /usr/sbin/nologin app"])
    runtime += copy(_from="devel", src="/usr/local/bin/saxpy", dest="/usr/local/bin/saxpy")
    runtime += environment(variables={"NVIDIA_VISIBLE_DEVICES": "all",
                                      "NVIDIA_DRIVER_CAPABILITIES": "compute,utility"})
    runtime += label(metadata={"org.opencontainers.image.title": '"%s"' % name})
    runtime += user(user="10001:10001")
    runtime += runscript(commands=["/usr/local/bin/saxpy"])
    return str(devel) + "\n\n" + str(runtime) + "\n"


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    fastapi = sys.argv[3] if len(sys.argv) > 3 else "0.111.0"
    hpccm.config.set_container_format("docker")
    for i in range(count):
        name = "bench-%04d" % i
        os.makedirs(os.path.join(out, name), exist_ok=True)
        with open(os.path.join(out, name, "Dockerfile"), "w") as f:
            f.write(recipe(name, fastapi))


if __name__ == "__main__":
    main()
