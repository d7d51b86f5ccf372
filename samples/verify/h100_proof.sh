#!/usr/bin/env bash
# The proof of issue 4 on a machine with an NVIDIA GPU, nvcc, CMake and a CUDA
# build of PyTorch (no Docker needed): builds cudagen-verify with the project's
# CMake and with the images' exact nvcc command, runs every case that can be
# made for real, and writes each verdict and log under $OUT (default
# ./verify-out). docs/verify-runs/README.md lists the cases and the results.
#
#   bash samples/verify/h100_proof.sh            # from the repository root
#
# Optional: DEPS_DIR=dir of .deb files (yaml-cpp, CLI11, nlohmann-json, gtest)
# unpacked into a private prefix so the whole project configures.
set -u -o pipefail
root=$(pwd)
out=${OUT:-$root/verify-out}/verify-runs
mkdir -p "$out"
work=$(mktemp -d)
export PATH=/usr/local/cuda/bin:$PATH
TIMEFORMAT=%R

note() { echo "== $*" | tee -a "$out/proof.log"; }

# run_case NAME EXPECTED_EXIT EXT COMMAND...: stdout to NAME.EXT, stderr to
# NAME.stderr, the wall seconds and exit code to cases.tsv.
run_case() {
    local name=$1 expected=$2 ext=$3
    shift 3
    local start end rc
    start=$(date +%s.%N)
    "$@" >"$out/$name.$ext" 2>"$out/$name.stderr"
    rc=$?
    end=$(date +%s.%N)
    local wall
    wall=$(python3 -c "print(f'{$end - $start:.3f}')")
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$expected" "$rc" "$wall" "$*" >>"$out/cases.tsv"
    note "$name: exit $rc (expected $expected), ${wall}s: $*"
    [[ -s $out/$name.stderr ]] || rm -f "$out/$name.stderr"
}

environment() {
    note "environment"
    {
        nvidia-smi
        nvidia-smi --query-gpu=name,memory.total,clocks.max.memory,driver_version --format=csv
        sha256sum "$root"/samples/verify/verify.cu "$root"/samples/verify/framework_check.py
        nvcc --version
        cmake --version | head -1
        python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_arch_list())'
        nproc
    } >"$out/environment.txt" 2>&1
}

# The whole project when its dependencies can be found, else samples/verify alone.
build_with_cmake() {
    local prefix=()
    if [[ -n ${DEPS_DIR:-} ]]; then
        for deb in "$DEPS_DIR"/*.deb; do dpkg -x "$deb" "$work/deps"; done
        prefix=(-DCMAKE_PREFIX_PATH="$work/deps/usr")
    fi
    note "cmake: configure the project"
    if cmake -S "$root" -B "$work/build" -DCUDAGEN_WERROR=ON "${prefix[@]}" >"$out/cmake-configure.log" 2>&1; then
        echo "project" >"$out/cmake-mode.txt"
    else
        note "cmake: the project did not configure (see cmake-configure.log); configuring samples/verify alone"
        cmake -S "$root/samples/verify" -B "$work/build" -DCUDAGEN_WERROR=ON >>"$out/cmake-configure.log" 2>&1 || return 1
        echo "standalone samples/verify" >"$out/cmake-mode.txt"
    fi
    cmake --build "$work/build" --target cudagen-verify -j "$(nproc)" -- VERBOSE=1 >"$out/cmake-build.log" 2>&1
}

# Exactly the command every generated Dockerfile runs, with the given -gencode flags.
build_with_nvcc() {
    local name=$1
    shift
    note "nvcc: $name: $*"
    nvcc -O2 -std=c++17 --cudart static "$@" -o "$work/$name" "$root/samples/verify/verify.cu" -ldl \
        >"$out/nvcc-$name.log" 2>&1
}

# PyTorch's own device-to-device copy, timed like cudagen-verify times its own.
torch_d2d() {
    python3 - <<'EOF'
import json, torch
n = 512 << 20
a = torch.empty(n, dtype=torch.uint8, device="cuda")
b = torch.empty(n, dtype=torch.uint8, device="cuda")
b.copy_(a)
start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
start.record()
for _ in range(10):
    b.copy_(a)
stop.record()
stop.synchronize()
ms = start.elapsed_time(stop)
print(json.dumps({"bytes_per_copy": n, "copies": 10, "ms": ms, "d2d_gbps": 2 * n * 10 / (ms * 1e-3) / 1e9}))
EOF
}

# Runs a command in a private mount namespace where libcuda.so.1 reads as
# /dev/null: a container started without --gpus, made for real on this machine.
hide_driver() {
    local lib
    lib=$(python3 -c 'import ctypes; ctypes.CDLL("libcuda.so.1")
print(next(l.split()[-1] for l in open("/proc/self/maps") if "libcuda.so" in l))') || return 98
    unshare -m sh -c 'mount --bind /dev/null "$0" && exec "$@"' "$lib" "$@"
}

fake_cpu_torch() {
    mkdir -p "$work/fake/torch"
    cat >"$work/fake/torch/__init__.py" <<'EOF'
# A stand-in for a CPU-only PyTorch wheel: torch.version.cuda is None.
__version__ = "2.11.0+cpu"
class version:
    cuda = None
    hip = None
EOF
}

main() {
    : >"$out/cases.tsv"
    environment
    build_with_cmake || note "cmake build FAILED"
    local bin=$work/build/samples/verify/cudagen-verify
    [[ -x $bin ]] || bin=$work/build/cudagen-verify
    local script=$root/samples/verify/framework_check.py
    build_with_nvcc sm80_sass_only -gencode arch=compute_80,code=sm_80
    build_with_nvcc ptx80_only -gencode arch=compute_80,code=compute_80
    build_with_nvcc dockerfile_80_90ptx -gencode arch=compute_80,code=sm_80 -gencode "arch=compute_90,code=[sm_90,compute_90]"

    # All good, three times, each next to PyTorch's copy for the bandwidth comparison.
    for i in 1 2 3; do
        run_case "all_good_$i" 0 json "$bin" --json
        run_case "torch_d2d_$i" 0 json torch_d2d
    done
    run_case all_good_human 0 txt "$bin"
    run_case dockerfile_build 0 json "$work/dockerfile_80_90ptx" --json
    run_case sm80_sass_only 13 json "$work/sm80_sass_only" --json
    run_case ptx80_only_jit 0 json "$work/ptx80_only" --json
    run_case no_driver_hidden 10 json hide_driver "$bin" --json
    run_case no_driver_hidden_human 10 txt hide_driver "$bin"
    CUDA_VISIBLE_DEVICES="" run_case no_visible_device 12 json "$bin" --json
    CUDA_VISIBLE_DEVICES="" run_case no_visible_device_human 12 txt "$bin"

    # Framework: the machine's PyTorch, then the same with no GPU, then a CPU-only stub.
    for i in 1 2; do
        run_case "pytorch_all_good_$i" 0 json "$bin" --json --framework pytorch --framework-script "$script"
    done
    run_case pytorch_human 0 txt "$bin" --framework pytorch --framework-script "$script"
    CUDA_VISIBLE_DEVICES="" run_case framework_check_pytorch_no_gpu 1 json python3 "$script" --framework pytorch
    fake_cpu_torch
    PYTHONPATH=$work/fake run_case framework_check_pytorch_cpu_only 1 json python3 "$script" --framework pytorch
    PYTHONPATH=$work/fake run_case pytorch_cpu_only 15 json "$bin" --json --framework pytorch --framework-script "$script"
    CUDAGEN_VERIFY_FRAMEWORK=jax run_case jax_all_good 0 json "$bin" --json --framework-script "$script"

    # The wall time of the whole check, as the shell's `time` reports it.
    { time "$bin" --json >/dev/null; } 2>"$out/time_no_framework.txt"
    { time "$bin" --json --framework pytorch --framework-script "$script" >/dev/null; } 2>"$out/time_pytorch.txt"
    note "time: $(cat "$out/time_no_framework.txt")s without a framework, $(cat "$out/time_pytorch.txt")s with pytorch"

    note "ctest in the build folder"
    (cd "$work/build" && ctest -R verify_sample --output-on-failure) >"$out/ctest.log" 2>&1
    python3 "$root/samples/verify/proof_summary.py" "$out" | tee "$out/summary.md"
}

main
# $OUT returns at most 8 files: pack the folder.
tar -C "$(dirname "$out")" -czf "$(dirname "$out")/verify-runs.tar.gz" verify-runs && cp "$out/summary.md" "$(dirname "$out")/"
