# Every reporting command prints the same report shape with --format json, on
# stdout, on success and on failure: command, ok, exit_code, exit_name, problems.
source "$(dirname "$0")/lib.sh"
printf 'name: volta\ncuda: "13.0"\ngpu_archs: [v100]\n' >"$WORK/incompatible.yaml"
printf 'name: bad\ncuda: [\n' >"$WORK/broken.yaml"
shape() {  # shape COMMAND EXIT: stdout is the shared report of COMMAND with EXIT
    python3 - "$STDOUT" "$1" "$2" <<'PY' || fail "report shape of $1 (exit $2)"
import json, sys
d = json.load(open(sys.argv[1]))
command, code = sys.argv[2], int(sys.argv[3])
assert list(d)[:5] == ["command", "ok", "exit_code", "exit_name", "problems"], list(d)
assert d["command"] == command and d["exit_code"] == code and d["ok"] is (code == 0), d
for p in d["problems"]:
    assert set(p) == {"severity", "code", "message", "file", "line", "column", "fix"}, p
assert code == 0 or any(p["severity"] == "error" for p in d["problems"]), d
PY
}
expect_exit 0 "$CUDAGEN" check "$ROOT/profiles/cuda-cpp/cudagen.yaml" --format json; shape check 0
expect_exit 1 "$CUDAGEN" check "$WORK/incompatible.yaml" --format json; shape check 1
expect_exit 2 "$CUDAGEN" check "$WORK/broken.yaml" --format json; shape check 2
expect_exit 2 "$CUDAGEN" check --format json --no-such-option; shape check 2
expect_exit 0 "$CUDAGEN" resolve "$ROOT/profiles/cuda-cpp/cudagen.yaml" --format json; shape resolve 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["cuda"].count(".") == 2, d' "$STDOUT" \
    || fail "resolve json lost the resolved values"
expect_exit 2 "$CUDAGEN" resolve "$WORK/broken.yaml" --format json; shape resolve 2
expect_exit 2 "$CUDAGEN" verify --format json; shape verify 2
expect_exit 2 "$CUDAGEN" build "$WORK/broken.yaml" --format json; shape build 2
expect_exit 2 "$CUDAGEN" doctor "$WORK/broken.yaml" --format json; shape doctor 2
# The exit codes --help prints are the README's table.
expect_exit 0 "$CUDAGEN" --help
grep -q "^  *70  a bug in cudagen" "$STDOUT" || fail "--help lacks the internal-error exit code"
echo "ok: one report shape"
