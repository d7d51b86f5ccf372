# cudagen doctor --root DIR reads /proc, /usr/lib/wsl and /dev under DIR: a
# WSL2 layout is recognised, the Windows driver's libcuda is listed, and with
# no driver answering the fix says to install it on Windows, not in WSL2.
source "$(dirname "$0")/lib.sh"
if command -v nvidia-smi >/dev/null; then
    skip "nvidia-smi answers on this host, so the driver finding would be this host's"
fi
mkdir -p "$WORK/host/proc/sys/kernel" "$WORK/host/usr/lib/wsl/lib" "$WORK/host/dev"
echo "5.15.153.1-microsoft-standard-WSL2" >"$WORK/host/proc/sys/kernel/osrelease"
touch "$WORK/host/usr/lib/wsl/lib/libcuda.so.1" "$WORK/host/dev/dxg"
expect_exit 1 "$CUDAGEN" doctor --root "$WORK/host" --format json
python3 - "$STDOUT" <<'PY' || fail "the WSL2 root was not read as WSL2"
import json, sys
d = json.load(open(sys.argv[1]))
wsl = d["host"]["wsl"]
assert wsl["wsl2"] is True and wsl["dxg"] is True and wsl["libcuda"] == ["/usr/lib/wsl/lib/libcuda.so.1"], wsl
driver = [p for p in d["problems"] if p["code"] == "doctor/driver"]
assert driver and "on Windows" in driver[0]["fix"], d["problems"]
assert not [p for p in d["problems"] if p["code"].startswith("doctor/wsl")], d["problems"]
PY
echo "ok: doctor reads a WSL2 root"
