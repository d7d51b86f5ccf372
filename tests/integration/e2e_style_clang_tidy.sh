# clang-tidy (the checks in .clang-tidy, warnings as errors) on every source file
# of the library, with the build's own compile commands.
source "$(dirname "$0")/lib.sh"
command -v clang-tidy >/dev/null || fail "clang-tidy is not installed (scripts/install_deps.sh installs it)"
build_dir=$(cd "$(dirname "$CUDAGEN")/.." && pwd)
[[ -f $build_dir/compile_commands.json ]] || fail "no compile_commands.json in $build_dir"
cd "$ROOT"
mapfile -t files < <(git ls-files 'generator/*.cpp' | grep -v '^generator/tools/')
((${#files[@]} > 40)) || fail "expected the library's sources, found ${#files[@]}"
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build_dir" --quiet >"$STDOUT" 2>&1 || {
    grep -E 'warning:|error:' "$STDOUT" | head -n 40 >&2
    fail "clang-tidy found problems (see above)"
}
echo "ok: clang-tidy clean on ${#files[@]} files"
