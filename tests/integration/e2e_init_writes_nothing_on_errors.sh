# cudagen init never overwrites without --force, and writes nothing at all when
# the choices cannot work together or a file is in the way.
source "$(dirname "$0")/lib.sh"
dir=$WORK/repo

# An incompatible choice: exit 1, no folder, the reason on stderr.
expect_exit 1 "$CUDAGEN" init "$dir" --framework pytorch --cuda 11.0 </dev/null
grep -q 'nothing written' "$STDERR" || fail "no 'nothing written' on an incompatible choice"
[[ ! -e $dir ]] || { find "$dir"; fail "init wrote files for an incompatible choice"; }

# Bad input: exit 2, nothing written.
expect_exit 2 "$CUDAGEN" init "$dir" --framework pytorch --python 2.7 </dev/null
[[ ! -e $dir ]] || fail "init wrote files for a bad --python"
expect_exit 2 "$CUDAGEN" init "$dir" --framework caffe </dev/null
[[ ! -e $dir ]] || fail "init wrote files for an unknown framework"

# One file in the way: exit 2, it is named, and no other file appears.
mkdir -p "$dir/app"
echo "mine" >"$dir/app/main.py"
expect_exit 2 "$CUDAGEN" init "$dir" --framework none </dev/null
grep -q "app/main.py: error: exists already \[init/exists\]" "$STDERR" || { cat "$STDERR"; fail "the file in the way is not named"; }
[[ $(cat "$dir/app/main.py") == mine ]] || fail "init overwrote app/main.py without --force"
[[ $(find "$dir" -type f | wc -l) == 1 ]] || { find "$dir"; fail "init wrote other files although one was in the way"; }

# --force overwrites.
expect_exit 0 "$CUDAGEN" init "$dir" --framework none --force </dev/null
grep -q '/healthz' "$dir/app/main.py" || fail "--force did not write app/main.py"
[[ -f $dir/cudagen.yaml && -f $dir/.github/workflows/cudagen.yml ]] || fail "--force did not write the scaffold"

# --ci none: no workflow.
expect_exit 0 "$CUDAGEN" init "$WORK/plain" --framework none --ci none </dev/null
[[ ! -e $WORK/plain/.github ]] || fail "--ci none wrote a workflow"
echo "ok"
