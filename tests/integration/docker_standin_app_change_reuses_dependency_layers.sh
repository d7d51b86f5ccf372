# Cache: after a change to the app source only, the rebuild takes every dependency
# layer from the cache (BuildKit prints CACHED for each) and rebuilds only from the
# step that copies the source; for the service it also takes at most 10% of the
# cold build's time (cold: --no-cache). cuda-cpp compiles its app, so its source
# change necessarily reruns the compile: there the layers are checked, the time is
# printed (scripts/bench_build.sh tabulates it). Profiles are COPIES, on STAND-INs.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
readonly k_max_percent=10

# Every step before the first rebuilt one in each stage was CACHED, the first rebuilt
# step copies $2 (the changed source), and the devel stage is untouched when $3=runtime.
check_rebuild() {
    local report=$1 source=$2 name=$3
    step_report "$WORK/$name.log" >"$report"
    cat "$report"
    python3 - "$report" "$source" <<'PY' || fail "$name: a dependency layer was rebuilt after an app-source change"
import sys
source = sys.argv[2]
rows = [line.split(" ", 4) for line in open(sys.argv[1]).read().splitlines()]
assert rows, "no build steps in the log"
# Something must have been rebuilt: a rebuild that reused everything did not see the change.
assert any(r[0] == "BUILT" and r[4].startswith("COPY") and source in r[4] for r in rows), \
    f"the source COPY ({source}) was not rebuilt: the change did not reach the build"
for stage in sorted({(r[1], r[2]) for r in rows}):
    steps = [r for r in rows if (r[1], r[2]) == stage]
    built = [r for r in steps if r[0] == "BUILT"]
    if not built:
        continue
    first = built[0]
    before = steps[: steps.index(first)]
    assert all(r[0] == "CACHED" for r in before), before
    assert first[4].startswith("COPY") and source in first[4], f"first rebuilt step is not the source COPY: {first}"
PY
}

run_case() {
    local profile=$1 source=$2 file=$3
    local dir
    dir=$(copy_profile "$profile")
    it_build "$profile-cold" "$dir" -- --no-cache || { tail -n 40 "$WORK/$profile-cold.log" >&2; fail "cold build failed"; }
    COLD_MS=$BUILD_MS
    # Unique per run: an earlier run's identical change would be in BuildKit's cache.
    printf '\n// changed by %s at %s\n' "$(basename "$0")" "$(date +%s%N)" >>"$dir/$file"
    [[ $file == *.py ]] && sed -i 's|^// changed|# changed|' "$dir/$file"
    it_build "$profile-warm" "$dir" || { tail -n 40 "$WORK/$profile-warm.log" >&2; fail "warm rebuild failed"; }
    WARM_MS=$BUILD_MS
    check_rebuild "$WORK/$profile.steps" "$source" "$profile-warm"
    local reused total
    reused=$(grep -c '^CACHED' "$WORK/$profile.steps" || true)
    total=$(wc -l <"$WORK/$profile.steps")
    echo "$profile: cold ${COLD_MS} ms, warm ${WARM_MS} ms ($((100 * WARM_MS / COLD_MS))%), $reused/$total steps from the cache"
}

run_case service-lite app/ app/main.py
((WARM_MS * 100 <= COLD_MS * k_max_percent)) ||
    fail "service-lite rebuild took $((100 * WARM_MS / COLD_MS))% of the cold build (limit $k_max_percent%)"
grep -q '^CACHED - devel .* pip install .*-r /tmp/cudagen/deps/requirements.txt' "$WORK/service-lite.steps" || fail "the requirements install (uv pip install) was not CACHED"
# The app COPY is the only step rebuilt (WORKDIR comes before it), and the working
# directory still belongs to the app's user, as when the COPY --chown created it.
built=$(grep -c '^BUILT' "$WORK/service-lite.steps" || true)
((built == 1)) || fail "service-lite: $built steps rebuilt after an app change, expected only the app COPY"
owner=$(docker run --rm --entrypoint stat "$(it_tag service-lite)" -c '%u:%g %n' /app /app/main.py)
echo "$owner"
[[ $owner == "10001:10001 /app"$'\n'"10001:10001 /app/main.py" ]] || fail "service-lite: /app is not owned by 10001:10001: $owner"
run_case cuda-cpp src/ src/saxpy.cu
grep -q '^CACHED - devel .* apt-get' "$WORK/cuda-cpp.steps" || fail "cuda-cpp apt layer was not CACHED"
grep -q '^CACHED - verify .*verify.cu' "$WORK/cuda-cpp.steps" || fail "cuda-cpp cudagen-verify layer was not CACHED"
echo "ok: app-source changes reuse every dependency layer"
