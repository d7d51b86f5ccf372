#include "render/template.hpp"

#include "core/embedded.hpp"
#include "render/template_parse.hpp"

#include <array>
#include <charconv>
#include <map>
#include <memory>
#include <vector>

namespace cudagen {

namespace {

using template_engine::Filter;
using template_engine::Node;
using template_engine::NodeKind;
using template_engine::ParsedTemplate;
using template_engine::PathKind;
using template_engine::TemplateError;
using template_engine::TemplateView;

// Templates given as text, parsed again only when their text changes. Shared
// pointers: a partial named like the template that includes it, with other
// text, must not free the nodes being rendered.
std::shared_ptr<const ParsedTemplate> parsed_text(const std::string& name, std::string_view text)
{
    static thread_local std::map<std::string, std::shared_ptr<const ParsedTemplate>, std::less<>> cache;
    auto found = cache.find(name);
    if (found != cache.end() && found->second->text == text) {
        return found->second;
    }
    std::shared_ptr<const ParsedTemplate> parsed = template_engine::parse_template(name, text, true);
    cache.insert_or_assign(name, parsed);
    return parsed;
}

// Embedded templates: compiled at build time, or else parsed once, the nodes
// pointing into the embedded text.
std::optional<TemplateView> embedded_template(std::string_view name)
{
    for (const auto& compiled : template_engine::compiled_templates()) {
        if (compiled.bare_name == name) {
            return compiled.view;
        }
    }
    static thread_local std::vector<std::pair<std::string, std::unique_ptr<ParsedTemplate>>> cache;
    for (const auto& [bare, parsed] : cache) {
        if (bare == name) {
            return parsed->view();
        }
    }
    std::string path = "templates/" + std::string(name) + ".tmpl";
    std::optional<std::string_view> text = embedded_file(path);
    if (!text) {
        return std::nullopt;
    }
    cache.emplace_back(std::string(name), template_engine::parse_template(path, *text, false));
    return cache.back().second->view();
}

// A partial's nodes, and for one parsed from text, what keeps them.
struct Partial {
    std::shared_ptr<const ParsedTemplate> owner;
    TemplateView view;
};

// Where each key of an embedded template was found last time, per thread: data
// built by the same code has a key at the same place in its object at every
// render, so most lookups compare one member. Only hints: a wrong one costs a
// scan. Embedded templates live as long as the process, so the list stays short.
std::uint32_t* key_hints(const TemplateView& t)
{
    static thread_local std::vector<std::pair<const TemplateKey*, std::vector<std::uint32_t>>> hints;
    for (auto& [keys, found] : hints) {
        if (keys == t.keys.data() && found.size() == t.keys.size()) {
            return found.data();
        }
    }
    hints.emplace_back(t.keys.data(), std::vector<std::uint32_t>(t.keys.size(), 0));
    return hints.back().second.data();
}

struct Scope {
    const TemplateValue* value;
    bool first = false;
    bool last = false;
    bool in_list = false;
};

bool truthy(const TemplateValue& value)
{
    switch (value.kind()) {
        case TemplateValue::Kind::boolean:
            return value.flag();
        case TemplateValue::Kind::list:
            return !value.items().empty();
        case TemplateValue::Kind::string:
            return !value.text().empty();
        case TemplateValue::Kind::null:
            return false;
        default:
            return true;
    }
}

void append_indented(std::string_view rendered, std::string_view indent, std::string& out)
{
    if (indent.empty()) {
        out += rendered;
        return;
    }
    bool at_line_start = true;
    for (char c : rendered) {
        if (at_line_start && c != '\n') {
            out += indent;
        }
        out += c;
        at_line_start = c == '\n';
    }
}

class Renderer {
public:
    // Partials come from `partials`, or from the embedded templates when it is null.
    Renderer(const PartialLoader* partials, const RenderedPartials* rendered,
             std::vector<TextInsert>* inserts = nullptr)
        : m_partials(partials), m_rendered(rendered), m_inserts(inserts)
    {
        if (rendered != nullptr) {
            for (const auto& [name, text] : *rendered) {
                m_rendered_size += text.size();
            }
        }
    }

    std::string render(const TemplateView& parsed, const TemplateValue& data)
    {
        std::vector<Scope> scopes;
        scopes.reserve(16);
        scopes.push_back({&data});
        std::string out;
        // Room for the text and the pre-rendered partials it may hold (a Dockerfile
        // of 20 KB grown by doubling was copied several times).
        std::size_t expected = parsed.text_size + (m_inserts == nullptr ? m_rendered_size : 0);
        out.reserve(expected + expected / 2);
        m_hints = m_partials == nullptr ? key_hints(parsed) : nullptr;
        render_nodes(parsed, 0, parsed.nodes.size(), scopes, out, 0);
        return out;
    }

private:
    void render_nodes(const TemplateView& t, std::size_t begin, std::size_t end, std::vector<Scope>& scopes,
                      std::string& out, int depth)
    {
        for (std::size_t i = begin; i < end;) {
            const Node& node = t.nodes[i];
            switch (node.kind) {
                case NodeKind::text:
                    out += node.text;
                    ++i;
                    break;
                case NodeKind::value:
                    append_value(t, node, *lookup(t, node, scopes), out);
                    ++i;
                    break;
                case NodeKind::section:
                case NodeKind::inverted:
                    render_section(t, i, scopes, out, depth);
                    i = node.end;
                    break;
                case NodeKind::partial:
                    render_partial(t, node, scopes, out, depth);
                    ++i;
                    break;
            }
        }
    }

    const TemplateValue* find(const TemplateValue& object, const TemplateKey* key, std::size_t index) const
    {
        return m_hints == nullptr ? object.find(*key) : object.find(*key, m_hints[index]);
    }

    const TemplateValue* lookup(const TemplateView& t, const Node& node, const std::vector<Scope>& scopes)
    {
        if (node.path == PathKind::dot) {
            return scopes.back().value;
        }
        if (node.path == PathKind::first || node.path == PathKind::last) {
            for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
                if (it->in_list) {
                    return (node.path == PathKind::first ? it->first : it->last) ? &k_true : &k_false;
                }
            }
            throw TemplateError{t.location(node), "'" + std::string(node.text) + "' used outside a list"};
        }
        const TemplateKey* keys = t.keys.data() + node.keys_begin;
        std::size_t count = node.keys_end - node.keys_begin;
        for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
            const TemplateValue* value = find(*it->value, keys, node.keys_begin);
            if (value == nullptr) {
                continue;
            }
            for (std::size_t k = 1; k < count; ++k) {
                value = find(*value, keys + k, node.keys_begin + k);
                if (value == nullptr) {
                    throw TemplateError{t.location(node), "'" + std::string(node.text) + "' is not defined (no '" +
                                                              std::string(keys[k].name()) + "')"};
                }
            }
            return value;
        }
        throw TemplateError{t.location(node), "'" + std::string(node.text) + "' is not defined"};
    }

    static void append_value(const TemplateView& t, const Node& node, const TemplateValue& value, std::string& out)
    {
        std::array<char, 24> digits{};
        std::string_view text;
        if (value.kind() == TemplateValue::Kind::string) {
            text = value.text();
        } else if (value.is_integer()) {
            auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value.integer_value()).ptr;
            text = std::string_view(digits.data(), static_cast<std::size_t>(end - digits.data()));
        } else if (value.kind() == TemplateValue::Kind::boolean) {
            text = value.flag() ? "true" : "false";
        } else {
            throw TemplateError{t.location(node), "'" + std::string(node.text) + "' is " +
                                                      std::string(value.type_name()) + ", not a single value"};
        }
        switch (node.filter) {
            case Filter::none:
                if (!is_plain_token(text)) {
                    throw TemplateError{t.location(node),
                                        "'" + std::string(node.text) + "' = '" + std::string(text) +
                                            "' needs an escaping filter (json, hcl or sh) for this context"};
                }
                out += text;
                break;
            case Filter::json:
                append_json_string(text, out);
                break;
            case Filter::hcl:
                append_hcl_string(text, out);
                break;
            case Filter::sh:
                append_shell_word(text, out);
                break;
            case Filter::env:
                append_dockerfile_value(text, out);
                break;
            case Filter::text:
                // Prose in comments and pre-escaped JSON: a newline is the only danger.
                if (text.find('\n') != std::string_view::npos) {
                    throw TemplateError{t.location(node), "'" + std::string(node.text) + "' contains a newline"};
                }
                out += text;
                break;
        }
    }

    void render_section(const TemplateView& t, std::size_t index, std::vector<Scope>& scopes, std::string& out,
                        int depth)
    {
        const Node& node = t.nodes[index];
        const TemplateValue* value = lookup(t, node, scopes);
        std::size_t begin = index + 1;
        if (node.kind == NodeKind::inverted) {
            if (!truthy(*value)) {
                render_nodes(t, begin, node.end, scopes, out, depth);
            }
            return;
        }
        if (value->kind() == TemplateValue::Kind::list) {
            const TemplateList& items = value->items();
            for (std::size_t i = 0; i < items.size(); ++i) {
                scopes.push_back({&items[i], i == 0, i + 1 == items.size(), true});
                render_nodes(t, begin, node.end, scopes, out, depth);
                scopes.pop_back();
            }
        } else if (value->kind() == TemplateValue::Kind::object) {
            scopes.push_back({value});
            render_nodes(t, begin, node.end, scopes, out, depth);
            scopes.pop_back();
        } else if (truthy(*value)) {
            render_nodes(t, begin, node.end, scopes, out, depth);
        }
    }

    Partial find_partial(const TemplateView& t, const Node& node) const
    {
        if (m_partials == nullptr) {
            if (std::optional<TemplateView> embedded = embedded_template(node.text)) {
                return {nullptr, *embedded};
            }
        } else if (std::optional<std::string> text = *m_partials ? (*m_partials)(node.text) : std::nullopt) {
            std::shared_ptr<const ParsedTemplate> parsed =
                parsed_text("templates/" + std::string(node.text) + ".tmpl", *text);
            return {parsed, parsed->view()};
        }
        throw TemplateError{t.location(node), "partial '" + std::string(node.text) + "' not found (templates/" +
                                                  std::string(node.text) + ".tmpl)"};
    }

    void render_partial(const TemplateView& t, const Node& node, std::vector<Scope>& scopes, std::string& out,
                        int depth)
    {
        if (depth > 16) {
            throw TemplateError{t.location(node), "partials nest more than 16 deep (a partial includes itself?)"};
        }
        if (m_rendered != nullptr) {
            if (auto done = m_rendered->find(node.text); done != m_rendered->end()) {
                if (m_inserts != nullptr && node.indent.empty()) {
                    m_inserts->push_back({out.size(), done->second});
                } else {
                    append_indented(done->second, node.indent, out);
                }
                return;
            }
        }
        Partial partial = find_partial(t, node);
        std::uint32_t* outer_hints = m_hints;
        m_hints = partial.owner ? nullptr : key_hints(partial.view);
        render_partial_nodes(partial, node, scopes, out, depth);
        m_hints = outer_hints;
    }

    void render_partial_nodes(const Partial& partial, const Node& node, std::vector<Scope>& scopes, std::string& out,
                              int depth)
    {
        if (node.indent.empty()) {
            render_nodes(partial.view, 0, partial.view.nodes.size(), scopes, out,
                         depth + 1);  // straight into the output
            return;
        }
        std::string rendered;
        rendered.reserve(partial.view.text_size * 2);
        render_nodes(partial.view, 0, partial.view.nodes.size(), scopes, rendered, depth + 1);
        append_indented(rendered, node.indent, out);
    }

    static inline const TemplateValue k_true = TemplateValue::boolean(true);
    static inline const TemplateValue k_false = TemplateValue::boolean(false);
    const PartialLoader* m_partials;
    std::uint32_t* m_hints = nullptr;  // key_hints of the template being rendered
    const RenderedPartials* m_rendered;
    std::vector<TextInsert>* m_inserts = nullptr;  // where rendered partials go instead of the text
    std::size_t m_rendered_size = 0;
};

void report(const TemplateError& error, Diagnostics& diagnostics)
{
    diagnostics.error("template/error", error.message, error.where, "fix the template or the context that fills it");
}

}  // namespace

std::optional<std::string> render_template(const TemplateSource& source, const TemplateContext& context,
                                           const PartialLoader& partials, Diagnostics& diagnostics,
                                           const RenderedPartials* rendered)
{
    TemplateArena arena;
    return render_template(source, template_data_from_json(context, arena), partials, diagnostics, rendered);
}

std::optional<std::string> render_template(const TemplateSource& source, const TemplateValue& data,
                                           const PartialLoader& partials, Diagnostics& diagnostics,
                                           const RenderedPartials* rendered)
{
    try {
        std::shared_ptr<const ParsedTemplate> parsed = parsed_text(source.name, source.text);
        return Renderer(&partials, rendered).render(parsed->view(), data);
    } catch (const TemplateError& error) {
        report(error, diagnostics);
        return std::nullopt;
    }
}

namespace {
std::optional<std::string> render_embedded(std::string_view name, const TemplateValue& data, Diagnostics& diagnostics,
                                           const RenderedPartials* rendered, std::vector<TextInsert>* inserts);
}  // namespace

std::optional<std::string> render_embedded_template(std::string_view name, const TemplateValue& data,
                                                    Diagnostics& diagnostics, const RenderedPartials* rendered)
{
    return render_embedded(name, data, diagnostics, rendered, nullptr);
}

std::optional<std::string> render_embedded_template(std::string_view name, const TemplateValue& data,
                                                    Diagnostics& diagnostics, const RenderedPartials& rendered,
                                                    std::vector<TextInsert>& inserts)
{
    return render_embedded(name, data, diagnostics, &rendered, &inserts);
}

namespace {
std::optional<std::string> render_embedded(std::string_view name, const TemplateValue& data, Diagnostics& diagnostics,
                                           const RenderedPartials* rendered, std::vector<TextInsert>* inserts)
{
    try {
        std::optional<TemplateView> parsed = embedded_template(name);
        if (!parsed) {
            diagnostics.error("internal/missing-template",
                              "template templates/" + std::string(name) + ".tmpl is not in this build", {},
                              "rebuild cudagen from a complete source tree");
            return std::nullopt;
        }
        return Renderer(nullptr, rendered, inserts).render(*parsed, data);
    } catch (const TemplateError& error) {
        report(error, diagnostics);
        return std::nullopt;
    }
}
}  // namespace

TemplateValue template_data_from_json(const nlohmann::json& value, TemplateArena& arena)
{
    switch (value.type()) {
        case nlohmann::json::value_t::boolean:
            return TemplateValue::boolean(value.get<bool>());
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
            return TemplateValue::integer(value.get<long long>());
        case nlohmann::json::value_t::number_float:
            return TemplateValue::number();
        case nlohmann::json::value_t::string:
            return TemplateValue::string(arena.text(value.get_ref<const std::string&>()));
        case nlohmann::json::value_t::array: {
            TemplateListBuilder list = arena.list(value.size());
            for (const auto& item : value) {
                list.push(template_data_from_json(item, arena));
            }
            return list.value();
        }
        case nlohmann::json::value_t::object: {
            TemplateObject object = arena.object(value.size());
            for (const auto& [key, member] : value.items()) {
                object.set(TemplateKey::of(arena.text(key)), template_data_from_json(member, arena));
            }
            return object.value();
        }
        default:
            return {};
    }
}

}  // namespace cudagen
