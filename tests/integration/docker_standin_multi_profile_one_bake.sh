# Two profiles in one cudagen build: one bake call builds both targets (cuda-cpp
# and service-lite on the STAND-IN bases) and both images work.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
it_build multi "$ROOT/profiles/cuda-cpp" "$ROOT/profiles/service-lite" ||
    { tail -n 40 "$WORK/multi.log" >&2; fail "cudagen build of two profiles failed"; }
[[ $(grep -c '^  docker buildx bake ' "$WORK/multi.log") == 1 ]] || fail "expected exactly one bake call"
[[ -f $WORK/out-multi/cuda-cpp/Dockerfile && -f $WORK/out-multi/service-lite/Dockerfile ]] ||
    fail "no Dockerfile per profile in the build folder"
for target in cuda-cpp service-lite; do
    grep -q "^#[0-9]* \[$target " "$WORK/multi.log" || fail "the bake log shows no step of target $target"
done
# Bake runs, not cudagen's echo of the command: BuildKit's log opens every bake
# run with the step that reads the bake definition.
bake_runs=$(grep -c '^#[0-9]* \[internal\] load local bake definitions' "$WORK/multi.log" || true)
[[ $bake_runs == 1 ]] || fail "expected one bake run in the build log, found $bake_runs"
rc=0
docker run --rm "$(it_tag cuda-cpp)" >"$STDOUT" 2>&1 || rc=$?
grep -q "saxpy: started" "$STDOUT" || fail "cuda-cpp image from the multi-profile build does not start"
[[ $rc == 3 ]] || { cat "$STDOUT" >&2; fail "saxpy exited $rc, expected 3 (no GPU here)"; }
docker run --rm --entrypoint python "$(it_tag service-lite)" -c 'import fastapi, uvicorn' ||
    fail "service-lite image from the multi-profile build lacks fastapi/uvicorn"
echo "ok: one bake call built cuda-cpp and service-lite"
