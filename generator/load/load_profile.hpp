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

// Reads `path` ("" = ./cudagen.yaml) and loads it.
std::optional<RawProfile> load_profile_file(const std::string& path, Diagnostics& diagnostics);

}  // namespace cudagen
