# Shared by the scripts/bench_*.sh scripts (sourced, not run). The sourcing script sets
# k_bench_name (its name in messages) first.
: "${k_bench_name:?set by the script that sources this file}"
k_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly k_root

log() { printf '%s: %s\n' "$k_bench_name" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The cudagen binary of the first build folder that has one.
find_cudagen() {
    local candidate
    for candidate in "$k_root"/build/generator/cudagen "$k_root"/build*/generator/cudagen; do
        [[ -x $candidate ]] && { echo "$candidate"; return; }
    done
    die "no cudagen binary under $k_root/build*/generator; build it or pass --cudagen PATH"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
