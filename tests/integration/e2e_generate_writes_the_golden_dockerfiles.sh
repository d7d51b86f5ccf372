# The Dockerfiles `cudagen generate` writes for many profiles in one run (the
# verify sample's block written from one copy in memory, the profiles worked on
# at once or one at a time) are byte for byte the golden Dockerfiles, which the
# unit tests render one profile at a time with the whole text in memory.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
for j in 1 4; do
    "$CUDAGEN" generate profiles/*/cudagen.yaml -o "$WORK/out$j" -q -j "$j"
    compared=0
    for profile in profiles/*/cudagen.yaml; do
        folder=$(basename "$(dirname "$profile")")
        golden=tests/golden/$folder/Dockerfile
        [[ -f $golden ]] || continue
        name=$(sed -n 's/^name: *"\{0,1\}\([a-z0-9._-]*\)"\{0,1\} *$/\1/p' "$profile" | head -1)
        [[ -n $name ]] || fail "no name in $profile"
        cmp "$golden" "$WORK/out$j/$name/Dockerfile" || fail "-j $j: $name/Dockerfile differs from $golden"
        grep -q "cudagen-verify" "$WORK/out$j/$name/Dockerfile" || fail "-j $j: $name/Dockerfile lacks the verify block"
        compared=$((compared + 1))
    done
    [[ $compared -ge 6 ]] || fail "-j $j: only $compared Dockerfiles compared with goldens"
done
echo "ok: $compared Dockerfiles written by one generate equal their goldens, with -j 1 and -j 4"
