# The env-delta script a framework profile's Dockerfile carries (plan in the
# env-delta stage, apply in the runtime stage) turns a copy of the old environment
# into the new one exactly, and its delta holds only what changed: new, changed and
# removed files, a file that became a folder and back, links, modes, a downgraded
# package's dist-info. Runs the script from the generated Dockerfile with the host's
# python3, on small trees (no Docker).
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3 on this host to run the generated script with"
cd "$ROOT"
"$CUDAGEN" generate -q -o "$WORK/gen" profiles/torch-service/cudagen.yaml
# The script's lines are the single-quoted arguments of its printf (the printf
# block that ends in env_delta.py: the devel stage has printf blocks of its own).
awk '/printf .%s\\n. \\$/ {on = 1; block = ""; next} on && /env_delta.py \\$/ {printf "%s", block; exit}
     on {block = block $0 "\n"}' "$WORK/gen/Dockerfile" |
    sed -e "s/^ *'//" -e "s/' \\\\\$//" >"$WORK/env_delta.py"
grep -q '^def apply' "$WORK/env_delta.py" || fail "no env-delta script in the torch-service Dockerfile"
python3 -m py_compile "$WORK/env_delta.py" || fail "the extracted env-delta script does not compile"

old=$WORK/old
mkdir -p "$old"/lib/pkg-1.0.dist-info "$old"/lib/pkg "$old"/lib/gone/deep "$old"/bin
head -c 300000 /dev/urandom >"$old/lib/big.so"                          # unchanged
echo 'version = "1.0"' >"$old/lib/pkg/__init__.py"                       # same size, other bytes
echo 'Version: 1.0' >"$old/lib/pkg-1.0.dist-info/METADATA"               # downgraded away
echo same >"$old/lib/touched.txt"                                       # same bytes, new mtime
echo x >"$old/lib/gone/deep/file"                                       # a removed folder
echo file >"$old/lib/becomes_dir"
mkdir -p "$old/lib/becomes_file" && echo inner >"$old/lib/becomes_file/inner"
echo run >"$old/bin/tool"
ln -s python3.12 "$old/bin/python3"
ln -s lib "$old/lib64"
touch -d '2024-01-01 00:00:00' "$old/lib/pkg/__init__.py" "$old/lib/touched.txt"
cp -a "$old" "$WORK/new"
new=$WORK/new
echo 'version = "0.9"' >"$new/lib/pkg/__init__.py"
rm -r "$new/lib/pkg-1.0.dist-info" "$new/lib/gone"
mkdir "$new/lib/pkg-0.9.dist-info" && echo 'Version: 0.9' >"$new/lib/pkg-0.9.dist-info/METADATA"
touch "$new/lib/touched.txt"
rm "$new/lib/becomes_dir" && mkdir "$new/lib/becomes_dir" && echo now >"$new/lib/becomes_dir/child"
rm -r "$new/lib/becomes_file" && echo now-a-file >"$new/lib/becomes_file"
chmod 0755 "$new/bin/tool"
ln -sfn python3.13 "$new/bin/python3"
mkdir -p "$new/lib/requests" && echo 'import os' >"$new/lib/requests/__init__.py"

python3 -I -S "$WORK/env_delta.py" plan "$old" "$new" "$WORK/delta" >"$STDOUT" || fail "plan failed"
grep -q "cudagen env-delta: 10 new or changed, 4 gone" "$STDOUT" || { cat "$STDOUT" >&2; fail "plan counted otherwise"; }
[[ ! -e $WORK/delta/tree/lib/big.so && ! -e $WORK/delta/tree/lib/touched.txt ]] ||
    fail "the delta carries files that did not change"
[[ -f $WORK/delta/tree/lib/pkg/__init__.py ]] || fail "the delta lacks a file changed at the same size"

target=$WORK/target
cp -a "$old" "$target"
python3 -I -S "$WORK/env_delta.py" apply "$WORK/delta" "$target" >"$STDOUT" || fail "apply failed"
listing() {  # type, mode, size, link target and content digest of every entry but folder times
    (cd "$1" && find . -printf '%y %m %U %G %s %l %p\n' | sort &&
        find . -type f -exec sha256sum {} + | sort -k2)
}
diff <(listing "$new") <(listing "$target") || fail "applying the delta to the old tree does not give the new one"
[[ $(stat -c %Y "$target/lib/touched.txt") == $(stat -c %Y "$old/lib/touched.txt") ]] ||
    fail "a file with the same bytes was rewritten"
echo "ok: old + delta = new (10 entries carried, 4 removed; unchanged files stay out of the delta)"
