// The resolved model as JSON (cudagen resolve --format json): plain values at
// the top, and `origins` saying where each came from.
#pragma once

#include "model/resolved_profile.hpp"

#include <nlohmann/json.hpp>

namespace cudagen {

nlohmann::json resolved_to_json(const ResolvedProfile& profile);
// Aligned "key  value  origin: reason (file:line)" lines.
std::string resolved_to_text(const ResolvedProfile& profile);

}  // namespace cudagen
