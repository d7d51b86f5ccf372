// The devel stage's install steps as template context: dependency files with
// their includes, the lines left out for local projects, local projects, a
// pyproject.toml project and its lock. Used by contexts.cpp only.
#pragma once

#include "model/resolved_profile.hpp"

#include <nlohmann/json.hpp>

namespace cudagen {

// Adds pip_requirements, pip_packages, local_projects, project and the
// environment_* keys of the conda block to `context`.
void add_install_blocks(const ResolvedProfile& profile, nlohmann::json& context);

// Where dependency files and local projects live in the devel stage.
inline constexpr std::string_view k_deps_dir = "/tmp/cudagen/deps/";

}  // namespace cudagen
