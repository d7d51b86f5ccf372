# `cudagen generate` again over its own output, with two jobs sharing the
# check of the old folders: nothing changed leaves the folder untouched (no
# file newer, same inodes); one profile changed swaps in a whole new set whose
# unchanged files are the old ones linked; a foreign file found in an old
# profile folder turns the write in place and stays.
source "$(dirname "$0")/lib.sh"
mkdir -p "$WORK/p"
for i in $(seq -w 1 150); do  # enough folders for both jobs to take a share
    printf 'name: p%s\ncuda: "13.0"\nos: ubuntu24.04\napt: [curl]\n' "$i" >"$WORK/p/p$i.yaml"
done
OUT=$WORK/parent/out
# The output against a fresh generation at its own path (the bake file names that path).
same_as_fresh() {
    mv "$OUT" "$WORK/got"
    "$CUDAGEN" generate "$WORK"/p/p*.yaml -o "$OUT" -q -j 1
    diff -r "$WORK/got" "$OUT" >/dev/null || fail "$1 differs from a fresh generation"
    rm -rf "$WORK/got"
}
"$CUDAGEN" generate "$WORK"/p/p*.yaml -o "$OUT" -q -j 2
folder=$(stat -c %i "$OUT")
kept=$(stat -c %i "$OUT/p001/Dockerfile")
sleep 0.05
touch "$WORK/before"  # after the first run's last write, before the second run's first
sleep 0.05

"$CUDAGEN" generate "$WORK"/p/p*.yaml -o "$OUT" -q -j 2 || fail "the second run failed"
[[ $(stat -c %i "$OUT") == "$folder" ]] || fail "an unchanged set was swapped in again"
newer=$(find "$OUT" -newer "$WORK/before" | head -3)
[[ -z $newer ]] || fail "an unchanged set touched: $newer"
[[ $(ls -A "$WORK/parent") == out ]] || fail "leftovers: $(ls -A "$WORK/parent")"

sed -i 's/curl/wget/' "$WORK/p/p077.yaml"
"$CUDAGEN" generate "$WORK"/p/p*.yaml -o "$OUT" -q -j 2 || fail "the run after a change failed"
grep -q wget "$OUT/p077/Dockerfile" || fail "p077 was not changed"
[[ $(stat -c %i "$OUT") != "$folder" ]] || fail "a changed set was not swapped in whole"
[[ $(stat -c %i "$OUT/p001/Dockerfile") == "$kept" ]] || fail "an unchanged file was written again, not linked"
[[ $(stat -c %h "$OUT/p001/Dockerfile") == 1 ]] || fail "the old set's link to an unchanged file is left"
[[ $(ls -A "$WORK/parent") == out ]] || fail "leftovers: $(ls -A "$WORK/parent")"
same_as_fresh "the changed set"

echo mine >"$OUT/p120/notes.txt"
sed -i 's/wget/curl/' "$WORK/p/p077.yaml"
"$CUDAGEN" generate "$WORK"/p/p*.yaml -o "$OUT" -j 2 >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "run with a foreign file"; }
grep -q 'replaced-in-place' "$WORK/err" || fail "no note that the write went in place: $(cat "$WORK/err")"
[[ $(cat "$OUT/p120/notes.txt") == mine ]] || fail "the foreign file was lost"
grep -q curl "$OUT/p077/Dockerfile" || fail "p077 was not changed back"
rm "$OUT/p120/notes.txt"
same_as_fresh "the in-place write"
echo "ok: unchanged regeneration left 150 folders untouched; a change swapped a whole set; a foreign file stayed"
