# The generated micromamba lines past the download, which no real build here can
# reach (no GitHub, no conda channels): a STAND-IN micromamba (a shell script that
# records its arguments and environment) is served over HTTP from this host, and
# the generated Dockerfile is changed in exactly two places: the release URL's
# host part and the amd64 checksum. Then: a wrong checksum stops the build at
# sha256sum; the right one installs it, `micromamba create -y -p /opt/env -f
# <environment file>` runs with the profile's environment file at that path,
# MAMBA_ROOT_PREFIX and CONDA_OVERRIDE_CUDA set and the package cache mounted,
# `micromamba clean` follows, and the runtime image has the environment on PATH.
# STAND-IN bases (scripts/make_standins.sh), the same as the other 13.0 tests.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
[[ $(uname -m) == x86_64 ]] || skip "the stand-in replaces the amd64 download only"
command -v python3 >/dev/null || skip "no python3 to serve the stand-in over HTTP"
gateway=$(docker network inspect bridge -f '{{range .IPAM.Config}}{{.Gateway}}{{end}}')
[[ -n $gateway ]] || skip "no default bridge network: build steps could not reach this host"

ctx=$WORK/ctx
mkdir -p "$ctx" "$WORK/serve"
cat >"$ctx/cudagen.yaml" <<'YAML'
name: mm
cuda: "13.0"
os: ubuntu24.04
conda:
  environment: environment.yml
verify: false
YAML
printf 'name: mm\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - numpy=2.1\n' >"$ctx/environment.yml"

cat >"$WORK/serve/micromamba-linux-64" <<'SH'
#!/bin/sh
# Stand-in micromamba: records each call in the root prefix; `create` makes the prefix.
log=$MAMBA_ROOT_PREFIX/standin-calls.log
mkdir -p "$MAMBA_ROOT_PREFIX"
echo "argv: $*" >>"$log"
echo "env: MAMBA_ROOT_PREFIX=$MAMBA_ROOT_PREFIX CONDA_OVERRIDE_CUDA=$CONDA_OVERRIDE_CUDA" >>"$log"
[ "$1" = create ] || exit 0
if grep -q " $MAMBA_ROOT_PREFIX/pkgs " /proc/mounts; then echo "pkgs: a cache mount" >>"$log"; fi
prefix= file=
while [ $# -gt 0 ]; do
    case $1 in -p) prefix=$2; shift ;; -f) file=$2; shift ;; esac
    shift
done
mkdir -p "$prefix/bin" "$prefix/conda-meta"
cp "$file" "$prefix/conda-meta/environment.yml"
printf '#!/bin/sh\necho "stand-in environment on PATH"\n' >"$prefix/bin/standin-env-check"
chmod 755 "$prefix/bin/standin-env-check"
SH
standin_sha=$(sha256sum "$WORK/serve/micromamba-linux-64" | cut -d' ' -f1)

expect_exit 0 "$CUDAGEN" generate "$ctx/cudagen.yaml" --base-registry "$k_standin_registry" -o "$ctx/out" -q
data=$ROOT/generator/data/micromamba.yaml
version=$(sed -n 's/^ *- version: "\(.*\)"$/\1/p' "$data" | head -1)
real_sha=$(sed -n 's/^ *amd64: {file: [^,]*, sha256: \([0-9a-f]*\)}$/\1/p' "$data" | head -1)
[[ -n $version && -n $real_sha ]] || fail "cannot read the micromamba release from $data"
github="https://github.com/mamba-org/micromamba-releases/releases/download/$version/"

python3 -u -m http.server --bind "$gateway" 0 --directory "$WORK/serve" >"$WORK/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; cleanup_docker' EXIT
for _ in $(seq 50); do grep -q "Serving HTTP" "$WORK/http.log" && break; sleep 0.1; done
port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$WORK/http.log" | head -1)
[[ -n $port ]] || { cat "$WORK/http.log" >&2; fail "the HTTP server did not start"; }

# Dockerfile.SHA: the generated file with the download from this host and the given amd64 checksum.
variant() {
    python3 - "$ctx/out/Dockerfile" "$github" "http://$gateway:$port/" "$real_sha" "$1" >"$ctx/out/Dockerfile.$2" <<'PY'
import sys
text, github, local, real, wanted = open(sys.argv[1]).read(), *sys.argv[2:]
assert text.count(github) == 1, "the release URL is not in the Dockerfile exactly once"
assert text.count(f"amd64) platform=linux-64; sha256={real} ;;") == 1, "the amd64 checksum is not there once"
sys.stdout.write(text.replace(github, local).replace(real, wanted))
PY
}
variant "$real_sha" wrong
variant "$standin_sha" right
build() {  # build NAME DOCKERFILE [ARGS...]
    local name=$1 file=$2; shift 2
    IT_IMAGES+=("$(it_tag "$name")")
    docker buildx build --progress plain --load -f "$file" -t "$(it_tag "$name")" "$@" "$ctx" >"$WORK/$name.log" 2>&1
}

! build wrong "$ctx/out/Dockerfile.wrong" --target devel || fail "a binary with another checksum was installed"
grep -q "/usr/local/bin/micromamba: FAILED" "$WORK/wrong.log" ||
    { tail -n 30 "$WORK/wrong.log" >&2; fail "the build did not stop at the checksum"; }
grep -q '"GET /micromamba-linux-64 HTTP' "$WORK/http.log" || fail "the build did not download from the stand-in URL"

build devel "$ctx/out/Dockerfile.right" --target devel ||
    { tail -n 40 "$WORK/devel.log" >&2; fail "the devel stage did not build with the stand-in micromamba"; }
docker run --rm "$(it_tag devel)" cat /opt/micromamba/standin-calls.log >"$WORK/calls" || fail "no stand-in calls"
cat "$WORK/calls"
cat >"$WORK/expected" <<EOF
argv: create -y -p /opt/env -f /tmp/cudagen/deps/environment.yml
env: MAMBA_ROOT_PREFIX=/opt/micromamba CONDA_OVERRIDE_CUDA=13.0
pkgs: a cache mount
argv: clean --all --yes
env: MAMBA_ROOT_PREFIX=/opt/micromamba CONDA_OVERRIDE_CUDA=13.0
EOF
diff "$WORK/expected" "$WORK/calls" >&2 || fail "micromamba was not called as the profile needs"

build runtime "$ctx/out/Dockerfile.right" ||
    { tail -n 40 "$WORK/runtime.log" >&2; fail "the runtime stage did not build"; }
[[ $(docker run --rm "$(it_tag runtime)" standin-env-check) == "stand-in environment on PATH" ]] ||
    fail "the environment is not on PATH in the runtime image"
docker run --rm "$(it_tag runtime)" cat /opt/env/conda-meta/environment.yml | cmp - "$ctx/environment.yml" ||
    fail "micromamba create did not get the profile's environment file"
echo "ok: checksum enforced; micromamba create/clean called with the environment, prefix and variables; env on PATH"
