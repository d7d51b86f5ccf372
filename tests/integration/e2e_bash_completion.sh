# The bash completion (cudagen completion bash) completes commands, options and
# option values from the command table.
source "$(dirname "$0")/lib.sh"
expect_exit 0 "$CUDAGEN" completion bash
cmp -s "$STDOUT" "$ROOT/completions/cudagen.bash" || fail "cudagen completion bash differs from completions/cudagen.bash"
bash -n "$STDOUT" || fail "the bash completion does not parse"
complete_words() {  # words of the command line, the last one being completed
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _cudagen; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$STDOUT" "$@"
}
[[ $(complete_words cudagen ini) == init ]] || fail "'cudagen ini' does not complete to init"
complete_words cudagen init --fr | grep -qx -- --framework || fail "'cudagen init --fr' does not complete to --framework"
[[ $(complete_words cudagen init --framework j) == jax ]] || fail "'--framework j' does not complete to jax"
[[ $(complete_words cudagen schema --format json) == json-schema ]] || fail "'--format json' does not complete to json-schema"
expect_exit 0 "$CUDAGEN" completion zsh
cmp -s "$STDOUT" "$ROOT/completions/_cudagen" || fail "cudagen completion zsh differs from completions/_cudagen"
if command -v zsh >/dev/null; then zsh -n "$STDOUT" || fail "the zsh completion does not parse"; fi
echo "ok"
