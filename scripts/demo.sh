#!/usr/bin/env bash
# The main job on a shipped profile, on a fresh Debian 12 machine, as root:
# install, build cudagen, check and resolve the PyTorch service profile, and
# generate its Dockerfile and bake file into build/cudagen.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install_deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)" --target cudagen
cudagen=build/generator/cudagen
profile=profiles/fastapi-torch/cudagen.yaml
"$cudagen" check "$profile" --gpu h100 --driver 550.54.15
"$cudagen" resolve "$profile"
"$cudagen" generate "$profile" -o build/cudagen
echo
echo "Generated build/cudagen/Dockerfile and build/cudagen/docker-bake.hcl."
echo "Build them with: (cd build/cudagen && docker buildx bake --load)"
