# docker buildx bake --print accepts the generated bake file (no daemon needed).
source "$(dirname "$0")/lib.sh"
docker buildx version >/dev/null 2>&1 || fail "docker buildx is not installed (scripts/setup_docker.sh installs it)"
cd "$ROOT"
"$CUDAGEN" generate profiles/*/cudagen.yaml -o "$WORK/gen" -q
cd "$WORK/gen"
docker buildx bake --print >"$WORK/print.json" 2>"$WORK/print.err" || { cat "$WORK/print.err"; fail "bake --print failed"; }
python3 - "$WORK/print.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
targets = d["target"]
assert set(d["group"]["default"]["targets"]) == set(targets), d["group"]
assert len(targets) >= 6, targets.keys()
m = targets["multiarch-infer"]
assert m["platforms"] == ["linux/amd64", "linux/arm64"], m
assert m["target"] == "runtime", m
assert targets["fastapi-torch"]["tags"] == ["ghcr.io/acme/fastapi-torch:2.5.1-cuda12.4.1"], targets["fastapi-torch"]
assert targets["fastapi-torch"]["cache-to"], "no cache-to"
print("ok: bake --print accepted", len(targets), "targets")
PY
