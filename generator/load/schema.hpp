// The profile schema (format version 1): one row per field. The loader
// walks the YAML tree against it, and `cudagen schema` renders the reference
// page (docs/profile-reference.md) from the same rows, so the two never drift.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

enum class FieldKind {
    section,      // a mapping whose keys are further rows ("framework", "app")
    string,       // one scalar
    boolean,      // true | false
    string_list,  // a list of scalars
    port_list,    // a list of port numbers
    copy_list,    // a list of {src, dst}
    string_map,   // NAME: value pairs
    step_list,    // a list of {run: command} or {copy: {src, dst}}
};

struct FieldSpec {
    std::string_view path;  // "framework.version"
    FieldKind kind;
    bool required;
    std::string_view grammar;       // a grammar name from grammar.hpp, "" for none
    std::string_view default_text;  // what applies when omitted, in words
    std::string_view description;
    std::string_view example;  // YAML for the value
};

const std::vector<FieldSpec>& profile_schema();
const FieldSpec* find_field(std::string_view path);
// The keys allowed directly under `prefix` ("" for the top level).
std::vector<std::string> child_keys(std::string_view prefix);

// A row directly under a section, by its own key ("version" under "framework").
struct SchemaChild {
    std::string_view key;
    const FieldSpec* field;
};
// The rows directly under `prefix` ("" for the top level), in schema order;
// computed once, so that loading a profile builds no paths to look keys up.
const std::vector<SchemaChild>& schema_children(std::string_view prefix);
std::string_view field_kind_name(FieldKind kind);

// Markdown reference of every field; docs/profile-reference.md is this text.
std::string render_schema_markdown();

}  // namespace cudagen
