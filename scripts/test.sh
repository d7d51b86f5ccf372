#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine, as root: installs what it
# needs (apt, PyPI, Docker engine, buildx, stand-in base images), builds with
# warnings as errors, and runs every test (unit, golden, e2e, integration).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install_deps.sh --with-standins
export PATH=/usr/local/bin:$PATH
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCUDAGEN_WERROR=ON
cmake --build build-test -j"$(nproc)"
ctest --test-dir build-test --output-on-failure --timeout 3000 "$@"
