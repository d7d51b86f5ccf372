# Every reporting command prints the same report shape with --format json, on
# stdout, on success and on failure: command, ok, exit_code, exit_name, problems.
# Failures that need Docker are made with an empty PATH (no docker command), so the
# test needs no Docker; an internal error is injected with CUDAGEN_FAULT=internal.
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
first_code() {  # first_code CODE: the first problem's code is CODE
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["problems"][0]["code"] == sys.argv[2], d' \
        "$STDOUT" "$1" || fail "first problem is not $1"
}
mkdir "$WORK/nobin"
nodocker=(env "PATH=$WORK/nobin")
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
# Failures of the Docker-facing commands: the same shape, the problem named.
expect_exit 20 "${nodocker[@]}" "$CUDAGEN" export cudagen/none:1 -o "$WORK/x.tar.gz" --format json
shape export 20; first_code export/docker-missing
expect_exit 20 "${nodocker[@]}" "$CUDAGEN" export cudagen/none:1 -o "$WORK/x.tar.gz"
grep -q "^cudagen: error: no 'docker' command on PATH \[export/docker-missing\]$" "$STDERR" ||
    { cat "$STDERR"; fail "export's text error is not the shared diagnostic"; }
expect_exit 20 "${nodocker[@]}" "$CUDAGEN" verify cudagen/none:1 --format json; shape verify 20
first_code verify/docker-missing
expect_exit 34 "$CUDAGEN" verify --rootfs "$WORK/no-such-root" --format json; shape verify 34
first_code verify/rootfs-unreadable
expect_exit 3 "${nodocker[@]}" "$CUDAGEN" build "$ROOT/profiles/cuda-cpp/cudagen.yaml" -o "$WORK/out" --format json
shape build 3; first_code build/build-environment
expect_exit 2 "$CUDAGEN" build "$ROOT/profiles/cuda-cpp/cudagen.yaml" -o "$WORK/out" --bogus --format json
shape build 2; first_code usage/unknown-option
# An exception no stage expected: exit 70 (not 2), the report still on stdout.
expect_exit 70 env CUDAGEN_FAULT=internal "$CUDAGEN" check "$ROOT/profiles/cuda-cpp/cudagen.yaml" --format json
shape check 70; first_code internal/exception
grep -q "^cudagen: internal error: " "$STDERR" || fail "no internal-error line on stderr"
# The exit codes --help prints are the README's table.
expect_exit 0 "$CUDAGEN" --help
grep -q "^  *70  a bug in cudagen" "$STDOUT" || fail "--help lacks the internal-error exit code"
echo "ok: one report shape"
