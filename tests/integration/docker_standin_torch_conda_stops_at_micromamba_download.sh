# profiles/torch-conda as far as it goes here: no conda channel and no GitHub are
# reachable, so the build must stop exactly at the micromamba download (the first
# step that needs them), after the steps before it succeeded, with curl's reason
# in the log and cudagen's "bake failed" error (exit 4). STAND-IN bases for CUDA
# 12.4 (made with --any-version from this machine's CUDA 13 toolkit).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
k_standin_tags=(12.4.1-devel-ubuntu22.04 12.4.1-base-ubuntu22.04)
ensure_standins --any-version
if curl -fsS -m 10 -o /dev/null https://github.com 2>/dev/null; then
    skip "github.com is reachable from here: the build would not stop at the micromamba download"
fi
# A copy without the verify stage: the 12.4 stand-in holds this machine's CUDA 13
# nvcc, which cannot compile the sm_50 target that torch 2.5's wheel list asks for,
# and BuildKit would stop there (in parallel) before reaching the download.
cp -r "$ROOT/profiles/torch-conda" "$WORK/torch-conda"
printf '\nverify: false\n' >>"$WORK/torch-conda/cudagen.yaml"
rc=0
it_build conda "$WORK/torch-conda" || rc=$?
[[ $rc == 4 ]] || { tail -n 40 "$WORK/conda.log" | cut -c1-300 >&2; fail "cudagen build exited $rc, expected 4 (bake failed)"; }
grep -q "cudagen: error: docker buildx bake failed" "$WORK/conda.log" || fail "no 'bake failed' error from cudagen"
step_report "$WORK/conda.log" >"$WORK/steps"
cat "$WORK/steps"
python3 - "$WORK/steps" <<'PY' || fail "the build did not stop exactly at the micromamba download"
import sys
rows = [line.split(" ", 4) for line in open(sys.argv[1]).read().splitlines()]
devel = [r for r in rows if r[2] == "devel"]
mamba = next(i for i, r in enumerate(devel) if "micromamba-releases" in r[4])
assert devel[mamba][0] == "FAILED", devel[mamba]
assert all(r[0] in ("BUILT", "CACHED") for r in devel[:mamba]), devel[:mamba]
assert any("apt-get" in r[4] for r in devel[:mamba]), "the apt step before the download did not run"
assert not any("micromamba create" in r[4] for r in devel), "the build went past the download"
PY
grep -q "Could not resolve host: github.com" "$WORK/conda.log" || fail "curl's reason is not in the log"
grep -qE "ERROR: .*(did not complete successfully|executor failed running).*micromamba" "$WORK/conda.log" ||
    { grep -n "ERROR" "$WORK/conda.log" | cut -c1-300 >&2; fail "BuildKit's error does not name the micromamba step"; }
echo "ok: torch-conda stops at the micromamba download (github.com unreachable), exit 4"
