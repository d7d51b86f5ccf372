// cudagen export IMAGE -o FILE.tar.gz [--force]
#include "cli/command.hpp"
#include "core/process.hpp"
#include "verify/export_image.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>

namespace cudagen {

namespace {

constexpr const char* k_export_footer =
    "Verify the archive on a GPU host without Docker: cudagen verify --rootfs FILE.tar.gz (no root needed)\n"
    "Exit codes: 0 written; 2 FILE exists (use --force) or its folder is missing; 20 no docker command;\n"
    "21 Docker daemon not reachable; 22 image not found; 24 docker failed; 25 the archive could not be\n"
    "read or written.";

int export_command(ExportOptions options, ProcessRunner& runner)
{
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
    if (shown)
        std::cerr << "\r\033[K" << std::flush;
    if (result.exit_code == 0) {
        std::cout << result.message << "\n";
    } else {
        std::cerr << "cudagen export: error: " << result.message << "\n";
    }
    return result.exit_code;
}

}  // namespace

CommandAction setup_export(CLI::App& sub)
{
    auto options = std::make_shared<ExportOptions>();
    sub.add_option("image", options->image, "Image to export (built by cudagen: it carries cudagen-verify)")
        ->required();
    sub.add_option("-o,--output", options->output, "The archive to write (FILE.tar.gz)")->required();
    sub.add_flag("--force", options->force, "Replace the archive if it exists");
    sub.footer(k_export_footer);
    return [options] { return export_command(*options, default_process_runner()); };
}

}  // namespace cudagen
