# cudagen doctor on a host without an NVIDIA driver but with Docker (the test
# machines): the JSON on stdout names the missing driver and the missing NVIDIA
# Container Toolkit, and the exit code is 1.
source "$(dirname "$0")/lib.sh"
if command -v nvidia-smi >/dev/null || [[ -e /proc/driver/nvidia/version ]] || ldconfig -p 2>/dev/null | grep -q libnvidia-ml.so.1; then
    skip "this host has an NVIDIA driver; the test needs one without"
fi
command -v docker >/dev/null || skip "docker is not installed (scripts/setup_docker.sh installs it)"
if command -v nvidia-ctk >/dev/null || command -v nvidia-container-cli >/dev/null; then
    skip "the NVIDIA Container Toolkit is installed here; the test needs a host without it"
fi
expect_exit 1 "$CUDAGEN" doctor --format json
python3 - "$STDOUT" <<'PY' || fail "doctor --format json does not name the missing driver and toolkit"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["command"] == "doctor" and d["ok"] is False and d["exit_code"] == 1, d
codes = {p["code"] for p in d["problems"]}
assert {"doctor/driver", "doctor/toolkit"} <= codes, codes
assert d["host"]["driver"]["found"] is False, d["host"]["driver"]
assert d["host"]["docker"]["installed"] is True, d["host"]["docker"]
assert d["host"]["nvidia_container_toolkit"]["installed"] is False
assert all(p["fix"] for p in d["problems"]), d["problems"]
PY
# The text report: one line per finding, a fix under each ✗.
expect_exit 1 "$CUDAGEN" doctor "$ROOT/profiles/cuda-cpp/cudagen.yaml"
grep -q "✗ no NVIDIA driver answers" "$STDOUT" || fail "text report lacks the driver line"
grep -q "✗ the NVIDIA Container Toolkit is not installed" "$STDOUT" || fail "text report lacks the toolkit line"
[[ $(grep -c "^  ✗ " "$STDOUT") == $(grep -c "^      fix: " "$STDOUT") ]] || fail "a ✗ line without its fix"
grep -q "profile .*cuda-cpp/cudagen.yaml" "$STDOUT" || fail "no section for the profile"
echo "ok: doctor names the missing driver and toolkit"
