# cudagen verify --rootfs: each failure before a verdict has its own exit code and
# says what to do: no such root (34), a broken archive (34), a root without
# cudagen-verify (23), the kernel refusing a user namespace (30). Needs no Docker
# and no GPU; named docker_* to run with the other --rootfs tests (ctest -L integration).
source "$(dirname "$0")/lib.sh"
[[ $(id -u) -eq 0 ]] || skip "needs root: the refusal case runs as nobody, 33 user namespaces deep"

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

# A user namespace the kernel refuses: at most 32 may be nested below the host's,
# so nobody nests 33 levels (uid 1000 in the last, not root) and cudagen's own
# is one too many.
mkdir -p "$WORK/root/opt/cudagen/bin"
printf '#!/bin/sh\necho never run\n' >"$WORK/root/opt/cudagen/bin/cudagen-verify"
chmod 755 "$WORK/root/opt/cudagen/bin/cudagen-verify"
chmod -R a+rX "$WORK"
cat >"$WORK/nest.sh" <<'NEST'
n=$1; shift
if ((n > 1)); then exec unshare -U -r bash "$0" $((n - 1)) "$@"; fi
exec unshare -U --map-user=1000 --map-group=1000 "$@"
NEST
as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if ! "${as_nobody[@]}" test -x "$CUDAGEN" || ! "${as_nobody[@]}" unshare -U -r true 2>/dev/null; then
    echo "note: the refusal case (30) is not checked: $CUDAGEN is not executable by nobody, or this host" \
        "refuses nobody a user namespace already"
else
    expect_exit 30 "${as_nobody[@]}" bash "$WORK/nest.sh" 33 "$CUDAGEN" verify --rootfs "$WORK/root" --no-gpu
    grep -q "the kernel refused the user namespace verify --rootfs isolates the image in (unshare(CLONE_NEWUSER)" \
        "$STDOUT" || { cat "$STDOUT" >&2; fail "30: wrong message"; }
    grep -q "fix: ask the administrator to allow unprivileged user namespaces" "$STDOUT" ||
        { cat "$STDOUT" >&2; fail "30: no fix"; }
    ! grep -q "never run" "$STDOUT" || fail "30: the image's program ran"
fi
echo "ok: verify --rootfs exits 34, 34, 23 and 30 with their messages"
