# cudagen export of the cuda-cpp image built on the STAND-IN bases, then
# `cudagen verify --rootfs` on the archive, on this GPU-less host: the image's own
# cudagen-verify runs in the unpacked root (private mount namespace, chroot) and
# gives the no-driver verdict, exit 10, both with nothing to inject (no driver
# here) and with --no-gpu, as root and as an ordinary user (nobody: no root needed).
# Nothing is left behind: no container, mount or folder.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
[[ ! -e /dev/nvidiactl ]] || skip "this host has a GPU: the no-driver verdict cannot be observed here"
it_build cpp "$ROOT/profiles/cuda-cpp" || { tail -n 40 "$WORK/cpp.log" >&2; fail "cudagen build failed"; }
image=$(it_tag cuda-cpp)
archive=$WORK/cuda-cpp.tar.gz

expect_exit 0 "$CUDAGEN" export "$image" -o "$archive"
grep -q "^exported $image to $archive: [0-9.]* MiB" "$STDOUT" || { cat "$STDOUT" >&2; fail "no size report"; }
size=$(stat -c %s "$archive")
((size < 64 * 1024 * 1024)) || fail "the archive is $size bytes: over the 64 MiB a GPU machine transfer carries"
tar -tzf "$archive" >"$WORK/listing" || fail "the archive is not a readable .tar.gz"
grep -qx "opt/cudagen/bin/cudagen-verify" "$WORK/listing" || fail "the archive lacks cudagen-verify"
grep -qx "opt/cudagen/export/config.json" "$WORK/listing" || fail "the archive lacks the image's config note"
if grep -q "^usr/share/doc/.*[^/]$\|^var/lib/apt/lists/.*[^/]$" "$WORK/listing"; then
    fail "docs or apt lists were not pruned"
fi
[[ -z $(docker ps -aq --filter "ancestor=$image") ]] || fail "cudagen export left a container behind"
expect_exit 2 "$CUDAGEN" export "$image" -o "$archive"
grep -q "$archive exists \[export/usage\]" "$STDERR" && grep -q "fix: pass --force" "$STDERR" ||
    { cat "$STDERR" >&2; fail "no overwrite refusal message"; }

export TMPDIR=$WORK/tmp  # where the archive is unpacked: must be empty afterwards
mkdir -p "$TMPDIR"
check_verdict() {  # check_verdict EXPECTED_INJECTED EXPECTED_FIX_START
    python3 - "$STDOUT" "$1" "$2" <<'PY' || fail "not the no-driver verdict"
import json, sys
verdict = json.load(open(sys.argv[1]))
assert verdict["ok"] is False and verdict["exit_code"] == 10, verdict
assert "libcuda.so.1" in verdict["diagnosis"], verdict
assert verdict["rootfs"]["injected"] == sys.argv[2], verdict["rootfs"]
assert verdict["rootfs"]["device_nodes"] == [] and verdict["rootfs"]["driver_libraries"] == [], verdict
# The binary's contents are read without a driver (cuda-cpp: gpu_archs 8.0 and 9.0).
assert 80 in verdict["binary"]["sass"] and 90 in verdict["binary"]["sass"], verdict["binary"]
# Advice for a host without Docker (none after --no-gpu); the image's own kept aside.
assert verdict["fix"].startswith(sys.argv[3]) and (sys.argv[3] or verdict["fix"] == ""), verdict["fix"]
assert "docker run" not in verdict["fix"] and "docker run" in verdict["rootfs"]["image_fix"], verdict
PY
}
expect_exit 10 "$CUDAGEN" verify --rootfs "$archive" --json
check_verdict "nothing (this host has no NVIDIA driver)" "install the NVIDIA driver on this host"
grep -q "this host has no NVIDIA driver" "$STDERR" || { cat "$STDERR" >&2; fail "no note that nothing was injected"; }
expect_exit 10 "$CUDAGEN" verify --rootfs "$archive" --no-gpu --json
check_verdict "nothing (--no-gpu)" ""
expect_exit 10 "$CUDAGEN" verify --rootfs "$archive"
grep -q "FAILED (exit 10)" "$STDOUT" || { cat "$STDOUT" >&2; fail "no human summary"; }

# As nobody: the archive unpacked without root, the check in a user namespace.
as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if "${as_nobody[@]}" test -x "$CUDAGEN"; then
    chmod 755 "$WORK" && chmod 644 "$archive" && chmod 1777 "$TMPDIR"
    expect_exit 10 "${as_nobody[@]}" env TMPDIR="$TMPDIR" "$CUDAGEN" verify --rootfs "$archive" --json
    check_verdict "nothing (this host has no NVIDIA driver)" "install the NVIDIA driver on this host"
    grep -q '"isolation":"user namespace (uid 65534 is uid 0 inside)' "$STDOUT" ||
        { cat "$STDOUT" >&2; fail "nobody: not run in a user namespace"; }
    nobody_note="; as nobody too"
else
    echo "note: the run as nobody is not checked: $CUDAGEN is not executable by nobody"
fi

[[ -z $(ls -A "$TMPDIR") ]] || { ls -la "$TMPDIR" >&2; fail "the unpacked root was not removed"; }
! grep -q "cudagen-rootfs" /proc/mounts || fail "a mount of the root outlived the run"
echo "ok: cudagen export wrote $((size / 1024 / 1024)) MiB; verify --rootfs gives exit 10 with and without --no-gpu${nobody_note:-}"
