#!/usr/bin/env bash
# The GPU proof of `cudagen verify --rootfs` without root (docs/verify-runs/
# rootfs-unprivileged/): on a GPU host with no Docker, run as root (to switch to
# an ordinary user, and for the root comparison) from the repository root:
#
#   bash samples/verify/rootfs_unprivileged_proof.sh DIR [NAME=EXIT]...
#
# DIR holds `cudagen` (built with -DCUDAGEN_STATIC=ON) and NAME.tar.gz archives
# written by `cudagen export`; NAME=EXIT is the verdict each must give (default:
# good=0 sm80-noptx=13, those present in DIR). For each archive, with the
# ordinary user `nobody` (setpriv; no capability, no sudo):
#   NAME_nobody.json         cudagen verify --rootfs DIR/NAME.tar.gz --json          -> EXIT
#   NAME_nobody_human.txt    the same without --json                                 -> EXIT
#   NAME_nobody_no_gpu.json  ... --no-gpu --json                                     -> 10, no fix
#   NAME_nobody_folder.json  the archive unpacked by nobody, verified as a folder    -> EXIT,
#                            the folder byte for byte as before (NAME_folder_diff.txt empty)
#   NAME_root.json           as root: the same isolation                             -> EXIT
# and host.txt (kernel, user-namespace settings, driver, device nodes), cases.tsv
# (name, expected, got, ms, command), log.txt (stderr, leftovers) under
# $OUT/rootfs-unprivileged (OUT defaults to ./rootfs-proof-out). Exit 0 when every
# case gave its expected exit code, else 1.
set -u -o pipefail
dir=${1:?usage: rootfs_unprivileged_proof.sh DIR [NAME=EXIT]...}
shift
out=${OUT:-$(pwd)/rootfs-proof-out}/rootfs-unprivileged
mkdir -p "$out"
log=$out/log.txt
: >"$log"
cases=("$@")
if ((${#cases[@]} == 0)); then
    for pair in good=0 sm80-noptx=13; do [[ -f $dir/${pair%%=*}.tar.gz ]] && cases+=("$pair"); done
fi
((${#cases[@]})) || { echo "no NAME.tar.gz in $dir" >&2; exit 2; }
as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# nobody must reach the binary and the archives: a world-readable copy outside the
# checkout (which may sit in root's private home), and a TMPDIR nobody may write.
stage=$(mktemp -d /tmp/cudagen-proof-XXXXXX)
chmod 755 "$stage"
mkdir -m 1777 "$stage/tmp"
install -m 755 "$dir/cudagen" "$stage/cudagen"
for pair in "${cases[@]}"; do install -m 644 "$dir/${pair%%=*}.tar.gz" "$stage/"; done
cudagen=$stage/cudagen

{
    echo "kernel: $(uname -r)"; ldd --version | head -n 1
    for f in /proc/sys/kernel/unprivileged_userns_clone /proc/sys/user/max_user_namespaces \
        /proc/sys/kernel/apparmor_restrict_unprivileged_userns; do
        echo "$f: $(cat "$f" 2>/dev/null || echo absent)"
    done
    echo "docker: $(command -v docker || echo none)"
    nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv
    ls -l /dev/nvidia*
    ldconfig -p | grep -E 'libcuda|libnvidia-(ml|ptxjit|nvvm|gpucomp)'
    echo "nobody: $(id nobody)"
    ldd "$cudagen"
} >"$out/host.txt" 2>&1

failures=0
# run_case NAME EXPECTED FILE COMMAND...: stdout to FILE, stderr to log.txt.
run_case() {
    local name=$1 expected=$2 file=$3
    shift 3
    local start rc=0 ms
    start=$(date +%s%N)
    timeout 600 "$@" >"$file" 2>>"$log" || rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$expected" "$rc" "$ms" "$*" >>"$out/cases.tsv"
    echo "$name: exit $rc (expected $expected) in $ms ms: $*" | tee -a "$log"
    [[ $rc == "$expected" ]] || failures=$((failures + 1))
}

snapshot() { (cd "$1" && find . -printf '%p %y %m %s %T@ %l\n' | sort); }

printf 'name\texpected\tgot\tms\tcommand\n' >"$out/cases.tsv"
for pair in "${cases[@]}"; do
    name=${pair%%=*} expected=${pair#*=}
    archive=$stage/$name.tar.gz
    echo "$name.tar.gz: $(stat -c %s "$archive") bytes" >>"$log"
    run_case "$name nobody" "$expected" "$out/${name}_nobody.json" \
        "${as_nobody[@]}" env TMPDIR="$stage/tmp" "$cudagen" verify --rootfs "$archive" --json
    run_case "$name nobody human" "$expected" "$out/${name}_nobody_human.txt" \
        "${as_nobody[@]}" env TMPDIR="$stage/tmp" "$cudagen" verify --rootfs "$archive"
    run_case "$name nobody no-gpu" 10 "$out/${name}_nobody_no_gpu.json" \
        "${as_nobody[@]}" env TMPDIR="$stage/tmp" "$cudagen" verify --rootfs "$archive" --no-gpu --json

    folder=$stage/tmp/$name-root
    "${as_nobody[@]}" mkdir "$folder"
    "${as_nobody[@]}" tar --no-same-owner --exclude='./dev/*' --exclude='dev/*' -xpf "$archive" -C "$folder" 2>>"$log"
    snapshot "$folder" >"$stage/before"
    run_case "$name nobody folder" "$expected" "$out/${name}_nobody_folder.json" \
        "${as_nobody[@]}" env TMPDIR="$stage/tmp" "$cudagen" verify --rootfs "$folder" --json
    snapshot "$folder" | diff "$stage/before" - >"$out/${name}_folder_diff.txt"
    if [[ -s $out/${name}_folder_diff.txt ]]; then
        echo "$name folder: CHANGED by the run (see ${name}_folder_diff.txt)" | tee -a "$log"
        failures=$((failures + 1))
    else
        echo "$name folder: unchanged ($(wc -l <"$stage/before") entries compared)" | tee -a "$log"
    fi

    run_case "$name root" "$expected" "$out/${name}_root.json" \
        env TMPDIR="$stage/tmp" "$cudagen" verify --rootfs "$archive" --json
done

{
    echo "mounts left that name cudagen: $(grep -c cudagen /proc/mounts)"
    echo "temporary roots and layers left: $(find "$stage/tmp" /tmp -maxdepth 1 -name 'cudagen-rootfs-*' -o \
        -maxdepth 1 -name 'cudagen-layer-*' 2>/dev/null | wc -l)"
    echo "cases not as expected: $failures"
} | tee -a "$log"
chmod -R u+w "$stage" 2>/dev/null
rm -rf "$stage"
((failures == 0))
