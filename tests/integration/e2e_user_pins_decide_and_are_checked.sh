# What users pin in their own files decides what the profile leaves out, and is
# checked where it is written: `cudagen resolve` adopts torch==1.13.1+cu117 from
# a requirements file (CUDA 11.7, not the newest CUDA) and names the pin's
# file:line; `cudagen check` reports an environment's old pytorch-channel build
# with MKL unpinned (pytorch/pytorch#123097) at the environment's line, exit 1.
source "$(dirname "$0")/lib.sh"
proj="$WORK/proj"
mkdir -p "$proj"
printf 'name: pins\npip:\n  requirements: requirements.txt\n' >"$proj/cudagen.yaml"
printf 'numpy==1.24.4\n--extra-index-url https://download.pytorch.org/whl/cu117\ntorch==1.13.1+cu117\n' >"$proj/requirements.txt"
expect_exit 0 "$CUDAGEN" resolve "$proj/cudagen.yaml"
grep -q '11\.7\.1' "$STDOUT" || { cat "$STDOUT"; fail "CUDA 11.7 was not adopted from the pin"; }
grep -q 'requirements.txt:3' "$STDOUT" || { cat "$STDOUT"; fail "resolve does not name the pin's line"; }
printf 'name: env\nconda:\n  environment: environment.yml\n' >"$proj/cudagen.yaml"
printf 'channels:\n  - pytorch\n  - nvidia\ndependencies:\n  - python=3.10\n  - pytorch=2.1.0\n  - pytorch-cuda=12.1\n' >"$proj/environment.yml"
expect_exit 1 "$CUDAGEN" check "$proj/cudagen.yaml"
grep -q "environment.yml:6:5: error: pytorch=2.1.0 from the pytorch channel with mkl is not pinned" "$STDOUT" ||
    { cat "$STDOUT"; fail "no located known-breakage error"; }
grep -q "fix: pin mkl=2024.0" "$STDOUT" || { cat "$STDOUT"; fail "no fix"; }
printf '  - mkl=2024.0\n' >>"$proj/environment.yml"
expect_exit 0 "$CUDAGEN" check "$proj/cudagen.yaml"
echo "ok: pins adopted with their origin; environment findings located, exit 1, and gone once fixed"
