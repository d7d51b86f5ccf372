#include "render/template.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

namespace cudagen {

namespace {

struct TemplateError {
    SourceLocation where;
    std::string message;
};

enum class NodeKind { text, value, section, inverted, partial };

struct Node {
    NodeKind kind = NodeKind::text;
    std::string text;    // text, or the path of a tag
    std::string filter;  // value tags
    std::string indent;  // standalone partials: indentation applied to each line
    SourceLocation where;
    std::vector<Node> children;
};

struct Tag {
    char sigil = 0;  // 0 for a value, or one of # ^ / > !
    std::string body;
    std::size_t begin = 0;  // offset of "{{"
    std::size_t end = 0;    // offset after "}}"
};

class Parser {
public:
    Parser(const TemplateSource& source) : m_source(source)
    {
        m_line_starts.push_back(0);
        for (std::size_t i = 0; i < source.text.size(); ++i) {
            if (source.text[i] == '\n') {
                m_line_starts.push_back(i + 1);
            }
        }
    }

    std::vector<Node> parse()
    {
        std::vector<Node> nodes = parse_until("");
        return nodes;
    }

private:
    SourceLocation location_of(std::size_t offset) const
    {
        auto line = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), offset) - 1;
        return {m_source.name, static_cast<int>(line - m_line_starts.begin()) + 1,
                static_cast<int>(offset - *line) + 1};
    }

    std::optional<Tag> next_tag() const
    {
        std::size_t open = m_source.text.find("{{", m_position);
        // "${{ ... }}" is a GitHub Actions expression: text, not a tag.
        while (open != std::string::npos && open > 0 && m_source.text[open - 1] == '$') {
            std::size_t expression_end = m_source.text.find("}}", open + 2);
            open =
                expression_end == std::string::npos ? std::string::npos : m_source.text.find("{{", expression_end + 2);
        }
        if (open == std::string::npos) {
            return std::nullopt;
        }
        std::size_t close = m_source.text.find("}}", open + 2);
        if (close == std::string::npos) {
            throw TemplateError{location_of(open), "'{{' is never closed with '}}'"};
        }
        Tag tag;
        tag.begin = open;
        tag.end = close + 2;
        std::string inner = trim(std::string_view(m_source.text).substr(open + 2, close - open - 2));
        if (!inner.empty() && std::string_view("#^/>!").find(inner.front()) != std::string_view::npos) {
            tag.sigil = inner.front();
            inner = trim(std::string_view(inner).substr(1));
        }
        tag.body = inner;
        return tag;
    }

    // A section, close, comment or partial tag alone on its line takes the
    // whole line with it, so templates can be indented readably.
    bool standalone(const Tag& tag, std::size_t& line_begin, std::size_t& line_end) const
    {
        if (tag.sigil == 0) {
            return false;
        }
        const std::string& text = m_source.text;
        std::size_t newline = tag.begin == 0 ? std::string::npos : text.rfind('\n', tag.begin - 1);
        line_begin = newline == std::string::npos ? 0 : newline + 1;
        if (line_begin < m_position) {
            return false;  // an earlier tag stands on the same line
        }
        for (std::size_t i = line_begin; i < tag.begin; ++i) {
            if (text[i] != ' ' && text[i] != '\t') {
                return false;
            }
        }
        line_end = tag.end;
        while (line_end < text.size() && (text[line_end] == ' ' || text[line_end] == '\t' || text[line_end] == '\r')) {
            ++line_end;
        }
        if (line_end < text.size() && text[line_end] != '\n') {
            return false;
        }
        if (line_end < text.size()) {
            ++line_end;
        }
        return true;
    }

    void add_text(std::vector<Node>& nodes, std::size_t begin, std::size_t end)
    {
        if (end > begin) {
            nodes.push_back({NodeKind::text, m_source.text.substr(begin, end - begin), {}, {}, location_of(begin), {}});
        }
    }

    std::vector<Node> parse_until(const std::string& closing)
    {
        std::vector<Node> nodes;
        while (auto tag = next_tag()) {
            std::size_t line_begin = 0;
            std::size_t line_end = 0;
            bool alone = standalone(*tag, line_begin, line_end);
            std::size_t text_end = alone ? line_begin : tag->begin;
            add_text(nodes, m_position, text_end);
            SourceLocation where = location_of(tag->begin);
            m_position = alone ? line_end : tag->end;
            if (tag->body.empty() && tag->sigil != '!') {
                throw TemplateError{where, "empty tag"};
            }
            switch (tag->sigil) {
                case '!':
                    break;
                case '/':
                    if (tag->body != closing) {
                        throw TemplateError{where, closing.empty() ? "'{{/" + tag->body + "}}' closes nothing"
                                                                   : "'{{/" + tag->body + "}}' where '{{/" + closing +
                                                                         "}}' was expected"};
                    }
                    return nodes;
                case '#':
                case '^': {
                    Node node{tag->sigil == '#' ? NodeKind::section : NodeKind::inverted, tag->body, {}, {}, where, {}};
                    node.children = parse_until(tag->body);
                    nodes.push_back(std::move(node));
                    break;
                }
                case '>': {
                    std::string indent = alone ? m_source.text.substr(line_begin, tag->begin - line_begin) : "";
                    nodes.push_back({NodeKind::partial, tag->body, {}, indent, where, {}});
                    break;
                }
                default:
                    nodes.push_back(value_node(tag->body, where));
                    break;
            }
        }
        add_text(nodes, m_position, m_source.text.size());
        m_position = m_source.text.size();
        if (!closing.empty()) {
            throw TemplateError{location_of(m_source.text.size()), "'{{#" + closing + "}}' is never closed"};
        }
        return nodes;
    }

    static Node value_node(const std::string& body, const SourceLocation& where)
    {
        Node node{NodeKind::value, body, {}, {}, where, {}};
        std::size_t bar = body.find('|');
        if (bar != std::string::npos) {
            node.text = trim(std::string_view(body).substr(0, bar));
            node.filter = trim(std::string_view(body).substr(bar + 1));
        }
        return node;
    }

    const TemplateSource& m_source;
    std::vector<std::size_t> m_line_starts;  // offset of each line's first character
    std::size_t m_position = 0;
};

// Parsed templates, reused while their text is unchanged: generating many
// profiles in one process parses each template once.
const std::vector<Node>& parsed(const TemplateSource& source)
{
    static thread_local std::map<std::string, std::pair<std::string, std::vector<Node>>> cache;
    auto found = cache.find(source.name);
    if (found == cache.end() || found->second.first != source.text) {
        std::vector<Node> nodes = Parser(source).parse();
        found = cache.insert_or_assign(source.name, std::make_pair(source.text, std::move(nodes))).first;
    }
    return found->second.second;
}

struct Scope {
    const nlohmann::json* value;
    bool first = false;
    bool last = false;
    bool in_list = false;
};

class Renderer {
public:
    Renderer(const PartialLoader& partials, const RenderedPartials* rendered)
        : m_partials(partials), m_rendered(rendered)
    {
        if (rendered != nullptr) {
            for (const auto& [name, text] : *rendered) {
                m_rendered_size += text.size();
            }
        }
    }

    // Room for a template's output up front: its text and the pre-rendered partials
    // it may hold (a Dockerfile of 20 KB grown by doubling was copied several times).
    void reserve_for(const TemplateSource& source, std::string& out) const
    {
        std::size_t expected = source.text.size() + m_rendered_size;
        out.reserve(out.size() + expected + expected / 2);
    }

    void render(const std::vector<Node>& nodes, std::vector<Scope>& scopes, std::string& out, int depth)
    {
        for (const auto& node : nodes) {
            render_node(node, scopes, out, depth);
        }
    }

private:
    const nlohmann::json* lookup(const std::string& path, const std::vector<Scope>& scopes, const SourceLocation& where)
    {
        if (path == ".") {
            return scopes.back().value;
        }
        if (path == "@first" || path == "@last") {
            for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
                if (it->in_list) {
                    return path == "@first" ? (it->first ? &k_true : &k_false) : (it->last ? &k_true : &k_false);
                }
            }
            throw TemplateError{where, "'" + path + "' used outside a list"};
        }
        std::size_t dot = path.find('.');
        std::string head = path.substr(0, dot);
        for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
            if (it->value->is_object() && it->value->contains(head)) {
                const nlohmann::json* value = &(*it->value)[head];
                while (dot != std::string::npos) {
                    std::size_t next = path.find('.', dot + 1);
                    std::string key =
                        path.substr(dot + 1, next == std::string::npos ? std::string::npos : next - dot - 1);
                    if (!value->is_object() || !value->contains(key)) {
                        throw TemplateError{where, "'" + path + "' is not defined (no '" + key + "')"};
                    }
                    value = &(*value)[key];
                    dot = next;
                }
                return value;
            }
        }
        throw TemplateError{where, "'" + path + "' is not defined"};
    }

    static std::string scalar_text(const nlohmann::json& value, const Node& node)
    {
        if (value.is_string()) {
            return value.get<std::string>();
        }
        if (value.is_number_integer()) {
            return std::to_string(value.get<long long>());
        }
        if (value.is_boolean()) {
            return value.get<bool>() ? "true" : "false";
        }
        throw TemplateError{node.where,
                            "'" + node.text + "' is " + std::string(value.type_name()) + ", not a single value"};
    }

    static std::string apply_filter(const std::string& text, const Node& node)
    {
        if (node.filter.empty()) {
            if (!is_plain_token(text)) {
                throw TemplateError{node.where, "'" + node.text + "' = '" + text +
                                                    "' needs an escaping filter (json, hcl or sh) for this context"};
            }
            return text;
        }
        if (node.filter == "json") {
            return escape_json_string(text);
        }
        if (node.filter == "hcl") {
            return escape_hcl_string(text);
        }
        if (node.filter == "sh") {
            return escape_shell_word(text);
        }
        if (node.filter == "env") {
            return escape_dockerfile_value(text);
        }
        if (node.filter == "text") {
            // Prose in comments and pre-escaped JSON: a newline is the only danger.
            if (text.find('\n') != std::string::npos) {
                throw TemplateError{node.where, "'" + node.text + "' contains a newline"};
            }
            return text;
        }
        throw TemplateError{node.where, "unknown filter '" + node.filter + "' (known: json, hcl, sh, env, text)"};
    }

    static bool truthy(const nlohmann::json& value)
    {
        if (value.is_boolean()) {
            return value.get<bool>();
        }
        if (value.is_array()) {
            return !value.empty();
        }
        if (value.is_string()) {
            return !value.get<std::string>().empty();
        }
        if (value.is_null()) {
            return false;
        }
        return true;
    }

    void render_section(const Node& node, std::vector<Scope>& scopes, std::string& out, int depth)
    {
        const nlohmann::json* value = lookup(node.text, scopes, node.where);
        if (node.kind == NodeKind::inverted) {
            if (!truthy(*value)) {
                render(node.children, scopes, out, depth);
            }
            return;
        }
        if (value->is_array()) {
            for (std::size_t i = 0; i < value->size(); ++i) {
                scopes.push_back({&(*value)[i], i == 0, i + 1 == value->size(), true});
                render(node.children, scopes, out, depth);
                scopes.pop_back();
            }
        } else if (value->is_object()) {
            scopes.push_back({value});
            render(node.children, scopes, out, depth);
            scopes.pop_back();
        } else if (truthy(*value)) {
            render(node.children, scopes, out, depth);
        }
    }

    static void append_indented(std::string_view rendered, const std::string& indent, std::string& out)
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

    void render_partial(const Node& node, std::vector<Scope>& scopes, std::string& out, int depth)
    {
        if (depth > 16) {
            throw TemplateError{node.where, "partials nest more than 16 deep (a partial includes itself?)"};
        }
        if (m_rendered != nullptr) {
            if (auto done = m_rendered->find(node.text); done != m_rendered->end()) {
                append_indented(done->second, node.indent, out);
                return;
            }
        }
        std::optional<std::string> text = m_partials ? m_partials(node.text) : std::nullopt;
        if (!text) {
            throw TemplateError{node.where, "partial '" + node.text + "' not found (templates/" + node.text + ".tmpl)"};
        }
        TemplateSource source{"templates/" + node.text + ".tmpl", std::move(*text)};
        const std::vector<Node>& nodes = parsed(source);
        if (node.indent.empty()) {
            render(nodes, scopes, out, depth + 1);  // nothing to indent: straight into the output
            return;
        }
        std::string rendered;
        reserve_for(source, rendered);
        render(nodes, scopes, rendered, depth + 1);
        append_indented(rendered, node.indent, out);
    }

    void render_node(const Node& node, std::vector<Scope>& scopes, std::string& out, int depth)
    {
        switch (node.kind) {
            case NodeKind::text:
                out += node.text;
                break;
            case NodeKind::value:
                out += apply_filter(scalar_text(*lookup(node.text, scopes, node.where), node), node);
                break;
            case NodeKind::section:
            case NodeKind::inverted:
                render_section(node, scopes, out, depth);
                break;
            case NodeKind::partial:
                render_partial(node, scopes, out, depth);
                break;
        }
    }

    static inline const nlohmann::json k_true = true;
    static inline const nlohmann::json k_false = false;
    const PartialLoader& m_partials;
    const RenderedPartials* m_rendered;
    std::size_t m_rendered_size = 0;
};

}  // namespace

std::optional<std::string> render_template(const TemplateSource& source, const TemplateContext& context,
                                           const PartialLoader& partials, Diagnostics& diagnostics,
                                           const RenderedPartials* rendered)
{
    try {
        const std::vector<Node>& nodes = parsed(source);
        std::vector<Scope> scopes;
        scopes.push_back({&context});
        std::string out;
        Renderer renderer(partials, rendered);
        renderer.reserve_for(source, out);
        renderer.render(nodes, scopes, out, 0);
        return out;
    } catch (const TemplateError& error) {
        diagnostics.error("template/error", error.message, error.where,
                          "fix the template or the context that fills it");
        return std::nullopt;
    }
}

std::string escape_json_string(std::string_view text)
{
    return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string escape_hcl_string(std::string_view text)
{
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '$':
            case '%':
                // "${" and "%{" start interpolation in HCL; doubling the sigil escapes it.
                out += c;
                if (i + 1 < text.size() && text[i + 1] == '{') {
                    out += c;
                }
                break;
            default:
                out += c;
        }
    }
    return out + "\"";
}

std::string escape_dockerfile_value(std::string_view text)
{
    std::string out = "\"";
    for (char c : text) {
        // Docker expands $VAR in ENV and LABEL values; a literal value must not be.
        if (c == '"' || c == '\\' || c == '$') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

std::string escape_shell_word(std::string_view text)
{
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

bool is_plain_token(std::string_view text)
{
    for (unsigned char c : text) {
        bool ok = std::isalnum(c) || std::string_view("._:/@+=,-").find(static_cast<char>(c)) != std::string_view::npos;
        if (!ok) {
            return false;
        }
    }
    return true;
}

}  // namespace cudagen
