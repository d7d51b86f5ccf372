# Output inside the build context: generate adds it to the context's
# .dockerignore (once, keeping the user's lines) and says so; the bake file's
# printed command works from any folder (here: /) with a plain docker driver's
# settings (no cache export) and names the right context.
source "$(dirname "$0")/lib.sh"
proj="$WORK/proj"
cp -r "$ROOT/tests/fixtures/projects/requirements-includes-cu" "$proj"
printf '# mine\n*.log\n' >"$proj/.dockerignore"
cd /
"$CUDAGEN" generate "$proj/cudagen.yaml" -o "$proj/build/cudagen" >"$STDOUT" 2>"$STDERR" || { cat "$STDERR"; fail "generate failed"; }
grep -q "added 'build/cudagen' to $proj/.dockerignore" "$STDOUT" || { cat "$STDOUT"; fail "generate did not say it updated .dockerignore"; }
[[ $(head -2 "$proj/.dockerignore") == $'# mine\n*.log' ]] || { cat "$proj/.dockerignore"; fail "the user's lines were not kept first"; }
[[ $(grep -cx 'build/cudagen' "$proj/.dockerignore") == 1 ]] || { cat "$proj/.dockerignore"; fail "no build/cudagen line"; }
"$CUDAGEN" generate "$proj/cudagen.yaml" -o "$proj/build/cudagen" -q >"$STDOUT" 2>"$STDERR" || fail "second generate failed"
[[ $(grep -cx 'build/cudagen' "$proj/.dockerignore") == 1 ]] || fail "the line was added twice"
# Output outside the context: no .dockerignore is touched.
rm "$proj/.dockerignore"
"$CUDAGEN" generate "$proj/cudagen.yaml" -o "$WORK/elsewhere" -q || fail "generate to another folder failed"
[[ ! -e $proj/.dockerignore ]] || fail "a .dockerignore was written although the output is outside the context"
# The header's command, run from /, with --print instead of --load (no daemon needed).
command=$(sed -n 's/^#   \(cd .*docker buildx bake.*\)$/\1/p' "$WORK/elsewhere/docker-bake.hcl")
[[ $command == "cd '$WORK/elsewhere' && docker buildx bake --load --set '*.cache-to='" ]] || fail "unexpected build command: '$command'"
docker buildx version >/dev/null 2>&1 || { echo "ok: .dockerignore updated once (buildx absent: the printed command was not run)"; exit 0; }
(cd / && eval "${command/--load/--print}") >"$WORK/print.json" 2>"$STDERR" || { cat "$STDERR"; fail "the printed command failed from /"; }
python3 - "$WORK/print.json" "$proj" "$WORK/elsewhere" <<'PY'
import json, os, sys
target = json.load(open(sys.argv[1]))["target"]["requirements-includes-cu"]
assert "cache-to" not in target, target
context = os.path.join(sys.argv[3], target["context"])
assert os.path.samefile(context, sys.argv[2]), (context, sys.argv[2])
PY
echo "ok: .dockerignore updated once and said so; the bake header's command works from /"
