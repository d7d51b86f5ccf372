#!/usr/bin/env bash
# Measures real builds of `cudagen build` on the STAND-IN nvidia/cuda bases
# (scripts/make_standins.sh; not NVIDIA's images) and prints a Markdown table:
#
#   cold build s     cudagen build ... -- --no-cache (BuildKit's layer cache unused)
#   warm rebuild s   the same after a one-line change to the app source
#   layers reused    steps of the warm rebuild that BuildKit reported CACHED / all steps
#   runtime MB       the runtime image (bake target `runtime`)
#   devel MB         the same app built single-stage on the devel image (target `devel`)
#
# Usage: scripts/bench_build.sh [--cudagen PATH] [PROFILE_DIR...]
#   default profiles: profiles/cuda-cpp profiles/service-lite
#   default cudagen:  the first of build*/generator/cudagen
# Works on copies of the profile folders; removes the images it tags.
set -euo pipefail

readonly k_bench_name=bench_build
# shellcheck source=scripts/bench_common.bash
source "$(dirname "${BASH_SOURCE[0]}")/bench_common.bash"
readonly k_tag_repo=cudagen-bench

seconds() { printf '%d.%d' $(($1 / 1000)) $((($1 % 1000) / 100)); }
profile_name() { sed -n 's/^name: *//p' "$1/cudagen.yaml"; }

# The file a developer edits: the first file under app/ (copied) or src/ (compiled).
app_source() {
    local dir=$1 sub
    for sub in app src; do
        [[ -d $dir/$sub ]] || continue
        find "$dir/$sub" -type f \( -name '*.py' -o -name '*.cu' -o -name '*.cpp' \) | LC_ALL=C sort | head -n 1
        return
    done
}

touch_source() {
    local file=$1 comment='//'
    [[ $file == *.py ]] && comment='#'
    printf '\n%s changed by bench_build.sh at %s\n' "$comment" "$(date +%s%N)" >>"$file"
}

# bake NAME DIR LOG [BAKE ARGS...]: one cudagen build; prints its wall time in ms.
bake() {
    local name=$1 dir=$2 log_file=$3
    shift 3
    local start
    start=$(now_ms)
    "$CUDAGEN" build "$dir/cudagen.yaml" --base-registry cudagen-standin --no-verify -o "$WORK/out-$name" \
        -- "$@" >"$log_file" 2>&1 || { tail -n 30 "$log_file" | cut -c1-300 >&2; die "cudagen build of $name failed (log: $log_file)"; }
    echo $(($(now_ms) - start))
}

# "reused total" steps of a plain-progress log.
step_counts() {
    python3 - "$1" <<'PY'
import re, sys
steps, cached = set(), set()
for line in open(sys.argv[1], errors="replace"):
    # "[target stage k/n]", or "[stage k/n]" for one target; FROM steps are not built.
    if re.match(r"^#\d+ \[(\S+ )?\S+ \d+/\d+\] (?!FROM )", line):
        steps.add(line.split()[0])
    elif re.match(r"^#\d+ CACHED", line):
        cached.add(line.split()[0])
print(len(steps & cached), len(steps))
PY
}

image_mb() { echo $(($(docker image inspect --format '{{.Size}}' "$1") / 1000000)); }
ratio() { python3 -c "import sys; print(f'{int(sys.argv[1]) / int(sys.argv[2]):.0%}')" "$1" "$2"; }

bench_profile() {
    local src=$1 name dir cold warm reused total runtime devel file
    name=$(profile_name "$src")
    dir="$WORK/profiles/$name"
    mkdir -p "$WORK/profiles"
    cp -r "$src" "$dir"
    TAGS+=("$k_tag_repo/$name:runtime" "$k_tag_repo/$name:devel")
    log "$name: cold build (--no-cache)"
    cold=$(bake "$name" "$dir" "$WORK/$name-cold.log" --set "$name.tags=$k_tag_repo/$name:runtime" --no-cache)
    file=$(app_source "$dir")
    [[ -n $file ]] || die "$name has no app/ or src/ file to change"
    touch_source "$file"
    log "$name: warm rebuild after changing ${file#"$dir/"}"
    warm=$(bake "$name" "$dir" "$WORK/$name-warm.log" --set "$name.tags=$k_tag_repo/$name:runtime")
    read -r reused total <<<"$(step_counts "$WORK/$name-warm.log")"
    log "$name: single-stage build (target devel)"
    bake "$name" "$dir" "$WORK/$name-devel.log" --set "$name.tags=$k_tag_repo/$name:devel" --set "$name.target=devel" >/dev/null
    runtime=$(image_mb "$k_tag_repo/$name:runtime")
    devel=$(image_mb "$k_tag_repo/$name:devel")
    ROWS+=("| $name | $(seconds "$cold") | $(seconds "$warm") | $(ratio "$warm" "$cold") | $runtime | $devel | $(ratio "$runtime" "$devel") | $reused/$total |")
}

cleanup() {
    local tag
    for tag in "${TAGS[@]}"; do docker image rm -f "$tag" >/dev/null 2>&1 || true; done
    rm -rf "$WORK"
}

main() {
    CUDAGEN=""
    local profiles=()
    while (($#)); do
        case $1 in
            --cudagen) CUDAGEN=$2; shift ;;
            -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
            -*) die "unknown option '$1'" ;;
            *) profiles+=("$(cd "$1" && pwd)") ;;
        esac
        shift
    done
    [[ -n $CUDAGEN ]] || CUDAGEN=$(find_cudagen)
    ((${#profiles[@]})) || profiles=("$k_root/profiles/cuda-cpp" "$k_root/profiles/service-lite")
    log "preparing Docker and the stand-ins"
    "$k_root/scripts/make_standins.sh" 13.0.2-devel-ubuntu24.04 13.0.2-base-ubuntu24.04 13.0.2-runtime-ubuntu24.04 >/dev/null
    WORK=$(mktemp -d /tmp/cudagen-bench.XXXXXX)
    TAGS=()
    ROWS=()
    trap cleanup EXIT
    local profile
    for profile in "${profiles[@]}"; do bench_profile "$profile"; done
    echo "| profile | cold build s | warm rebuild s | warm/cold | runtime image MB | single-stage devel MB | runtime/devel | layers reused/total |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Stand-in bases (Debian 12 + local CUDA $(/usr/local/cuda/bin/nvcc --version | sed -n 's/.*release \([0-9.]*\),.*/\1/p')), Docker $(docker version --format '{{.Server.Version}}'), $(nproc) cores, $(date -u +%Y-%m-%d)."
}

main "$@"
