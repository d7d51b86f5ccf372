#!/usr/bin/env bash
# Generation speed against the process floor and against hpc-container-maker
# (issue 15's figures; a benchmark, not a timed test). Prints:
#   1. callgrind instructions for one `cudagen generate` of a shipped profile,
#      and for `cudagen --version` (the process floor)
#   2. whole-process medians of the same two, runs alternated (wall and CPU)
#   3. instructions per additional profile at N profiles in one process
#   4. peak RSS at N/4, N/2 and N profiles (flat in the number of profiles)
#   5. N profiles in one cudagen process (its default jobs, and -j 1) against
#      hpc-container-maker writing the equivalent N recipes
#      (scripts/bench_hpccm_recipes.py) in one Python process, runs alternated
#      (wall and CPU), in three cases for both: into a new output folder;
#      again over the last output, nothing changed; over an output made from a
#      second set of profiles (another fastapi pin), so that every file
#      changes. neurodocker's one-recipe time for scale
# hpccm and neurodocker come from PyPI into a throwaway virtual environment
# (byte-compiled, as pip does). Outputs go to a tmpfs folder when /dev/shm exists.
# Usage: scripts/bench_generate_vs_peers.sh [path/to/cudagen]
#   (default: a Release build in build-bench)   N=2000 RUNS=11 to change the sizes
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${N:-2000}
RUNS=${RUNS:-11}
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
cudagen=${1:-}
if [[ -z $cudagen ]]; then
    cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DCUDAGEN_BUILD_TESTS=OFF >/dev/null
    cmake --build build-bench -j"$(nproc)" --target cudagen >/dev/null
    cudagen=build-bench/generator/cudagen
fi
cudagen=$(realpath "$cudagen")
tmp_root=/tmp
[[ -d /dev/shm && -w /dev/shm ]] && tmp_root=/dev/shm
work=$(mktemp -d "$tmp_root/cudagen-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The peers, from PyPI, in a virtual environment of their own.
venv=$work/peers
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check hpccm neurodocker >/dev/null
"$venv/bin/python" -m compileall -q scripts/bench_hpccm_recipes.py >/dev/null

# N profiles with the content of the hpccm recipes: a CUDA devel base, apt
# packages, pip packages, a CMake build of the cuda-cpp sample, multi-stage.
many=$work/many
mkdir -p "$many"
cp -r profiles/cuda-cpp/src "$many/src"
tar -czf "$many/saxpy.tar.gz" -C profiles/cuda-cpp src
for i in $(seq -f %04g 0 $((N - 1))); do
    cat >"$many/p$i.yaml" <<PROFILE
name: bench-$i
cuda: "13.0"
os: ubuntu24.04
gpu_archs: ["8.0", "9.0"]
runtime_flavor: base
apt_build: [cmake, make, g++]
apt: [libgl1]
pip:
  packages: ["fastapi==0.111.0", "uvicorn==0.30.1"]
build:
  copy: [{src: src/, dst: /src}]
  run:
    - cmake -S /src -B /src/build -DCMAKE_BUILD_TYPE=Release
    - cmake --build /src/build -j"\$(nproc)"
  artifacts: [{src: /src/build/saxpy, dst: /usr/local/bin/saxpy}]
app:
  entrypoint: [/usr/local/bin/saxpy]
PROFILE
done
# The second set: another fastapi pin of the same length, so every Dockerfile
# changes in one place (near its end) and keeps its size.
many2=$work/many2
mkdir -p "$many2"
cp -r "$many/src" "$many/saxpy.tar.gz" "$many2/"
for f in "$many"/p*.yaml; do sed 's/fastapi==0.111.0/fastapi==0.111.1/' "$f" >"$many2/${f##*/}"; done
profiles() { local n=$1; for ((i = 0; i < n; i++)); do printf '%s/p%04d.yaml ' "${2:-$many}" "$i"; done; }
"$cudagen" generate $(profiles 2) -o "$work/check" -q  # the bench profiles are valid

instructions() {  # instructions COMMAND...: callgrind's total for one run
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
shipped=profiles/fastapi-torch/cudagen.yaml
ins_version=$(instructions "$cudagen" --version)
ins_one=$(instructions "$cudagen" generate "$shipped" -o "$work/one" -q)
ins_cpp=$(instructions "$cudagen" generate profiles/cuda-cpp/cudagen.yaml -o "$work/cpp" -q)
# One job: callgrind runs threads one at a time, and the per-profile figure is the work itself.
ins_1=$(instructions "$cudagen" generate $(profiles 1) -o "$work/o1" -q -j 1)
ins_n=$(instructions "$cudagen" generate $(profiles "$N") -o "$work/on" -q -j 1)
rm -rf "$work"/o1 "$work"/on

# Runs COMMAND lines alternately RUNS times; per line: median wall ms, median
# CPU (user+sys) ms, peak RSS KiB. A line "PREPARE ::: COMMAND" runs PREPARE
# first, untimed. One line of Python, so no tool but python3.
# The lines go to Python in files: one line may be longer than an argument may be.
alternate() {
    local files=() line
    for line in "$@"; do
        files+=("$(mktemp "$work/line.XXXXXX")")
        printf '%s' "$line" >"${files[-1]}"
    done
    python3 - "$RUNS" "${files[@]}" <<'PY'
import os, statistics, subprocess, sys, time
runs, lines = int(sys.argv[1]), [open(path).read() for path in sys.argv[2:]]
prepares = [line.split(" ::: ")[0] if " ::: " in line else None for line in lines]
commands = [line.split(" ::: ")[-1] for line in lines]
wall = [[] for _ in commands]; cpu = [[] for _ in commands]; rss = [0 for _ in commands]
for _ in range(runs):
    for i, command in enumerate(commands):
        if prepares[i]:
            subprocess.run(prepares[i], shell=True, check=True, stdout=subprocess.DEVNULL)
        start = time.perf_counter()
        proc = subprocess.Popen(command, shell=True, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall[i].append((time.perf_counter() - start) * 1000)
        if status != 0:
            sys.exit("failed: " + command)
        cpu[i].append((usage.ru_utime + usage.ru_stime) * 1000)
        rss[i] = max(rss[i], usage.ru_maxrss)
for i in range(len(commands)):
    print("%.2f %.2f %d" % (statistics.median(wall[i]), statistics.median(cpu[i]), rss[i]))
PY
}
# The shell starts each command with exec, so what is measured is the command alone.
read -r w_version c_version _ w_one c_one _ < <(alternate \
    "exec $cudagen --version" "exec $cudagen generate $shipped -o $work/one -q" | tr '\n' ' '; echo)
read -r _ _ rss_q _ _ rss_h _ _ rss_n < <(RUNS=3 alternate \
    "exec $cudagen generate $(profiles $((N / 4))) -o $work/q -q" \
    "exec $cudagen generate $(profiles $((N / 2))) -o $work/h -q" \
    "exec $cudagen generate $(profiles "$N") -o $work/n -q" | tr '\n' ' '; echo)
# cudagen with its default jobs (the cores it may use) and with -j 1 (one profile at a time).
hpccm_run() { echo "cd $many && exec $venv/bin/python $PWD/scripts/bench_hpccm_recipes.py $N $1 ${2:-}"; }
read -r w_cg c_cg _ w_c1 c_c1 _ w_hp c_hp _ w_nd c_nd _ < <(alternate \
    "exec $cudagen generate $(profiles "$N") -o $work/n -q" \
    "exec $cudagen generate $(profiles "$N") -o $work/n1 -q -j 1" \
    "$(hpccm_run "$work/hpccm")" \
    "exec $venv/bin/neurodocker generate docker --pkg-manager apt --base-image nvidia/cuda:13.0.2-devel-ubuntu24.04 --install libgl1 cmake --yes >/dev/null" |
    tr '\n' ' '; echo)
# Into a new folder, and over an output of the second set (every file changes).
read -r w_cf c_cf _ w_hf c_hf _ w_cc c_cc _ w_hc c_hc _ < <(alternate \
    "rm -rf $work/f ::: exec $cudagen generate $(profiles "$N") -o $work/f -q" \
    "rm -rf $work/hpccm-f ::: $(hpccm_run "$work/hpccm-f")" \
    "$cudagen generate $(profiles "$N" "$many2") -o $work/c -q ::: exec $cudagen generate $(profiles "$N") -o $work/c -q" \
    "$(hpccm_run "$work/hpccm-c" 0.111.1) ::: $(hpccm_run "$work/hpccm-c")" |
    tr '\n' ' '; echo)

per_profile=$(( (ins_n - ins_1) / (N - 1) ))
ratio() { python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
mi() { python3 -c "import sys; print('%.2f M' % (int(sys.argv[1]) / 1e6))" "$1"; }
echo "| benchmark | result | target |"
echo "|---|---|---|"
echo "| \`cudagen generate\` of profiles/fastapi-torch, instructions (callgrind) | $(mi "$ins_one") | <= 5 M |"
echo "| \`cudagen generate\` of profiles/cuda-cpp, instructions | $(mi "$ins_cpp") | |"
echo "| \`cudagen --version\` (process floor), instructions | $(mi "$ins_version") | |"
echo "| generate fastapi-torch vs \`--version\`, whole-process median (wall; CPU) | ${w_one} vs ${w_version} ms; ${c_one} vs ${c_version} ms | within 1 ms |"
echo "| instructions per additional profile at $N profiles | $(mi "$per_profile") | <= 0.6 M |"
echo "| peak RSS at $((N / 4)) / $((N / 2)) / $N profiles | $((rss_q / 1024)) / $((rss_h / 1024)) / $((rss_n / 1024)) MiB | flat |"
echo "| $N profiles in one process, again over the last output, nothing changed: cudagen vs hpccm (median wall) | ${w_cg} vs ${w_hp} ms: $(ratio "$w_hp" "$w_cg")x | >= 4x |"
echo "| $N profiles in one process, again over the last output, nothing changed: cudagen vs hpccm (median CPU) | ${c_cg} vs ${c_hp} ms: $(ratio "$c_hp" "$c_cg")x | |"
echo "| $N profiles in one process into a new folder: cudagen vs hpccm (median wall; CPU) | ${w_cf} vs ${w_hf} ms: $(ratio "$w_hf" "$w_cf")x; ${c_cf} vs ${c_hf} ms: $(ratio "$c_hf" "$c_cf")x | >= 4x |"
echo "| $N profiles in one process over the second set's output, every file changed: cudagen vs hpccm (median wall; CPU) | ${w_cc} vs ${w_hc} ms: $(ratio "$w_hc" "$w_cc")x; ${c_cc} vs ${c_hc} ms: $(ratio "$c_hc" "$c_cc")x | |"
echo "| $N profiles in one process, again over the last output, nothing changed: cudagen -j 1 vs hpccm (median wall; CPU) | ${w_c1} vs ${w_hp} ms: $(ratio "$w_hp" "$w_c1")x; ${c_c1} vs ${c_hp} ms: $(ratio "$c_hp" "$c_c1")x | |"
echo "| neurodocker, one recipe (median wall; CPU) | ${w_nd} ms; ${c_nd} ms | |"
echo
echo "$RUNS alternated runs each; outputs in $tmp_root; $(nproc) cores (cudagen's default -j here: $(nproc)), $(uname -m);" \
    "$("$cudagen" --version); hpccm $("$venv/bin/pip" show hpccm | sed -n 's/^Version: //p');" \
    "neurodocker $("$venv/bin/pip" show neurodocker | sed -n 's/^Version: //p'); $(python3 --version)"
