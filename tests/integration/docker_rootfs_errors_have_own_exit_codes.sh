# cudagen verify --rootfs: each failure before a verdict has its own exit code and
# says what to do: not root (30), no such root (34), a broken archive (34), a root
# without cudagen-verify (23). Needs no Docker and no GPU; named docker_* to run
# with the other --rootfs test (ctest -L integration).
source "$(dirname "$0")/lib.sh"
[[ $(id -u) -eq 0 ]] || skip "needs root: verify --rootfs mounts in a private namespace"

expect_exit 34 "$CUDAGEN" verify --rootfs "$WORK/missing.tar.gz"
grep -q "cannot use $WORK/missing.tar.gz as a root filesystem: no such folder or file" "$STDOUT" ||
    { cat "$STDOUT" >&2; fail "34: wrong message"; }

echo "not a tarball" >"$WORK/broken.tar.gz"
expect_exit 34 "$CUDAGEN" verify --rootfs "$WORK/broken.tar.gz" --json
python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert v["exit_code"]==34 and "unpacking failed" in v["diagnosis"], v' \
    "$STDOUT" || fail "34: not a JSON verdict about unpacking"

mkdir -p "$WORK/root/usr/bin"
expect_exit 23 "$CUDAGEN" verify --rootfs "$WORK/root"
grep -q "has no /opt/cudagen/bin/cudagen-verify: the image was not built by cudagen" "$STDOUT" ||
    { cat "$STDOUT" >&2; fail "23: wrong message"; }

if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$CUDAGEN"; then
    expect_exit 30 setpriv --reuid=65534 --regid=65534 --clear-groups "$CUDAGEN" verify --rootfs "$WORK/root"
    grep -q "needs root" "$STDOUT" || { cat "$STDOUT" >&2; fail "30: wrong message"; }
else
    echo "note: the not-root case (30) is not checked: no setpriv, or $CUDAGEN is not executable by nobody"
fi
echo "ok: verify --rootfs exits 34, 34, 23 and 30 with their messages"
