# Commands without a profile use the nearest cudagen.yaml: in the current folder
# or a folder above it, as git finds .git.
source "$(dirname "$0")/lib.sh"
cp -r "$ROOT/profiles/service-lite" "$WORK/repo"
mkdir -p "$WORK/repo/app/deep/er"
cd "$WORK/repo/app/deep/er"
expect_exit 0 "$CUDAGEN" check
expect_exit 0 "$CUDAGEN" resolve --format json
grep -q '"name": "service-lite"' "$STDOUT" || fail "resolve did not read ../../../cudagen.yaml"
# Without one anywhere above: a plain error. (Only checked when no folder above
# the temporary folder happens to hold a cudagen.yaml.)
cd "$WORK"
above=$WORK
while [[ $above != / ]]; do above=$(dirname "$above"); [[ -f $above/cudagen.yaml ]] && break; done
if [[ ! -f $above/cudagen.yaml ]]; then
    expect_exit 2 "$CUDAGEN" check
    cat "$STDOUT" "$STDERR" | grep -q "cannot read profile 'cudagen.yaml'" || { cat "$STDOUT" "$STDERR"; fail "no cudagen.yaml anywhere: wrong message"; }
fi
echo "ok"
