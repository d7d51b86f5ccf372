// load: YAML text -> RawProfile, every value with its file:line:column.
// Checks the shape (keys, types, grammar of each scalar) and reports every
// problem of the profile before stopping.
#pragma once

#include "core/diagnostic.hpp"
#include "model/raw_profile.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace cudagen {

// `file` names the profile in diagnostics; `context_dir` is its folder.
std::optional<RawProfile> load_profile_from_string(std::string text, const std::string& file,
                                                   const std::filesystem::path& context_dir, Diagnostics& diagnostics);

// "cudagen.yaml", "../cudagen.yaml", ...: the nearest cudagen.yaml in `start` or
// a folder above it, relative to `start` (as git finds .git); nullopt when none.
std::optional<std::string> find_profile_upwards(const std::filesystem::path& start);

// Reads `path` ("" = the nearest cudagen.yaml, see find_profile_upwards) and loads it.
std::optional<RawProfile> load_profile_file(const std::string& path, Diagnostics& diagnostics);
// The same, with relative paths taken from `working_dir` (the current folder as
// std::filesystem::current_path() gives it, asked once for many profiles; empty:
// ask the system).
std::optional<RawProfile> load_profile_file(const std::string& path, const std::filesystem::path& working_dir,
                                            Diagnostics& diagnostics);

}  // namespace cudagen
