# Cache: after a change to requirements.txt (a COPY of service-lite, on the STAND-IN
# bases), the steps before the requirements COPY come from the cache and the
# rebuild starts exactly there: the COPY and pip install run again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
dir=$(copy_profile service-lite)
it_build first "$dir" || { tail -n 40 "$WORK/first.log" >&2; fail "first build failed"; }
# The comment makes the list unique to this run, or BuildKit's cache would hold the
# result of an earlier run's identical change.
printf 'six==1.16.0  # added by a test run at %s\n' "$(date +%s%N)" >>"$dir/requirements.txt"
it_build second "$dir" || { tail -n 40 "$WORK/second.log" >&2; fail "rebuild after the requirements change failed"; }
step_report "$WORK/second.log" >"$WORK/steps"
cat "$WORK/steps"
python3 - "$WORK/steps" <<'PY' || fail "the rebuild did not start exactly at the requirements COPY"
import sys
rows = [line.split(" ", 4) for line in open(sys.argv[1]).read().splitlines()]
devel = [r for r in rows if r[2] == "devel"]
copy = next(i for i, r in enumerate(devel) if r[4].startswith("COPY") and "requirements.txt" in r[4])
assert all(r[0] == "CACHED" for r in devel[:copy]), devel[:copy]
assert devel[copy][0] == "BUILT", devel[copy]
pip = devel[copy + 1]
assert pip[0] == "BUILT" and "pip install" in pip[4], pip
runtime = [r for r in rows if r[2] == "runtime"]
venv = next(i for i, r in enumerate(runtime) if "/opt/venv" in r[4])
assert all(r[0] == "CACHED" for r in runtime[:venv]), runtime[:venv]
PY
docker run --rm --entrypoint python "$(it_tag service-lite)" -c 'import six' || fail "the new requirement is not in the image"
echo "ok: a requirements change rebuilds from the requirements COPY on; earlier layers are cached"
