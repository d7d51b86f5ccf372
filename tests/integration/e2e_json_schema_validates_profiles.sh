# cudagen schema --format json-schema is the checked-in docs/cudagen.schema.json;
# every shipped profile validates against it with check-jsonschema, and profiles
# the loader rejects for their shape are rejected by the schema too.
source "$(dirname "$0")/lib.sh"
command -v check-jsonschema >/dev/null || fail "check-jsonschema is not installed (scripts/install_deps.sh installs it)"
expect_exit 0 "$CUDAGEN" schema --format json-schema
cmp -s "$STDOUT" "$ROOT/docs/cudagen.schema.json" || fail "cudagen schema --format json-schema differs from docs/cudagen.schema.json"
check-jsonschema --schemafile "$STDOUT" "$ROOT"/profiles/*/cudagen.yaml || fail "a shipped profile fails the JSON Schema"
bad=(
    'name: x\nplatfroms: [linux/amd64]'
    'name: x\nframework: {name: caffe, version: "1.0"}'
    'name: x\ncuda: latest'
    'name: x\napp: {expose: [70000]}'
    'name: x\nframework: {name: pytorch}'
    'cuda: "12.4"'
)
for text in "${bad[@]}"; do
    printf "$text\n" >"$WORK/bad.yaml"
    expect_exit 2 "$CUDAGEN" check "$WORK/bad.yaml"
    if check-jsonschema --schemafile "$STDOUT" "$WORK/bad.yaml" >/dev/null 2>&1; then
        fail "the schema accepts a profile the loader rejects: $text"
    fi
done
echo "ok"
