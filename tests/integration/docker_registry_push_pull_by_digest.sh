# A real push: Debian's docker-registry runs a registry on loopback; a profile
# scaffolded by `cudagen init --framework none` (on the STAND-IN nvidia/cuda bases,
# with the archs and runtime flavor of profiles/service-lite so the layers are shared)
# is built and pushed with `cudagen build --push`; the image is then pulled by its
# digest and its /healthz answers (no GPU here: "gpu": false).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
command -v curl >/dev/null || skip "curl is not installed (apt-get install curl)"

# The registry: installed when missing, started on a free loopback port, stopped on exit.
if ! command -v docker-registry >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
        docker-registry >"$WORK/apt.log" 2>&1 || { tail -n 20 "$WORK/apt.log" >&2; fail "apt-get install docker-registry failed"; }
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$WORK/registry.yml" <<YAML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $WORK/registry-data}, delete: {enabled: true}}
http: {addr: "127.0.0.1:$port"}
YAML
docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
registry_pid=$!
trap 'kill "$registry_pid" 2>/dev/null || true; cleanup_docker' EXIT
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null || { cat "$WORK/registry.log" >&2; fail "the registry did not start"; }

# The scaffold, made to share service-lite's layers, pushed to the registry.
expect_exit 0 "$CUDAGEN" init "$WORK/repo" --framework none --cuda 13.0 --ci none </dev/null
cd "$WORK/repo"
repository="cudagen-it-$$"
cat >>cudagen.yaml <<YAML
gpu_archs: ["8.0", "9.0"]
runtime_flavor: base
image: {registry: "127.0.0.1:$port/$repository"}
YAML
start=$(date +%s)
"$CUDAGEN" build --push --no-verify --base-registry "$k_standin_registry" -o "$WORK/out" >"$WORK/build.log" 2>&1 ||
    { tail -n 40 "$WORK/build.log" >&2; fail "cudagen build --push failed"; }
name=$(sed -n 's/^name: *//p' cudagen.yaml)
tag=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["target"][sys.argv[2]]["tags"][0])' \
    <(cd "$WORK/out" && docker buildx bake --print 2>/dev/null) "$name")
[[ $tag == 127.0.0.1:$port/$repository/$name:* ]] || fail "unexpected tag '$tag'"

# The digest the registry holds for the tag, then a pull by that digest.
accept="application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json"
accept+=",application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.docker.distribution.manifest.v2+json"
digest=$(curl -fsSI -H "Accept: $accept" "http://127.0.0.1:$port/v2/$repository/$name/manifests/${tag##*:}" |
    tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: *//p')
[[ $digest == sha256:* ]] || fail "the registry has no manifest for $tag"
by_digest="127.0.0.1:$port/$repository/$name@$digest"
IT_IMAGES+=("$by_digest")
docker pull "$by_digest" >"$WORK/pull.log" 2>&1 || { cat "$WORK/pull.log" >&2; fail "docker pull $by_digest failed"; }
docker image inspect --format '{{join .RepoDigests " "}}' "$by_digest" | grep -qF "$by_digest" ||
    fail "the pulled image does not carry $by_digest"
health=$(docker run --rm --workdir /app "$by_digest" python3 -c 'import json, main; print(json.dumps(main.healthz()))')
[[ $health == '{"status": "ok", "gpu": false, "devices": []}' ]] || fail "/healthz of the pulled image answered '$health'"
echo "ok: pushed $tag to a loopback registry, pulled $by_digest ($(( $(date +%s) - start )) s), /healthz: $health"
