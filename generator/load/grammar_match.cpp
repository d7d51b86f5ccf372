// Hand-written matchers for the grammars' patterns (load/grammar.cpp; a
// pattern that is a plain list of words is matched there, by the words). The
// patterns stay the specification (the reference page and the JSON Schema
// print them); these functions accept exactly the same values, which the unit
// test GrammarMatchers.AgreeWithThePatterns checks against the C library's
// regexec. Compiling the patterns with regcomp, and the DFA regexec builds
// on first use, cost more than the rest of loading a profile.
#include "load/grammar_match.hpp"

#include <algorithm>
#include <initializer_list>

namespace cudagen {

namespace {

bool lower(char c)
{
    return c >= 'a' && c <= 'z';
}
bool upper(char c)
{
    return c >= 'A' && c <= 'Z';
}
bool digit(char c)
{
    return c >= '0' && c <= '9';
}
bool lower_alnum(char c)
{
    return lower(c) || digit(c);
}
bool alnum(char c)
{
    return lower(c) || upper(c) || digit(c);
}
bool in(char c, std::string_view set)
{
    return c != '\0' && set.find(c) != std::string_view::npos;
}

template <typename Pred>
bool all_of(std::string_view text, Pred pred)
{
    return std::all_of(text.begin(), text.end(), pred);
}

bool one_of(std::string_view value, std::initializer_list<std::string_view> words)
{
    return std::find(words.begin(), words.end(), value) != words.end();
}

// [0-9]{1,max}
bool digits(std::string_view text, std::size_t max)
{
    return !text.empty() && text.size() <= max && all_of(text, digit);
}

// [0-9]{1,max}\.[0-9]{1,max}(\.[0-9]{1,max})?
bool dotted_version(std::string_view value, std::size_t max)
{
    std::size_t first = value.find('.');
    if (first == std::string_view::npos || !digits(value.substr(0, first), max)) {
        return false;
    }
    std::string_view rest = value.substr(first + 1);
    std::size_t second = rest.find('.');
    if (second == std::string_view::npos) {
        return digits(rest, max);
    }
    return digits(rest.substr(0, second), max) && digits(rest.substr(second + 1), max);
}

// first char in `ends`, last char in `ends`, every char in `ends` or `middle` (one char: ends only)
template <typename End, typename Mid>
bool bracketed_word(std::string_view text, End ends, Mid middle)
{
    if (text.empty() || !ends(text.front()) || !ends(text.back())) {
        return false;
    }
    return all_of(text, [&](char c) { return ends(c) || middle(c); });
}

bool package_char(char c)
{
    return alnum(c) || in(c, "._-");
}

bool package_name(std::string_view value)
{
    return bracketed_word(value, alnum, [](char c) { return in(c, "._-"); });
}

bool version_char(char c)
{
    return alnum(c) || in(c, ".*+!_-");
}

// \[[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*\] at `pos`; moves past it.
bool extras(std::string_view text, std::size_t& pos)
{
    if (pos >= text.size() || text[pos] != '[') {
        return true;  // optional
    }
    std::size_t close = text.find(']', pos);
    if (close == std::string_view::npos) {
        return false;
    }
    std::string_view list = text.substr(pos + 1, close - pos - 1);
    std::size_t start = 0;
    while (true) {
        std::size_t comma = list.find(',', start);
        std::string_view item =
            list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (item.empty() || !all_of(item, package_char)) {
            return false;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    pos = close + 1;
    return true;
}

// ' ?(op) ?[A-Za-z0-9.*+!_-]+' at `pos`; the longest operator first (a version never starts with '=').
bool clause(std::string_view text, std::size_t& pos, bool triple_equals)
{
    if (pos < text.size() && text[pos] == ' ') {
        ++pos;
    }
    std::string_view rest = text.substr(pos);
    std::size_t op = 0;
    if (triple_equals && rest.starts_with("===")) {
        op = 3;
    } else if (rest.starts_with("==") || rest.starts_with(">=") || rest.starts_with("<=") || rest.starts_with("~=") ||
               rest.starts_with("!=")) {
        op = 2;
    } else if (rest.starts_with("<") || rest.starts_with(">")) {
        op = 1;
    } else {
        return false;
    }
    pos += op;
    if (pos < text.size() && text[pos] == ' ') {
        ++pos;
    }
    std::size_t start = pos;
    while (pos < text.size() && version_char(text[pos])) {
        ++pos;
    }
    return pos > start;
}

bool pip_requirement(std::string_view value)
{
    std::size_t pos = 0;
    while (pos < value.size() && package_char(value[pos])) {
        ++pos;
    }
    if (!package_name(value.substr(0, pos)) || !extras(value, pos)) {
        return false;
    }
    if (pos == value.size()) {
        return true;
    }
    if (!clause(value, pos, true)) {
        return false;
    }
    while (pos < value.size()) {
        if (value[pos] == ' ') {
            ++pos;
        }
        if (pos >= value.size() || value[pos] != ',') {
            return false;
        }
        ++pos;
        if (!clause(value, pos, false)) {
            return false;
        }
    }
    return true;
}

bool apt_package(std::string_view value)
{
    std::size_t equals = value.find('=');
    std::string_view name = value.substr(0, equals);
    if (name.size() < 2 || !lower_alnum(name.front()) || !(lower_alnum(name.back()) || name.back() == '+') ||
        !all_of(name, [](char c) { return lower_alnum(c) || in(c, "+.-"); })) {
        return false;
    }
    if (equals == std::string_view::npos) {
        return true;
    }
    std::string_view version = value.substr(equals + 1);
    return !version.empty() && all_of(version, [](char c) { return alnum(c) || in(c, ".+~:-"); });
}

bool gpu_arch(std::string_view value)
{
    // [0-9]{1,2}\.[0-9][af]?
    std::size_t dot = value.find('.');
    if (dot != std::string_view::npos && digits(value.substr(0, dot), 2)) {
        std::string_view minor = value.substr(dot + 1);
        if ((minor.size() == 1 && digit(minor[0])) || (minor.size() == 2 && digit(minor[0]) && in(minor[1], "af"))) {
            return true;
        }
    }
    // (sm|compute)_[0-9]{2,3}[af]? is a case of [A-Za-z][A-Za-z0-9 ._-]{0,40}
    return !value.empty() && value.size() <= 41 && (lower(value[0]) || upper(value[0])) &&
           all_of(value, [](char c) { return alnum(c) || in(c, " ._-"); });
}

bool user_name(std::string_view value)
{
    if (value == "0") {
        return true;
    }
    if (!value.empty() && value[0] >= '1' && value[0] <= '9') {
        return value.size() <= 10 && all_of(value, digit);
    }
    return !value.empty() && value.size() <= 32 && (lower(value[0]) || value[0] == '_') &&
           all_of(value, [](char c) { return lower_alnum(c) || in(c, "_-"); });
}

// [a-z0-9]([a-z0-9<middle>]*[a-z0-9])?
bool lower_word(std::string_view text, std::string_view middle)
{
    return bracketed_word(text, lower_alnum, [middle](char c) { return in(c, middle); });
}

bool registry(std::string_view value)
{
    std::size_t end = value.find_first_of(":/");
    if (!lower_word(value.substr(0, end), ".-")) {
        return false;
    }
    std::string_view rest = end == std::string_view::npos ? std::string_view{} : value.substr(end);
    if (rest.starts_with(":")) {
        std::size_t slash = rest.find('/');
        if (!digits(rest.substr(1, slash == std::string_view::npos ? std::string_view::npos : slash - 1), 5)) {
            return false;
        }
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    }
    while (!rest.empty()) {  // (/component)*
        if (rest[0] != '/') {
            return false;
        }
        std::size_t next = rest.find('/', 1);
        if (!lower_word(rest.substr(1, next == std::string_view::npos ? std::string_view::npos : next - 1), "._-")) {
            return false;
        }
        rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next);
    }
    return true;
}

bool tag_template(std::string_view value)
{
    std::size_t colon = value.find(':');
    std::string_view repository = value.substr(0, colon);
    if (repository.empty() || !in(repository[0], "abcdefghijklmnopqrstuvwxyz0123456789{") ||
        !all_of(repository, [](char c) { return lower_alnum(c) || in(c, "._/{}-"); })) {
        return false;
    }
    if (colon == std::string_view::npos) {
        return true;
    }
    std::string_view tag = value.substr(colon + 1);
    return !tag.empty() && tag.size() <= 128 && (alnum(tag[0]) || in(tag[0], "_{")) &&
           all_of(tag, [](char c) { return alnum(c) || in(c, "_.{}-"); });
}

bool url(std::string_view value)
{
    std::string_view rest = value.starts_with("https://")  ? value.substr(8)
                            : value.starts_with("http://") ? value.substr(7)
                                                           : std::string_view{};
    return !rest.empty() && all_of(rest, [](char c) { return alnum(c) || in(c, "._~:/?#@!$&()*+,=%-"); });
}

bool syntax_ref(std::string_view value)
{
    std::size_t at = value.find('@');
    std::string_view reference = value.substr(0, at);
    if (at != std::string_view::npos) {
        std::string_view digest = value.substr(at);
        if (!digest.starts_with("@sha256:") || digest.size() != 8 + 64 ||
            !all_of(digest.substr(8), [](char c) { return digit(c) || (c >= 'a' && c <= 'f'); })) {
            return false;
        }
    }
    std::size_t colon = reference.find(':');
    std::string_view name = reference.substr(0, colon);
    if (name.empty() || !lower_alnum(name[0]) ||
        !all_of(name, [](char c) { return lower_alnum(c) || in(c, "./_-"); })) {
        return false;
    }
    if (colon == std::string_view::npos) {
        return true;
    }
    std::string_view tag = reference.substr(colon + 1);
    return !tag.empty() && all_of(tag, [](char c) { return alnum(c) || in(c, "._-"); });
}

}  // namespace

std::optional<bool> grammar_matches(std::string_view grammar, std::string_view value)
{
    if (grammar == "image-name") {
        return !value.empty() && value.size() <= 128 && lower_alnum(value[0]) &&
               all_of(value, [](char c) { return lower_alnum(c) || in(c, "._-"); });
    }
    if (grammar == "cuda-version") {
        return dotted_version(value, 2);
    }
    if (grammar == "version") {
        return dotted_version(value, 3);
    }
    if (grammar == "python-version") {
        return value.starts_with("3.") && digits(value.substr(2), 2);
    }
    if (grammar == "os-token") {
        std::size_t letters = std::find_if_not(value.begin(), value.end(), lower) - value.begin();
        std::size_t dot = value.find('.');
        std::string_view number = value.substr(letters, dot == std::string_view::npos ? dot : dot - letters);
        return letters > 0 && !number.empty() && all_of(number, digit) &&
               (dot == std::string_view::npos || digits(value.substr(dot + 1), value.size()));
    }
    if (grammar == "package-name") {
        return package_name(value);
    }
    if (grammar == "pip-requirement") {
        return pip_requirement(value);
    }
    if (grammar == "apt-package") {
        return apt_package(value);
    }
    if (grammar == "gpu-arch") {
        return gpu_arch(value);
    }
    if (grammar == "platform") {
        return one_of(value, {"linux/amd64", "linux/arm64"});
    }
    if (grammar == "absolute-path") {
        return value.starts_with("/") && all_of(value, [](char c) { return alnum(c) || in(c, "._/@+-"); });
    }
    if (grammar == "env-name") {
        return !value.empty() && !digit(value[0]) && all_of(value, [](char c) { return alnum(c) || c == '_'; });
    }
    if (grammar == "user-name") {
        return user_name(value);
    }
    if (grammar == "registry") {
        return registry(value);
    }
    if (grammar == "tag-template") {
        return tag_template(value);
    }
    if (grammar == "url") {
        return url(value);
    }
    if (grammar == "syntax-ref") {
        return syntax_ref(value);
    }
    return std::nullopt;
}

}  // namespace cudagen
