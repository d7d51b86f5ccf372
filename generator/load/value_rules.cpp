#include "load/value_rules.hpp"

#include <array>
#include <cstdio>

namespace cudagen {

namespace {

struct Deceiver {
    std::size_t offset = 0;  // byte offset in the value
    std::size_t length = 0;  // bytes of the character
    char32_t code = 0;
};

std::string code_point_name(char32_t code)
{
    switch (code) {
        case 0x00:
            return "a NUL byte (U+0000)";
        case 0x09:
            return "a tab (U+0009)";
        case 0x0a:
            return "a newline (U+000A)";
        case 0x0d:
            return "a carriage return (U+000D)";
        case 0x1b:
            return "an escape character (U+001B, starts terminal control sequences)";
        case 0x7f:
            return "a DEL character (U+007F)";
        case 0x2028:
            return "a line separator (U+2028)";
        case 0x2029:
            return "a paragraph separator (U+2029)";
        default:
            break;
    }
    std::array<char, 16> hex{};
    std::snprintf(hex.data(), hex.size(), "U+%04X", static_cast<unsigned>(code));
    if (code >= 0x202a) {
        return "a bidirectional text control (" + std::string(hex.data()) + ")";
    }
    return "a control character (" + std::string(hex.data()) + ")";
}

// Printable ASCII only: nothing for find_deceiver to look at (most values).
bool printable_ascii(std::string_view value)
{
    unsigned odd = 0;  // no early exit: the loop stays branch-free
    for (char c : value) {
        auto byte = static_cast<unsigned char>(c);
        odd |= static_cast<unsigned>(byte < 0x20) | static_cast<unsigned>(byte >= 0x7f);
    }
    return odd == 0;
}

// The first character that a viewer may show differently than BuildKit reads it.
std::optional<Deceiver> find_deceiver(std::string_view value)
{
    if (printable_ascii(value)) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
        auto c = static_cast<unsigned char>(value[i]);
        if (c < 0x20 || c == 0x7f) {
            return Deceiver{i, 1, c};
        }
        auto next = i + 1 < value.size() ? static_cast<unsigned char>(value[i + 1]) : 0u;
        auto third = i + 2 < value.size() ? static_cast<unsigned char>(value[i + 2]) : 0u;
        if (c == 0xc2 && next >= 0x80 && next <= 0x9f) {  // C1 controls, e.g. U+009B (CSI)
            return Deceiver{i, 2, next};
        }
        if (c == 0xe2 && next == 0x80 && (third == 0xa8 || third == 0xa9 || (third >= 0xaa && third <= 0xae))) {
            return Deceiver{i, 3, static_cast<char32_t>(0x2000 + (third - 0x80))};
        }
        if (c == 0xe2 && next == 0x81 && third >= 0xa6 && third <= 0xa9) {  // U+2066..U+2069 isolates
            return Deceiver{i, 3, static_cast<char32_t>(0x2040 + (third - 0x80))};
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<ValueProblem> check_any_value(std::string_view field, std::string_view value)
{
    if (value.size() > k_max_value_bytes) {
        return ValueProblem{
            "schema/too-long",
            std::string(field) + " is " + std::to_string(value.size()) +
                " bytes long; BuildKit refuses Dockerfile lines over 65535 bytes, so values are limited to " +
                std::to_string(k_max_value_bytes),
            "shorten the value, or put the data in a file that the image copies"};
    }
    if (auto found = find_deceiver(value)) {
        return ValueProblem{"schema/control-character",
                            std::string(field) + " contains " + code_point_name(found->code) + " at byte " +
                                std::to_string(found->offset + 1) +
                                "; a terminal or a review would show the value differently from what BuildKit reads",
                            "remove it; write the value on one line of printable text"};
    }
    return std::nullopt;
}

std::optional<ValueProblem> check_copy_source(std::string_view field, std::string_view value)
{
    std::size_t bad = value.find_first_of("$*?[]\\'\"`");
    if (bad == std::string_view::npos) {
        return std::nullopt;
    }
    std::string what = value[bad] == '$' ? "'$', which BuildKit expands as a variable"
                       : std::string_view("*?[]").find(value[bad]) != std::string_view::npos
                           ? std::string("'") + value[bad] + "', which BuildKit expands as a wildcard"
                           : std::string("'") + value[bad] + "', which BuildKit reads as a quote or escape";
    return ValueProblem{"schema/copy-source",
                        std::string(field) + " '" + std::string(value) + "' contains " + what +
                            " in a COPY source, so the image would get other files than the path names",
                        "rename the file or folder without $ * ? [ ] \\ ' \" `, or copy the folder that holds it"};
}

}  // namespace cudagen

namespace cudagen {

std::optional<ValueProblem> check_env_value(std::string_view field, std::string_view value)
{
    for (std::size_t i = 0; i < value.size(); ++i) {
        bool before_quote = i + 1 == value.size() || value[i + 1] == '"';
        if (value[i] == '\\' && before_quote) {
            return ValueProblem{"schema/env-backslash",
                                std::string(field) + " has a backslash " +
                                    (i + 1 == value.size() ? "at its end" : "before a '\"'") +
                                    "; written as an ENV value, hadolint and other Dockerfile parsers cannot read it",
                                "use '/' in paths, or drop the backslash"};
        }
    }
    return std::nullopt;
}

}  // namespace cudagen
