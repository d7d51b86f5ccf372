#!/usr/bin/env bash
# Benchmarks of the generator (issue 2 and 3 figures), not timed tests:
#   1. `cudagen generate` on one profile, whole process: median of many runs
#   2. generating 500 profiles in one process
#   3. each stage in process, the compatibility checks among them (tests/bench/bench_stages.cpp)
# Usage: scripts/bench_generate.sh [path/to/cudagen]   (default: a Release build in build-bench)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
cudagen=${1:-}
if [[ -z $cudagen ]]; then
    cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DCUDAGEN_BUILD_TESTS=ON >/dev/null
    cmake --build build-bench -j"$(nproc)" --target cudagen cudagen_bench_stages >/dev/null
    cudagen=build-bench/generator/cudagen
fi
stages=$(dirname "$(dirname "$cudagen")")/tests/cudagen_bench_stages
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median_ms() {  # hyperfine JSON -> median in ms
    python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$1"
}
profile=profiles/fastapi-torch/cudagen.yaml
hyperfine -N --warmup 10 --runs 200 --export-json "$work/one.json" \
    "$cudagen generate $profile -o $work/one -q" >/dev/null
# 500 distinct profiles (unique names) sharing one build context.
mkdir -p "$work/many"
cp -r profiles/service-lite/. "$work/many/"
for i in $(seq -w 1 500); do
    sed "s/^name: service-lite/name: svc-$i/" profiles/service-lite/cudagen.yaml >"$work/many/p$i.yaml"
done
hyperfine -N --warmup 1 --runs 10 --export-json "$work/many.json" \
    "$cudagen generate $(echo "$work"/many/p*.yaml) -o $work/many-out -q" >/dev/null
one=$(median_ms "$work/one.json")
many=$(median_ms "$work/many.json")
echo "| benchmark | median | target |"
echo "|---|---|---|"
echo "| generate 1 profile (whole process) | ${one} ms | < 10 ms |"
echo "| generate 500 profiles (one process) | ${many} ms | < 1000 ms |"
echo
"$stages" "$profile"
echo
echo "machine: $(nproc) cores, $(uname -m); cudagen $($cudagen --version)"
