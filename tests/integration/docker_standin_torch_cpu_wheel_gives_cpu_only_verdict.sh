# The article's failure, caught: profiles/torch-service with a CPU-only torch wheel
# forced over the CUDA one in the devel stage (as a later `pip install` from a CPU index
# does). PyTorch's CPU wheels live on download.pytorch.org, which these machines cannot
# reach, and PyPI's x86_64 torch is always a CUDA build, so the CPU wheel here is a
# STAND-IN: tests/integration/standin_frameworks/torch (a small pure-Python torch that
# reports torch.version.cuda None) packed as torch-2.13.0+cpu. cudagen-verify --framework
# pytorch must say CPU-only (exit 15), not merely "no GPU" (10). Reuses the seed's layers.
# The CUDA torch is deleted rather than uninstalled by pip: pip's uninstall moves every
# file aside first, which on overlayfs copies the gigabytes of the lower layer up.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
dir=$(copy_profile torch-service)
mkdir -p "$dir/wheels"
python3 - "$ROOT/tests/integration/standin_frameworks" "$dir/wheels" <<'PY'
import base64, hashlib, pathlib, sys, zipfile
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
cpu = lambda text: text.replace('config("STANDIN_CUDA", "13.0")', 'config("STANDIN_CUDA", "")').replace('"2.11.0+"', '"2.13.0+"')
files = {
    "torch/__init__.py": cpu((src / "torch/__init__.py").read_text()),
    "_standin_matrix.py": cpu((src / "_standin_matrix.py").read_text()),
    "torch-2.13.0+cpu.dist-info/METADATA": "Metadata-Version: 2.1\nName: torch\nVersion: 2.13.0+cpu\n",
    "torch-2.13.0+cpu.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: cudagen-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = ""
for name, text in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
    record += f"{name},sha256={digest},{len(text.encode())}\n"
files["torch-2.13.0+cpu.dist-info/RECORD"] = record + "torch-2.13.0+cpu.dist-info/RECORD,,\n"
with zipfile.ZipFile(out / "torch-2.13.0+cpu-py3-none-any.whl", "w") as whl:
    for name, text in files.items():
        whl.writestr(name, text)
PY
cat >>"$dir/cudagen.yaml" <<'YAML'
build:
  copy: [{src: wheels/, dst: /tmp/wheels}]
  run: ["rm -rf /opt/venv/lib/python3*/site-packages/torch /opt/venv/lib/python3*/site-packages/torch-*.dist-info && pip install --no-deps /tmp/wheels/torch-2.13.0+cpu-py3-none-any.whl"]
YAML
it_build cpu "$dir" || { tail -n 40 "$WORK/cpu.log" >&2; fail "cudagen build failed"; }
image=$(it_tag torch-service)
rc=0
docker run --rm "$image" /opt/cudagen/bin/cudagen-verify --framework pytorch --json >"$WORK/verdict.json" || rc=$?
[[ $rc == 15 ]] || { cat "$WORK/verdict.json" >&2; fail "cudagen-verify exited $rc, expected 15 (CPU-only framework build)"; }
read -r verdict diagnosis < <(python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))["framework"]
print(f["verdict"], f["diagnosis"])' "$WORK/verdict.json")
[[ $verdict == cpu-only-build ]] || fail "framework verdict '$verdict', expected cpu-only-build"
[[ $diagnosis == "torch 2.13.0+cpu is a CPU-only build: torch.version.cuda is None" ]] || fail "diagnosis: $diagnosis"
echo "ok: a CPU-only torch forced into torch-service gives exit 15: $diagnosis (build ${BUILD_MS} ms)"
