// The devel stage's install steps as template context: dependency files with
// their includes, the lines left out for local projects, local projects, a
// pyproject.toml project and its lock. Used by contexts.cpp only.
#pragma once

#include "model/resolved_profile.hpp"

#include "render/template_data.hpp"

namespace cudagen {

// Adds pip_requirements, uv_install, pip_packages, local_projects and project to
// `data`, and the environment_* keys to the conda block when there is one.
void add_install_blocks(const ResolvedProfile& profile, TemplateObject& data, TemplateObject* conda);

// Where dependency files and local projects live in the devel stage.
inline constexpr std::string_view k_deps_dir = "/tmp/cudagen/deps/";

}  // namespace cudagen
