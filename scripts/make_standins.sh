#!/usr/bin/env bash
# Builds STAND-IN base images for nvidia/cuda on a machine that cannot pull images.
#
# THESE ARE NOT NVIDIA'S IMAGES. Each one is Debian 12 (bookworm), bootstrapped here
# with debootstrap, plus pieces of this machine's own CUDA toolkit (/usr/local/cuda),
# laid out and configured the way nvidia/cuda lays them out (paths, ENV, ld.so.conf).
# They are tagged like nvidia/cuda (cudagen-standin/cuda:13.0.2-devel-ubuntu24.04)
# so that `cudagen generate --base-registry cudagen-standin` builds against them;
# the "ubuntu" in the tag is only the name being stood in for, and every image says
# so in its labels (org.cudagen.standin.*). See docs/standins.md.
#
#   base           Debian 12 + ca-certificates curl gnupg + cudart
#   runtime        base + the CUDA runtime libraries (cuBLAS, cuFFT, cuRAND, cuSOLVER,
#                  cuSPARSE, NVRTC, nvJitLink, NVTX, NCCL)
#   devel          runtime + build-essential + nvcc/cicc/ptxas, headers, static cudart,
#                  the libcuda stub, CUPTI
#   cudnn-runtime  runtime + libcudnn 9;  cudnn-devel: devel + libcudnn 9 + headers
#   ubuntu:24.04, ubuntu:22.04 (next to cuda, e.g. cudagen-standin/ubuntu:24.04): the
#                  Debian 12 image itself under the plain OS names, for runtime stages
#                  whose packages bring the CUDA libraries
#
# Usage: scripts/make_standins.sh [--check] [--any-version] [TAG...]
#   TAG           X.Y.Z-FLAVOR-OS as in nvidia/cuda tags (default: 13.0.2 x the five
#                 flavors x ubuntu24.04 and ubuntu22.04). X.Y must match the local
#                 toolkit unless --any-version is given.
#   --check       afterwards, probe what offline builds can do (docs/standins.md)
# Environment: CUDAGEN_STANDIN_CACHE (default /var/cache/cudagen-standins),
#              CUDAGEN_STANDIN_REPO (default cudagen-standin/cuda),
#              CUDAGEN_STANDIN_CUDA (default /usr/local/cuda),
#              CUDAGEN_DEBIAN_MIRROR (default http://deb.debian.org/debian),
#              CUDAGEN_STANDIN_EXTRA_CA_DIR (default /usr/local/share/ca-certificates;
#              empty: none): this host's extra CA certificates (*.crt), added to the
#              base stand-in so HTTPS from builds works behind a TLS-intercepting
#              proxy, as an enterprise mirror of nvidia/cuda would carry them.
# Idempotent: an image is rebuilt only when its inputs (this script, its Dockerfile,
# its parent image, the toolkit files it copies) changed.
set -euo pipefail

k_script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly k_script_dir
k_script="$k_script_dir/$(basename "${BASH_SOURCE[0]}")"
readonly k_script
readonly k_cache="${CUDAGEN_STANDIN_CACHE:-/var/cache/cudagen-standins}"
readonly k_repo="${CUDAGEN_STANDIN_REPO:-cudagen-standin/cuda}"
readonly k_cuda="${CUDAGEN_STANDIN_CUDA:-/usr/local/cuda}"
readonly k_mirror="${CUDAGEN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
readonly k_extra_ca_dir="${CUDAGEN_STANDIN_EXTRA_CA_DIR-/usr/local/share/ca-certificates}"
readonly k_suite=bookworm
readonly k_debootstrap_include=ca-certificates,curl,gnupg
readonly k_debian_image=cudagen-standin/debian:12
readonly k_os_repo="${k_repo%/*}/ubuntu"
readonly k_os_versions=(24.04 22.04)
readonly k_rootfs_tar="$k_cache/debian-$k_suite-minbase.tar"
readonly k_flavors=(base runtime devel cudnn-runtime cudnn-devel)
readonly k_default_tags=(
    13.0.2-base-ubuntu24.04 13.0.2-runtime-ubuntu24.04 13.0.2-devel-ubuntu24.04
    13.0.2-cudnn-runtime-ubuntu24.04 13.0.2-cudnn-devel-ubuntu24.04
    13.0.2-base-ubuntu22.04 13.0.2-runtime-ubuntu22.04 13.0.2-devel-ubuntu22.04
    13.0.2-cudnn-runtime-ubuntu22.04 13.0.2-cudnn-devel-ubuntu22.04
)
# Shared libraries of each layer, as globs under the toolkit's lib folder.
readonly k_base_libs=('libcudart.so.*')
readonly k_runtime_libs=(
    'libcublas.so.*' 'libcublasLt.so.*' 'libnvblas.so.*' 'libcufft.so.*' 'libcufftw.so.*'
    'libcurand.so.*' 'libcusolver.so.*' 'libcusolverMg.so.*' 'libcusparse.so.*'
    'libnvrtc.so.*' 'libnvrtc-builtins.so.*' 'libnvrtc.alt.so.*' 'libnvrtc-builtins.alt.so.*'
    'libnvJitLink.so.*' 'libnvtx3interop.so.*' 'libnccl.so.*'
)
readonly k_cudnn_libs=('libcudnn*.so.*')
readonly k_standin_note="STAND-IN for nvidia/cuda built by cudagen scripts/make_standins.sh: Debian 12 (bookworm) + the local CUDA toolkit. NOT an NVIDIA image."

log() { printf 'make_standins: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    sed -n '2,/^set -euo/p' "$k_script" | sed -e '$d' -e 's/^# \{0,1\}//'
}

# ---------------------------------------------------------------- prerequisites

ensure_prerequisites() {
    [[ $(id -u) -eq 0 ]] || die "run as root (debootstrap and docker need it)"
    "$k_script_dir/setup_docker.sh" --no-smoke >/dev/null
    if ! command -v debootstrap >/dev/null 2>&1; then
        log "installing debootstrap"
        apt-get -o DPkg::Lock::Timeout=300 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
            --no-install-recommends debootstrap >/dev/null
    fi
    [[ -x $k_cuda/bin/nvcc ]] || die "no CUDA toolkit at $k_cuda (set CUDAGEN_STANDIN_CUDA)"
}

# "release 13.0, V13.0.88" -> 13.0
local_cuda_major_minor() {
    "$k_cuda/bin/nvcc" --version | sed -n 's/.*release \([0-9]*\.[0-9]*\),.*/\1/p'
}

# Version of a component from the toolkit's wheel metadata, e.g. nvidia_cublas -> 13.1.0.3.
component_version() {
    local dir
    dir=$(compgen -G "$k_cuda/dist-info/$1-[0-9]*.dist-info" | head -n 1 || true)
    [[ -n $dir ]] || { echo unknown; return; }
    dir=$(basename "$dir" .dist-info)
    echo "${dir#"$1"-}"
}

sha256_of() { sha256sum | cut -c1-64; }

image_label() {
    docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true
}

# ------------------------------------------------------------ Debian root image

rootfs_recipe() {
    printf 'debootstrap --variant=minbase --include=%s %s %s\n' "$k_debootstrap_include" "$k_suite" "$k_mirror"
    declare -f customize_rootfs
}

# What the official Debian/Ubuntu images do to a fresh root file system.
customize_rootfs() {
    local root=$1
    cat >"$root/etc/apt/sources.list" <<EOF
deb $k_mirror $k_suite main
deb $k_mirror $k_suite-updates main
deb ${k_mirror%/debian}/debian-security $k_suite-security main
EOF
    # Same as the official images: apt deletes downloaded .debs after installing.
    cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
    rm -rf "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/*
    : >"$root/etc/resolv.conf"
    : >"$root/etc/machine-id"
    echo standin >"$root/etc/hostname"
}

ensure_rootfs_tar() {
    local recipe_hash
    recipe_hash=$(rootfs_recipe | sha256_of)
    if [[ -f $k_rootfs_tar && $(cat "$k_rootfs_tar.recipe" 2>/dev/null) == "$recipe_hash" ]]; then
        return
    fi
    local root="$k_cache/rootfs.tmp"
    rm -rf "$root"
    mkdir -p "$k_cache"
    log "debootstrap $k_suite (minbase + $k_debootstrap_include) into $root; log: $k_cache/debootstrap.log"
    debootstrap --variant=minbase --include="$k_debootstrap_include" "$k_suite" "$root" "$k_mirror" \
        >"$k_cache/debootstrap.log" 2>&1 || die "debootstrap failed; see $k_cache/debootstrap.log"
    customize_rootfs "$root"
    tar --numeric-owner --xattrs -C "$root" -cf "$k_rootfs_tar.tmp" .
    mv "$k_rootfs_tar.tmp" "$k_rootfs_tar"
    echo "$recipe_hash" >"$k_rootfs_tar.recipe"
    rm -rf "$root"
}

ensure_debian_image() {
    local hash
    hash=$({ cat "$k_rootfs_tar.recipe"; stat -c '%s %Y' "$k_rootfs_tar"; } | sha256_of)
    if [[ $(image_label "$k_debian_image" org.cudagen.standin.inputs) == "$hash" ]]; then
        return
    fi
    log "docker import $k_rootfs_tar as $k_debian_image"
    docker import \
        --change "LABEL org.cudagen.standin=true org.cudagen.standin.inputs=$hash" \
        --change "LABEL org.opencontainers.image.description=\"Debian 12 (bookworm) minbase root file system made by cudagen scripts/make_standins.sh\"" \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["/bin/bash"]' \
        "$k_rootfs_tar" "$k_debian_image" >/dev/null
}

# The plain OS images a runtime stage starts from when the packages bring the CUDA
# libraries (cudagen resolves docker.io/library/ubuntu:24.04, from a mirror R/ubuntu:24.04):
# more names for the Debian stand-in itself, so they share all its layers.
tag_os_standins() {
    local version
    for version in "${k_os_versions[@]}"; do
        docker tag "$k_debian_image" "$k_os_repo:$version"
    done
}

# ------------------------------------------------------------- flavor contexts

parent_flavor() {
    case $1 in
        base) echo "" ;;
        runtime) echo base ;;
        devel | cudnn-runtime) echo runtime ;;
        cudnn-devel) echo devel ;;
    esac
}

# Hard links where possible: the context then costs no disk and keeps the mtimes.
copy_into() {
    local dest=$1
    shift
    mkdir -p "$dest"
    cp -a --link "$@" "$dest/" 2>/dev/null || cp -a "$@" "$dest/"
}

copy_libs() {
    local dest=$1
    shift
    local pattern matches=()
    for pattern in "$@"; do
        # shellcheck disable=SC2206  # the glob is meant to expand here
        local found=("$k_cuda"/lib64/$pattern)
        [[ -e ${found[0]} || -L ${found[0]} ]] || die "no $pattern in $k_cuda/lib64"
        matches+=("${found[@]}")
    done
    copy_into "$dest" "${matches[@]}"
}

stage_base() {
    local root=$1 cuda_dir=$2
    local target="$root$cuda_dir/targets/x86_64-linux"
    copy_libs "$target/lib" "${k_base_libs[@]}"
    ln -s targets/x86_64-linux/lib "$root$cuda_dir/lib64"
    ln -s "$(basename "$cuda_dir")" "$root/usr/local/cuda"
    mkdir -p "$root/etc/ld.so.conf.d"
    echo "$cuda_dir/targets/x86_64-linux/lib" >"$root/etc/ld.so.conf.d/000_cuda.conf"
    printf '/usr/local/nvidia/lib\n/usr/local/nvidia/lib64\n' >"$root/etc/ld.so.conf.d/nvidia.conf"
    local cas=()
    mapfile -t cas < <(extra_cas)
    if ((${#cas[@]})); then copy_into "$root/usr/local/share/ca-certificates" "${cas[@]}"; fi
}

extra_cas() {
    [[ -n $k_extra_ca_dir && -d $k_extra_ca_dir ]] || return 0
    find "$k_extra_ca_dir" -maxdepth 1 -type f -name '*.crt' | LC_ALL=C sort
}

# Without the host's TLS-intercepting CA, pip in a build fails with
# CERTIFICATE_VERIFY_FAILED; PIP_CERT also covers a pip that brings its own certifi.
extra_ca_lines() {
    local names
    names=$(extra_cas | xargs -r -n 1 basename | paste -sd, -)
    [[ -n $names ]] || return 0
    printf 'RUN update-ca-certificates
'
    printf 'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt
'
    printf 'LABEL org.cudagen.standin.extra-ca="%s"\n' "$names"
}

# Compiler, headers (cuDNN's excepted), static and stub libraries, CUPTI, and the
# unversioned .so links that only linking needs.
stage_devel() {
    local root=$1 cuda_dir=$2
    local target="$root$cuda_dir/targets/x86_64-linux"
    copy_into "$root$cuda_dir" "$k_cuda/bin" "$k_cuda/nvvm"
    mkdir -p "$target/include"
    local headers=()
    mapfile -t headers < <(find "$k_cuda/include/" -mindepth 1 -maxdepth 1 ! -name 'cudnn*' | LC_ALL=C sort)
    copy_into "$target/include" "${headers[@]}"
    copy_into "$target/lib" "$k_cuda"/lib64/*.a "$k_cuda/lib64/stubs" "$k_cuda/lib64/cmake" \
        "$k_cuda"/lib64/libcupti.so* "$k_cuda"/lib64/libnvperf_*.so "$k_cuda"/lib64/libcheckpoint.so \
        "$k_cuda"/lib64/libpcsamplingutil.so
    find "$k_cuda/lib64/" -maxdepth 1 -type l -name 'lib*.so' ! -name 'libcudnn*' \
        -exec cp -a {} "$target/lib/" \;
    ln -s targets/x86_64-linux/include "$root$cuda_dir/include"
}

stage_cudnn() {
    local root=$1 with_headers=$2
    copy_libs "$root/usr/lib/x86_64-linux-gnu" "${k_cudnn_libs[@]}"
    if ((with_headers)); then
        copy_into "$root/usr/include" "$k_cuda"/include/cudnn*.h
        find "$k_cuda/lib64/" -maxdepth 1 -type l -name 'libcudnn*.so' \
            -exec cp -a {} "$root/usr/lib/x86_64-linux-gnu/" \;
    fi
}

stage_context() {
    local flavor=$1 ctx=$2 cuda_dir=$3
    rm -rf "$ctx"
    mkdir -p "$ctx/root"
    touch "$ctx.stamp"
    case $flavor in
        base) stage_base "$ctx/root" "$cuda_dir" ;;
        runtime) copy_libs "$ctx/root$cuda_dir/targets/x86_64-linux/lib" "${k_runtime_libs[@]}" ;;
        devel) stage_devel "$ctx/root" "$cuda_dir" ;;
        cudnn-runtime) stage_cudnn "$ctx/root" 0 ;;
        cudnn-devel) stage_cudnn "$ctx/root" 1 ;;
    esac
    # What was made here (links, config files) gets a fixed time: the inputs hash and
    # BuildKit's context cache then change only when a file's content does.
    find "$ctx/root" -newer "$ctx.stamp" -exec touch -h -d @0 {} +
}

context_manifest() {
    (cd "$1" && find root \( -type f -o -type l \) -printf '%P %s %T@ %l\n' | LC_ALL=C sort)
}

# --------------------------------------------------------------- Dockerfiles

flavor_env() {
    local flavor=$1 version=$2
    case $flavor in
        base)
            cat <<EOF
ENV NVARCH=x86_64 \\
    NVIDIA_REQUIRE_CUDA="cuda>=${version%.*}" \\
    NV_CUDA_CUDART_VERSION=$(component_version nvidia_cuda_runtime) \\
    CUDA_VERSION=$version \\
    PATH=/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    LD_LIBRARY_PATH=/usr/local/nvidia/lib:/usr/local/nvidia/lib64 \\
    NVIDIA_VISIBLE_DEVICES=all \\
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
EOF
            ;;
        runtime)
            cat <<EOF
ENV NV_LIBCUBLAS_VERSION=$(component_version nvidia_cublas) \\
    NV_LIBNCCL_PACKAGE_VERSION=$(component_version nvidia_nccl_cu13) \\
    NCCL_VERSION=$(component_version nvidia_nccl_cu13)
EOF
            ;;
        devel)
            cat <<EOF
ENV NV_CUDA_LIB_VERSION=$(component_version nvidia_cuda_runtime) \\
    NV_NVCC_VERSION=$(component_version nvidia_cuda_nvcc) \\
    LIBRARY_PATH=/usr/local/cuda/lib64/stubs
EOF
            ;;
        cudnn-*)
            cat <<EOF
ENV NV_CUDNN_VERSION=$(component_version nvidia_cudnn_cu13) \\
    NV_CUDNN_PACKAGE_NAME=libcudnn9-cuda-${version%%.*}
EOF
            ;;
    esac
}

flavor_dockerfile() {
    local flavor=$1 version=$2 parent_image=$3
    printf '# Generated by cudagen scripts/make_standins.sh. %s\n' "$k_standin_note"
    printf 'FROM %s\n' "$parent_image"
    if [[ $flavor == devel ]]; then
        # nvidia/cuda devel images carry a host compiler; the stand-in gets Debian's.
        cat <<'EOF'
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
EOF
    fi
    printf 'COPY root/ /\nRUN ldconfig\n'
    if [[ $flavor == base ]]; then extra_ca_lines; fi
    flavor_env "$flavor" "$version"
    printf 'LABEL org.cudagen.standin="true" \\\n'
    printf '      org.cudagen.standin.os="debian12" \\\n'
    printf '      org.cudagen.standin.for="nvidia/cuda:%s-%s-*" \\\n' "$version" "$flavor"
    printf '      org.opencontainers.image.description="%s"\n' "$k_standin_note"
}

# ------------------------------------------------------------------ building

internal_image() { echo "$k_repo:$1-$2-debian12"; }

build_flavor() {
    local version=$1 flavor=$2
    local parent parent_image parent_id ctx image hash
    parent=$(parent_flavor "$flavor")
    if [[ -z $parent ]]; then
        parent_image=$k_debian_image
    else
        parent_image=$(internal_image "$version" "$parent")
    fi
    parent_id=$(docker image inspect --format '{{.Id}}' "$parent_image")
    image=$(internal_image "$version" "$flavor")
    ctx="$k_cache/context/$version-$flavor"
    stage_context "$flavor" "$ctx" "/usr/local/cuda-${version%.*}"
    flavor_dockerfile "$flavor" "$version" "$parent_image" >"$ctx/Dockerfile"
    hash=$({ sha256_of <"$k_script"; cat "$ctx/Dockerfile"; echo "$parent_id"; context_manifest "$ctx"; } | sha256_of)
    if [[ $(image_label "$image" org.cudagen.standin.inputs) == "$hash" ]]; then
        log "$image is up to date"
        return
    fi
    log "building $image (log: $ctx.log)"
    docker buildx build --load --progress=plain --label "org.cudagen.standin.inputs=$hash" \
        -t "$image" -f "$ctx/Dockerfile" "$ctx" >"$ctx.log" 2>&1 || {
        tail -n 30 "$ctx.log" >&2
        die "building $image failed; see $ctx.log"
    }
}

# Flavors to build for a flavor, parents first.
flavor_chain() {
    local flavor=$1 chain=()
    while [[ -n $flavor ]]; do
        chain=("$flavor" "${chain[@]}")
        flavor=$(parent_flavor "$flavor")
    done
    echo "${chain[@]}"
}

parse_tag() {
    local tag=$1 flavor
    [[ $tag =~ ^([0-9]+\.[0-9]+\.[0-9]+)-(.+)-([a-z]+[0-9][0-9.]*)$ ]] ||
        die "tag '$tag' is not X.Y.Z-FLAVOR-OS (e.g. 13.0.2-devel-ubuntu24.04)"
    flavor=${BASH_REMATCH[2]}
    [[ " ${k_flavors[*]} " == *" $flavor "* ]] ||
        die "tag '$tag': flavor '$flavor' is not one of: ${k_flavors[*]}"
    echo "${BASH_REMATCH[1]} $flavor"
}

check_version() {
    local version=$1 any_version=$2 local_version
    local_version=$(local_cuda_major_minor)
    [[ ${version%.*} == "$local_version" ]] && return
    if ((any_version)); then
        log "warning: stand-ins for CUDA $version carry the local CUDA $local_version toolkit"
        return
    fi
    die "tag asks for CUDA $version but the local toolkit is $local_version; use $local_version.x tags or --any-version"
}

make_tags() {
    local any_version=$1
    shift
    local tag version flavor step built=" "
    for tag in "$@"; do
        local parsed
        parsed=$(parse_tag "$tag") || exit 1
        read -r version flavor <<<"$parsed"
        check_version "$version" "$any_version"
        for step in $(flavor_chain "$flavor"); do
            [[ $built == *" $version-$step "* ]] && continue
            build_flavor "$version" "$step"
            built+="$version-$step "
        done
        docker tag "$(internal_image "$version" "$flavor")" "$k_repo:$tag"
    done
}

report() {
    local tag
    printf '%-58s %10s\n' IMAGE SIZE
    for tag in "$@"; do
        printf '%-58s %10s\n' "$k_repo:$tag" \
            "$(docker image ls --format '{{.Size}}' "$k_repo:$tag" | head -n 1)"
    done
}

# -------------------------------------------------------------------- probes

# What an offline build can do; results are written up in docs/standins.md.
probe_offline_builds() {
    local version=$1 dir
    dir=$(mktemp -d /tmp/cudagen-standin-probe.XXXXXX)
    cat >"$dir/probe.cu" <<'EOF'
#include <cstdio>
#include <cuda_runtime.h>
__global__ void noop() {}
int main() {
    int count = 0;
    cudaError_t status = cudaGetDeviceCount(&count);
    std::printf("cudaGetDeviceCount: %s, %d device(s)\n", cudaGetErrorName(status), count);
    return status == cudaSuccess ? 0 : 10;
}
EOF
    cat >"$dir/Dockerfile" <<EOF
FROM $k_repo:$version-devel-debian12 AS devel
RUN rm -f /etc/apt/apt.conf.d/docker-clean
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\
    --mount=type=cache,target=/var/lib/apt,sharing=locked \\
    apt-get update && apt-get install -y --no-install-recommends python3-pip python3-venv
RUN --mount=type=cache,target=/root/.cache/pip \\
    python3 -m venv /venv && /venv/bin/pip download --no-deps -d /wheels six==1.16.0
COPY probe.cu /src/probe.cu
RUN nvcc -O2 -o /src/probe /src/probe.cu

FROM $k_repo:$version-base-debian12
COPY --from=devel /src/probe /usr/local/bin/probe
COPY --from=devel /wheels /wheels
CMD ["/usr/local/bin/probe"]
EOF
    log "probe: multi-stage build (cache mounts, apt, pip download, nvcc) in $dir"
    (cd "$dir" && docker buildx build --load --progress=plain -t cudagen-standin/probe:latest .) \
        >"$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log" >&2; die "probe build failed; see $dir/build.log"; }
    docker run --rm cudagen-standin/probe:latest ls /wheels
    docker run --rm cudagen-standin/probe:latest || log "probe exit code $? (10 = no driver, expected without a GPU)"
    docker image rm cudagen-standin/probe:latest >/dev/null
}

main() {
    local check=0 any_version=0 tags=()
    while (($#)); do
        case $1 in
            --check) check=1 ;;
            --any-version) any_version=1 ;;
            -h | --help) usage; exit 0 ;;
            -*) die "unknown option '$1' (see --help)" ;;
            *) tags+=("$1") ;;
        esac
        shift
    done
    ((${#tags[@]})) || tags=("${k_default_tags[@]}")
    ensure_prerequisites
    ensure_rootfs_tar
    ensure_debian_image
    tag_os_standins
    make_tags "$any_version" "${tags[@]}"
    # Stand-ins replaced by a rebuild are left untagged: reclaim their space.
    docker image prune -f --filter label=org.cudagen.standin=true >/dev/null
    report "${tags[@]}"
    if ((check)); then
        local version
        version=$(parse_tag "${tags[0]}") || exit 1
        version=${version%% *}
        local step
        for step in $(flavor_chain devel); do build_flavor "$version" "$step"; done
        probe_offline_builds "$version"
    fi
}

main "$@"
