#!/usr/bin/env bash
# Build speed side by side: cudagen, hpc-container-maker (hpccm) and neurodocker
# generate Dockerfiles for the same CUDA C++ program (profiles/cuda-cpp), the same
# FastAPI service (profiles/service-lite) and the same PyTorch service
# (profiles/torch-service: torch and torchvision from PyPI), all on the STAND-IN nvidia/cuda
# bases (scripts/make_standins.sh); the script builds each and prints a Markdown
# table of medians with the ratio cudagen / fastest peer (below 1: cudagen faster).
#
#   cold          docker buildx build --no-cache, and cudagen's cache mounts given
#                 ids of their own for the round (nothing from an earlier build)
#   dep change    the rebuild after one dependency is added: apt zlib1g-dev to the
#                 program, pip requests==2.32.3 to the services
#   app change    the rebuild after a one-line change to the source (saxpy.cu, main.py),
#                 done --app-repeats times in a row (each a new change; sub-second
#                 rebuilds need several samples on a shared machine)
#   runtime MB    the size of the image each one ships
#
# Rounds alternate the tools (the order rotates each round). Every round marks its
# Dockerfiles (an ENV after each FROM) so that no build reuses an earlier round's
# layers; only layer cache and cache mounts of its own round count. The peers come
# from PyPI into a throwaway virtual environment; their recipes are in
# scripts/bench_peers/ (written for this comparison, the way each tool's docs build
# a multi-stage image). All three are built with the same `docker buildx build`
# (cudagen's through its generated Dockerfile, not `cudagen build`, so that bake and
# verify add nothing). Removes the images it tags; leaves the shared build cache alone
# (the round's cache mounts stay in it: docker buildx du lists them), except after
# each framework build: a torch image and its layers take about 15 GB, so the
# image is removed at once and BuildKit's cache trimmed to 10 GB.
#
# Usage: scripts/bench_build_vs_peers.sh [--rounds N] [--app-repeats N] [--cudagen PATH]
#                                        [--kinds "cuda-cpp service framework"] [--keep]
#   default: 3 rounds, 3 app repeats, all three kinds, the first of build*/generator/cudagen
#   --keep   keep the work folder (Dockerfiles and --progress=plain build logs)
set -euo pipefail

readonly k_bench_name=bench_build_vs_peers
# shellcheck source=scripts/bench_common.bash
source "$(dirname "${BASH_SOURCE[0]}")/bench_common.bash"
readonly k_registry=cudagen-standin
readonly k_tools=(cudagen hpccm neurodocker)
readonly k_tag_repo=cudagen-bench-peers

profile_dir() {
    case $1 in
        service) echo "$k_root/profiles/service-lite" ;;
        framework) echo "$k_root/profiles/torch-service" ;;
        *) echo "$k_root/profiles/cuda-cpp" ;;
    esac
}
app_file() { [[ $1 == cuda-cpp ]] && echo src/saxpy.cu || echo app/main.py; }
# The framework service's own packages: inline in cudagen's profile, a requirements
# file for the peers (written into each context, the same two pins).
readonly k_framework_requirements=$'fastapi==0.111.0\nuvicorn==0.30.1'


setup_peers() {
    log "installing hpccm and neurodocker from PyPI into a throwaway virtual environment"
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install --quiet --disable-pip-version-check hpccm neurodocker
    PEER_VERSIONS=$("$WORK/venv/bin/pip" list --disable-pip-version-check 2>/dev/null |
        awk '$1 == "hpccm" || $1 == "neurodocker" {printf "%s%s %s", sep, $1, $2; sep = ", "}')
}

# generate TOOL KIND CTX DEP_CHANGED: writes CTX/../Dockerfile.TOOL for the context CTX.
generate() {
    local tool=$1 kind=$2 ctx=$3 dep=$4 out extra=""
    out="$ctx.Dockerfile"
    [[ $kind == cuda-cpp && $dep == 1 ]] && extra=zlib1g-dev
    case $tool in
        cudagen)
            "$CUDAGEN" generate "$ctx/cudagen.yaml" --base-registry "$k_registry" -o "$ctx.out" >/dev/null
            cp "$ctx.out/Dockerfile" "$out"
            ;;
        hpccm)
            local recipe=hpccm_service.py framework=""
            [[ $kind == cuda-cpp ]] && recipe=hpccm_cuda_cpp.py
            [[ $kind == framework ]] && framework=1
            "$WORK/venv/bin/hpccm" --recipe "$k_root/scripts/bench_peers/$recipe" \
                --userarg registry="$k_registry" extra_apt="$extra" framework="$framework" >"$out"
            ;;
        neurodocker)
            "$WORK/venv/bin/python" "$k_root/scripts/bench_peers/neurodocker_recipes.py" \
                "$kind" "$k_registry" "$extra" >"$out"
            ;;
    esac
    # The round's mark after each FROM, and its own ids for cudagen's cache mounts.
    python3 - "$out" "$ROUND_ID" <<'PY'
import re, sys
path, nonce = sys.argv[1], sys.argv[2]
out = []
for line in open(path).read().splitlines():
    line = re.sub(r"--mount=type=cache,id=([^,\s]+)", rf"--mount=type=cache,id=\1-{nonce}", line)
    line = re.sub(r"--mount=type=cache,target=([^,\s]+)", rf"--mount=type=cache,id={nonce}\1,target=\1", line)
    out.append(line)
    if re.match(r"FROM\s", line, re.I):
        out.append(f"ENV CUDAGEN_BENCH_ROUND={nonce}")
open(path, "w").write("\n".join(out) + "\n")
PY
}

# build TOOL KIND CTX LOG [ARGS...]: prints the wall time in ms. The image is the
# stage that ships: cudagen's "runtime", the peers' last stage.
build() {
    local tool=$1 kind=$2 ctx=$3 log_file=$4 start target=()
    shift 4
    grep -q '^FROM .* AS runtime$' "$ctx.Dockerfile" && target=(--target runtime)
    start=$(now_ms)
    docker buildx build --progress=plain "${target[@]}" -f "$ctx.Dockerfile" \
        -t "$k_tag_repo/$tool-$kind:latest" "$@" "$ctx" >"$log_file" 2>&1 ||
        { tail -n 20 "$log_file" | cut -c1-300 >&2; die "$tool $kind build failed (log: $log_file)"; }
    echo $(($(now_ms) - start))
}

add_dependency() {
    local tool=$1 kind=$2 ctx=$3
    if [[ $kind == framework && $tool == cudagen ]]; then
        sed -i 's/^\(  packages: \[.*\)\]$/\1, "requests==2.32.3"]/' "$ctx/cudagen.yaml"
        grep -q 'requests==2.32.3' "$ctx/cudagen.yaml" || die "could not add requests to $ctx/cudagen.yaml"
    elif [[ $kind != cuda-cpp ]]; then
        echo "requests==2.32.3" >>"$ctx/requirements.txt"
    elif [[ $tool == cudagen ]]; then
        sed -i 's/^apt_build: \[\(.*\)\]$/apt_build: [\1, zlib1g-dev]/' "$ctx/cudagen.yaml"
        grep -q 'zlib1g-dev' "$ctx/cudagen.yaml" || die "could not add zlib1g-dev to $ctx/cudagen.yaml"
    fi
}

change_app() {
    local kind=$1 ctx=$2 comment='//'
    [[ $kind != cuda-cpp ]] && comment='#'
    printf '\n%s changed by bench_build_vs_peers.sh (%s %s)\n' "$comment" "$ROUND_ID" "$(date +%s%N)" >>"$ctx/$(app_file "$kind")"
}

record() { printf '%s %s %s %s\n' "$1" "$2" "$3" "$4" >>"$WORK/results"; }

bench_one() {
    local tool=$1 kind=$2 round=$3 ctx ms
    ctx="$WORK/r$round/$tool-$kind"
    mkdir -p "$WORK/r$round"
    cp -r "$(profile_dir "$kind")" "$ctx"
    [[ $kind == framework && $tool != cudagen ]] && echo "$k_framework_requirements" >"$ctx/requirements.txt"
    generate "$tool" "$kind" "$ctx" 0
    ms=$(build "$tool" "$kind" "$ctx" "$ctx.cold.log" --no-cache)
    record "$kind" cold "$tool" "$ms"
    add_dependency "$tool" "$kind" "$ctx"
    generate "$tool" "$kind" "$ctx" 1
    ms=$(build "$tool" "$kind" "$ctx" "$ctx.dep.log")
    record "$kind" dep "$tool" "$ms"
    local repeat
    for ((repeat = 0; repeat < APP_REPEATS; repeat++)); do
        change_app "$kind" "$ctx"
        ms=$(build "$tool" "$kind" "$ctx" "$ctx.app.log")
        record "$kind" app "$tool" "$ms"
    done
    record "$kind" size "$tool" "$(docker image inspect --format '{{.Size}}' "$k_tag_repo/$tool-$kind:latest")"
    log "round $round $kind $tool: $(grep " $tool " "$WORK/results" | grep "^$kind " | tail -n $((APP_REPEATS + 3)) | awk '{printf "%s %s  ", $2, $4}')"
    if [[ $kind == framework ]]; then
        docker image rm -f "$k_tag_repo/$tool-$kind:latest" >/dev/null 2>&1 || true
        docker builder prune -f --keep-storage 10GB >/dev/null
    fi
}

report() {
    python3 - "$WORK/results" "$ROUNDS" "$APP_REPEATS" <<'PY'
import statistics, sys
from collections import defaultdict
rows = defaultdict(list)
for line in open(sys.argv[1]):
    kind, what, tool, value = line.split()
    rows[(kind, what, tool)].append(int(value))
tools = ["cudagen", "hpccm", "neurodocker"]
names = {"cold": "cold build s", "dep": "dependency added, rebuild s", "app": "app source changed, rebuild s",
         "size": "runtime image MB"}
deps = {"cuda-cpp": "apt zlib1g-dev", "service": "pip requests", "framework": "pip requests"}
print("| build | " + " | ".join(tools) + " | cudagen / fastest peer |")
print("|---|" + "---:|" * (len(tools) + 1))
for kind in ["cuda-cpp", "service", "framework"]:
    for what in ["cold", "dep", "app", "size"]:
        med = {}
        for t in tools:
            v = rows.get((kind, what, t))
            if v:
                med[t] = statistics.median(v) / (1e6 if what == "size" else 1e3)
        if len(med) < len(tools):
            continue
        best = min(med[t] for t in tools[1:])
        label = names[what] + (f" ({deps[kind]})" if what == "dep" else "")
        fmt = "{:.0f}" if what == "size" else "{:.1f}"
        cells = " | ".join(fmt.format(med[t]) for t in tools)
        print(f"| {kind}: {label} | {cells} | {med['cudagen'] / best:.2f} |")
print()
done = max(len(v) for (kind, what, tool), v in rows.items() if what == "cold")
print(f"Medians of {done} alternating round(s) of {sys.argv[2]}; the app change rebuilt {sys.argv[3]} times per round.")
PY
}

cleanup() {
    local tool kind
    for tool in "${k_tools[@]}"; do
        for kind in cuda-cpp service framework; do docker image rm -f "$k_tag_repo/$tool-$kind:latest" >/dev/null 2>&1 || true; done
    done
    if ((KEEP)); then log "build logs and Dockerfiles kept in $WORK"; else rm -rf "$WORK"; fi
}

main() {
    CUDAGEN=""
    ROUNDS=3
    APP_REPEATS=3
    KEEP=0
    local kinds=(cuda-cpp service framework)
    while (($#)); do
        case $1 in
            --rounds) ROUNDS=$2; shift ;;
            --app-repeats) APP_REPEATS=$2; shift ;;
            --cudagen) CUDAGEN=$2; shift ;;
            --kinds) read -r -a kinds <<<"$2"; shift ;;
            --keep) KEEP=1 ;;
            -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
            *) die "unknown argument '$1'" ;;
        esac
        shift
    done
    [[ -n $CUDAGEN ]] || CUDAGEN=$(find_cudagen)
    log "preparing Docker and the stand-ins"
    "$k_root/scripts/make_standins.sh" 13.0.2-devel-ubuntu24.04 13.0.2-base-ubuntu24.04 >/dev/null
    WORK=$(mktemp -d /tmp/cudagen-bench-peers.XXXXXX)
    trap cleanup EXIT
    trap interrupted INT TERM
    setup_peers
    local round kind i tool
    for ((round = 1; round <= ROUNDS; round++)); do
        for kind in "${kinds[@]}"; do
            for ((i = 0; i < ${#k_tools[@]}; i++)); do
                tool=${k_tools[$(((i + round - 1) % ${#k_tools[@]}))]}
                ROUND_ID="r${round}-$(date +%s%N)"
                bench_one "$tool" "$kind" "$round"
            done
        done
    done
    report
    footer
}

footer() {
    echo "$("$CUDAGEN" --version 2>/dev/null | head -n 1), $PEER_VERSIONS; stand-in bases (Debian 12 + local CUDA);" \
        "Docker $(docker version --format '{{.Server.Version}}'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end, $(date -u +%Y-%m-%d)."
}

# Stopped early (Ctrl-C): the table of the builds done so far.
interrupted() {
    trap - INT TERM
    log "stopped: the table of the builds done so far"
    [[ -s $WORK/results ]] && { report; footer; }
    exit 130
}

main "$@"
