#include "render/template_parse.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace cudagen::template_engine {

namespace {

bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && is_blank(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_blank(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

struct Tag {
    char sigil = 0;  // 0 for a value, or one of # ^ / > !
    std::string_view body;
    std::size_t begin = 0;  // offset of "{{"
    std::size_t end = 0;    // offset after "}}"
};

class Parser {
public:
    explicit Parser(ParsedTemplate& out) : m_out(out), m_text(out.text)
    {
        m_line_starts.push_back(0);
        for (std::size_t i = m_text.find('\n'); i != std::string_view::npos; i = m_text.find('\n', i + 1)) {
            m_line_starts.push_back(i + 1);
        }
    }

    void parse() { parse_until({}); }

private:
    std::pair<std::uint32_t, std::uint32_t> line_and_column(std::size_t offset) const
    {
        auto line = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), offset) - 1;
        return {static_cast<std::uint32_t>(line - m_line_starts.begin()) + 1,
                static_cast<std::uint32_t>(offset - *line) + 1};
    }

    SourceLocation location_of(std::size_t offset) const
    {
        auto [line, column] = line_and_column(offset);
        return {m_out.name, static_cast<int>(line), static_cast<int>(column)};
    }

    [[noreturn]] void fail(std::size_t offset, std::string message) const
    {
        throw TemplateError{location_of(offset), std::move(message)};
    }

    bool next_tag(Tag& tag) const
    {
        std::size_t open = m_text.find("{{", m_position);
        // "${{ ... }}" is a GitHub Actions expression: text, not a tag.
        while (open != std::string_view::npos && open > 0 && m_text[open - 1] == '$') {
            std::size_t expression_end = m_text.find("}}", open + 2);
            open = expression_end == std::string_view::npos ? std::string_view::npos
                                                            : m_text.find("{{", expression_end + 2);
        }
        if (open == std::string_view::npos) {
            return false;
        }
        std::size_t close = m_text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            fail(open, "'{{' is never closed with '}}'");
        }
        tag.begin = open;
        tag.end = close + 2;
        std::string_view inner = trimmed(m_text.substr(open + 2, close - open - 2));
        tag.sigil = 0;
        if (!inner.empty() && std::string_view("#^/>!").find(inner.front()) != std::string_view::npos) {
            tag.sigil = inner.front();
            inner = trimmed(inner.substr(1));
        }
        tag.body = inner;
        return true;
    }

    // A section, close, comment or partial tag alone on its line takes the
    // whole line with it, so templates can be indented readably.
    bool standalone(const Tag& tag, std::size_t& line_begin, std::size_t& line_end) const
    {
        if (tag.sigil == 0) {
            return false;
        }
        std::size_t newline = tag.begin == 0 ? std::string_view::npos : m_text.rfind('\n', tag.begin - 1);
        line_begin = newline == std::string_view::npos ? 0 : newline + 1;
        if (line_begin < m_position) {
            return false;  // an earlier tag stands on the same line
        }
        for (std::size_t i = line_begin; i < tag.begin; ++i) {
            if (m_text[i] != ' ' && m_text[i] != '\t') {
                return false;
            }
        }
        line_end = tag.end;
        while (line_end < m_text.size() &&
               (m_text[line_end] == ' ' || m_text[line_end] == '\t' || m_text[line_end] == '\r')) {
            ++line_end;
        }
        if (line_end < m_text.size() && m_text[line_end] != '\n') {
            return false;
        }
        if (line_end < m_text.size()) {
            ++line_end;
        }
        return true;
    }

    void add_text(std::size_t begin, std::size_t end)
    {
        if (end > begin) {
            Node node;
            node.text = m_text.substr(begin, end - begin);
            m_out.nodes.push_back(node);
        }
    }

    Node tag_node(NodeKind kind, std::string_view path, std::size_t offset) const
    {
        Node node;
        node.kind = kind;
        node.text = path;
        std::tie(node.line, node.column) = line_and_column(offset);
        return node;
    }

    // "a.b" as the keys a and b; ".", "@first" and "@last" as themselves.
    void add_path(Node& node)
    {
        std::string_view path = node.text;
        if (path == "." || path == "@first" || path == "@last") {
            node.path = path == "." ? PathKind::dot : path == "@first" ? PathKind::first : PathKind::last;
            return;
        }
        node.keys_begin = static_cast<std::uint32_t>(m_out.keys.size());
        for (std::size_t begin = 0;;) {
            std::size_t dot = path.find('.', begin);
            m_out.keys.push_back(
                TemplateKey::of(path.substr(begin, dot == std::string_view::npos ? dot : dot - begin)));
            if (dot == std::string_view::npos) {
                break;
            }
            begin = dot + 1;
        }
        node.keys_end = static_cast<std::uint32_t>(m_out.keys.size());
    }

    void add_value(const Tag& tag)
    {
        std::string_view path = tag.body;
        std::string_view filter;
        std::size_t bar = path.find('|');
        if (bar != std::string_view::npos) {
            filter = trimmed(path.substr(bar + 1));
            path = trimmed(path.substr(0, bar));
        }
        Node node = tag_node(NodeKind::value, path, tag.begin);
        static constexpr std::pair<std::string_view, Filter> k_filters[] = {{"json", Filter::json},
                                                                            {"hcl", Filter::hcl},
                                                                            {"sh", Filter::sh},
                                                                            {"env", Filter::env},
                                                                            {"text", Filter::text}};
        if (bar != std::string_view::npos) {
            const auto* known = std::find_if(std::begin(k_filters), std::end(k_filters),
                                             [&](const auto& entry) { return entry.first == filter; });
            if (known == std::end(k_filters)) {
                fail(tag.begin, "unknown filter '" + std::string(filter) + "' (known: json, hcl, sh, env, text)");
            }
            node.filter = known->second;
        }
        add_path(node);
        m_out.nodes.push_back(node);
    }

    void add_section(const Tag& tag)
    {
        Node node = tag_node(tag.sigil == '#' ? NodeKind::section : NodeKind::inverted, tag.body, tag.begin);
        add_path(node);
        std::size_t index = m_out.nodes.size();
        m_out.nodes.push_back(node);
        parse_until(tag.body);
        m_out.nodes[index].end = static_cast<std::uint32_t>(m_out.nodes.size());
    }

    void parse_until(std::string_view closing)
    {
        Tag tag;
        while (next_tag(tag)) {
            std::size_t line_begin = 0;
            std::size_t line_end = 0;
            bool alone = standalone(tag, line_begin, line_end);
            add_text(m_position, alone ? line_begin : tag.begin);
            m_position = alone ? line_end : tag.end;
            if (tag.body.empty() && tag.sigil != '!') {
                fail(tag.begin, "empty tag");
            }
            switch (tag.sigil) {
                case '!':
                    break;
                case '/':
                    if (tag.body != closing) {
                        std::string body(tag.body);
                        fail(tag.begin, closing.empty() ? "'{{/" + body + "}}' closes nothing"
                                                        : "'{{/" + body + "}}' where '{{/" + std::string(closing) +
                                                              "}}' was expected");
                    }
                    return;
                case '#':
                case '^':
                    add_section(tag);
                    break;
                case '>': {
                    Node node = tag_node(NodeKind::partial, tag.body, tag.begin);
                    node.indent = alone ? m_text.substr(line_begin, tag.begin - line_begin) : std::string_view();
                    m_out.nodes.push_back(node);
                    break;
                }
                default:
                    add_value(tag);
                    break;
            }
        }
        add_text(m_position, m_text.size());
        m_position = m_text.size();
        if (!closing.empty()) {
            fail(m_text.size(), "'{{#" + std::string(closing) + "}}' is never closed");
        }
    }

    ParsedTemplate& m_out;
    std::string_view m_text;
    std::vector<std::size_t> m_line_starts;  // offset of each line's first character
    std::size_t m_position = 0;
};

}  // namespace

std::unique_ptr<ParsedTemplate> parse_template(std::string name, std::string_view text, bool copy)
{
    auto parsed = std::make_unique<ParsedTemplate>();
    parsed->name = std::move(name);
    if (copy) {
        parsed->owned_text = std::string(text);
        parsed->text = parsed->owned_text;
    } else {
        parsed->text = text;
    }
    parsed->nodes.reserve(parsed->text.size() / 16);
    Parser(*parsed).parse();
    return parsed;
}

}  // namespace cudagen::template_engine
