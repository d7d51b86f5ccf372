// The one shape every reporting command prints with `--format json`, on
// success and on failure alike, always to stdout:
//   {"command": "check", "ok": false, "exit_code": 1, "exit_name": "incompatible",
//    "problems": [{"severity", "code", "message", "file", "line", "column", "fix"}, ...],
//    ...the command's own keys}
// A problem is a Diagnostic, the one diagnostic type of every stage.
#pragma once

#include "core/diagnostic.hpp"
#include "core/exit_codes.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <iosfwd>
#include <string_view>

namespace cudagen {

using ReportJson = nlohmann::ordered_json;

ReportJson diagnostic_json(const Diagnostic& diagnostic);
ReportJson report_json(std::string_view command, int exit_code, const Diagnostics& problems);

// A problem of a command that is not about a file (docker missing, a build that
// failed): code "<command>/<exit name>", no location.
Diagnostic command_problem(std::string_view command, int exit_code, std::string message, std::string fix);

// A failure that ends a command: its exit code and the problem that says why.
struct CommandFailure {
    int exit_code = k_exit_usage;
    Diagnostic problem;
};

CommandFailure command_failure(std::string_view command, int exit_code, std::string message, std::string fix);

// The one text printer of problems: each as a compiler-style diagnostic
// ("cudagen: error: MESSAGE [CODE]" then "  fix: FIX"), at most
// k_max_printed_diagnostics of them, then how many more there were.
void print_problems(const Diagnostics& problems, std::ostream& out);

// Runs a command's action; an exception no stage expected is a bug in cudagen:
// it is said on `err` (and, with `json`, reported in the shared shape on `out`)
// and the exit code is k_exit_internal, never a usage error.
int run_guarded(std::string_view command, bool json, const std::function<int()>& action, std::ostream& out,
                std::ostream& err);

}  // namespace cudagen
