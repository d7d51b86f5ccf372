// render: ResolvedProfile(s) -> files in memory (Dockerfiles, the bake file).
#pragma once

#include "core/diagnostic.hpp"
#include "model/resolved_profile.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cudagen {

struct RenderedFile {
    std::string path;  // relative to the output folder: "Dockerfile", "fastapi/Dockerfile"
    std::string content;
};

struct RenderOptions {
    std::filesystem::path output_dir;     // absolute; used to make the bake file's paths relative
    bool one_folder_per_profile = false;  // several profiles: DIR/<name>/Dockerfile
};

std::optional<std::vector<RenderedFile>> render_profiles(const std::vector<ResolvedProfile>& profiles,
                                                         const RenderOptions& options, Diagnostics& diagnostics);

// One Dockerfile; exposed for tests and for `cudagen build`'s single-stage comparison.
std::optional<std::string> render_dockerfile(const ResolvedProfile& profile, Diagnostics& diagnostics);

}  // namespace cudagen
