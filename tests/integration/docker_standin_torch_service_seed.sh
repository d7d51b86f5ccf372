# The seed scenario, built for real: profiles/torch-service (FastAPI + torch 2.13.0 +
# torchvision, pip, torch from PyPI: its cu130 build) on the STAND-IN CUDA 13.0 bases.
# The service answers HTTP; torch.version.cuda is the CUDA that `cudagen resolve`
# chose; cudagen-verify --framework pytorch gives the no-GPU verdict of a CUDA build
# (exit 10, framework verdict cuda-build-no-gpu); the runtime stage starts from the
# plain OS (no nvidia/cuda flavor) with NVIDIA_REQUIRE_CUDA set by cudagen, and the
# image holds exactly one libcudart, one libcublas and one libcudnn: the wheels'.
# Cold: about 8 minutes on 2 cores (3 GB of wheels from PyPI).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
command -v curl >/dev/null || skip "curl is not installed (apt-get install curl)"
dir=$(copy_profile torch-service)
"$CUDAGEN" resolve --format json "$dir/cudagen.yaml" >"$WORK/resolved.json" || fail "cudagen resolve failed"
read -r want_cuda variant index flavor < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
f = r["framework"]
print(f["cuda_version"], f["cuda_variant"], f["index_url"] or "PyPI", r["base_images"]["runtime_flavor"])' "$WORK/resolved.json")
[[ $variant == cu130 && $index == PyPI && $flavor == os ]] ||
    fail "resolve chose $variant from $index on a $flavor runtime; expected cu130 from PyPI on the plain OS"
it_build svc "$dir" || { tail -n 40 "$WORK/svc.log" >&2; fail "cudagen build failed"; }
image=$(it_tag torch-service)

got_cuda=$(docker run --rm "$image" python -c 'import torch; print(torch.version.cuda)')
[[ $got_cuda == "$want_cuda" ]] || fail "torch.version.cuda is '$got_cuda' in the image, resolve chose $want_cuda"

port=$((20000 + $$ % 20000))
container=$(docker run -d -p "127.0.0.1:$port:8000" "$image")
IT_CONTAINERS+=("$container")
body=""
for _ in $(seq 1 120); do
    body=$(curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null) && break
    sleep 1
done
[[ $body == "{\"cuda\":false,\"torch\":\"2.13.0+cu130\"}" ]] || { docker logs "$container" >&2; fail "GET /health answered '$body'"; }

rc=0
docker run --rm "$image" /opt/cudagen/bin/cudagen-verify --framework pytorch --json >"$WORK/verdict.json" || rc=$?
[[ $rc == 10 ]] || { cat "$WORK/verdict.json" >&2; fail "cudagen-verify exited $rc, expected 10 (no driver)"; }
framework_verdict=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["framework"]["verdict"])' "$WORK/verdict.json")
[[ $framework_verdict == cuda-build-no-gpu ]] || fail "framework verdict '$framework_verdict', expected cuda-build-no-gpu"

require=$(docker image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" | sed -n 's/^NVIDIA_REQUIRE_CUDA=//p')
[[ $require == "cuda>=$want_cuda" ]] || fail "NVIDIA_REQUIRE_CUDA is '$require' in the image, expected cuda>=$want_cuda"

# Every regular file and symbolic link named like the three libraries, anywhere in
# the image: exactly one real file of each (the wheels'), whatever links point at it.
docker run --rm --entrypoint bash "$image" -c \
    'find / -xdev \( -name "libcudart.so*" -o -name "libcublas.so*" -o -name "libcudnn.so*" \) \( -type f -o -type l \) -printf "%y %p\n" | sort' >"$WORK/libs"
cat "$WORK/libs"
for lib in libcudart.so libcublas.so libcudnn.so; do
    n=$(grep -c "^f .*/$lib" "$WORK/libs" || true)
    [[ $n == 1 ]] || fail "$n copies of $lib in the runtime image (expected exactly one: the wheel's)"
done
echo "ok: torch-service answers $body; torch.version.cuda $got_cuda = resolve's; verify exit 10 (cuda-build-no-gpu); NVIDIA_REQUIRE_CUDA $require; one libcudart, one libcublas, one libcudnn"
echo "runtime image: $(($(image_bytes "$image") / 1000000)) MB; build ${BUILD_MS} ms"
