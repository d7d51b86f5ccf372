// resolve: RawProfile + knowledge tables -> ResolvedProfile.
#pragma once

#include "core/diagnostic.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/tables.hpp"
#include "model/raw_profile.hpp"
#include "model/resolved_profile.hpp"

#include <optional>
#include <string>

namespace cudagen {

struct ResolveOptions {
    std::string base_registry;  // --base-registry: overrides image.base_registry when not empty
};

// Before resolve: a framework, CUDA or Python that the profile leaves out but the
// user's dependency files pin is adopted from the pin (located there). Needs
// `raw.dependencies` read (read_profile_dependencies).
void adopt_user_pins(RawProfile& raw, const KnowledgeTables& tables);

// Returns nothing when an error was added to `diagnostics`.
std::optional<ResolvedProfile> resolve(const RawProfile& raw, const Knowledge& knowledge, const ResolveOptions& options,
                                       Diagnostics& diagnostics);

// The version half of resolution (resolve_versions.cpp): CUDA, OS, cuDNN flavor,
// base images, framework and companions, Python version, GPU archs and the
// nvcc/torch/CMake arch strings, CONDA_OVERRIDE_CUDA. `out` already holds
// name, base_registry and the non-version fields. Adds errors for values
// that cannot be resolved at all (e.g. an unknown GPU name).
void resolve_versions(const RawProfile& raw, const Knowledge& knowledge, ResolvedProfile& out,
                      Diagnostics& diagnostics);

}  // namespace cudagen
