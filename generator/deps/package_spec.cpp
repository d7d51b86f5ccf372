// Package specs as pip (PEP 508) and conda (match specs) write them.
#include "deps/dependencies.hpp"

#include "core/text.hpp"

#include <cctype>

namespace cudagen::deps {

namespace {

bool is_name_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
}

// The length of the project name at the start of `text` (0: none).
std::size_t name_length(std::string_view text)
{
    if (text.empty() || std::isalnum(static_cast<unsigned char>(text[0])) == 0) {
        return 0;
    }
    std::size_t end = 1;
    while (end < text.size() && is_name_char(text[end])) {
        ++end;
    }
    while (end > 1 && !std::isalnum(static_cast<unsigned char>(text[end - 1]))) {
        --end;  // a name ends with a letter or digit
    }
    return end;
}

std::string_view skip_spaces(std::string_view text)
{
    std::size_t start = text.find_first_not_of(" \t");
    return start == std::string_view::npos ? std::string_view{} : text.substr(start);
}

// ">=1.0,<2" or "==2.4.1+cu121": op, version and local label of a one-clause specifier.
void split_specifier(PackageSpec& spec)
{
    std::string text = trim(spec.specifier);
    if (!text.empty() && text.front() == '(' && text.back() == ')') {
        text = trim(text.substr(1, text.size() - 2));
    }
    spec.specifier = text;
    if (text.empty() || text.find(',') != std::string::npos) {
        return;
    }
    std::size_t version = text.find_first_not_of("=<>!~");
    spec.op = trim(text.substr(0, version));
    if (version == std::string::npos) {
        return;
    }
    std::string value = trim(text.substr(version));
    std::size_t plus = value.find('+');
    if (plus != std::string::npos) {
        spec.local = value.substr(plus + 1);
        value = value.substr(0, plus);
    }
    spec.version = value;
}

}  // namespace

std::string normalize_name(std::string_view name)
{
    std::string out;
    for (char c : name) {
        bool separator = c == '-' || c == '_' || c == '.';
        if (separator) {
            if (out.empty() || out.back() != '-') {
                out.push_back('-');
            }
        } else {
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
    }
    return out;
}

std::optional<PackageSpec> parse_pip_spec(std::string_view text)
{
    std::string_view rest = skip_spaces(text);
    std::size_t length = name_length(rest);
    if (length == 0) {
        return std::nullopt;
    }
    PackageSpec spec;
    spec.name = std::string(rest.substr(0, length));
    spec.key = normalize_name(spec.name);
    rest = skip_spaces(rest.substr(length));
    if (!rest.empty() && rest.front() == '[') {
        std::size_t close = rest.find(']');
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        std::string extras;
        for (char c : rest.substr(1, close - 1)) {
            if (c != ' ' && c != '\t') {
                extras.push_back(c);
            }
        }
        spec.extras = extras;
        rest = skip_spaces(rest.substr(close + 1));
    }
    std::size_t semicolon = rest.find(';');
    if (!rest.empty() && rest.front() == '@') {
        // "name @ URL ; marker": a marker needs a space before its ';' after a URL.
        std::size_t marker = rest.find(" ;");
        spec.url = trim(rest.substr(1, marker == std::string_view::npos ? std::string_view::npos : marker - 1));
        semicolon = marker == std::string_view::npos ? marker : marker + 1;
    } else {
        spec.specifier = std::string(rest.substr(0, semicolon));
        split_specifier(spec);
    }
    if (semicolon != std::string_view::npos) {
        spec.marker = trim(rest.substr(semicolon + 1));
    }
    return spec;
}

std::optional<PackageSpec> parse_conda_spec(std::string_view text)
{
    std::string whole = trim(text);
    PackageSpec spec;
    std::size_t channel = whole.find("::");
    if (channel != std::string::npos) {
        spec.channel = whole.substr(0, channel);
        whole = whole.substr(channel + 2);
    }
    std::size_t end = whole.find_first_of(" \t=<>!~[");
    spec.name = whole.substr(0, end);
    if (spec.name.empty()) {
        return std::nullopt;
    }
    spec.key = normalize_name(spec.name);
    std::string rest = end == std::string::npos ? "" : trim(whole.substr(end));
    if (rest.empty()) {
        return spec;
    }
    if (rest.front() == '[') {
        spec.specifier = rest;  // "name[version='>=1',build=...]": kept as written
        return spec;
    }
    if (rest.front() == '=' && (rest.size() < 2 || rest[1] != '=')) {
        // name=version[=build]
        std::vector<std::string> parts = split(rest.substr(1), '=');
        spec.op = "=";
        spec.version = parts.empty() ? "" : trim(parts[0]);
        spec.build = parts.size() > 1 ? trim(parts[1]) : "";
        spec.specifier = rest;
        return spec;
    }
    // "name 1.2.* build", "name ==1.2", "name>=1.2,<2"
    std::size_t space = rest.find_first_of(" \t");
    spec.specifier = rest.substr(0, space);
    if (space != std::string::npos) {
        spec.build = trim(rest.substr(space));
    }
    split_specifier(spec);
    if (spec.op.empty() && !spec.version.empty()) {
        spec.op = "=";  // "name 1.2" means =1.2
    }
    return spec;
}

}  // namespace cudagen::deps
