# cudagen build of profiles/service-lite (FastAPI + uvicorn from requirements.txt)
# on the STAND-IN nvidia/cuda bases: the container serves GET /health on loopback.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
command -v curl >/dev/null || skip "curl is not installed (apt-get install curl)"
it_build svc "$ROOT/profiles/service-lite" || { tail -n 40 "$WORK/svc.log" >&2; fail "cudagen build failed"; }
image=$(it_tag service-lite)
port=$((20000 + $$ % 20000))
container=$(docker run -d -p "127.0.0.1:$port:8000" "$image")
IT_CONTAINERS+=("$container")
body=""
for _ in $(seq 1 60); do
    body=$(curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null) && break
    sleep 1
done
[[ $body == '{"status":"ok"}' ]] || { docker logs "$container" >&2; fail "GET /health answered '$body'"; }
# USER by number (the created user 'app' is uid 10001): Kubernetes runAsNonRoot can verify it.
user=$(docker inspect --format '{{.Config.User}}' "$image")
[[ $user == 10001:10001 ]] || fail "the image's USER is '$user', want the non-root uid 10001:10001"
[[ $(docker exec "$container" id -un) == app ]] || fail "the service does not run as the user 'app'"
echo "ok: service-lite answers GET /health with $body on 127.0.0.1:$port"
