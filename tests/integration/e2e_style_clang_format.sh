# Every C++ source and header of the generator, the tests and the verify sample's
# host code follows the repository's .clang-format (clang-format --dry-run -Werror).
source "$(dirname "$0")/lib.sh"
command -v clang-format >/dev/null || fail "clang-format is not installed (scripts/install_deps.sh installs it)"
cd "$ROOT"
mapfile -t files < <(git ls-files 'generator/*.cpp' 'generator/*.hpp' 'tests/*.cpp' 'tests/*.hpp')
((${#files[@]} > 50)) || fail "expected the repository's C++ files, found ${#files[@]}"
clang-format --dry-run -Werror "${files[@]}" >"$STDOUT" 2>&1 || {
    grep -o '^[^:]*\.[ch]pp' "$STDOUT" | sort -u >&2
    fail "these files differ from .clang-format (fix: clang-format -i FILE)"
}
echo "ok: ${#files[@]} files follow .clang-format"
