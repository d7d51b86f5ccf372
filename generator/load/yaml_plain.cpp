// The common shape of cudagen's YAML inputs, read without yaml-cpp: block maps
// and sequences by indentation, one-line flow lists and maps, plain and quoted
// one-line scalars, comments. yaml-cpp's scanner cost about 0.8 M instructions
// for one profile. Anything else (anchors, tags, block or multi-line scalars,
// escapes, empty values, tabs, non-ASCII text, a duplicate key, any doubt) makes
// this reader give up, and parse_yaml() reads the text with yaml-cpp instead,
// which also reports every error. Where it does not give up, it must build
// exactly the tree yaml-cpp builds, positions included:
// YamlPlain.BuildsWhatYamlCppBuilds checks that on every YAML file of the
// repository and on thousands of damaged copies of them.
#include "load/yaml_plain.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace cudagen {

namespace {

constexpr std::size_t k_max_depth = 64;  // as yaml_tree.cpp: deeper goes to yaml-cpp, which reports it

struct Line {
    int number = 0;          // 1-based
    std::size_t indent = 0;  // spaces before the content (for a "- " item's content: its column)
    std::string_view rest;   // the content, comments included
};

// A byte -> bool table of the characters in `set`, built at compile time.
constexpr std::array<bool, 256> char_table(std::string_view set)
{
    std::array<bool, 256> table{};
    for (char c : set) {
        table[static_cast<unsigned char>(c)] = true;
    }
    return table;
}

// Characters that start something other than a plain scalar (or might).
constexpr std::array<bool, 256> k_indicators = char_table("-?:,[]{}#&*!|>'\"%@`~");
// Where a plain scalar inside [...] or {...} may end (or stops being plain).
constexpr std::array<bool, 256> k_flow_stops = char_table(",[]{}:#?");

constexpr std::array<bool, 256> k_key_chars =
    char_table("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./");

bool is_key_char(char c)
{
    return k_key_chars[static_cast<unsigned char>(c)];
}

bool is_indicator(char c)
{
    return k_indicators[static_cast<unsigned char>(c)];
}

bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// A plain scalar may start here: not with an indicator, except a dash that begins
// an option or a negative number ("--host", "-j4", "-1").
bool starts_plain(std::string_view rest, std::size_t at)
{
    if (rest[at] == '-') {
        return at + 1 < rest.size() && (rest[at + 1] == '-' || is_alnum(rest[at + 1]));
    }
    return !is_indicator(rest[at]);
}

bool is_null_word(std::string_view text)
{
    return text == "null" || text == "Null" || text == "NULL" || text == "~";
}

// "- ..." or a lone "-".
bool is_item(std::string_view rest)
{
    return rest.starts_with('-') && (rest.size() == 1 || rest[1] == ' ');
}

// The length of "key" when `rest` starts with "key:" followed by a space or the end.
std::size_t key_length(std::string_view rest)
{
    std::size_t i = 0;
    while (i < rest.size() && is_key_char(rest[i])) {
        ++i;
    }
    if (i == 0 || i >= rest.size() || rest[i] != ':' || is_indicator(rest[0])) {
        return 0;
    }
    if (i + 1 < rest.size() && rest[i + 1] != ' ') {
        return 0;
    }
    return i;
}

// Whether `key` is not yet a key of `map`: a scan while the map is small (every
// profile's), a set once it grows (a hostile file with thousands of keys).
bool is_new_key(const YamlNode& map, std::set<std::string, std::less<>>& seen, std::string_view key)
{
    constexpr std::size_t k_scan_below = 16;
    if (map.entries.size() < k_scan_below) {
        return std::none_of(map.entries.begin(), map.entries.end(),
                            [key](const YamlEntry& entry) { return entry.first.value == key; });
    }
    if (seen.empty()) {
        for (const auto& entry : map.entries) {
            seen.insert(entry.first.value);
        }
    }
    return seen.emplace(key).second;
}

class PlainReader {
public:
    PlainReader(std::string_view text, const std::string& file) : m_file(file) { split(text); }

    std::optional<YamlNode> read()
    {
        if (!m_ok || m_lines.empty() || m_lines[0].indent != 0) {
            return std::nullopt;
        }
        YamlNode root = block_node(0);
        if (!m_ok || m_next != m_lines.size()) {
            return std::nullopt;
        }
        return root;
    }

private:
    void split(std::string_view text)
    {
        int number = 0;
        while (!text.empty() && m_ok) {
            std::size_t end = text.find('\n');
            std::string_view line = text.substr(0, end);
            text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
            ++number;
            unsigned odd = 0;  // tabs, carriage returns, control characters, non-ASCII text
            for (char c : line) {
                auto byte = static_cast<unsigned char>(c);
                odd |= static_cast<unsigned>(byte < 0x20) | static_cast<unsigned>(byte >= 0x7f);
            }
            m_ok = m_ok && odd == 0;
            std::size_t indent = line.find_first_not_of(' ');
            if (indent == std::string_view::npos || line[indent] == '#') {
                continue;
            }
            std::string_view rest = line.substr(indent);
            if (rest.starts_with("---") || rest.starts_with("...") || rest.starts_with('%')) {
                m_ok = false;
            }
            m_lines.push_back({number, indent, rest});
        }
    }

    YamlNode fail()
    {
        m_ok = false;
        return {};
    }

    SourceLocation at(const Line& line, std::size_t offset) const
    {
        return {m_file, line.number, static_cast<int>(line.indent + offset) + 1};
    }

    bool more_at(std::size_t indent) const { return m_next < m_lines.size() && m_lines[m_next].indent == indent; }

    // How many lines from the next one start at `indent` before one starts left of it:
    // the entries of a block collection at most (so its vector is allocated once).
    std::size_t lines_at(std::size_t indent) const
    {
        std::size_t count = 0;
        for (std::size_t i = m_next; i < m_lines.size() && m_lines[i].indent >= indent; ++i) {
            count += m_lines[i].indent == indent ? 1 : 0;
        }
        return count;
    }

    // The value of a key or item written on the lines below it, indented more than `parent`
    // (or, for a key, a sequence at the key's own indent).
    YamlNode nested(std::size_t parent, bool sequence_may_align)
    {
        if (m_next >= m_lines.size()) {
            return fail();  // an empty value: yaml-cpp's null and its position
        }
        const Line& line = m_lines[m_next];
        if (line.indent > parent || (sequence_may_align && line.indent == parent && is_item(line.rest))) {
            return block_node(line.indent);
        }
        return fail();
    }

    YamlNode block_node(std::size_t indent)
    {
        if (++m_depth > k_max_depth) {
            return fail();
        }
        const Line& line = m_lines[m_next];
        YamlNode node = is_item(line.rest)          ? block_sequence(indent)
                        : key_length(line.rest) > 0 ? block_map(indent)
                                                    : fail();
        --m_depth;
        return node;
    }

    YamlNode block_map(std::size_t indent)
    {
        YamlNode map;
        map.kind = YamlNode::Kind::map;
        map.where = at(m_lines[m_next], 0);
        map.entries.reserve(lines_at(indent));
        std::set<std::string, std::less<>> keys;
        while (m_ok && more_at(indent)) {
            Line& line = m_lines[m_next];
            std::size_t length = key_length(line.rest);
            if (length == 0 || is_null_word(line.rest.substr(0, length)) ||
                !is_new_key(map, keys, line.rest.substr(0, length))) {
                return fail();  // not a key, a null key or a duplicate (yaml-cpp's reader reports them)
            }
            YamlEntry& entry = map.entries.emplace_back();
            entry.first.kind = YamlNode::Kind::scalar;
            entry.first.value = std::string(line.rest.substr(0, length));
            entry.first.where = at(line, 0);
            std::size_t value_at = line.rest.find_first_not_of(' ', length + 1);
            if (value_at == std::string_view::npos || line.rest[value_at] == '#') {
                ++m_next;
                entry.second = nested(indent, true);
            } else {
                entry.second = inline_value(line, value_at);
            }
        }
        return map;
    }

    YamlNode block_sequence(std::size_t indent)
    {
        YamlNode sequence;
        sequence.kind = YamlNode::Kind::sequence;
        sequence.where = at(m_lines[m_next], 0);
        sequence.items.reserve(lines_at(indent));
        while (m_ok && more_at(indent) && is_item(m_lines[m_next].rest)) {
            Line& line = m_lines[m_next];
            std::size_t content = line.rest.find_first_not_of(' ', 1);
            if (content == std::string_view::npos || line.rest[content] == '#') {
                ++m_next;
                sequence.items.push_back(nested(indent, false));
                continue;
            }
            std::string_view rest = line.rest.substr(content);
            if (key_length(rest) > 0 || is_item(rest)) {
                // "- key: value" or "- - item": a block collection starting at the content's column.
                line.indent += content;
                line.rest = rest;
                sequence.items.push_back(block_node(line.indent));
            } else {
                sequence.items.push_back(inline_value(line, content));
            }
        }
        return sequence;
    }

    // A value that ends its line: a flow collection, a quoted or a plain scalar.
    YamlNode inline_value(const Line& line, std::size_t offset)
    {
        std::string_view rest = line.rest;
        std::size_t end = offset;
        YamlNode value;
        if (rest[offset] == '[' || rest[offset] == '{') {
            value = flow_node(line, end);
        } else if (rest[offset] == '"' || rest[offset] == '\'') {
            value = quoted(line, end);
        } else {
            value = block_plain(line, end);
        }
        std::size_t after = rest.find_first_not_of(' ', end);
        if (after != std::string_view::npos && (rest[after] != '#' || after == end)) {
            return fail();  // more on the line, or a comment without a space before it
        }
        ++m_next;
        if (m_next < m_lines.size() && m_lines[m_next].indent > line.indent) {
            return fail();  // a continuation line, or something yaml-cpp would reject
        }
        return value;
    }

    YamlNode scalar(const Line& line, std::size_t offset, std::string_view text, bool plain)
    {
        YamlNode node;
        node.kind = YamlNode::Kind::scalar;
        node.value = std::string(text);
        node.plain = plain;
        node.where = at(line, offset);
        return node;
    }

    // A plain scalar that runs to the end of the line (or to " #").
    YamlNode block_plain(const Line& line, std::size_t& end)
    {
        std::string_view rest = line.rest;
        std::size_t start = end;
        if (!starts_plain(rest, start)) {
            return fail();
        }
        std::size_t stop = rest.find(" #", start);
        std::string_view text =
            rest.substr(start, stop == std::string_view::npos ? std::string_view::npos : stop - start);
        text = text.substr(0, text.find_last_not_of(' ') + 1);
        if (text.find(": ") != std::string_view::npos || text.ends_with(':') || is_null_word(text)) {
            return fail();
        }
        end = start + text.size();
        return scalar(line, start, text, true);
    }

    // 'text' or "text" on one line; '' is a quote; a backslash escape goes to yaml-cpp.
    YamlNode quoted(const Line& line, std::size_t& end)
    {
        std::string_view rest = line.rest;
        char quote = rest[end];
        std::string text;
        std::size_t from = end + 1;
        while (true) {
            std::size_t close = rest.find(quote, from);
            if (close == std::string_view::npos) {
                return fail();  // the quote goes on to the next line
            }
            std::string_view piece = rest.substr(from, close - from);
            if (quote == '"' && piece.find('\\') != std::string_view::npos) {
                return fail();
            }
            text.append(piece);
            if (quote == '\'' && close + 1 < rest.size() && rest[close + 1] == '\'') {
                text += '\'';
                from = close + 2;
                continue;
            }
            YamlNode node = scalar(line, end, text, false);
            end = close + 1;
            return node;
        }
    }

    // A plain scalar inside [...] or {...}: up to , ] } or ": ".
    YamlNode flow_plain(const Line& line, std::size_t& end)
    {
        std::string_view rest = line.rest;
        std::size_t start = end;
        if (!starts_plain(rest, start)) {
            return fail();
        }
        std::size_t stop = start;
        while (stop < rest.size() && !k_flow_stops[static_cast<unsigned char>(rest[stop])]) {
            ++stop;
        }
        stop = stop == rest.size() ? std::string_view::npos : stop;
        if (stop == std::string_view::npos || rest[stop] == '[' || rest[stop] == '{' || rest[stop] == '#') {
            return fail();
        }
        if (rest[stop] == ':' && (stop + 1 >= rest.size() || rest[stop + 1] != ' ')) {
            return fail();  // "a:b" inside a flow collection: leave it to yaml-cpp
        }
        std::string_view text = rest.substr(start, stop - start);
        text = text.substr(0, text.find_last_not_of(' ') + 1);
        if (text.empty() || is_null_word(text)) {
            return fail();
        }
        end = start + text.size();
        return scalar(line, start, text, true);
    }

    YamlNode flow_item(const Line& line, std::size_t& end)
    {
        char c = line.rest[end];
        if (c == '[' || c == '{') {
            return flow_node(line, end);
        }
        if (c == '"' || c == '\'') {
            return quoted(line, end);
        }
        return flow_plain(line, end);
    }

    bool skip_spaces(const Line& line, std::size_t& end)
    {
        end = line.rest.find_first_not_of(' ', end);
        if (end == std::string_view::npos) {
            m_ok = false;  // the collection goes on to the next line
        }
        return m_ok;
    }

    // [a, b] or {k: v, k2: v2}, all on one line.
    YamlNode flow_node(const Line& line, std::size_t& end)
    {
        if (++m_depth > k_max_depth) {
            return fail();
        }
        bool is_map = line.rest[end] == '{';
        char close = is_map ? '}' : ']';
        YamlNode node;
        node.kind = is_map ? YamlNode::Kind::map : YamlNode::Kind::sequence;
        node.where = at(line, end);
        // At most one item more than the commas left on the line.
        std::size_t most = 1 + static_cast<std::size_t>(std::count(line.rest.begin() + end, line.rest.end(), ','));
        if (is_map) {
            node.entries.reserve(most);
        } else {
            node.items.reserve(most);
        }
        std::set<std::string, std::less<>> keys;
        ++end;
        bool first = true;
        while (m_ok && skip_spaces(line, end)) {
            if (line.rest[end] == close) {
                ++end;
                break;
            }
            if (!first && (line.rest[end] != ',' || !skip_spaces(line, ++end) || line.rest[end] == close)) {
                return fail();  // no comma between items, or a trailing comma
            }
            first = false;
            YamlNode item = flow_item(line, end);
            if (!is_map) {
                node.items.push_back(std::move(item));
                continue;
            }
            if (!m_ok || !item.is_scalar() || !item.plain || !is_new_key(node, keys, item.value) ||
                !line.rest.substr(end).starts_with(": ") || !skip_spaces(line, end += 2)) {
                return fail();
            }
            YamlNode value = flow_item(line, end);
            node.entries.push_back({std::move(item), std::move(value)});
        }
        --m_depth;
        return node;
    }

    const std::string& m_file;
    std::vector<Line> m_lines;
    std::size_t m_next = 0;
    std::size_t m_depth = 0;
    bool m_ok = true;
};

}  // namespace

std::optional<YamlNode> parse_plain_yaml(std::string_view text, const std::string& file)
{
    return PlainReader(text, file).read();
}

}  // namespace cudagen
