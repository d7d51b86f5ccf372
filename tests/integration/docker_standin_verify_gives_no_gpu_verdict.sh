# cudagen-verify inside an image built on the STAND-IN bases gives the no-GPU
# verdict on this GPU-less machine: exit 10, JSON naming --gpus all and the NVIDIA
# Container Toolkit; `cudagen verify --no-gpu` reports the same verdict.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
[[ ! -e /dev/nvidia0 ]] || skip "this host has a GPU: the no-GPU verdict cannot be observed here"
it_build cpp "$ROOT/profiles/cuda-cpp" || { tail -n 40 "$WORK/cpp.log" >&2; fail "cudagen build failed"; }
image=$(it_tag cuda-cpp)
rc=0
docker run --rm --entrypoint /opt/cudagen/bin/cudagen-verify "$image" --json >"$STDOUT" 2>"$STDERR" || rc=$?
[[ $rc == 10 ]] || { cat "$STDOUT" "$STDERR" >&2; fail "cudagen-verify exited $rc, expected 10"; }
python3 - "$STDOUT" <<'PY' || fail "verdict JSON is not the no-GPU verdict"
import json, sys
verdict = json.load(open(sys.argv[1]))
assert verdict["ok"] is False and verdict["exit_code"] == 10, verdict
text = json.dumps(verdict)
assert "--gpus all" in text and "NVIDIA Container Toolkit" in text, verdict
PY
expect_exit 10 "$CUDAGEN" verify --no-gpu "$image"
echo "ok: cudagen-verify exits 10 with the no-GPU verdict"
