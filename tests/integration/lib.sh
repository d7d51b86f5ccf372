# Shared helpers for the end-to-end scripts. Each script gets the cudagen
# binary ($1) and the repository root ($2), tests one behaviour, exits 0 on
# success, 1 on failure, and 77 (ctest: skipped) only with a printed reason.
set -euo pipefail
CUDAGEN=$1
ROOT=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
STDOUT=$WORK/.stdout
STDERR=$WORK/.stderr

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
expect_exit() {  # expect_exit CODE command...
    local want=$1; shift
    local got=0
    "$@" >"$STDOUT" 2>"$STDERR" || got=$?
    if [[ $got != "$want" ]]; then
        cat "$STDOUT" "$STDERR" >&2
        fail "expected exit $want, got $got: $*"
    fi
}
