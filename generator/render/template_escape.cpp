// The escaping layer: one function per output context, each appending to the output.
#include "render/template.hpp"

#include <array>

namespace cudagen {

namespace {

// Appends `text` with each byte that `special` marks replaced by `escape(byte, out)`.
template <typename Special, typename Escape>
void append_escaped(std::string_view text, std::string& out, Special special, Escape escape)
{
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (special(text[i])) {
            out.append(text.data() + run, i - run);
            escape(i, out);
            run = i + 1;
        }
    }
    out.append(text.data() + run, text.size() - run);
}

constexpr std::array<bool, 256> plain_token_bytes()
{
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) {
        table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   std::string_view("._:/@+=,-").find(static_cast<char>(c)) != std::string_view::npos;
    }
    return table;
}

constexpr std::array<bool, 256> k_plain_token = plain_token_bytes();

bool is_ascii(std::string_view text)
{
    for (char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return false;
        }
    }
    return true;
}

}  // namespace

void append_json_string(std::string_view text, std::string& out)
{
    if (!is_ascii(text)) {
        // Multi-byte UTF-8 (and bytes that are not UTF-8) as the JSON library writes them.
        out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    out += '"';
    append_escaped(
        text, out, [](char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; },
        [&text](std::size_t i, std::string& to) {
            char c = text[i];
            switch (c) {
                case '"':
                    to += "\\\"";
                    break;
                case '\\':
                    to += "\\\\";
                    break;
                case '\b':
                    to += "\\b";
                    break;
                case '\f':
                    to += "\\f";
                    break;
                case '\n':
                    to += "\\n";
                    break;
                case '\r':
                    to += "\\r";
                    break;
                case '\t':
                    to += "\\t";
                    break;
                default: {
                    constexpr std::string_view k_hex = "0123456789abcdef";
                    to += "\\u00";
                    to += k_hex[(static_cast<unsigned char>(c) >> 4) & 0xF];
                    to += k_hex[static_cast<unsigned char>(c) & 0xF];
                }
            }
        });
    out += '"';
}

void append_hcl_string(std::string_view text, std::string& out)
{
    out += '"';
    append_escaped(
        text, out,
        [](char c) { return c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '$' || c == '%'; },
        [&text](std::size_t i, std::string& to) {
            char c = text[i];
            switch (c) {
                case '"':
                    to += "\\\"";
                    break;
                case '\\':
                    to += "\\\\";
                    break;
                case '\n':
                    to += "\\n";
                    break;
                case '\r':
                    to += "\\r";
                    break;
                case '\t':
                    to += "\\t";
                    break;
                default:
                    // "${" and "%{" start interpolation in HCL; doubling the sigil escapes it.
                    to += c;
                    if (i + 1 < text.size() && text[i + 1] == '{') {
                        to += c;
                    }
            }
        });
    out += '"';
}

void append_dockerfile_value(std::string_view text, std::string& out)
{
    out += '"';
    // Docker expands $VAR in ENV and LABEL values; a literal value must not be.
    append_escaped(
        text, out, [](char c) { return c == '"' || c == '\\' || c == '$'; },
        [&text](std::size_t i, std::string& to) {
            to += '\\';
            to += text[i];
        });
    out += '"';
}

void append_shell_word(std::string_view text, std::string& out)
{
    out += '\'';
    append_escaped(
        text, out, [](char c) { return c == '\''; }, [](std::size_t, std::string& to) { to += "'\\''"; });
    out += '\'';
}

std::string escape_json_string(std::string_view text)
{
    std::string out;
    append_json_string(text, out);
    return out;
}

std::string escape_hcl_string(std::string_view text)
{
    std::string out;
    append_hcl_string(text, out);
    return out;
}

std::string escape_dockerfile_value(std::string_view text)
{
    std::string out;
    append_dockerfile_value(text, out);
    return out;
}

std::string escape_shell_word(std::string_view text)
{
    std::string out;
    append_shell_word(text, out);
    return out;
}

bool is_plain_token(std::string_view text)
{
    for (char c : text) {
        if (!k_plain_token[static_cast<unsigned char>(c)]) {
            return false;
        }
    }
    return true;
}

}  // namespace cudagen
