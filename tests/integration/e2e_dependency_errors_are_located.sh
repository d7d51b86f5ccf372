# Bad dependency files stop generate with a located error (file:line:column,
# caret, fix), exit 2, and nothing written: an include leaving the build
# context, an unknown pip option, and a RHEL-family OS token.
source "$(dirname "$0")/lib.sh"
proj="$WORK/proj"
mkdir -p "$proj"
printf 'name: deps-errors\ncuda: "13.0"\nos: ubuntu24.04\npip: {requirements: requirements.txt}\n' >"$proj/cudagen.yaml"
printf 'numpy==2.1.3\n-r ../shared/base.txt\n--extra-index https://example.org/simple\n' >"$proj/requirements.txt"
expect_exit 2 "$CUDAGEN" generate "$proj/cudagen.yaml" -o "$WORK/out"
grep -q "$proj/requirements.txt:2:4: error: '../shared/base.txt' leaves the build context (the profile's folder) \[path/outside-context\]" "$STDERR" ||
    { cat "$STDERR"; fail "no located outside-context error"; }
grep -q "requirements.txt:3:1: error: pip does not know the option '--extra-index' (did you mean '--extra-index-url'?)" "$STDERR" ||
    { cat "$STDERR"; fail "no located unknown-option error"; }
grep -q '^ *\^' "$STDERR" || { cat "$STDERR"; fail "no caret"; }
[[ ! -e $WORK/out ]] || fail "something was written"
printf 'name: ubi\ncuda: "13.0"\nos: ubi9\n' >"$proj/cudagen.yaml"
expect_exit 2 "$CUDAGEN" check "$proj/cudagen.yaml"
# check reports on stdout (its findings are its output)
grep -q "cudagen.yaml:3:5: error: os 'ubi9' is not a Debian-family image" "$STDOUT" || { cat "$STDOUT"; fail "ubi9 not rejected at its place"; }
echo "ok: dependency-file and OS errors are located, exit 2, nothing written"
