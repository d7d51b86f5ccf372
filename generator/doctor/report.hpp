// The doctor report: text (one ✓/✗ line per finding, a fix under each ✗) and JSON.
#pragma once

#include "doctor/doctor.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cudagen {

struct DoctorReport {
    DoctorFacts facts;
    std::vector<Finding> findings;  // the host's, then each profile's
    int exit_code = 0;
};

std::string doctor_text(const DoctorReport& report);
// {"command": "doctor", "ok", "exit_code", "host": {...}, "findings": [...], "problems": [...]}
nlohmann::ordered_json doctor_json(const DoctorReport& report);
nlohmann::ordered_json facts_json(const DoctorFacts& facts);

}  // namespace cudagen
