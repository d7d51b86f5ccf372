# JAX with its CUDA extra, built for real on the STAND-IN CUDA 13.0 bases: jax[cuda13]
# 0.10.2 from PyPI (the plugin and NVIDIA's CUDA wheels), runtime stage on the plain OS; jax
# imports with its CUDA plugin installed, and cudagen-verify --framework jax gives the
# no-GPU verdict of a CUDA build (exit 10, framework verdict cuda-build-no-gpu).
# Shares the devel layers of the torch-service tests (same base, apt and venv steps).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
dir=$WORK/profiles/jax-cuda13
mkdir -p "$dir"
cat >"$dir/cudagen.yaml" <<'YAML'
name: jax-cuda13
cuda: "13.0"
python: "3.12"
framework: {name: jax, version: "0.10.2"}
gpu_archs: [a100, h100]
YAML
"$CUDAGEN" resolve --format json "$dir/cudagen.yaml" >"$WORK/resolved.json" || fail "cudagen resolve failed"
read -r extra flavor < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["framework"]["cuda_variant"], r["base_images"]["runtime_flavor"])' "$WORK/resolved.json")
[[ $extra == cuda13 && $flavor == os ]] || fail "resolve chose jax[$extra] on a $flavor runtime; expected jax[cuda13] on the plain OS"
it_build jax "$dir" || { tail -n 40 "$WORK/jax.log" >&2; fail "cudagen build failed"; }
image=$(it_tag jax-cuda13)
plugin=$(docker run --rm "$image" python -c 'import jax, jax_cuda13_plugin as p; print("jax", jax.__version__, "with", p.__name__)') ||
    fail "jax or its CUDA 13 plugin does not import"
rc=0
docker run --rm "$image" /opt/cudagen/bin/cudagen-verify --framework jax --json >"$WORK/verdict.json" || rc=$?
[[ $rc == 10 ]] || { cat "$WORK/verdict.json" >&2; fail "cudagen-verify exited $rc, expected 10 (no driver)"; }
verdict=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["framework"]["verdict"])' "$WORK/verdict.json")
[[ $verdict == cuda-build-no-gpu ]] || { cat "$WORK/verdict.json" >&2; fail "framework verdict '$verdict', expected cuda-build-no-gpu"; }
echo "ok: $plugin imports; verify exit 10 (cuda-build-no-gpu); runtime $(($(image_bytes "$image") / 1000000)) MB; build ${BUILD_MS} ms"
