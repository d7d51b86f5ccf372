# profiles/torch-service built twice on the STAND-IN bases, the pip list changed in
# between: six added then dropped, requests added, filelock (a dependency of torch,
# so in the framework's layer) pinned to another version. The second build takes the
# framework's layer from the cache (its step CACHED, its digest in RootFS.Layers the
# same) and adds a small layer with the difference (the env-delta stage); in that image
# requests imports, six is gone, and filelock is the pinned version with one dist-info
# (the framework layer's is removed, not left beside it). torch still imports.
# Shares the devel and runtime layers of the other torch-service tests (same profile,
# same steps up to the pip list): with those cached, two rebuilds of the small steps.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/docker_common.bash"
ensure_standins
dir=$(copy_profile torch-service)
site="/opt/venv/lib/python3*/site-packages"
pip_list() { sed -i "s/^  packages: .*/  packages: [$1]/" "$dir/cudagen.yaml"; }

pip_list '"fastapi==0.111.0", "uvicorn==0.30.1", "six==1.16.0"'
IT_VARIANT=first it_build first "$dir" || { tail -n 40 "$WORK/first.log" >&2; fail "first cudagen build failed"; }
first=$(IT_VARIANT=first it_tag torch-service)
old_filelock=$(docker run --rm "$first" python -c 'import importlib.metadata as m, six; print(m.version("filelock"))') ||
    fail "six or filelock is missing from the first image"
[[ $old_filelock != 3.13.1 ]] || fail "the framework layer already has filelock 3.13.1: the pin below would change nothing"

# The exclusion of a version that does not exist makes the list unique to this run, or
# BuildKit's cache would hold the result of an earlier run's identical change.
nonce=$(date +%s%N)
pip_list '"fastapi==0.111.0", "uvicorn==0.30.1", "requests==2.32.3,!=0.0.'"$nonce"'", "filelock==3.13.1"'
IT_VARIANT=second it_build second "$dir" || { tail -n 40 "$WORK/second.log" >&2; fail "second cudagen build failed"; }
second=$(IT_VARIANT=second it_tag torch-service)
second_ms=$BUILD_MS
step_report "$WORK/second.log" >"$WORK/second.steps"
grep -q "^CACHED .* runtime [0-9/]* COPY --from=devel-framework /opt/venv /opt/venv" "$WORK/second.steps" ||
    { cat "$WORK/second.steps" >&2; fail "the runtime stage copied the framework's environment again"; }
grep -q "^BUILT .* runtime [0-9/]* RUN --mount=type=bind,from=env-delta" "$WORK/second.steps" ||
    { cat "$WORK/second.steps" >&2; fail "the runtime stage did not apply the new difference"; }

# The framework's layer: the one after the runtime base's layers, its apt step and its
# user (the Dockerfile's order), the same digest in both images; the layers differ after it.
runtime_base=$(sed -n 's/^FROM \(.*\) AS runtime$/\1/p' "$WORK/out-second/Dockerfile")
layers() { docker image inspect --format '{{range .RootFS.Layers}}{{println .}}{{end}}' "$1" | sed '/^$/d'; }
n_base=$(layers "$runtime_base" | wc -l)
mapfile -t a < <(layers "$first")
mapfile -t b < <(layers "$second")
k=$((n_base + 2))
[[ ${a[$k]} == "${b[$k]}" ]] || fail "the framework layer differs: ${a[$k]} vs ${b[$k]}"
[[ ${a[$((k + 1))]} != "${b[$((k + 1))]}" ]] || fail "the layer after the framework's did not change with the pip list"
sizes=$(docker history --no-trunc --format '{{.Size}}|{{.CreatedBy}}' "$second")
framework_size=$(grep -m1 'COPY /opt/venv /opt/venv' <<<"$sizes" | cut -d'|' -f1)
delta_size=$(grep -m1 'env_delta.py apply' <<<"$sizes" | cut -d'|' -f1)
# The difference holds every package installed after the framework (fastapi, uvicorn and
# theirs: tens of MB), none of the framework's files (uv compiles only missing bytecode).
bytes_of() {
    docker history --no-trunc --human=false --format '{{.Size}}|{{.CreatedBy}}' "$second" | grep -m1 "$1" | cut -d'|' -f1
}
((100 * $(bytes_of 'env_delta.py apply') < 5 * $(bytes_of 'COPY /opt/venv /opt/venv'))) ||
    fail "the difference layer is $delta_size, not small beside the framework's $framework_size"

docker run --rm "$second" bash -c "
    python -c 'import requests, torch, importlib.metadata as m; print(requests.__version__, m.version(\"filelock\"))' &&
    ! python -c 'import six' 2>/dev/null &&
    ls $site | grep -E '^(six|filelock|requests)-' " >"$WORK/second.check" 2>&1 ||
    { cat "$WORK/second.check" >&2; fail "the second image lacks a package, or six is still there"; }
[[ $(head -n 1 "$WORK/second.check") == "2.32.3 3.13.1" ]] || { cat "$WORK/second.check" >&2; fail "wrong versions in the second image"; }
[[ $(grep -c '^filelock-' "$WORK/second.check") == 1 && $(grep -c '^six-' "$WORK/second.check") == 0 ]] ||
    { cat "$WORK/second.check" >&2; fail "stale dist-info in the second image (filelock $old_filelock's or six's)"; }
echo "ok: framework layer $framework_size kept (digest ${b[$k]:7:12}), difference layer $delta_size;" \
    "requests 2.32.3 in, six out, filelock $old_filelock -> 3.13.1 with one dist-info; rebuild ${second_ms} ms"
