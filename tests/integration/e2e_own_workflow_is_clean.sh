# cudagen's own workflow runs the README's test command on push and pull request,
# and passes the GitHub workflow schema and zizmor (no finding at medium or above).
source "$(dirname "$0")/lib.sh"
for tool in check-jsonschema zizmor; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/install_deps.sh installs it)"
done
workflow=$ROOT/.github/workflows/ci.yml
check-jsonschema --builtin-schema vendor.github-workflows "$workflow" || fail "the workflow fails the workflow schema"
zizmor --offline --min-severity medium "$workflow" || fail "zizmor reports findings at medium or above"
test_command=$(sed -n 's/^\(\.\/scripts\/test\.sh\)$/\1/p' "$ROOT/README.md" | head -n 1)
[[ $test_command == ./scripts/test.sh ]] || fail "the README names no ./scripts/test.sh test command"
grep -q "run: $test_command\$" "$workflow" || fail "the workflow does not run the README's test command ($test_command)"
python3 - "$workflow" <<'PY' || fail "the workflow does not run on push and pull_request"
import sys
text = open(sys.argv[1]).read()
assert "\non:\n  push:\n  pull_request:\n" in text, "triggers"
PY
echo "ok"
