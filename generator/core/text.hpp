// Small text helpers shared by every stage.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate when it is close enough to be a likely typo.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::vector<std::string> split(std::string_view text, char separator);
bool starts_with(std::string_view text, std::string_view prefix);
std::string to_lower(std::string_view text);
std::string trim(std::string_view text);
// A path without its trailing slashes; "/" (and "//") stays "/".
void drop_trailing_slashes(std::string& path);

// Text that is safe to print to a terminal or a CI log: control characters,
// C1 controls, Unicode line separators and bidirectional controls shown as
// escapes (\x1b, \u202e) instead of acting on the screen.
std::string printable(std::string_view text, bool keep_tabs = false);

// Reads a whole file; nothing when it cannot be read.
std::optional<std::string> read_file(const std::string& path);

}  // namespace cudagen
