#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine, as root: installs what it
# needs (apt, PyPI, Docker engine, buildx, stand-in base images), builds with
# warnings as errors, and runs every test (unit, golden, e2e, integration).
# Then the unit and e2e tests again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan: the tests only; any finding fails its
# test). CUDAGEN_SANITIZERS=0 leaves that second pass out.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install_deps.sh --with-standins
export PATH=/usr/local/bin:$PATH
scripts/docker_space.sh
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCUDAGEN_WERROR=ON
cmake --build build-test -j"$(nproc)"
ctest --test-dir build-test --output-on-failure --timeout 3000 "$@"
if [[ ${CUDAGEN_SANITIZERS:-1} != 0 ]]; then
    # Warnings are errors in build-test above; GCC's flow warnings (maybe-uninitialized in
    # <regex>, for one) give false positives on sanitizer-instrumented code, so not here.
    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Asan -DCUDAGEN_WERROR=OFF
    cmake --build build-asan -j"$(nproc)" --target cudagen_unit_tests
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    ctest --test-dir build-asan --output-on-failure --timeout 3000 -j"$(nproc)" -L 'unit|e2e' \
        -E '^(e2e_(style_|cmake_install|hadolint)|verify_sample_)' "$@"
fi
