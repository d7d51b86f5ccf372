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

// The framework's install command and cache folder: uv when resolve chose it for
// the venv (the framework's own index, when it has one, replaces the index build
// arg; no --require-hashes: the framework's pins carry none), else pip.
std::string framework_install_command(const ResolvedProfile& profile);
std::string install_cache(const ResolvedProfile& profile);

// Where dependency files and local projects live in the devel stage.
inline constexpr std::string_view k_deps_dir = "/tmp/cudagen/deps/";

}  // namespace cudagen
