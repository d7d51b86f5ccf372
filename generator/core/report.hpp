// The one shape every reporting command prints with `--format json`, on
// success and on failure alike, always to stdout:
//   {"command": "check", "ok": false, "exit_code": 1, "exit_name": "incompatible",
//    "problems": [{"severity", "code", "message", "file", "line", "column", "fix"}, ...],
//    ...the command's own keys}
// A problem is a Diagnostic, the one diagnostic type of every stage.
#pragma once

#include "core/diagnostic.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

namespace cudagen {

using ReportJson = nlohmann::ordered_json;

ReportJson diagnostic_json(const Diagnostic& diagnostic);
ReportJson report_json(std::string_view command, int exit_code, const Diagnostics& problems);

// A problem of a command that is not about a file (docker missing, a build that
// failed): code "<command>/<exit name>", no location.
Diagnostic command_problem(std::string_view command, int exit_code, std::string message, std::string fix);

}  // namespace cudagen
