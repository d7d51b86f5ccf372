# Kill `cudagen generate` at random moments (SIGKILL and SIGTERM, before,
# during and after the final swap): the output folder always holds the whole
# old set or the whole new set, and SIGTERM leaves no staging folder behind.
source "$(dirname "$0")/lib.sh"
PROFILES=24
KILLS=${CUDAGEN_KILL_RUNS:-80}
make_set() {  # make_set DIR APT: PROFILES profiles that differ between sets in one apt package
    mkdir -p "$1"
    for i in $(seq 1 "$PROFILES"); do
        printf 'name: p%s\ncuda: "13.0"\nos: ubuntu24.04\napt: [%s]\napp:\n  cmd: ["/bin/true"]\n' "$i" "$2" >"$1/p$i.yaml"
    done
}
make_set "$WORK/a" curl
make_set "$WORK/b" wget
mkdir -p "$WORK/parent"
OUT=$WORK/parent/out
# The references are written at the output's own path: the bake file's paths are relative to it.
for set in b a; do
    "$CUDAGEN" generate "$WORK"/$set/p*.yaml -o "$OUT" -q
    cp -a "$OUT" "$WORK/ref-$set"
done
diff -rq "$WORK/ref-a" "$WORK/ref-b" >/dev/null && fail "the two sets do not differ"

# How long one run takes, so the kills spread over all of it.
start=$(date +%s%N)
"$CUDAGEN" generate "$WORK"/b/p*.yaml -o "$WORK/parent/timing" -q
rm -rf "$WORK/parent/timing"
span_us=$(( ($(date +%s%N) - start) / 1000 ))
(( span_us > 0 )) || span_us=1000

same_as() { diff -r "$OUT" "$1" >/dev/null 2>&1; }
old=0 new=0
for run in $(seq 1 "$KILLS"); do
    if (( run % 2 )); then set=b; else set=a; fi
    signal=KILL; (( run % 3 == 0 )) && signal=TERM
    staged_before=$(cd "$WORK/parent" && ls -A | grep '^\.cudagen-staging-' || true)
    "$CUDAGEN" generate "$WORK"/$set/p*.yaml -o "$OUT" -q 2>/dev/null &
    pid=$!
    delay_us=$(( RANDOM * 32768 + RANDOM ))
    delay_us=$(( delay_us % (span_us * 12 / 10 + 1) ))
    sleep "$(printf '0.%06d' "$delay_us")"
    kill -s "$signal" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if same_as "$WORK/ref-$set"; then
        new=$((new + 1))
    elif same_as "$WORK/ref-a" || same_as "$WORK/ref-b"; then
        old=$((old + 1))
    else
        diff -r "$OUT" "$WORK/ref-$set" | head -20 >&2
        fail "run $run ($signal after ${delay_us} us): the output folder is neither the old nor the new set"
    fi
    # SIGKILL may leave a staging folder (the next run removes it); SIGTERM adds none.
    staged_after=$(cd "$WORK/parent" && ls -A | grep '^\.cudagen-staging-' || true)
    added=$(comm -13 <(sort <<<"$staged_before") <(sort <<<"$staged_after"))
    if [[ $signal == TERM && -n $added ]]; then
        fail "run $run: SIGTERM left a staging folder: $added"
    fi
done
# A run after SIGKILLs removes what they left.
"$CUDAGEN" generate "$WORK"/a/p*.yaml -o "$OUT" -q
same_as "$WORK/ref-a" || fail "a clean run after the kills did not write the set"
compgen -G "$WORK/parent/.cudagen-staging-*" >/dev/null && fail "staging folders left after a clean run"
[[ $(ls -A "$WORK/parent") == out ]] || fail "unexpected files next to the output: $(ls -A "$WORK/parent")"
echo "ok: $KILLS kills over ${span_us} us runs: $old left the old set, $new the new set, never a mix"
(( old > 0 && new > 0 )) || echo "note: every kill landed on one side of the swap; rerun to cover both"
