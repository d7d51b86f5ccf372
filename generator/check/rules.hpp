// The catalog of every diagnostic code the resolve and check stages emit:
// severity, a summary, and a worked example. docs/rules.md is rendered from
// it (a unit test keeps the two equal) and another test runs every example.
#pragma once

#include "core/diagnostic.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

struct RuleInfo {
    std::string_view code;  // stable: "compat/driver-too-old"
    Severity severity;
    std::string_view stage;  // "resolve" (stops resolution) or "check"
    std::string_view summary;
    std::string_view example;              // a whole profile that triggers the rule
    std::string_view example_host;         // check flags for the example: "--driver 470.57.02 --gpu a100"
    std::string_view example_environment;  // environment.yml next to the example, when the rule reads one
    std::string_view example_message;      // the message the example produces
};

std::vector<RuleInfo> rule_catalog();
// The catalog entry of `code`; aborts on an unknown code (a unit test runs every rule).
const RuleInfo& rule_info(std::string_view code);
std::string render_rules_markdown();

}  // namespace cudagen
