# cmake --install puts cudagen, its man page, the CLI reference and the shell
# completions under the prefix; cpack -G DEB packs the same files.
source "$(dirname "$0")/lib.sh"
build=$(cd "$(dirname "$CUDAGEN")/.." && pwd)
[[ -f $build/cmake_install.cmake ]] || fail "$build is not a CMake build folder"
cmake --install "$build" --prefix "$WORK/prefix" >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; fail "cmake --install failed"; }
for f in bin/cudagen share/man/man1/cudagen.1 share/doc/cudagen/cli.md share/doc/cudagen/cudagen.schema.json \
    share/bash-completion/completions/cudagen share/zsh/vendor-completions/_cudagen; do
    [[ -s $WORK/prefix/$f ]] || fail "cmake --install did not install $f"
done
"$WORK/prefix/bin/cudagen" --version | grep -q '^cudagen ' || fail "the installed cudagen does not run"
if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null && command -v dpkg-shlibdeps >/dev/null; then
    (cd "$WORK" && cpack --config "$build/CPackConfig.cmake" -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1) ||
        { cat "$WORK/cpack.log"; fail "cpack -G DEB failed"; }
    deb=$(ls "$WORK"/pkg/cudagen_*.deb)
    dpkg-deb -c "$deb" >"$WORK/contents"
    grep -q ' ./usr/bin/cudagen$' "$WORK/contents" || fail "the .deb holds no usr/bin/cudagen"
    grep -q ' ./usr/share/man/man1/cudagen.1' "$WORK/contents" || fail "the .deb holds no man page"
    # Depends comes from the binary's shared libraries (dpkg-shlibdeps): always glibc,
    # and yaml-cpp unless it is linked in statically (CUDAGEN_STATIC, the default).
    depends=$(dpkg-deb -f "$deb" Depends)
    [[ $depends == *libc6* ]] || fail "the .deb does not depend on libc6: $depends"
    if ldd "$CUDAGEN" | grep -q libyaml-cpp; then
        [[ $depends == *libyaml-cpp* ]] || fail "the .deb does not depend on libyaml-cpp: $depends"
    fi
fi
echo "ok"
