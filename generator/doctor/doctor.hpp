// cudagen doctor: judges the host facts (host_facts.hpp) into findings, one
// per thing a GPU container needs, each with a fix when it is missing; and for
// each profile, whether its image runs here, through the same rules as
// `cudagen check --driver --gpu`.
#pragma once

#include "doctor/host_facts.hpp"
#include "knowledge/knowledge.hpp"
#include "model/raw_profile.hpp"
#include "model/resolved_profile.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

enum class FindingStatus { ok, problem, note };

std::string_view finding_status_name(FindingStatus status);  // "ok", "problem", "note"

struct Finding {
    FindingStatus status = FindingStatus::ok;
    std::string code;     // "doctor/driver", or a check rule's code for a profile finding
    std::string message;  // one line: what was found
    std::string fix;      // for a problem: what to do
    std::string profile;  // "" for the host; the profile's file otherwise
};

std::vector<Finding> judge_host(const DoctorFacts& facts);

// Findings for one profile on this host: its own errors (as `cudagen check`
// sees them), the driver against its image and framework, each GPU against
// its arch list and its framework wheel's arch list.
std::vector<Finding> judge_profile(const RawProfile& raw, const ResolvedProfile& resolved, const Knowledge& knowledge,
                                   const DriverFacts& driver);

bool has_problems(const std::vector<Finding>& findings);

}  // namespace cudagen
