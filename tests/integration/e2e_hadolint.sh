# hadolint (the real one) finds no error-level problem in any generated Dockerfile.
source "$(dirname "$0")/lib.sh"
command -v hadolint >/dev/null || fail "hadolint is not installed (scripts/install_deps.sh installs it)"
cd "$ROOT"
"$CUDAGEN" generate profiles/*/cudagen.yaml -o "$WORK/gen" -q
for dockerfile in "$WORK"/gen/*/Dockerfile; do
    hadolint --failure-threshold error "$dockerfile" || fail "hadolint error in $dockerfile"
done
# And it does catch errors: a Dockerfile with one must fail, or this test proves nothing.
printf 'FROM ubuntu:22.04\nRUN cd /tmp && echo hi\nCMD a\nCMD b\nMAINTAINER x\n' >"$WORK/Bad"
if hadolint --failure-threshold error "$WORK/Bad" >/dev/null; then fail "hadolint accepted a known-bad Dockerfile"; fi
echo "ok: hadolint clean on $(ls "$WORK"/gen/*/Dockerfile | wc -l) Dockerfiles"
