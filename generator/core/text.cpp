#include "core/text.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace cudagen {

std::size_t edit_distance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates)
{
    std::optional<std::string> best;
    std::size_t best_distance = 0;
    std::string lowered = to_lower(word);
    for (const auto& candidate : candidates) {
        std::size_t distance = edit_distance(lowered, to_lower(candidate));
        if (!best || distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    // A typo changes a few letters; anything further is a different word.
    std::size_t allowed = std::max<std::size_t>(2, word.size() / 3);
    if (!best || best_distance > allowed) {
        return std::nullopt;
    }
    return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates)
{
    auto match = closest_match(word, candidates);
    if (!match || *match == word) {
        return {};
    }
    return " (did you mean '" + *match + "'?)";
}

std::string join(const std::vector<std::string>& parts, std::string_view separator)
{
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            out += separator;
        }
        out += parts[i];
    }
    return out;
}

std::vector<std::string> split(std::string_view text, char separator)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t end = text.find(separator, start);
        parts.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) {
            return parts;
        }
        start = end + 1;
    }
}

bool starts_with(std::string_view text, std::string_view prefix)
{
    return text.substr(0, prefix.size()) == prefix;
}

std::string to_lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string trim(std::string_view text)
{
    std::size_t begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) {
        return {};
    }
    std::size_t end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(begin, end - begin + 1));
}

void drop_trailing_slashes(std::string& path)
{
    while (path.size() > 1 && path.back() == '/') {
        path.pop_back();
    }
}

namespace {

// Bytes of the multi-byte sequence at `i` that acts on a display (0 if none).
std::size_t display_control_length(std::string_view text, std::size_t i, unsigned& code)
{
    auto at = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
    if (at(0) == 0xc2 && at(1) >= 0x80 && at(1) <= 0x9f) {
        code = at(1);
        return 2;
    }
    bool separators = at(0) == 0xe2 && at(1) == 0x80 && at(2) >= 0xa8 && at(2) <= 0xae;
    bool isolates = at(0) == 0xe2 && at(1) == 0x81 && at(2) >= 0xa6 && at(2) <= 0xa9;
    if (separators || isolates) {
        code = ((at(0) & 0x0fu) << 12) | ((at(1) & 0x3fu) << 6) | (at(2) & 0x3fu);
        return 3;
    }
    return 0;
}

}  // namespace

std::string printable(std::string_view text, bool keep_tabs)
{
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        unsigned code = 0;
        if ((c < 0x20 && !(keep_tabs && c == '\t')) || c == 0x7f) {
            out += "\\x";
            out += k_hex[c >> 4];
            out += k_hex[c & 0xf];
        } else if (std::size_t length = display_control_length(text, i, code); length > 0) {
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4) {
                out += k_hex[(code >> shift) & 0xf];
            }
            i += length - 1;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::optional<std::string> read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

}  // namespace cudagen
