# A tiny PyTorch CUDA extension (torch.utils.cpp_extension, tests/fixtures/projects/
# torch-extension) built in the devel stage on the STAND-IN bases with no GPU:
# cuobjdump on the built .so lists exactly the profile's archs, sm_80 and sm_90,
# plus PTX for compute_90. torch comes from PyPI (its Linux x86_64 wheel is the
# CUDA 13.0 build with nvidia-* wheels), so the first run downloads a few GB.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
CUOBJDUMP=$(cuobjdump_path)
mkdir -p "$WORK/profiles"
cp -r "$ROOT/tests/fixtures/projects/torch-extension" "$WORK/profiles/torch-extension"
# torch from PyPI by pip.packages (no GPU verify sample: nothing here could run it):
# the stand-ins cannot reach download.pytorch.org, where framework: picks the wheel.
cat >"$WORK/profiles/torch-extension/cudagen.yaml" <<'YAML'
name: torch-extension
cuda: "13.0"
os: ubuntu24.04
gpu_archs: ["8.0", "9.0"]
verify: false
pip: {packages: ["torch==2.13.0"]}
build:
  steps:
    - copy: {src: ., dst: /src/ext}
    - run: pip install --no-build-isolation /src/ext
app:
  cmd: [python, -c, "import addone_cuda"]
YAML
it_build ext "$WORK/profiles/torch-extension" || { tail -n 60 "$WORK/ext.log" >&2; fail "cudagen build exited non-zero"; }
container=$(docker create "$(it_tag torch-extension)")
IT_CONTAINERS+=("$container")
so=$(docker run --rm --entrypoint /bin/sh "$(it_tag torch-extension)" -c 'ls /opt/venv/lib/python3*/site-packages/addone_cuda*.so')
[[ -n $so ]] || fail "no addone_cuda*.so in the image's environment"
docker cp "$container:$so" "$WORK/addone.so" >/dev/null
elf=$("$CUOBJDUMP" --list-elf "$WORK/addone.so" | grep -o 'sm_[0-9]*' | sort -u | tr '\n' ' ')
ptx=$("$CUOBJDUMP" --list-ptx "$WORK/addone.so" | grep -o 'sm_[0-9]*' | sort -u | tr '\n' ' ')
[[ $elf == "sm_80 sm_90 " ]] || fail "the extension holds SASS for '$elf', want 'sm_80 sm_90 '"
[[ $ptx == "sm_90 " ]] || fail "the extension holds PTX for '$ptx', want 'sm_90 ' (PTX for the newest arch)"
label=$(docker image inspect --format '{{index .Config.Labels "io.cudagen.gpu-archs"}}' "$(it_tag torch-extension)")
[[ $label == "8.0;9.0+PTX" ]] || fail "label io.cudagen.gpu-archs is '$label', want what the extension was built for"
echo "ok: torch extension built without a GPU holds SASS [$elf] and PTX [$ptx], as the label says (${BUILD_MS} ms)"
