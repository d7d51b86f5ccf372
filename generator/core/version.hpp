// Dotted numeric versions: "12.4.1", "580.65.06", "2.3".
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cudagen {

class Version {
public:
    // The most components a version has (parse() accepts no more; the constructors keep the first four).
    static constexpr std::size_t k_max_parts = 4;

    Version() = default;
    // The numbers live in the object, not on the heap: the knowledge tables hold thousands.
    explicit Version(std::span<const int> parts);
    Version(std::initializer_list<int> parts) : Version(std::span<const int>(parts.begin(), parts.size())) {}
    // A version already parsed (the compiled knowledge tables): its numbers and its text.
    Version(std::span<const int> parts, std::string text) : Version(parts) { m_text = std::move(text); }

    // Accepts 1 to 4 dot-separated decimal components; nothing else.
    static std::optional<Version> parse(std::string_view text);

    int major() const { return part(0); }
    int minor() const { return part(1); }
    int patch() const { return part(2); }
    int part(std::size_t index) const { return index < m_size ? m_parts[index] : 0; }
    std::size_t size() const { return m_size; }
    std::span<const int> parts() const { return {m_parts.data(), m_size}; }

    // "X.Y" prefix of this version, e.g. 12.4.1 -> 12.4
    Version major_minor() const { return Version({major(), minor()}); }
    // True when every component of `prefix` equals ours: 12.4 is a prefix of 12.4.1.
    bool starts_with(const Version& prefix) const;

    // The text it was parsed from ("580.65.06" keeps its zero), else the numbers joined.
    std::string str() const;
    // Missing components compare as 0: 12.4 == 12.4.0.
    std::strong_ordering operator<=>(const Version& other) const;
    bool operator==(const Version& other) const { return (*this <=> other) == 0; }

private:
    std::array<int, k_max_parts> m_parts{};
    std::uint8_t m_size = 0;
    std::string m_text;
};

}  // namespace cudagen
