# check --driver/--gpu: list options do not swallow the profile; nvidia-smi names work;
# bad values are usage errors (exit 2); `cudagen gpus` lists names with their compute capability.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
printf 'name: demo\ncuda: "12.4"\n' >"$WORK/p.yaml"
# The profile after --gpu is a profile, not a second GPU (and no ./cudagen.yaml is read instead).
expect_exit 0 "$CUDAGEN" check --gpu a100 "$WORK/p.yaml"
expect_exit 0 "$CUDAGEN" check --gpu a100,h100 --gpu "NVIDIA H100 80GB HBM3" "$WORK/p.yaml"
expect_exit 0 "$CUDAGEN" check --driver 550.54.15 "$WORK/p.yaml"
# Bad values are usage errors, before any profile is read.
expect_exit 2 "$CUDAGEN" check --driver latest "$WORK/p.yaml"
grep -q "usage/bad-driver" "$STDOUT" || fail "bad --driver code"
expect_exit 2 "$CUDAGEN" check --gpu a1000 "$WORK/p.yaml"
grep -q "did you mean 'a100'" "$STDOUT" || fail "bad --gpu hint"
expect_exit 2 "$CUDAGEN" generate --gpu a1000 "$WORK/p.yaml" -o "$WORK/gen"
[[ ! -e "$WORK/gen" ]] || fail "generate wrote files after a bad --gpu"
# No message points into cudagen's own source files.
if grep -q "generator/" "$STDOUT" "$STDERR"; then fail "a message points into generator/"; fi
# A GeForce on a driver older than a CUDA 12.6 image: refused at container start (exit 1).
expect_exit 1 "$CUDAGEN" check --driver 535.104.05 --gpu "NVIDIA GeForce RTX 4090" "$WORK/p.yaml"
expect_exit 0 "$CUDAGEN" check --driver 12.4 "$WORK/p.yaml"
grep -q "compat/driver-is-cuda-version" "$STDOUT" || fail "--driver 12.4 not explained"
expect_exit 0 "$CUDAGEN" gpus
grep -Eq '^9\.0 +sm_90 +Hopper +datacenter .*h100' "$STDOUT" || fail "gpus lists h100 with 9.0"
expect_exit 0 "$CUDAGEN" gpus --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any("rtx4090" in g["names"] and g["compute_capability"]=="8.9" and g["brand"]=="geforce" for g in d), d' "$STDOUT" \
    || fail "gpus --format json"
echo "ok: check host flags"
