# For each framework (and none): cudagen init scaffolds a repository; then
# cudagen generate succeeds on it, the profile validates against the JSON Schema,
# the GitHub workflow passes check-jsonschema's GitHub workflow schema and zizmor
# (no finding at medium or above), the GitLab pipeline passes the GitLab CI schema,
# the bake file passes docker buildx bake --print, and the CI check job's
# "generated files are current" step finds nothing to change.
source "$(dirname "$0")/lib.sh"
for tool in check-jsonschema zizmor git python3; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install_deps.sh installs it)"
done
docker buildx version >/dev/null 2>&1 || fail "docker buildx is not installed (scripts/setup_docker.sh installs it)"

scaffold_one() {  # framework, platforms...
    local framework=$1; shift
    local dir=$WORK/$framework platform_args=() p
    for p in "$@"; do platform_args+=(--platforms "$p"); done
    expect_exit 0 "$CUDAGEN" init "$dir" --framework "$framework" "${platform_args[@]}" </dev/null
    grep -q '^next:' "$STDOUT" || fail "$framework: init printed no next commands"
    grep -q '^# yaml-language-server: \$schema=.cudagen/profile.schema.json$' "$dir/cudagen.yaml" ||
        fail "$framework: no schema line in cudagen.yaml"
    for f in cudagen.yaml app/main.py .dockerignore requirements.txt .github/workflows/cudagen.yml; do
        [[ -s $dir/$f ]] || fail "$framework: init did not write $f"
    done
    cd "$dir"
    expect_exit 0 "$CUDAGEN" generate -o docker -q
    check-jsonschema --schemafile "$ROOT/docs/cudagen.schema.json" cudagen.yaml >"$WORK/out" 2>&1 ||
        { cat "$WORK/out"; fail "$framework: cudagen.yaml does not validate against docs/cudagen.schema.json"; }
    cmp -s .cudagen/profile.schema.json "$ROOT/docs/cudagen.schema.json" || fail "$framework: the scaffold's schema is not the current one"
    check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/cudagen.yml >"$WORK/out" 2>&1 ||
        { cat "$WORK/out"; fail "$framework: the GitHub workflow fails the workflow schema"; }
    zizmor --offline --min-severity medium .github/workflows/cudagen.yml >"$WORK/out" 2>&1 ||
        { cat "$WORK/out"; fail "$framework: zizmor reports findings at medium or above"; }
    expect_exit 0 "$CUDAGEN" ci --provider gitlab
    check-jsonschema --builtin-schema vendor.gitlab-ci .gitlab-ci.yml >"$WORK/out" 2>&1 ||
        { cat "$WORK/out"; fail "$framework: the GitLab pipeline fails the GitLab CI schema"; }
    (cd docker && docker buildx bake --print) >"$WORK/print.json" 2>"$WORK/out" ||
        { cat "$WORK/out"; fail "$framework: docker buildx bake --print rejects the bake file"; }
    python3 - "$WORK/print.json" "$*" <<'PY' || fail "$framework: unexpected bake targets"
import json, sys
targets = json.load(open(sys.argv[1]))["target"]
assert len(targets) == 1, targets
(target,) = targets.values()
assert target["platforms"] == sys.argv[2].split(), target["platforms"]
assert target["target"] == "runtime", target
PY
    # The check job: a committed repository stays clean after it regenerates everything.
    git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm init
    "$CUDAGEN" generate -o docker -q
    "$CUDAGEN" ci cudagen.yaml --provider github --gpu-runner gpu --arm64 qemu --verify docker --generated docker >/dev/null
    [[ -z $(git status --porcelain) ]] || { git status --short; fail "$framework: regenerating changed committed files"; }
    sed -i 's/^platforms: .*/platforms: [linux\/amd64]/' cudagen.yaml
    [[ $* == linux/amd64 ]] && sed -i 's/^name: \(.*\)/name: \1-renamed/' cudagen.yaml
    "$CUDAGEN" generate -o docker -q
    [[ -n $(git status --porcelain docker) ]] || fail "$framework: a profile edit left the generated files unchanged"
    cd "$ROOT"
    echo "ok: $framework"
}

scaffold_one pytorch linux/amd64 linux/arm64
scaffold_one tensorflow linux/amd64
scaffold_one jax linux/amd64
scaffold_one none linux/amd64 linux/arm64

# --conda: environment.yml instead of requirements.txt, its Python the resolved one.
expect_exit 0 "$CUDAGEN" init "$WORK/conda" --framework pytorch --conda --ci none </dev/null
[[ -f $WORK/conda/environment.yml && ! -e $WORK/conda/requirements.txt ]] || fail "--conda: no environment.yml, or a requirements.txt"
python=$(sed -n 's/^python: "\(.*\)"$/\1/p' "$WORK/conda/cudagen.yaml")
grep -qx "  - python=$python" "$WORK/conda/environment.yml" || fail "--conda: environment.yml does not pin python=$python"
grep -qx '  environment: environment.yml' "$WORK/conda/cudagen.yaml" || fail "--conda: the profile names no environment"
(cd "$WORK/conda" && "$CUDAGEN" generate -o docker -q) || fail "--conda: cudagen generate failed"
check-jsonschema --schemafile "$ROOT/docs/cudagen.schema.json" "$WORK/conda/cudagen.yaml" >/dev/null || fail "--conda: the profile fails the schema"
echo "ok: conda"
