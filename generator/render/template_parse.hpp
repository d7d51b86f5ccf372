// A template parsed into a flat list of nodes (render/template.cpp renders it).
// Internal to render/: the language itself is described in template.hpp.
#pragma once

#include "core/diagnostic.hpp"
#include "render/template_data.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen::template_engine {

struct TemplateError {
    SourceLocation where;
    std::string message;
};

enum class NodeKind : std::uint8_t { text, value, section, inverted, partial };
enum class Filter : std::uint8_t { none, json, hcl, sh, env, text };
enum class PathKind : std::uint8_t { name, dot, first, last };  // a.b, ".", @first, @last

// Nodes in template order; a section's children follow it, up to `end`.
struct Node {
    NodeKind kind = NodeKind::text;
    Filter filter = Filter::none;
    PathKind path = PathKind::name;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::uint32_t keys_begin = 0;  // the path's parts in ParsedTemplate::keys
    std::uint32_t keys_end = 0;
    std::uint32_t end = 0;    // sections: the index after their last child
    std::string_view text;    // text; a tag's path as written; a partial's name
    std::string_view indent;  // a partial alone on its line: the indentation of each of its lines
};

// A parsed template wherever its nodes are kept: compiled into cudagen at build
// time (compiled_templates) or parsed at run time (ParsedTemplate).
struct TemplateView {
    std::string_view name;  // "templates/Dockerfile.tmpl", used in errors
    std::size_t text_size = 0;
    std::span<const Node> nodes;
    std::span<const TemplateKey> keys;

    SourceLocation location(const Node& node) const
    {
        return {std::string(name), static_cast<int>(node.line), static_cast<int>(node.column)};
    }
};

// A template parsed at run time: what its view points into.
struct ParsedTemplate {
    std::string name;
    std::string owned_text;  // the text, unless it outlives the parse (embedded files)
    std::string_view text;   // what the nodes point into
    std::vector<Node> nodes;
    std::vector<TemplateKey> keys;

    TemplateView view() const { return {name, text.size(), nodes, keys}; }
};

// Throws TemplateError. `text` must outlive the result unless `copy` is set.
std::unique_ptr<ParsedTemplate> parse_template(std::string name, std::string_view text, bool copy);

// templates/<bare_name>.tmpl, parsed when cudagen was built.
struct CompiledTemplate {
    std::string_view bare_name;  // "Dockerfile"
    TemplateView view;
};
// Made at build time by generator/tools/compile_templates.cpp; empty in the
// build-time tools themselves.
std::span<const CompiledTemplate> compiled_templates();

}  // namespace cudagen::template_engine
