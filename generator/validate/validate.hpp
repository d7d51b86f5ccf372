// validate: the checks that need more than one field or the file system:
// referenced files exist and stay inside the build context, tag templates
// use known placeholders. Collects every finding.
#pragma once

#include "core/diagnostic.hpp"
#include "model/raw_profile.hpp"

namespace cudagen {

void validate_profile(const RawProfile& profile, Diagnostics& diagnostics);

// Reads the dependency files the profile names (pip.requirements, conda.environment)
// with their includes and local references into profile.dependencies; reports
// missing files and paths leaving the build context at their places.
void read_profile_dependencies(RawProfile& profile, Diagnostics& diagnostics,
                               const deps::FileReader& reader = deps::read_dependency_file);

}  // namespace cudagen
