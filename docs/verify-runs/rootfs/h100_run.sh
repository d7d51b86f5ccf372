#!/usr/bin/env bash
# The GPU half of the proof, run on the H100 machine from the repository root:
#   bash docs/verify-runs/rootfs/h100_run.sh DIR NAME...
# DIR holds a cudagen built with -DCUDAGEN_STATIC=ON and NAME.tar.gz archives
# written by `cudagen export`. For each NAME it runs
#   cudagen verify --rootfs DIR/NAME.tar.gz --json            -> $OUT/NAME.json
#   cudagen verify --rootfs DIR/NAME.tar.gz                   -> $OUT/NAME_human.txt
# and for the first NAME also --no-gpu --json (-> $OUT/NAME_no_gpu.json); exit
# codes, timings and leftover mounts go to $OUT/log.txt, the host to $OUT/host.txt.
set -u
dir=$1; shift
out=${OUT:-/tmp/rootfs-out}
mkdir -p "$out"
cudagen=$dir/cudagen
log=$out/log.txt
{
    uname -r; ldd --version | head -n 1
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
    ls -l /dev/nvidia*
    ldconfig -p | grep -E 'libcuda|libnvidia-(ml|ptxjit|nvvm|gpucomp)'
    ldd "$cudagen"
} >"$out/host.txt" 2>&1
run() {  # run LABEL OUTFILE ARGS...
    local label=$1 file=$2; shift 2
    local start end rc=0
    start=$(date +%s%N)
    timeout 300 "$cudagen" verify "$@" >"$file" 2>>"$log" || rc=$?
    end=$(date +%s%N)
    echo "$label: cudagen verify $* -> exit $rc in $(((end - start) / 1000000)) ms" >>"$log"
}
first=1
for name in "$@"; do
    archive=$dir/$name.tar.gz
    echo "$name.tar.gz: $(stat -c %s "$archive") bytes" >>"$log"
    run "$name" "$out/$name.json" --rootfs "$archive" --json
    run "$name human" "$out/${name}_human.txt" --rootfs "$archive"
    if ((first)); then
        run "$name no-gpu" "$out/${name}_no_gpu.json" --rootfs "$archive" --no-gpu --json
        first=0
    fi
done
echo "mounts left that name cudagen: $(grep -c cudagen /proc/mounts)" >>"$log"
echo "unpacked roots left in /tmp: $(ls -d /tmp/cudagen-rootfs-* 2>/dev/null | wc -l)" >>"$log"
cat "$log"
