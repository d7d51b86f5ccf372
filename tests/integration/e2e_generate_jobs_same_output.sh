# generate -j N: the same files, the same messages in the same order and the
# same exit code as -j 1, for a set of good profiles and for sets with a bad
# profile among good ones (where nothing is written, whatever N is).
source "$(dirname "$0")/lib.sh"
p=$WORK/p
mkdir -p "$p"
cp -r "$ROOT/profiles/cuda-cpp/src" "$p/src"
profile() {  # profile NAME [EXTRA LINE]: a CUDA C++ build with a service's packages
    cat <<PROFILE
name: $1
cuda: "13.0"
os: ubuntu24.04
gpu_archs: ["8.0", "9.0"]
apt_build: [cmake, make, g++]
apt: [libgl1]
pip:
  packages: ["fastapi==0.111.0", "uvicorn==0.30.1"]
build:
  copy: [{src: src/, dst: /src}]
  run: [cmake -S /src -B /src/build, cmake --build /src/build]
  artifacts: [{src: /src/build/saxpy, dst: /usr/local/bin/saxpy}]
app:
  entrypoint: [/usr/local/bin/saxpy]
${2:-}
PROFILE
}
count=40
good=()
for i in $(seq -w 1 $count); do
    extra=""
    ((10#$i % 7 == 0)) && extra=$'  env: {GREETING: "$HOME"}'  # a warning, at its place
    profile "svc-$i" "$extra" >"$p/g$i.yaml"
    good+=("$p/g$i.yaml")
done
# Runs generate with each -j into the same output path (moved away after
# each run) and compares exit codes, stdout, stderr and the written trees.
same_for_every_j() {  # same_for_every_j WANT_EXIT PROFILE...
    local want=$1; shift
    local j
    rm -rf "$WORK/out-j1.$want"
    for j in 1 4 3 4 2; do
        rm -rf "$WORK/out"
        mkdir -p "$WORK/out" && echo "keep me" >"$WORK/out/notes.txt"
        expect_exit "$want" "$CUDAGEN" generate "$@" -o "$WORK/out" -j "$j"
        if [[ $want != 0 ]]; then
            [[ $(find "$WORK/out" -type f) == "$WORK/out/notes.txt" ]] || fail "-j $j wrote files despite the error"
            [[ $(cat "$WORK/out/notes.txt") == "keep me" ]] || fail "-j $j changed a file despite the error"
        fi
        mv "$WORK/out" "$WORK/out-j$j.$want"
        cp "$STDOUT" "$WORK/stdout-j$j.$want"
        sed "s|out-j$j|out|g" "$STDERR" >"$WORK/stderr-j$j.$want"
        [[ -z $(find "$WORK" -maxdepth 1 -name '.cudagen-staging-*') ]] || fail "-j $j left a staging folder"
        if [[ $j != 1 ]]; then
            diff -r "$WORK/out-j1.$want" "$WORK/out-j$j.$want" || fail "-j $j wrote other files than -j 1"
            cmp "$WORK/stdout-j1.$want" "$WORK/stdout-j$j.$want" || fail "-j $j printed other output than -j 1"
            cmp "$WORK/stderr-j1.$want" "$WORK/stderr-j$j.$want" || {
                diff "$WORK/stderr-j1.$want" "$WORK/stderr-j$j.$want" >&2
                fail "-j $j printed other messages than -j 1"
            }
        fi
        [[ $j == 1 ]] || rm -rf "$WORK/out-j$j.$want"
    done
}

# All good: every Dockerfile, the bake file and the warnings, in input order.
(cd "$p" && "$CUDAGEN" generate "${good[@]}" -o "$WORK/ref" -q -j 1) 2>/dev/null
[[ -f $WORK/ref/svc-40/Dockerfile && -f $WORK/ref/docker-bake.hcl ]] || fail "-j 1 did not write the set"
same_for_every_j 0 "${good[@]}"
grep -q "g07.yaml:15:[0-9]*: warning" "$WORK/stderr-j1.0" || fail "the warning of g07 is not reported"
[[ $(grep -c "^wrote " "$WORK/stdout-j1.0") == $((count + 1)) ]] || fail "not every written file listed"

# A schema error in profile 12 and in 31 of 40: the located errors in order, exit 2, nothing written.
bad=("${good[@]}")
profile "svc-12" "platfroms: [linux/amd64]" >"$p/b12.yaml" && bad[11]=$p/b12.yaml
profile "svc-31" 'apt_extra: [x]' >"$p/b31.yaml" && bad[30]=$p/b31.yaml
same_for_every_j 2 "${bad[@]}"
grep -q "b12.yaml:15:1: error: unknown key 'platfroms'" "$WORK/stderr-j1.2" || fail "b12's error is missing"
[[ $(grep -n "error:" "$WORK/stderr-j1.2" | head -1) == *b12.yaml* ]] || fail "b31's error came before b12's"
grep -q "nothing written" "$WORK/stderr-j1.2" || fail "no 'nothing written'"

# A check error in profile 25 of 40 (an architecture CUDA 13 cannot compile): exit 1, nothing written.
bad=("${good[@]}")
profile "svc-25" >"$p/c25.yaml" && sed -i 's/gpu_archs: \["8.0", "9.0"\]/gpu_archs: ["5.0"]/' "$p/c25.yaml"
bad[24]=$p/c25.yaml
same_for_every_j 1 "${bad[@]}"
grep -q "c25.yaml:4:13: error: .*\[arch/not-compilable\]" "$WORK/stderr-j1.1" || fail "c25's check error is missing"

# Two profiles with one name (the 5th and the 33rd): the duplicate reported at the second, nothing written.
bad=("${good[@]}")
profile "svc-05" >"$p/d33.yaml" && bad[32]=$p/d33.yaml
same_for_every_j 2 "${bad[@]}"
grep -q "d33.yaml: error: two profiles are named 'svc-05'" "$WORK/stderr-j1.2" || fail "the duplicate name is not reported"
# Over an existing output of cudagen's (swapped whole; the old set removed on the jobs' threads).
for j in 1 4; do
    rm -rf "$WORK/swap"
    "$CUDAGEN" generate "${good[@]}" -o "$WORK/swap" -q -j "$j" 2>/dev/null
    "$CUDAGEN" generate "${good[@]}" -o "$WORK/swap" -q -j "$j" 2>/dev/null
    mv "$WORK/swap" "$WORK/swap-j$j"
done
diff -r "$WORK/swap-j1" "$WORK/swap-j4" || fail "-j 4 over an existing output wrote other files than -j 1"

# An output the writer refuses (a symbolic link): the same message and exit code.
ln -s "$WORK/swap-j1" "$WORK/link"
for j in 1 4; do
    expect_exit 2 "$CUDAGEN" generate "${good[@]}" -o "$WORK/link" -j "$j"
    cp "$STDERR" "$WORK/link-stderr-j$j"
done
cmp "$WORK/link-stderr-j1" "$WORK/link-stderr-j4" || fail "-j 4 reported a refused output otherwise than -j 1"
grep -q "io/output-is-link" "$WORK/link-stderr-j1" || fail "the link is not reported"
echo "ok: -j 1, 2, 3 and 4 give the same files, messages and exit codes; a bad profile among 40 writes nothing"
