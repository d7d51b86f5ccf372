# cudagen build --builder NAME with no such builder: exit 3 before anything is
# built, and the message names the command that creates the builder.
source "$(dirname "$0")/lib.sh"
[[ $(id -u) -eq 0 ]] || skip "needs root: it installs and starts Docker"
bash "$ROOT/scripts/setup_docker.sh" --no-smoke >"$WORK/setup.log" 2>&1 || { cat "$WORK/setup.log" >&2; fail "setup_docker.sh failed"; }
expect_exit 3 "$CUDAGEN" build "$ROOT/profiles/cuda-cpp/cudagen.yaml" --builder "no-such-builder-$$" -o "$WORK/out"
grep -q "error: buildx builder 'no-such-builder-$$' does not exist" "$STDERR" || { cat "$STDERR"; fail "no 'builder does not exist' error"; }
grep -q "fix: docker buildx create --name no-such-builder-$$ --driver docker-container" "$STDERR" ||
    { cat "$STDERR"; fail "no fix naming docker buildx create"; }
# Arguments for bake go after --; before it they are refused with that hint.
expect_exit 2 "$CUDAGEN" build "$ROOT/profiles/cuda-cpp/cudagen.yaml" --no-cache -o "$WORK/out"
grep -q "unknown option '--no-cache'" "$STDERR" || { cat "$STDERR"; fail "unknown option not named"; }
echo "ok: exit 3 with the create command for a missing builder; exit 2 for a bake option before --"
