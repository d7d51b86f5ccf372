# Every golden CI workflow (tests/golden/ci: qemu and native arm64, docker and
# rootfs verification, GitHub and GitLab) passes its provider's schema, and the
# GitHub ones pass zizmor with no finding at medium or above.
source "$(dirname "$0")/lib.sh"
for tool in check-jsonschema zizmor; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install_deps.sh installs it)"
done
shopt -s nullglob
github=("$ROOT"/tests/golden/ci/github-*.yml)
gitlab=("$ROOT"/tests/golden/ci/gitlab-*.yml)
((${#github[@]} >= 2 && ${#gitlab[@]} >= 2)) || fail "tests/golden/ci holds too few workflows"
check-jsonschema --builtin-schema vendor.github-workflows "${github[@]}" || fail "a GitHub workflow fails the schema"
check-jsonschema --builtin-schema vendor.gitlab-ci "${gitlab[@]}" || fail "a GitLab pipeline fails the schema"
zizmor --offline --min-severity medium "${github[@]}" || fail "zizmor reports findings at medium or above"
echo "ok"
