// The install plan of the profile's dependency files (resolve_deps.cpp).
#pragma once

#include "knowledge/knowledge.hpp"
#include "model/raw_profile.hpp"
#include "model/resolved_profile.hpp"

namespace cudagen {

// Fills out.deps, out.project and out.pip_find_links from raw.dependencies and
// the pip fields: the files to copy, the lines left out of the dependency
// layer, the local projects, a pyproject.toml project and its lock.
void resolve_dependencies(const RawProfile& raw, const Knowledge& knowledge, ResolvedProfile& out);

// Once Python's source is known: whether uv or pip installs the dependency
// layers, and the uv options that keep pip's meaning (out.deps.uv_*; uv's release
// from the python_tools table).
void resolve_installer(const RawProfile& raw, const Knowledge& knowledge, ResolvedProfile& out);

}  // namespace cudagen
