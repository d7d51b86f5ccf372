# cudagen verify --rootfs on a HOSTILE root filesystem, as an ordinary user
# (nobody) and as root: its cudagen-verify (rootfs_hostile_verify.sh) tries to
# read a host file through /proc/1/root and every /proc/PID/root, to write into
# the host's /tmp, to see a host process in /proc, and to mount; each attempt must
# fail, it must run with no capabilities and no_new_privs, and the root folder
# must be left exactly as it was. The control runs the same script on the host
# (in a private mount namespace only): there every attempt succeeds, so the test
# can see an escape. Needs no Docker and no GPU; named docker_* to run with the
# other --rootfs tests (ctest -L integration).
source "$(dirname "$0")/lib.sh"
[[ $(id -u) -eq 0 ]] || skip "needs root: it builds the root as root, then runs verify as nobody and as root"
command -v setpriv >/dev/null || skip "no setpriv (util-linux) to run as nobody"
as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
"${as_nobody[@]}" test -x "$CUDAGEN" || skip "$CUDAGEN is not executable by nobody (a parent folder is private)"
chmod 755 "$WORK"

# The root: bash and the few tools the script uses, with their libraries.
root=$WORK/root
copy_program() {
    local path lib
    path=$(command -v "$1") || fail "no $1 on this host"
    mkdir -p "$root$(dirname "$path")"
    cp -L "$path" "$root$path"
    for lib in $(ldd "$path" | grep -o '/[^ ]*'); do
        mkdir -p "$root$(dirname "$lib")"
        cp -Ln "$lib" "$root$lib"
    done
}
for program in bash cat grep id ls mkdir mount tr umount wc; do copy_program "$program"; done
for dir in bin sbin; do [[ -e $root/$dir ]] || ln -s usr/bin "$root/$dir"; done
mkdir -p "$root/opt/cudagen/bin" "$root/opt/cudagen/export" "$root/etc" "$root/tmp" "$root/var/cache" "$root/root"
# nobody's own, as an archive unpacked by nobody would be; /etc, /tmp, /var/cache and
# /root writable by all, so that root's run (the host's uid 0 inside, without
# capabilities) may write too
chmod 1777 "$root/tmp" "$root/etc" "$root/var/cache" "$root/root"
install -m 755 "$ROOT/tests/integration/rootfs_hostile_verify.sh" "$root/opt/cudagen/bin/cudagen-verify"
mark=cudagen-hostile-$$-$RANDOM
sentinel=cudagen-sentinel-$$-$RANDOM
echo "host secret $mark" >"$WORK/secret"
chmod 644 "$WORK/secret"
cat >"$root/opt/cudagen/export/config.json" <<JSON
{"env": ["PATH=/usr/bin:/bin", "HOSTILE_SECRET=$WORK/secret", "HOSTILE_MARK=$mark",
         "HOSTILE_SENTINEL=$sentinel", "HOSTILE_IN_ROOT=1"]}
JSON
chown -R 65534:65534 "$root"
(exec -a "sleep-$sentinel" sleep 600) </dev/null >/dev/null 2>&1 &
sentinel_pid=$!
trap 'kill $sentinel_pid 2>/dev/null; rm -f "/tmp/$mark"; rm -rf "$WORK"' EXIT

snapshot() { (cd "$root" && find . -printf '%p %y %m %U %G %s %T@ %l\n' | sort); }
snapshot >"$WORK/before"

expect_blocked() {  # expect_blocked WHO: every attempt in $STDERR failed, nothing reached the host
    local who=$1 what
    for what in read-host-file see-host-processes mount; do
        grep -q "^blocked $what: " "$STDERR" || { cat "$STDERR" >&2; fail "$who: $what was not blocked"; }
    done
    ! grep -q "^ESCAPED" "$STDERR" || { cat "$STDERR" >&2; fail "$who: the image escaped"; }
    grep -q "^tried write-host-tmp: " "$STDERR" || { cat "$STDERR" >&2; fail "$who: no write attempt"; }
    [[ ! -e /tmp/$mark ]] || fail "$who: the image wrote /tmp/$mark on the host"
    grep -q "^status: uid 0, CapEff: 0000000000000000 CapBnd: 0000000000000000 NoNewPrivs: 1" "$STDERR" ||
        { cat "$STDERR" >&2; fail "$who: the image ran with capabilities or without no_new_privs"; }
    grep -q "^wrote /etc/hostile-was-here in the root" "$STDERR" ||
        { cat "$STDERR" >&2; fail "$who: the image could not write its own root (the layer is not writable)"; }
    grep -q "^wrote /var/cache/ldconfig/aux-cache and /root/.nv/ComputeCache/index in the root" "$STDERR" ||
        { cat "$STDERR" >&2; fail "$who: the caches a real run writes could not be written"; }
    snapshot | diff "$WORK/before" - >&2 || fail "$who: the root folder was changed"
    python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert v["exit_code"]==14, v; \
assert "namespaces; no capabilities" in v["rootfs"]["isolation"], v' "$STDOUT" ||
        fail "$who: not the image's verdict with the isolation reported"
    echo "$who: $(grep -c '^blocked' "$STDERR") attempts blocked; $(grep '^tried' "$STDERR" | cut -c1-120)"
}

expect_exit 14 "${as_nobody[@]}" "$CUDAGEN" verify --rootfs "$root" --no-gpu --json
grep -q '"isolation":"user namespace (uid 65534 is uid 0 inside)' "$STDOUT" || fail "nobody: no user namespace"
expect_blocked nobody
expect_exit 14 "$CUDAGEN" verify --rootfs "$root" --no-gpu --json
expect_blocked root

# Control: the same script on the host, in a private mount namespace (so that its
# mount goes away): each attempt must succeed, or the checks above prove nothing.
HOSTILE_SECRET=$WORK/secret HOSTILE_MARK=$mark HOSTILE_SENTINEL=$sentinel \
    unshare -m bash "$root/opt/cudagen/bin/cudagen-verify" >"$STDOUT" 2>"$STDERR" || true
for what in read-host-file see-host-processes mount; do
    grep -q "^ESCAPED $what: " "$STDERR" || { cat "$STDERR" >&2; fail "control: $what did not succeed on the host"; }
done
[[ -e /tmp/$mark ]] || fail "control: the script could not write /tmp/$mark on the host"
echo "ok: as nobody and as root the hostile root reached nothing; on the host (control) every attempt succeeded"
