// cudagen export IMAGE -o FILE.tar.gz [--force]
#include "cli/command.hpp"
#include "core/process.hpp"
#include "core/report.hpp"
#include "verify/export_image.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>

namespace cudagen {

namespace {

constexpr const char* k_export_footer =
    "Verify the archive on a GPU host without Docker: cudagen verify --rootfs FILE.tar.gz (no root needed)\n"
    "Exit codes: the table in cudagen --help (2: FILE exists without --force, or its folder is missing).";

struct ExportCommandOptions {
    ExportOptions export_options;
    std::string format = "text";
};

int print_export_report(const ExportOptions& options, const ExportResult& result)
{
    ReportJson out = report_json("export", result.exit_code, result.problems);
    out["image"] = options.image;
    out["output"] = result.exit_code == k_exit_ok ? ReportJson(options.output.string()) : ReportJson();
    out["message"] = result.exit_code == k_exit_ok ? ReportJson(result.message) : ReportJson();
    std::cout << out.dump(2) << "\n";
    return result.exit_code;
}

int export_command(const ExportCommandOptions& command, ProcessRunner& runner)
{
    ExportOptions options = command.export_options;
    // On a terminal the slow steps (20-45 s for a CUDA image) show how far they are,
    // on one line that is rewritten; in a log or a pipe nothing but the result.
    bool shown = false;
    if (::isatty(STDERR_FILENO) != 0) {
        options.progress = [&shown](const std::string& line) {
            std::cerr << "\r\033[Kcudagen export: " << line << std::flush;
            shown = true;
        };
    }
    ExportResult result = export_image(options, runner);
    if (shown) {
        std::cerr << "\r\033[K" << std::flush;
    }
    if (command.format == "json") {
        return print_export_report(options, result);
    }
    if (result.exit_code == k_exit_ok) {
        std::cout << result.message << "\n";
    }
    print_problems(result.problems, std::cerr);
    return result.exit_code;
}

}  // namespace

CommandAction setup_export(CLI::App& sub)
{
    auto command = std::make_shared<ExportCommandOptions>();
    ExportOptions* options = &command->export_options;
    sub.add_option("image", options->image, "Image to export (built by cudagen: it carries cudagen-verify)")
        ->required();
    sub.add_option("-o,--output", options->output, "The archive to write (FILE.tar.gz)")->required();
    sub.add_flag("--force", options->force, "Replace the archive if it exists");
    sub.add_option("--format", command->format, "text or json (the report shape every command shares)")
        ->check(CLI::IsMember({"text", "json"}));
    sub.footer(k_export_footer);
    return [command] { return export_command(*command, default_process_runner()); };
}

}  // namespace cudagen
