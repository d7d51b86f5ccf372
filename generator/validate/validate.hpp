// validate: the checks that need more than one field or the file system:
// referenced files exist and stay inside the build context, tag templates
// use known placeholders. Collects every finding.
#pragma once

#include "core/diagnostic.hpp"
#include "model/raw_profile.hpp"

namespace cudagen {

void validate_profile(const RawProfile& profile, Diagnostics& diagnostics);

}  // namespace cudagen
