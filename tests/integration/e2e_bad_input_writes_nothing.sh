# A bad profile: exit 2, a located error with a fix, and the output folder untouched.
source "$(dirname "$0")/lib.sh"
mkdir -p "$WORK/out" "$WORK/p"
echo "keep me" >"$WORK/out/Dockerfile"
echo "other" >"$WORK/out/notes.txt"
before=$(cd "$WORK/out" && find . -type f -exec sha256sum {} + | sort)
printf 'name: demo\ncuda: "12.4.1"\nplatfroms: [linux/amd64]\napt: ["curl; rm -rf /"]\n' >"$WORK/p/bad.yaml"
expect_exit 2 "$CUDAGEN" generate "$WORK/p/bad.yaml" -o "$WORK/out"
grep -q "bad.yaml:3:1: error: unknown key 'platfroms' at the top level (did you mean 'platforms'?)" "$STDERR" \
    || { cat "$STDERR"; fail "unknown key not reported at 3:1 with a suggestion"; }
grep -q "bad.yaml:4:7: error: apt 'curl; rm -rf /' is not a Debian package name" "$STDERR" \
    || { cat "$STDERR"; fail "bad package name not reported at 4:7"; }
grep -q "fix: " "$STDERR" || fail "no fix offered"
after=$(cd "$WORK/out" && find . -type f -exec sha256sum {} + | sort)
[[ "$before" == "$after" ]] || fail "output folder changed after an error"
[[ -z $(find "$WORK" -maxdepth 1 -name '.cudagen-staging-*') ]] || fail "staging folder left behind"
echo "ok: exit 2, located errors, nothing written"
