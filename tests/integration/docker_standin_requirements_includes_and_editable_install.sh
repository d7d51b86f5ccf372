# A requirements file with -r and -c includes and "-e ." installs on the STAND-IN
# bases: the included files arrive at their relative paths, the project itself
# is installed once its source is copied, and the container imports both. After
# a change to the project's source only, the dependency layer comes from the cache.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
dir="$WORK/profiles/reqs-editable"
mkdir -p "$dir/requirements" "$dir/src/tinyproj"
cat >"$dir/cudagen.yaml" <<'YAML'
name: reqs-editable
cuda: "13.0"
os: ubuntu24.04
gpu_archs: ["8.0"]
verify: false
pip: {requirements: requirements.txt}
app:
  cmd: [python, -c, "import tinyproj, six; print('imported', tinyproj.VERSION, six.__version__)"]
YAML
printf -- '-r requirements/base.txt\n-c constraints.txt\n-e .\n' >"$dir/requirements.txt"
printf 'six\n' >"$dir/requirements/base.txt"
printf 'six==1.16.0\n' >"$dir/constraints.txt"
printf '[project]\nname = "tinyproj"\nversion = "0.1.0"\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\n\n[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n' >"$dir/pyproject.toml"
printf 'VERSION = "0.1.0"\n' >"$dir/src/tinyproj/__init__.py"
it_build reqs "$dir" || { tail -n 60 "$WORK/reqs.log" >&2; fail "cudagen build exited non-zero"; }
docker run --rm "$(it_tag reqs-editable)" >"$STDOUT" 2>&1 || { cat "$STDOUT" >&2; fail "the container could not import the project"; }
grep -qx "imported 0.1.0 1.16.0" "$STDOUT" || { cat "$STDOUT" >&2; fail "want 'imported 0.1.0 1.16.0' (six pinned by -c)"; }
cold_ms=$BUILD_MS
# unique per run, so an earlier run's cache cannot hold the changed source
printf 'VERSION = "0.2.0"  # changed by a test run at %s\n' "$(date +%s%N)" >"$dir/src/tinyproj/__init__.py"
it_build reqs-warm "$dir" || { tail -n 60 "$WORK/reqs-warm.log" >&2; fail "rebuild failed"; }
step_report "$WORK/reqs-warm.log" >"$WORK/steps"
# BuildKit does not even print a cached step whose result a later cached step
# covers: the dependency install must not be BUILT, the project install must be.
if grep -q '^BUILT .* RUN .*pip install -r /tmp/cudagen/deps/requirements.txt' "$WORK/steps"; then
    cat "$WORK/steps" >&2
    fail "the dependency layer was rebuilt after a source-only change"
fi
grep -q '^BUILT .* RUN .*pip install.* /tmp/cudagen/deps/$' "$WORK/steps" ||
    { cat "$WORK/steps" >&2; fail "the project was not reinstalled after its source changed"; }
docker run --rm "$(it_tag reqs-editable)" >"$STDOUT" 2>&1
grep -qx "imported 0.2.0 1.16.0" "$STDOUT" || { cat "$STDOUT" >&2; fail "the rebuilt image does not hold the changed source"; }
echo "ok: -r/-c/-e . install (cold ${cold_ms} ms, source change ${BUILD_MS} ms with the dependency layer cached)"
