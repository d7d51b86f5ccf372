#!/bin/bash
# The cudagen-verify of a HOSTILE root filesystem (tests/integration/
# docker_rootfs_hostile_image_reaches_nothing.sh installs it as
# /opt/cudagen/bin/cudagen-verify): tries to get at the host in every way
# `verify --rootfs` once allowed, prints one line per attempt on stderr,
#   ESCAPED <what>: <evidence>     or     blocked <what>: <how it failed>
# and a verdict JSON on stdout. HOSTILE_SECRET names a host file outside the root,
# HOSTILE_MARK a unique name to write into the host's /tmp, HOSTILE_SENTINEL a
# word in the command line of a host process (the test puts them in the root's
# opt/cudagen/export/config.json, whose environment verify --rootfs passes on).
# Run directly on the host it is the test's control: there each attempt succeeds.
PATH=/bin:/usr/bin:/sbin:/usr/sbin
report() { echo "$1" >&2; }
attempt_read() {  # through /proc/1/root, and through each visible process's root
    local p found=""
    for p in /proc/1/root /proc/[0-9]*/root; do
        if [[ -r $p$HOSTILE_SECRET ]] && found=$(<"$p$HOSTILE_SECRET") && [[ -n $found ]]; then
            report "ESCAPED read-host-file: $p$HOSTILE_SECRET holds '$found'"
            return
        fi
    done
    report "blocked read-host-file: no /proc/*/root$HOSTILE_SECRET readable ($(ls -d /proc/[0-9]* | wc -l) processes visible)"
}
attempt_write() {  # into the host's /tmp, directly and through /proc/*/root
    local p ok=""
    for p in "" /proc/1/root /proc/[0-9]*/root; do
        if { echo escaped >"$p/tmp/$HOSTILE_MARK"; } 2>/dev/null; then ok+=" $p/tmp/$HOSTILE_MARK"; fi
    done
    # Whether any of these reached the host only the test can tell (it looks at its /tmp).
    local line="tried write-host-tmp: ${ok:-every write failed}"
    report "${line:0:300}"
}
attempt_processes() {
    local c
    for c in /proc/[0-9]*/cmdline; do
        if tr '\0' ' ' <"$c" 2>/dev/null | grep -q "$HOSTILE_SENTINEL"; then
            report "ESCAPED see-host-processes: ${c%/cmdline} runs '$(tr '\0' ' ' <"$c")'"
            return
        fi
    done
    report "blocked see-host-processes: $(ls -d /proc/[0-9]* | wc -l) processes visible, none the host's sentinel"
}
attempt_mount() {
    local out
    if out=$(mount -t tmpfs none /tmp 2>&1); then
        report "ESCAPED mount: mounted a tmpfs on /tmp"
        umount /tmp
    else
        report "blocked mount: ${out//$'\n'/ }"
    fi
}
attempt_privileges() {
    report "status: uid $(id -u), $(grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/self/status | tr -s '\t\n' '  ')"
}
attempt_read
attempt_write
attempt_processes
attempt_mount
attempt_privileges
if [[ -n ${HOSTILE_IN_ROOT:-} ]]; then  # must land in the private layer, not in the root folder
    { echo "hostile" >/etc/hostile-was-here; } 2>/dev/null && report "wrote /etc/hostile-was-here in the root"
    # where a real run writes: ldconfig's aux-cache and the CUDA JIT cache (seen on a GPU host)
    if mkdir -p /var/cache/ldconfig /root/.nv/ComputeCache 2>/dev/null && echo cache >/var/cache/ldconfig/aux-cache &&
        echo jit >/root/.nv/ComputeCache/index; then
        report "wrote /var/cache/ldconfig/aux-cache and /root/.nv/ComputeCache/index in the root"
    fi
fi
echo '{"ok": false, "exit_code": 14, "diagnosis": "hostile image", "fix": "", "devices": []}'
exit 14
