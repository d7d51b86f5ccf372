# Shared by the docker_*.sh integration scripts (sourced after lib.sh; not a test
# itself: ctest registers only docker_*.sh). Builds use STAND-INS for nvidia/cuda
# (scripts/make_standins.sh: Debian 12 + this machine's CUDA toolkit), generated
# with --base-registry cudagen-standin, because no registry is reachable here.
readonly k_standin_registry=cudagen-standin
# The stand-in tags a script needs; a script may set its own before ensure_standins.
k_standin_tags=(13.0.2-devel-ubuntu24.04 13.0.2-base-ubuntu24.04 13.0.2-runtime-ubuntu24.04)
# Tags this script creates, removed on exit; the stand-ins themselves are kept.
IT_TAG_PREFIX="cudagen-it-$$"
IT_IMAGES=()
IT_CONTAINERS=()

cleanup_docker() {
    local c i
    for c in "${IT_CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
    for i in "${IT_IMAGES[@]}"; do docker image rm -f "$i" >/dev/null 2>&1 || true; done
    rm -rf "$WORK"
}
trap cleanup_docker EXIT

# Docker engine + buildx and the stand-in bases, installed and started when missing
# (both scripts are idempotent and quick once done). Arguments go to make_standins.sh.
# shellcheck disable=SC2120  # most callers need no arguments
ensure_standins() {
    [[ $(id -u) -eq 0 ]] || skip "needs root: it installs and starts Docker and builds stand-in images"
    [[ -x /usr/local/cuda/bin/nvcc ]] ||
        skip "no CUDA toolkit at /usr/local/cuda: the stand-in nvidia/cuda images are made from it"
    bash "$ROOT/scripts/setup_docker.sh" --no-smoke >"$WORK/setup_docker.log" 2>&1 ||
        { tail -n 30 "$WORK/setup_docker.log" >&2; fail "scripts/setup_docker.sh failed"; }
    bash "$ROOT/scripts/make_standins.sh" "$@" "${k_standin_tags[@]}" >"$WORK/standins.log" 2>&1 ||
        { tail -n 30 "$WORK/standins.log" >&2; fail "scripts/make_standins.sh failed"; }
}

# A copy of a shipped profile folder in $WORK, safe to modify.
copy_profile() {
    mkdir -p "$WORK/profiles"
    cp -r "$ROOT/profiles/$1" "$WORK/profiles/$1"
    echo "$WORK/profiles/$1"
}

# The tag this script gives a target (unique per run, so runs never collide).
it_tag() { echo "$IT_TAG_PREFIX/$1:${IT_VARIANT:-it}"; }

# cudagen build PROFILE_DIR... with stand-ins, unique tags and a plain log in $WORK/NAME.log.
# Extra bake arguments come after a literal --: it_build NAME DIR... [-- ARGS...]
it_build() {
    local name=$1; shift
    local dirs=() extra=() target
    while (($#)) && [[ $1 != -- ]]; do dirs+=("$1"); shift; done
    (($#)) && shift
    extra=("$@")
    local sets=() profiles=()
    for dir in "${dirs[@]}"; do
        target=$(sed -n 's/^name: *//p' "$dir/cudagen.yaml")
        profiles+=("$dir/cudagen.yaml")
        sets+=(--set "$target.tags=$(it_tag "$target")")
        IT_IMAGES+=("$(it_tag "$target")")
    done
    local start rc=0
    start=$(date +%s%N)
    "$CUDAGEN" build "${profiles[@]}" --base-registry "$k_standin_registry" -o "$WORK/out-$name" \
        -- "${sets[@]}" "${extra[@]}" >"$WORK/$name.log" 2>&1 || rc=$?
    # shellcheck disable=SC2034  # read by the scripts that source this file
    BUILD_MS=$((($(date +%s%N) - start) / 1000000))
    return $rc
}

# One line per build step of a plain-progress bake log, in Dockerfile order:
#   CACHED|BUILT|FAILED|CANCELED <target> <stage> <k>/<n> <instruction>
# BuildKit prints "#7 [svc devel 2/6] RUN ..." when a step starts ("[devel 2/6]" when
# bake builds a single target: the target is then "-") and "#7 CACHED" when its result
# came from the cache ("#7 ERROR: ..." when it failed, "#7 CANCELED" when another
# step's failure stopped it). FROM steps are left out: base images are pulled, not built.
step_report() {
    python3 - "$1" <<'PY'
import re, sys
steps, ended = {}, {}
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"^#(\d+) \[(?:(\S+) )?(\S+) (\d+)/(\d+)\] (.*)$", line.rstrip("\n"))
    if m and not m[6].startswith("FROM "):
        steps.setdefault(m[1], (m[2] or "-", m[3], int(m[4]), int(m[5]), m[6]))
    elif re.match(r"^#\d+ (CACHED|ERROR|CANCELED)", line):
        step_id, word = line.split()[:2]
        ended[step_id[1:]] = {"CACHED": "CACHED", "ERROR:": "FAILED", "CANCELED": "CANCELED"}.get(word, "FAILED")
order = sorted(steps.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[1][2]))
for step_id, (target, stage, k, n, instruction) in order:
    state = ended.get(step_id, "BUILT")
    # The embedded verify sources are long base64 runs: keep the words around them.
    instruction = re.sub(r"[A-Za-z0-9+/=]{60,}", "<base64>", instruction)
    print(f"{state} {target} {stage} {k}/{n} {instruction[:600]}")
PY
}

image_bytes() { docker image inspect --format '{{.Size}}' "$1"; }

# A cuobjdump for reading the GPU code in built binaries: the toolkit's, else
# the one from PyPI (nvidia-cuda-cuobjdump; the stand-in toolkit has none) in a
# venv under $WORK. Prints its path; skips the test when neither is available.
cuobjdump_path() {
    if [[ -x /usr/local/cuda/bin/cuobjdump ]]; then
        echo /usr/local/cuda/bin/cuobjdump
        return
    fi
    python3 -m venv "$WORK/cuobjdump-venv" >/dev/null 2>&1 &&
        "$WORK/cuobjdump-venv/bin/pip" install -q nvidia-cuda-cuobjdump==13.2.51 >"$WORK/cuobjdump-pip.log" 2>&1 ||
        skip "no cuobjdump: not in /usr/local/cuda/bin and pip could not install nvidia-cuda-cuobjdump"
    find "$WORK/cuobjdump-venv" -name cuobjdump -type f | head -n 1
}
