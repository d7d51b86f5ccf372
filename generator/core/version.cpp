#include "core/version.hpp"

#include <algorithm>
#include <charconv>

namespace cudagen {

Version::Version(std::span<const int> parts) : m_size(static_cast<std::uint8_t>(std::min(parts.size(), k_max_parts)))
{
    std::copy_n(parts.begin(), m_size, m_parts.begin());
}

std::optional<Version> Version::parse(std::string_view text)
{
    std::array<int, k_max_parts> parts{};
    std::size_t count = 0;
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
        if (count == k_max_parts) {
            return std::nullopt;
        }
        parts[count++] = value;
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return Version(std::span<const int>(parts.data(), count), std::string(text));
}

bool Version::starts_with(const Version& prefix) const
{
    if (prefix.m_size > m_size) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.m_size; ++i) {
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
    for (std::size_t i = 0; i < m_size; ++i) {
        if (i > 0) {
            out += '.';
        }
        out += std::to_string(m_parts[i]);
    }
    return out;
}

std::strong_ordering Version::operator<=>(const Version& other) const
{
    std::size_t count = std::max(m_size, other.m_size);
    for (std::size_t i = 0; i < count; ++i) {
        if (auto order = part(i) <=> other.part(i); order != 0) {
            return order;
        }
    }
    return std::strong_ordering::equal;
}

}  // namespace cudagen
