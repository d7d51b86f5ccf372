# Values that need escaping reach the image exactly as the profile wrote them:
# BuildKit itself parses the generated Dockerfile (ENV, LABEL, CMD) and buildx
# reads the bake file (a build context whose folder name holds `${x}`, spaces
# and quotes). The escaping filters are tested through the templates and the
# real parsers, not only as functions. STAND-IN bases.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
k_standin_tags=(13.0.2-devel-ubuntu24.04 13.0.2-base-ubuntu24.04)
ensure_standins
dir="$WORK/p\${x} 'q' \"d\""
mkdir -p "$dir"
cat >"$dir/cudagen.yaml" <<'YAML'
name: values-intact
cuda: "13.0"
os: ubuntu24.04
runtime_flavor: base
verify: false
app:
  env:
    GREETING: 'say "hi" to $HOME'
    BACKSLASHES: 'a\b\\c'
    BRACES: '${NOPE:-x} `id` $(id)'
    QUOTES: "it's \"quoted\""
  cmd: ["/bin/echo", "say \"hi\" to $HOME", "it's", "a\\b"]
YAML
it_build intact "$dir" || { tail -n 40 "$WORK/intact.log" >&2; fail "cudagen build failed"; }
image=$(it_tag values-intact)
docker image inspect "$image" --format '{{json .Config}}' >"$WORK/config.json" || fail "no image $image"
python3 - "$WORK/config.json" <<'PY' || fail "a value did not arrive intact"
import json, sys
config = json.load(open(sys.argv[1]))
env = dict(item.split("=", 1) for item in config["Env"])
expected = {
    "GREETING": 'say "hi" to $HOME',
    "BACKSLASHES": "a\\b\\\\c",
    "BRACES": "${NOPE:-x} `id` $(id)",
    "QUOTES": 'it\'s "quoted"',
}
for name, value in expected.items():
    assert env.get(name) == value, f"{name}: expected {value!r}, got {env.get(name)!r}"
assert config["Cmd"] == ["/bin/echo", 'say "hi" to $HOME', "it's", "a\\b"], config["Cmd"]
print("ok: ENV and CMD arrived intact:", {k: env[k] for k in expected})
PY
# The container prints its arguments untouched by any shell.
docker run --rm "$image" >"$STDOUT" 2>&1 || { cat "$STDOUT" >&2; fail "the image did not run"; }
[[ $(cat "$STDOUT") == "say \"hi\" to \$HOME it's a\\b" ]] || { cat "$STDOUT" >&2; fail "CMD arguments changed on the way"; }
# buildx reads the bake file's context path back exactly.
(cd "$WORK/out-intact" && docker buildx bake --print) >"$WORK/print.json" 2>"$WORK/print.err" ||
    { cat "$WORK/print.err" >&2; fail "bake --print failed"; }
python3 - "$WORK/print.json" "$dir" <<'PY' || fail "the bake file's context did not arrive intact"
import json, os, sys
target = json.load(open(sys.argv[1]))["target"]["values-intact"]
context = os.path.normpath(os.path.join(os.path.dirname(sys.argv[1]), "out-intact", target["context"]))
assert os.path.samefile(context, sys.argv[2]), (target["context"], sys.argv[2])
print("ok: bake context", target["context"])
PY
echo "ok: values that need escaping arrive intact in the image and the bake file"
