// A small, strict, logic-light template language for the files cudagen writes.
//
//   {{ path }}            a value; dotted paths walk objects ("base.devel")
//   {{ path | filter }}   the value escaped for an output context: json, hcl, sh,
//                         env (Dockerfile ENV/LABEL), text (one line of prose)
//   {{# path }}...{{/ path }}  a list: once per item (the item becomes the scope,
//                          "." is the item itself); true: once; an object: once
//                          with it as scope; false or []: not at all
//   {{^ path }}...{{/ path }}  the opposite
//   {{@first}} {{@last}}  inside a list: booleans usable as sections
//   {{> name }}           another template file, templates/<name>.tmpl
//   {{! comment }}
//   ${{ ... }}            left as it is: a GitHub Actions expression, not a tag
//
// Strict: a path that is not defined, a missing partial or an unbalanced tag
// is an error at template:line:column, never an empty string; so is an unknown
// filter, found when the template is parsed. Unfiltered
// values must be plain tokens (letters, digits, ._:/@+=,-); anything else
// must name its escaping context with a filter, so that no value reaches a
// Dockerfile, a shell or HCL unescaped.
#pragma once

#include "core/diagnostic.hpp"
#include "render/template_data.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

using TemplateContext = nlohmann::json;
// Loads a partial's text by name ("verify_sample" -> templates/verify_sample.tmpl).
using PartialLoader = std::function<std::optional<std::string>(std::string_view name)>;

struct TemplateSource {
    std::string name;  // "templates/Dockerfile.tmpl", used in errors
    std::string text;
};

// Partials already rendered, by name: inserted as they are (indented like any
// partial), for a partial that renders the same for every context (the
// embedded verify sample), so that it is rendered once instead of per file.
using RenderedPartials = std::map<std::string, std::string, std::less<>>;

// A rendered partial left out of the output text: it belongs at offset `at`
// (the text before it is the output up to there). A writer puts the pieces
// together on disk (writev) instead of copying the constant text into every file.
struct TextInsert {
    std::size_t at;
    std::string_view text;  // a RenderedPartials entry: it outlives the output
};

// Renders or reports one error (with its location) in `diagnostics`. The JSON
// context is turned into template data first (ci, init: once per command).
std::optional<std::string> render_template(const TemplateSource& source, const TemplateContext& context,
                                           const PartialLoader& partials, Diagnostics& diagnostics,
                                           const RenderedPartials* rendered = nullptr);

// The same with template data built by the caller.
std::optional<std::string> render_template(const TemplateSource& source, const TemplateValue& data,
                                           const PartialLoader& partials, Diagnostics& diagnostics,
                                           const RenderedPartials* rendered = nullptr);

// templates/<name>.tmpl as cudagen embeds it, with its partials from the same
// folder: each parsed once per process and thread, straight from the embedded
// text. A template missing from the build is an error in `diagnostics`.
std::optional<std::string> render_embedded_template(std::string_view name, const TemplateValue& data,
                                                    Diagnostics& diagnostics,
                                                    const RenderedPartials* rendered = nullptr);
// The same, with each pre-rendered partial that needs no indentation left out
// of the text and listed in `inserts`, in order.
std::optional<std::string> render_embedded_template(std::string_view name, const TemplateValue& data,
                                                    Diagnostics& diagnostics, const RenderedPartials& rendered,
                                                    std::vector<TextInsert>& inserts);

// JSON as template data, in `arena`.
TemplateValue template_data_from_json(const nlohmann::json& value, TemplateArena& arena);

// The escaping layer, one function per output context.
std::string escape_json_string(std::string_view text);       // "text" with JSON escapes
std::string escape_hcl_string(std::string_view text);        // "text" with HCL escapes, ${ and %{ doubled
std::string escape_shell_word(std::string_view text);        // 'text' for POSIX sh
std::string escape_dockerfile_value(std::string_view text);  // "text" for ENV/LABEL, $ not expanded
bool is_plain_token(std::string_view text);
// The same, appended to `out`.
void append_json_string(std::string_view text, std::string& out);
void append_hcl_string(std::string_view text, std::string& out);
void append_shell_word(std::string_view text, std::string& out);
void append_dockerfile_value(std::string_view text, std::string& out);

}  // namespace cudagen
