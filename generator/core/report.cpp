#include "core/report.hpp"

#include "core/exit_codes.hpp"

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

}  // namespace cudagen
