// write: files in memory -> the output folder, all or nothing.
#pragma once

#include "core/diagnostic.hpp"
#include "render/render.hpp"

#include <filesystem>
#include <vector>

namespace cudagen {

// Writes every file into a staging folder next to `output_dir`, then renames
// each into place (atomic per file, same file system). Other files already in
// `output_dir` are kept. On an error nothing in `output_dir` has changed.
bool write_output(const std::filesystem::path& output_dir, const std::vector<RenderedFile>& files, Diagnostics& diagnostics);

}  // namespace cudagen
