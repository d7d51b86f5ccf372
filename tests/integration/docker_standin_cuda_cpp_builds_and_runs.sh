# cudagen build of profiles/cuda-cpp on the STAND-IN nvidia/cuda bases: the image
# builds, verification is skipped with a reason (no GPU here), and the runtime
# image holds what saxpy needs: it starts, then exits 3 for want of a GPU.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
it_build cpp "$ROOT/profiles/cuda-cpp" || { tail -n 40 "$WORK/cpp.log" >&2; fail "cudagen build exited $?"; }
grep -q "cudagen: verification skipped: no NVIDIA GPU runtime on this host" "$WORK/cpp.log" ||
    { cat "$WORK/cpp.log" >&2; fail "no 'verification skipped' line with its reason"; }
image=$(it_tag cuda-cpp)
docker image inspect "$image" >/dev/null || fail "cudagen build reported success but $image does not exist"
rc=0
docker run --rm "$image" >"$STDOUT" 2>&1 || rc=$?
grep -q "saxpy: started" "$STDOUT" || { cat "$STDOUT" >&2; fail "saxpy did not start in the runtime image"; }
[[ $rc == 3 ]] || { cat "$STDOUT" >&2; fail "saxpy exited $rc, expected 3 (no GPU)"; }
# The runtime stage is the small base flavor: no compiler came along.
# The shell must answer (a failed `docker run` must not pass for "no compiler").
docker run --rm --entrypoint /bin/sh "$image" -c 'echo shell-ran; command -v nvcc g++ gcc cc c++ || true' \
    >"$STDOUT" 2>&1 || { cat "$STDOUT" >&2; fail "could not run a shell in the runtime image"; }
grep -qx shell-ran "$STDOUT" || { cat "$STDOUT" >&2; fail "the runtime image's shell printed nothing"; }
if grep -v '^shell-ran$' "$STDOUT" | grep -q .; then
    cat "$STDOUT" >&2
    fail "the runtime image carries a compiler"
fi
echo "ok: cuda-cpp built on stand-ins; saxpy starts and exits 3 without a GPU"
