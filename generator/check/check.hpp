// check: compatibility rules over a ResolvedProfile (+ host facts).
#pragma once

#include "core/diagnostic.hpp"
#include "knowledge/knowledge.hpp"
#include "model/raw_profile.hpp"
#include "model/resolved_profile.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cudagen {

struct HostFacts {
    std::string driver;             // --driver 535.104.05 ("" = unknown)
    std::vector<std::string> gpus;  // --gpu a100 / --gpu 8.0 / --gpu sm_90
};

// Adds every finding of every rule to `diagnostics` (errors: the profile cannot
// work; warnings: it works but is risky).
void run_checks(const RawProfile& raw, const ResolvedProfile& resolved, const Knowledge& knowledge,
                const HostFacts& host, Diagnostics& diagnostics);

}  // namespace cudagen
