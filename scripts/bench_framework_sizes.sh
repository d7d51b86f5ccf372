#!/usr/bin/env bash
# Sizes of framework images on the STAND-IN nvidia/cuda bases (scripts/make_standins.sh;
# not NVIDIA's images), per runtime base, and of their devel stage; prints a Markdown
# table. The profiles are the integration suite's (tests/integration/
# docker_standin_torch_service_seed.sh, docker_standin_jax_cuda13_no_gpu_verdict.sh), so
# a machine that ran those reuses their layers; a cold run downloads about 3 GB of
# wheels from PyPI.
#
#   os        what cudagen picks: the plain OS image (the wheels bring the CUDA libraries)
#   base      runtime_flavor: base (nvidia/cuda's base: libcudart, and cuda-compat on
#             NVIDIA's images)
#   runtime   runtime_flavor: runtime (the CUDA math libraries a second time)
#   devel     the devel stage (bake target devel)
#
# Usage: scripts/bench_framework_sizes.sh [--cudagen PATH] [--flavors "os base runtime"]
# One image at a time is built, measured (docker image inspect .Size) and removed, so
# the disk never holds more than one of them.
set -euo pipefail

readonly k_bench_name=bench_framework_sizes
# shellcheck source=scripts/bench_common.bash
source "$(dirname "${BASH_SOURCE[0]}")/bench_common.bash"
readonly k_tag_repo=cudagen-bench-sizes

write_profiles() {
    mkdir -p "$WORK/torch-service" "$WORK/jax-cuda13"
    cp -r "$k_root/profiles/torch-service/." "$WORK/torch-service/"
    cat >"$WORK/jax-cuda13/cudagen.yaml" <<'YAML'
name: jax-cuda13
cuda: "13.0"
python: "3.12"
framework: {name: jax, version: "0.10.2"}
gpu_archs: [a100, h100]
YAML
}

# size_mb NAME FLAVOR: builds one variant, prints its size in MB, removes it.
size_mb() {
    local name=$1 flavor=$2 dir="$WORK/$1" profile tag="$k_tag_repo/$1:$2" args=()
    profile="$WORK/$name-$flavor/cudagen.yaml"
    rm -rf "$WORK/$name-$flavor"
    cp -r "$dir" "$WORK/$name-$flavor"
    case $flavor in
        os) ;;
        devel) args=(--set "$name.target=devel") ;;
        *) printf 'runtime_flavor: %s\n' "$flavor" >>"$profile" ;;
    esac
    log "$name: $flavor"
    "$CUDAGEN" build "$profile" --base-registry cudagen-standin --no-verify -o "$WORK/out-$name-$flavor" \
        -- --set "$name.tags=$tag" "${args[@]}" >"$WORK/$name-$flavor.log" 2>&1 ||
        { tail -n 30 "$WORK/$name-$flavor.log" | cut -c1-300 >&2; die "building $name ($flavor) failed"; }
    echo $(($(docker image inspect --format '{{.Size}}' "$tag") / 1000000))
    docker image rm -f "$tag" >/dev/null
}

main() {
    CUDAGEN=""
    local flavors=(os base runtime)
    while (($#)); do
        case $1 in
            --cudagen) CUDAGEN=$2; shift ;;
            --flavors) read -r -a flavors <<<"$2"; shift ;;
            -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
            *) die "unknown argument '$1'" ;;
        esac
        shift
    done
    [[ -n $CUDAGEN ]] || CUDAGEN=$(find_cudagen)
    "$k_root/scripts/make_standins.sh" 13.0.2-devel-ubuntu24.04 13.0.2-base-ubuntu24.04 13.0.2-runtime-ubuntu24.04 >/dev/null
    WORK=$(mktemp -d /tmp/cudagen-sizes.XXXXXX)
    trap 'rm -rf "$WORK"' EXIT
    write_profiles
    local header="| image |" rule="|---|" name flavor row
    for flavor in "${flavors[@]}"; do header+=" runtime on $flavor MB |"; rule+="---:|"; done
    echo "$header devel MB |"
    echo "$rule---:|"
    for name in torch-service jax-cuda13; do
        row="| $name |"
        for flavor in "${flavors[@]}" devel; do row+=" $(size_mb "$name" "$flavor") |"; done
        echo "$row"
    done
    echo
    echo "Stand-in bases, Docker $(docker version --format '{{.Server.Version}}'), $(nproc) cores, $(date -u +%Y-%m-%d)."
}

main "$@"
