#include "core/report.hpp"

#include "core/exit_codes.hpp"

#include <ostream>

namespace cudagen {

ReportJson diagnostic_json(const Diagnostic& diagnostic)
{
    return {{"severity", severity_name(diagnostic.severity)},
            {"code", diagnostic.code},
            {"message", diagnostic.message},
            {"file", diagnostic.where.file},
            {"line", diagnostic.where.line},
            {"column", diagnostic.where.column},
            {"fix", diagnostic.fix}};
}

ReportJson report_json(std::string_view command, int exit_code, const Diagnostics& problems)
{
    const ExitCode* row = find_exit_code(exit_code);
    ReportJson list = ReportJson::array();
    for (const auto& diagnostic : problems.items()) {
        list.push_back(diagnostic_json(diagnostic));
    }
    return {{"command", command},
            {"ok", exit_code == k_exit_ok},
            {"exit_code", exit_code},
            {"exit_name", row ? std::string(row->name) : "exit-" + std::to_string(exit_code)},
            {"problems", list}};
}

Diagnostic command_problem(std::string_view command, int exit_code, std::string message, std::string fix)
{
    const ExitCode* row = find_exit_code(exit_code);
    std::string name = row ? std::string(row->name) : "exit-" + std::to_string(exit_code);
    return {Severity::error, std::string(command) + "/" + name, std::move(message), {}, std::move(fix)};
}

CommandFailure command_failure(std::string_view command, int exit_code, std::string message, std::string fix)
{
    return {exit_code, command_problem(command, exit_code, std::move(message), std::move(fix))};
}

void print_problems(const Diagnostics& problems, std::ostream& out)
{
    std::size_t printed = 0;
    for (const Diagnostic& problem : problems.items()) {
        if (printed == k_max_printed_diagnostics) {
            out << "cudagen: " << problems.items().size() - printed << " more problem(s) not shown\n";
            return;
        }
        out << format_diagnostic(problem);
        ++printed;
    }
}

int run_guarded(std::string_view command, bool json, const std::function<int()>& action, std::ostream& out,
                std::ostream& err)
{
    std::string what;
    try {
        return action();
    } catch (const std::exception& error) {
        what = error.what();
    } catch (...) {
        what = "an exception that is not a std::exception";
    }
    constexpr const char* k_fix = "this is a bug in cudagen; please report it with the command line";
    err << "cudagen: internal error: " << what << "\n  " << k_fix << "\n";
    if (json) {
        Diagnostics problems;
        problems.error("internal/exception", what, {}, k_fix);
        out << report_json(command, k_exit_internal, problems).dump(2) << "\n";
    }
    return k_exit_internal;
}

}  // namespace cudagen
