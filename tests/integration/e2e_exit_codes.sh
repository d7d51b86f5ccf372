# Exit codes: 0 ok, 1 incompatible, 2 bad input or usage; cudagen.yaml is the default profile.
source "$(dirname "$0")/lib.sh"
cd "$ROOT/profiles/cuda-cpp"
expect_exit 0 "$CUDAGEN" check
expect_exit 0 "$CUDAGEN" resolve --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["cuda"].count(".")==2 and d["base_images"]["devel"].endswith("devel-ubuntu24.04"), d' "$STDOUT" \
    || fail "resolve json lacks cuda X.Y.Z or base_images.devel"
cd "$WORK"
expect_exit 2 "$CUDAGEN" check   # no cudagen.yaml here
cat "$STDOUT" "$STDERR" | grep -q "cannot read profile 'cudagen.yaml'" || fail "missing-default-profile message"
expect_exit 2 "$CUDAGEN" generat
printf 'name: volta\ncuda: "13.0"\ngpu_archs: [v100]\n' >"$WORK/p.yaml"
expect_exit 1 "$CUDAGEN" check "$WORK/p.yaml"
expect_exit 1 "$CUDAGEN" check "$WORK/p.yaml" --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["command"] == "check" and d["ok"] is False and d["exit_code"] == 1 and d["problems"][0]["line"] > 0, d' "$STDOUT" \
    || fail "check --format json shape"
expect_exit 1 "$CUDAGEN" generate "$WORK/p.yaml" -o "$WORK/gen"
[[ ! -e "$WORK/gen" ]] || fail "generate wrote files for an incompatible profile"
echo "ok: exit codes"
