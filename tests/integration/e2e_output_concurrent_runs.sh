# Two `cudagen generate` runs on one output folder at once: both succeed (the
# second waits for the first's lock) and the folder holds one whole set.
source "$(dirname "$0")/lib.sh"
for set in a b; do
    mkdir -p "$WORK/$set"
    for i in $(seq 1 16); do
        printf 'name: p%s\ncuda: "13.0"\nos: ubuntu24.04\napt: [%s]\n' "$i" "$([[ $set == a ]] && echo curl || echo wget)" \
            >"$WORK/$set/p$i.yaml"
    done
done
OUT=$WORK/parent/out
for set in a b; do  # written at the output's own path: the bake file's paths are relative to it
    "$CUDAGEN" generate "$WORK"/$set/p*.yaml -o "$OUT" -q
    cp -a "$OUT" "$WORK/ref-$set"
done
for round in $(seq 1 15); do
    "$CUDAGEN" generate "$WORK"/a/p*.yaml -o "$OUT" -q 2>"$WORK/err-a" & a=$!
    "$CUDAGEN" generate "$WORK"/b/p*.yaml -o "$OUT" -q 2>"$WORK/err-b" & b=$!
    wait "$a" || { cat "$WORK/err-a" >&2; fail "round $round: run a failed"; }
    wait "$b" || { cat "$WORK/err-b" >&2; fail "round $round: run b failed"; }
    diff -r "$OUT" "$WORK/ref-a" >/dev/null || diff -r "$OUT" "$WORK/ref-b" >/dev/null \
        || fail "round $round: two runs at once left a mix"
    [[ $(ls -A "$WORK/parent") == out ]] || fail "round $round: leftovers: $(ls -A "$WORK/parent")"
done
echo "ok: 15 rounds of two concurrent runs, each left one whole set"
