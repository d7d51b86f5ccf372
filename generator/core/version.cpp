#include "core/version.hpp"

#include <charconv>

namespace cudagen {

std::optional<Version> Version::parse(std::string_view text)
{
    std::vector<int> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t dot = text.find('.', start);
        std::string_view piece =
            text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (piece.empty() || piece.size() > 9) {
            return std::nullopt;
        }
        int value = 0;
        auto [end, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), value);
        if (ec != std::errc{} || end != piece.data() + piece.size()) {
            return std::nullopt;
        }
        parts.push_back(value);
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    if (parts.size() > 4) {
        return std::nullopt;
    }
    Version version(std::move(parts));
    version.m_text = std::string(text);
    return version;
}

bool Version::starts_with(const Version& prefix) const
{
    if (prefix.m_parts.size() > m_parts.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.m_parts.size(); ++i) {
        if (prefix.m_parts[i] != m_parts[i]) {
            return false;
        }
    }
    return true;
}

std::string Version::str() const
{
    if (!m_text.empty()) {
        return m_text;
    }
    std::string out;
    for (std::size_t i = 0; i < m_parts.size(); ++i) {
        if (i > 0) {
            out += '.';
        }
        out += std::to_string(m_parts[i]);
    }
    return out;
}

std::strong_ordering Version::operator<=>(const Version& other) const
{
    std::size_t count = std::max(m_parts.size(), other.m_parts.size());
    for (std::size_t i = 0; i < count; ++i) {
        if (auto order = part(i) <=> other.part(i); order != 0) {
            return order;
        }
    }
    return std::strong_ordering::equal;
}

}  // namespace cudagen
