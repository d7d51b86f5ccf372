# Commands without a profile use the nearest cudagen.yaml: in the current folder
# or a folder above it, as git finds .git.
source "$(dirname "$0")/lib.sh"
cp -r "$ROOT/profiles/service-lite" "$WORK/repo"
mkdir -p "$WORK/repo/app/deep/er"
cd "$WORK/repo/app/deep/er"
expect_exit 0 "$CUDAGEN" check
expect_exit 0 "$CUDAGEN" resolve --format json
grep -q '"name": "service-lite"' "$STDOUT" || fail "resolve did not read ../../../cudagen.yaml"
cd "$WORK"
expect_exit 2 "$CUDAGEN" check
grep -q "cannot read profile 'cudagen.yaml'" "$STDERR" || { cat "$STDERR"; fail "no cudagen.yaml anywhere: wrong message"; }
echo "ok"
