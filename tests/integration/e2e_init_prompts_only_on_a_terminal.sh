# cudagen init asks for the framework, CUDA and CI when stdin is a terminal and
# they were not given; with stdin not a terminal it takes the defaults silently.
source "$(dirname "$0")/lib.sh"
python3 - "$CUDAGEN" "$WORK/tty" <<'PY' || fail "init on a terminal did not take the answers"
import os, pty, sys, time
cudagen, folder = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execv(cudagen, [cudagen, "init", folder])
answers = iter([b"none\n", b"13.0\n", b"gitlab\n"])
seen = b""
deadline = time.time() + 60
while time.time() < deadline:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    if seen.rstrip().endswith(b"]:"):
        os.write(fd, next(answers))
        seen += b"\n"
_, status = os.waitpid(pid, 0)
text = seen.decode(errors="replace")
assert os.WEXITSTATUS(status) == 0, text
for question in ("Framework [pytorch]:", "CUDA version", "CI [github]:"):
    assert question in text, (question, text)
profile = open(os.path.join(folder, "cudagen.yaml")).read()
assert "framework:" not in profile and 'cuda: "13.0.2"' in profile, profile
assert os.path.exists(os.path.join(folder, ".gitlab-ci.yml")), os.listdir(folder)
PY
expect_exit 0 "$CUDAGEN" init "$WORK/pipe" </dev/null
grep -q '\]:' "$STDERR" && fail "init asked a question although stdin is not a terminal"
grep -q '^  name: pytorch$' "$WORK/pipe/cudagen.yaml" || fail "the default framework is not pytorch"
[[ -f $WORK/pipe/.github/workflows/cudagen.yml ]] || fail "the default CI is not github"
echo "ok"
