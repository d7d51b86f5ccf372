#!/usr/bin/env bash
# The main job on a shipped profile, on a fresh Debian 12 machine, as root: install,
# build cudagen, check and resolve the PyTorch service (profiles/torch-service), then
# `cudagen build` its image and read the image's own verify verdict.
# Where nvidia/cuda cannot be pulled, the build uses local STAND-IN base images
# (scripts/make_standins.sh, docs/standins.md) and says so.
#   --cold   time it as on a fresh machine, as far as one that already ran it can:
#            cudagen compiled in a new folder without the compiler cache, and every
#            image layer rebuilt (bake --no-cache). What stays warm: the installed
#            packages, the stand-in bases, and BuildKit's apt and pip cache mounts
#            (the wheels are not downloaded again).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$(date +%s)
build_dir=build
bake_args=()
if [[ ${1:-} == --cold ]]; then
    build_dir=build-demo-cold
    rm -rf "$build_dir"
    export CCACHE_DISABLE=1
    bake_args=(-- --no-cache)
fi
scripts/install_deps.sh --with-docker
export PATH=/usr/local/bin:$PATH
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build_dir" -j"$(nproc)" --target cudagen
cudagen=$build_dir/generator/cudagen
profile=profiles/torch-service/cudagen.yaml
banner() { printf '\n==== %s\n' "$*"; }

banner "cudagen check: will this profile work on an H100 host with driver 580.95.05?"
"$cudagen" check "$profile" --gpu h100 --driver 580.95.05
banner "cudagen resolve: every value and where it came from"
"$cudagen" resolve "$profile"

registry=docker.io/nvidia
cuda=$("$cudagen" resolve --format json "$profile" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cuda"])')
if ! timeout 120 docker pull -q "nvidia/cuda:$cuda-base-ubuntu24.04" >/dev/null 2>&1; then
    banner "nvidia/cuda cannot be pulled from this machine: building on local STAND-IN base images"
    echo "(Debian 12 + this machine's CUDA toolkit, tagged cudagen-standin/cuda:$cuda-* and cudagen-standin/ubuntu:24.04; NOT NVIDIA's images: docs/standins.md)"
    scripts/make_standins.sh "$cuda-devel-ubuntu24.04"
    registry=cudagen-standin
fi

banner "cudagen build $profile (base images from $registry)"
"$cudagen" build "$profile" --base-registry "$registry" -o "$build_dir/cudagen" "${bake_args[@]}"
image=$("$cudagen" resolve --format json "$profile" | python3 -c 'import json,sys; print(json.load(sys.stdin)["image"]["tags"][0])')

banner "the image's verdict: cudagen-verify --framework pytorch inside $image"
rc=0
docker run --rm "$image" /opt/cudagen/bin/cudagen-verify || rc=$?
case $rc in
    0) echo "=> exit 0: the GPU and PyTorch work in this container." ;;
    10 | 12) echo "=> exit $rc: this machine gives the container no GPU (no driver library / no device), and the"
        echo "   framework line says torch is a CUDA build that only lacks a GPU: on a GPU host, run"
        echo "   \`cudagen verify $image\` (docker run --gpus all) and expect exit 0. A CPU-only torch would be exit 15." ;;
    *) echo "=> exit $rc: see docs/verify.md" ;;
esac
echo
echo "demo finished in $(($(date +%s) - start)) s"
