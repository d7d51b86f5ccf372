# A profile given by an absolute path (or one with '..') is named by its file
# name in the Dockerfile and the image label: the build host's folders stay out.
source "$(dirname "$0")/lib.sh"
mkdir -p "$WORK/secret-project-dir/p"
printf 'name: demo\ncuda: "13.0"\nos: ubuntu24.04\n' >"$WORK/secret-project-dir/p/cudagen.yaml"
"$CUDAGEN" generate "$WORK/secret-project-dir/p/cudagen.yaml" -o "$WORK/out" -q
grep -q 'io.cudagen.profile="cudagen.yaml"' "$WORK/out/Dockerfile" || { grep -n profile "$WORK/out/Dockerfile" >&2; fail "label not the file name"; }
grep -n "secret-project-dir" "$WORK/out/Dockerfile" && fail "the Dockerfile names a folder of the build host"
(cd "$WORK/secret-project-dir/p" && "$CUDAGEN" generate ../p/cudagen.yaml -o "$WORK/out2" -q)
grep -q 'io.cudagen.profile="cudagen.yaml"' "$WORK/out2/Dockerfile" || fail "a path with '..' went into the label"
echo "ok: the label and header name the profile by its file name"
