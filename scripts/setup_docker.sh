#!/usr/bin/env bash
# Sets up a Docker engine with BuildKit (buildx) on Debian 12, as root, with no
# container registry reachable. Idempotent: a second run only checks and prints.
#
#   1. dockerd: Debian's docker.io (20.10) from apt, when dockerd is missing.
#   2. buildx:  Debian 12 has no docker-buildx package; the newer release
#               (trixie) has one whose only dependency is libc6 >= 2.34 (Debian 12
#               has 2.36). We fetch that single .deb through a private apt state
#               (own sources list, lists and cache in a temporary folder), so the
#               system's apt configuration is never touched, and dpkg -i it.
#   3. start:   dockerd in the background (log: $CUDAGEN_DOCKERD_LOG), then wait
#               until `docker info` answers.
#   4. smoke:   `docker buildx bake --print` on a tiny bake file and a
#               `bake --load` of a FROM-scratch image (skip with --no-smoke).
#
# Usage: scripts/setup_docker.sh [--no-smoke]
# Environment: CUDAGEN_DEBIAN_MIRROR (default http://deb.debian.org/debian),
#              CUDAGEN_DOCKERD_LOG (default /var/log/cudagen-dockerd.log),
#              CUDAGEN_DOCKERD_TIMEOUT seconds to wait for the daemon (default 60).
set -euo pipefail

readonly k_mirror="${CUDAGEN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
readonly k_keyring=/usr/share/keyrings/debian-archive-keyring.gpg
readonly k_dockerd_log="${CUDAGEN_DOCKERD_LOG:-/var/log/cudagen-dockerd.log}"
readonly k_dockerd_timeout="${CUDAGEN_DOCKERD_TIMEOUT:-60}"
readonly k_plugin_dirs=(/usr/libexec/docker/cli-plugins /usr/local/lib/docker/cli-plugins)

log() { printf 'setup_docker: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

require_root() {
    [[ $(id -u) -eq 0 ]] || die "run as root (it installs packages and starts dockerd)"
}

apt_install() {
    log "apt-get install $*"
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
        --no-install-recommends "$@" >/dev/null
}

ensure_dockerd_installed() {
    if command -v dockerd >/dev/null 2>&1; then
        return
    fi
    # ca-certificates and xz-utils are docker.io's recommends that builds rely on.
    apt_install docker.io ca-certificates xz-utils
    command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd is not on PATH"
}

ensure_docker_cli() {
    command -v docker >/dev/null 2>&1 && return
    die "no docker CLI on PATH (docker.io provides /usr/bin/docker; check PATH=$PATH)"
}

buildx_works() {
    docker buildx version >/dev/null 2>&1
}

# apt-get with every path pointing into $1, so nothing of the system's apt changes.
private_apt() {
    local state=$1
    shift
    apt-get -q \
        -o Dir::Etc::SourceList="$state/sources.list" \
        -o Dir::Etc::SourceParts="$state/sources.list.d" \
        -o Dir::State::Lists="$state/lists" \
        -o Dir::Cache="$state/cache" \
        -o Debug::NoLocking=true \
        "$@"
}

download_trixie_buildx() {
    local state=$1
    mkdir -p "$state/sources.list.d" "$state/lists/partial" "$state/cache/archives/partial"
    printf 'deb [signed-by=%s] %s trixie main\n' "$k_keyring" "$k_mirror" >"$state/sources.list"
    private_apt "$state" update >/dev/null
    (cd "$state" && private_apt "$state" download docker-buildx >/dev/null)
    compgen -G "$state/docker-buildx_*.deb" >/dev/null || die "apt-get download docker-buildx gave no .deb"
}

# dpkg -i is the normal route; if dpkg refuses (dependencies), place the plugin by hand.
install_buildx_deb() {
    local deb=$1
    if dpkg -i "$deb" >/dev/null 2>&1; then
        log "installed $(basename "$deb") with dpkg"
        return
    fi
    log "dpkg -i refused $(basename "$deb"); extracting the plugin binary instead"
    local root
    root=$(dirname "$deb")/root
    dpkg -x "$deb" "$root"
    local plugin
    plugin=$(find "$root" -type f -name docker-buildx -path '*cli-plugins*' | head -n 1)
    [[ -n $plugin ]] || die "no docker-buildx binary inside $(basename "$deb")"
    install -D -m 0755 "$plugin" "${k_plugin_dirs[1]}/docker-buildx"
}

ensure_buildx() {
    if buildx_works; then
        return
    fi
    log "installing docker-buildx from Debian trixie (private apt state)"
    local state
    state=$(mktemp -d /tmp/cudagen-apt-trixie.XXXXXX)
    # apt downloads as the unprivileged _apt user; let it into the folder.
    chmod 0755 "$state"
    # shellcheck disable=SC2064  # expand $state now: it is local to this function
    trap "rm -rf '$state'" EXIT
    download_trixie_buildx "$state"
    install_buildx_deb "$(compgen -G "$state/docker-buildx_*.deb" | head -n 1)"
    rm -rf "$state"
    trap - EXIT
    buildx_works || die "docker buildx still fails with $(command -v docker); plugin dirs: ${k_plugin_dirs[*]}"
}

daemon_answers() {
    docker info >/dev/null 2>&1
}

start_dockerd() {
    log "starting dockerd (log: $k_dockerd_log)"
    mkdir -p "$(dirname "$k_dockerd_log")"
    # setsid: the daemon must outlive this script and its caller's process group.
    setsid nohup dockerd >>"$k_dockerd_log" 2>&1 </dev/null &
    local pid=$!
    local waited=0
    until daemon_answers; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 20 "$k_dockerd_log" >&2 || true
            die "dockerd exited during start-up; see $k_dockerd_log"
        fi
        if ((waited >= k_dockerd_timeout)); then
            tail -n 20 "$k_dockerd_log" >&2 || true
            die "dockerd (pid $pid) did not answer 'docker info' within ${k_dockerd_timeout}s; see $k_dockerd_log"
        fi
        sleep 1
        waited=$((waited + 1))
    done
    log "dockerd is up after ${waited}s (pid $pid)"
}

ensure_daemon_running() {
    if daemon_answers; then
        return
    fi
    start_dockerd
}

smoke_test() {
    local dir
    dir=$(mktemp -d /tmp/cudagen-buildx-smoke.XXXXXX)
    printf 'FROM scratch\nCOPY hello.txt /hello.txt\n' >"$dir/Dockerfile"
    echo "hello from cudagen setup_docker.sh" >"$dir/hello.txt"
    cat >"$dir/docker-bake.hcl" <<'HCL'
group "default" {
  targets = ["smoke"]
}
target "smoke" {
  context    = "."
  dockerfile = "Dockerfile"
  tags       = ["cudagen-smoke:latest"]
}
HCL
    (cd "$dir" && docker buildx bake --print >/dev/null 2>&1) || die "docker buildx bake --print failed in $dir"
    (cd "$dir" && docker buildx bake --load --progress=plain >"$dir/build.log" 2>&1) || {
        tail -n 30 "$dir/build.log" >&2
        die "docker buildx bake --load of a FROM-scratch image failed (log: $dir/build.log)"
    }
    docker image inspect cudagen-smoke:latest >/dev/null || die "bake --load reported success but no image"
    docker image rm cudagen-smoke:latest >/dev/null
    rm -rf "$dir"
    log "smoke test passed: bake --print and bake --load (FROM scratch)"
}

buildkit_version() {
    # The line is "Buildkit:" in older buildx, "BuildKit version:" in newer ones.
    docker buildx inspect --bootstrap 2>/dev/null | awk -F': *' 'tolower($1) ~ /^buildkit( version)?$/ {print $2; exit}'
}

print_versions() {
    printf 'docker CLI:    %s (%s)\n' "$(docker version --format '{{.Client.Version}}' 2>/dev/null)" "$(command -v docker)"
    printf 'docker engine: %s\n' "$(docker version --format '{{.Server.Version}}' 2>/dev/null)"
    printf 'buildx:        %s\n' "$(docker buildx version)"
    printf 'BuildKit:      %s\n' "$(buildkit_version)"
}

main() {
    local smoke=1
    case "${1:-}" in
        --no-smoke) smoke=0 ;;
        "") ;;
        *) die "unknown argument '$1' (usage: $0 [--no-smoke])" ;;
    esac
    require_root
    ensure_dockerd_installed
    ensure_docker_cli
    ensure_buildx
    ensure_daemon_running
    if ((smoke)); then smoke_test; fi
    print_versions
}

main "$@"
