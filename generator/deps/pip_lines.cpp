// The pip requirements-file syntax, as pip reads it: a line ending in "\"
// continues on the next, "#" after whitespace (or at the start) begins a
// comment, a line whose first word starts with "-" holds global options, any
// other line is one requirement followed by its own options (--hash ...).
#include "deps/pip_lines.hpp"

#include "core/text.hpp"

#include <array>
#include <filesystem>

namespace cudagen::deps::detail {

namespace {

struct Token {
    std::string text;
    std::size_t offset = 0;  // in the logical line
};

std::vector<Token> tokenize(std::string_view text)
{
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t start = text.find_first_not_of(" \t", i);
        if (start == std::string_view::npos) {
            break;
        }
        std::size_t end = text.find_first_of(" \t", start);
        end = end == std::string_view::npos ? text.size() : end;
        tokens.push_back({std::string(text.substr(start, end - start)), start});
        i = end;
    }
    return tokens;
}

// "#" at the start or after whitespace starts a comment (pip's rule: "a#b" is not one).
std::string_view strip_comment(std::string_view line)
{
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
            return line.substr(0, i);
        }
    }
    return line;
}

struct OptionSpec {
    std::string_view short_name;
    std::string_view long_name;
    PipOptionKind kind;
    bool takes_value;
};

// "-e" is handled apart: it makes an entry, not an option.
constexpr std::array<OptionSpec, 13> k_options = {{
    {"-r", "--requirement", PipOptionKind::requirement, true},
    {"-c", "--constraint", PipOptionKind::constraint, true},
    {"-i", "--index-url", PipOptionKind::index_url, true},
    {"", "--extra-index-url", PipOptionKind::extra_index_url, true},
    {"-f", "--find-links", PipOptionKind::find_links, true},
    {"", "--no-index", PipOptionKind::no_index, false},
    {"", "--trusted-host", PipOptionKind::trusted_host, true},
    {"", "--pre", PipOptionKind::pre, false},
    {"", "--prefer-binary", PipOptionKind::prefer_binary, false},
    {"", "--only-binary", PipOptionKind::only_binary, true},
    {"", "--no-binary", PipOptionKind::no_binary, true},
    {"", "--require-hashes", PipOptionKind::require_hashes, false},
    {"", "--use-feature", PipOptionKind::use_feature, true},
}};

std::vector<std::string> option_names()
{
    std::vector<std::string> names = {"-e", "--editable"};
    for (const auto& option : k_options) {
        names.emplace_back(option.long_name);
    }
    return names;
}

// Matches "-r", "-rFILE", "--requirement", "--requirement=FILE". `inline_value`
// gets the value written in the same token.
const OptionSpec* match_option(const std::string& token, std::optional<std::string>& inline_value)
{
    for (const auto& option : k_options) {
        if (!option.short_name.empty() && starts_with(token, option.short_name)) {
            if (token.size() > 2 && option.takes_value) {
                inline_value = token.substr(2);
            }
            if (token.size() == 2 || option.takes_value) {
                return &option;
            }
        }
        if (token == option.long_name) {
            return &option;
        }
        if (option.takes_value && starts_with(token, std::string(option.long_name) + "=")) {
            inline_value = token.substr(option.long_name.size() + 1);
            return &option;
        }
    }
    return nullptr;
}

bool is_vcs(std::string_view text)
{
    for (std::string_view prefix : {"git+", "hg+", "svn+", "bzr+"}) {
        if (starts_with(text, prefix)) {
            return true;
        }
    }
    return false;
}

bool is_url(std::string_view text)
{
    return text.find("://") != std::string_view::npos || starts_with(text, "file:");
}

// The requirement itself is a URL ("https://...", "file:..."), not "name @ URL".
bool starts_with_url(std::string_view text)
{
    std::size_t scheme_end = text.find("://");
    std::string_view scheme = text.substr(0, scheme_end);
    bool scheme_chars = !scheme.empty() && scheme.find_first_not_of(
                                               "abcdefghijklmnopqrstuvwxyz"
                                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") == std::string_view::npos;
    return (scheme_end != std::string_view::npos && scheme_chars) || starts_with(text, "file:");
}

// pip takes a requirement for a path when it has a "/" or starts with ".",
// or names an archive.
bool looks_like_path(std::string_view text)
{
    std::string_view head = text.substr(0, text.find_first_of(" ;"));
    return head.find('/') != std::string_view::npos || starts_with(head, ".") || is_archive_name(head);
}

// "#egg=name" in a VCS or URL requirement.
std::string egg_name(std::string_view url)
{
    std::size_t egg = url.find("#egg=");
    if (egg == std::string_view::npos) {
        egg = url.find("&egg=");
    }
    if (egg == std::string_view::npos) {
        return {};
    }
    std::string_view name = url.substr(egg + 5);
    return std::string(name.substr(0, name.find_first_of("&[")));
}

SourceLocation place_at(const PipLine& line, std::size_t offset)
{
    if (line.places.empty()) {
        return {};
    }
    return line.places[std::min(offset, line.places.size() - 1)];
}

class LineParser {
public:
    LineParser(const PipLine& line, const PipSite& site, std::vector<PipItem>& items, Diagnostics& diagnostics)
        : m_line(line), m_site(site), m_items(items), m_diagnostics(diagnostics), m_tokens(tokenize(line.text))
    {
    }

    void parse()
    {
        if (m_tokens.empty()) {
            return;
        }
        if (m_tokens.front().text.front() == '-') {
            parse_options(0);
        } else {
            parse_requirement(0, false);
        }
    }

private:
    const PipLine& m_line;
    const PipSite& m_site;
    std::vector<PipItem>& m_items;
    Diagnostics& m_diagnostics;
    std::vector<Token> m_tokens;

    SourceLocation at(std::size_t token) const { return place_at(m_line, m_tokens[token].offset); }

    void parse_options(std::size_t index)
    {
        while (index < m_tokens.size()) {
            const std::string& token = m_tokens[index].text;
            if (token == "-e" || token == "--editable" || starts_with(token, "--editable=")) {
                index = parse_editable(index);
                continue;
            }
            std::optional<std::string> inline_value;
            const OptionSpec* option = match_option(token, inline_value);
            if (option == nullptr) {
                std::string name = token.substr(0, token.find('='));
                m_diagnostics.error("deps/unknown-option",
                                    "pip does not know the option '" + name + "'" + did_you_mean(name, option_names()),
                                    at(index),
                                    "remove it, or write one of the options pip takes in a requirements file");
                return;
            }
            index = add_option(*option, index, inline_value);
            if (index == 0) {
                return;
            }
        }
    }

    // Returns the next token's index, 0 when the line must not be read further.
    std::size_t add_option(const OptionSpec& spec, std::size_t index, const std::optional<std::string>& inline_value)
    {
        PipOption option;
        option.kind = spec.kind;
        option.name = inline_value ? m_tokens[index].text.substr(0, m_tokens[index].text.size() - inline_value->size())
                                   : m_tokens[index].text;
        if (!option.name.empty() && option.name.back() == '=') {
            option.name.pop_back();
        }
        option.file = m_site.file;
        option.where = at(index);
        option.value_where = option.where;
        option.first_line = m_line.first_line;
        option.last_line = m_line.last_line;
        std::size_t next = index + 1;
        if (spec.takes_value) {
            if (inline_value) {
                option.value = *inline_value;
                option.value_where =
                    place_at(m_line, m_tokens[index].offset + m_tokens[index].text.size() - inline_value->size());
            } else if (next < m_tokens.size()) {
                option.value = m_tokens[next].text;
                option.value_where = at(next);
                ++next;
            }
            if (option.value.empty()) {
                m_diagnostics.error("deps/missing-value", "'" + option.name + "' needs a value", option.where,
                                    "write the value after the option, as in '" + option.name + " VALUE'");
                return 0;
            }
            if (!resolve_option_path(option)) {
                return 0;
            }
        }
        m_items.emplace_back(std::move(option));
        return next;
    }

    bool resolve_option_path(PipOption& option)
    {
        bool include = option.kind == PipOptionKind::requirement || option.kind == PipOptionKind::constraint;
        bool local_links = option.kind == PipOptionKind::find_links && !is_url(option.value);
        if (!include && !local_links) {
            return true;
        }
        std::optional<std::string> path = context_path(m_site.include_dir, option.value);
        if (!path) {
            report_outside(option.value, option.value_where);
            return false;
        }
        option.path = *path;
        return true;
    }

    void report_outside(const std::string& value, const SourceLocation& where)
    {
        m_diagnostics.error("path/outside-context", "'" + value + "' leaves the build context (the profile's folder)",
                            where,
                            "keep dependency files and local projects inside the profile's folder, and refer to them "
                            "by relative paths");
    }

    std::size_t parse_editable(std::size_t index)
    {
        const std::string& token = m_tokens[index].text;
        std::size_t value_index = index + 1;
        if (starts_with(token, "--editable=")) {
            value_index = index;
        }
        if (value_index >= m_tokens.size()) {
            m_diagnostics.error("deps/missing-value", "'" + token + "' needs a path or a VCS URL", at(index),
                                "write what to install in editable mode, as in '-e .'");
            return m_tokens.size();
        }
        if (m_site.constraints) {
            m_diagnostics.error("deps/editable-constraint", "a constraints file cannot hold editable requirements",
                                at(index), "move '" + token + "' into a requirements file");
            return m_tokens.size();
        }
        parse_requirement(value_index, true, index);
        return m_tokens.size();
    }

    // The requirement starts at token `first`; its own options (--hash ...) follow it.
    void parse_requirement(std::size_t first, bool editable, std::optional<std::size_t> editable_token = std::nullopt)
    {
        std::size_t end = first + 1;
        std::string text = editable && starts_with(m_tokens[first].text, "--editable=")
                               ? m_tokens[first].text.substr(11)
                               : m_tokens[first].text;
        std::size_t text_offset = m_tokens[first].offset + (m_tokens[first].text.size() - text.size());
        while (end < m_tokens.size() && m_tokens[end].text.front() != '-') {
            ++end;
        }
        std::size_t text_end = end < m_tokens.size() ? m_tokens[end].offset : m_line.text.size();
        text = trim(std::string_view(m_line.text).substr(text_offset, text_end - text_offset));
        PipEntry entry;
        entry.editable = editable;
        entry.text = text;
        entry.file = m_site.file;
        entry.where = editable_token ? at(*editable_token) : place_at(m_line, text_offset);
        entry.first_line = m_line.first_line;
        entry.last_line = m_line.last_line;
        entry.constraint = m_site.constraints;
        if (!classify(entry, place_at(m_line, text_offset))) {
            return;
        }
        std::size_t url_offset =
            entry.spec.url.empty() ? std::string::npos : m_line.text.find(entry.spec.url, text_offset);
        entry.url_where = url_offset == std::string::npos ? entry.where : place_at(m_line, url_offset);
        read_requirement_options(end, entry);
        m_items.emplace_back(std::move(entry));
    }

    void read_requirement_options(std::size_t index, PipEntry& entry)
    {
        for (; index < m_tokens.size(); ++index) {
            const std::string& token = m_tokens[index].text;
            if (starts_with(token, "--hash=")) {
                entry.hashes.push_back(token.substr(7));
            } else if (token == "--hash" && index + 1 < m_tokens.size()) {
                entry.hashes.push_back(m_tokens[++index].text);
            }
        }
    }

    bool classify(PipEntry& entry, const SourceLocation& where)
    {
        const std::string& text = entry.text;
        if (is_vcs(text) || (starts_with_url(text) && !starts_with(text, "file:"))) {
            entry.kind = is_vcs(text) ? PipEntryKind::vcs : PipEntryKind::url;
            std::size_t marker = text.find(" ;");
            entry.spec.url = trim(text.substr(0, marker));
            entry.spec.marker = marker == std::string::npos ? "" : trim(text.substr(marker + 2));
            entry.spec.name = egg_name(entry.spec.url);
            entry.spec.key = normalize_name(entry.spec.name);
            return true;
        }
        if (starts_with(text, "file:") || looks_like_path(text)) {
            return classify_local(entry, where);
        }
        std::optional<PackageSpec> spec = parse_pip_spec(text);
        if (!spec) {
            m_diagnostics.error("deps/bad-requirement", "'" + text + "' is not a requirement pip can read", where,
                                "write a project name with an optional version, as in 'numpy>=1.26', a path, or a URL");
            return false;
        }
        entry.spec = *spec;
        if (!spec->url.empty()) {
            entry.kind = is_vcs(spec->url)                 ? PipEntryKind::vcs
                         : starts_with(spec->url, "file:") ? PipEntryKind::local
                                                           : PipEntryKind::url;
            if (entry.kind == PipEntryKind::local) {
                return classify_local(entry, where);
            }
        }
        return true;
    }

    bool classify_local(PipEntry& entry, const SourceLocation& where)
    {
        std::string text = entry.spec.url.empty() ? entry.text : entry.spec.url;
        std::size_t marker = text.find(';');
        if (marker != std::string::npos) {
            entry.spec.marker = trim(text.substr(marker + 1));
            text = trim(text.substr(0, marker));
        }
        if (starts_with(text, "file://")) {
            text = text.substr(7);
        } else if (starts_with(text, "file:")) {
            text = text.substr(5);
        }
        text = text.substr(0, text.find('#'));
        if (!text.empty() && text.back() == ']') {
            std::size_t open = text.rfind('[');
            entry.spec.extras = open == std::string::npos ? "" : text.substr(open + 1, text.size() - open - 2);
            text = open == std::string::npos ? text : text.substr(0, open);
        }
        entry.kind = PipEntryKind::local;
        std::optional<std::string> path = context_path(m_site.local_dir, text);
        if (!path) {
            report_outside(text, where);
            return false;
        }
        entry.path = *path;
        return true;
    }
};

}  // namespace

bool is_archive_name(std::string_view path)
{
    for (std::string_view suffix : {".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz"}) {
        if (path.size() > suffix.size() && path.substr(path.size() - suffix.size()) == suffix) {
            return true;
        }
    }
    return false;
}

std::optional<std::string> context_path(std::string_view base, std::string_view relative)
{
    std::filesystem::path written(relative);
    if (written.is_absolute() || starts_with(relative, "~")) {
        return std::nullopt;
    }
    std::filesystem::path joined = (std::filesystem::path(base) / written).lexically_normal();
    std::string text = joined.generic_string();
    drop_trailing_slashes(text);
    if (text.empty() || text == "./") {
        text = ".";
    }
    if (text == ".." || starts_with(text, "../")) {
        return std::nullopt;
    }
    return text;
}

std::vector<PipLine> logical_lines(std::string_view text, const std::string& display)
{
    std::vector<PipLine> lines;
    PipLine current;
    int number = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        std::string_view raw = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        ++number;
        if (!raw.empty() && raw.back() == '\r') {
            raw.remove_suffix(1);
        }
        bool comment = strip_comment(raw).size() != raw.size();
        bool continues = !comment && !raw.empty() && raw.back() == '\\';
        std::string_view body = strip_comment(continues ? raw.substr(0, raw.size() - 1) : raw);
        if (current.first_line == 0) {
            current.first_line = number;
        }
        for (std::size_t i = 0; i < body.size(); ++i) {
            current.text.push_back(body[i]);
            current.places.push_back({display, number, static_cast<int>(i) + 1});
        }
        current.last_line = number;
        if (!continues) {
            lines.push_back(std::move(current));
            current = PipLine{};
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    if (current.first_line != 0) {
        lines.push_back(std::move(current));
    }
    return lines;
}

void parse_pip_line(const PipLine& line, const PipSite& site, std::vector<PipItem>& items, Diagnostics& diagnostics)
{
    LineParser(line, site, items, diagnostics).parse();
}

}  // namespace cudagen::deps::detail
