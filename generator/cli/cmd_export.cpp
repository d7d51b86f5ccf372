// cudagen export IMAGE -o FILE.tar.gz [--force]
#include "cli/command.hpp"
#include "core/process.hpp"
#include "verify/export_image.hpp"

#include <iostream>
#include <memory>

namespace cudagen {

namespace {

constexpr const char* k_export_footer =
    "Verify the archive on a GPU host without Docker: cudagen verify --rootfs FILE.tar.gz (no root needed)\n"
    "Exit codes: 0 written; 2 FILE exists (use --force) or its folder is missing; 20 no docker command;\n"
    "21 Docker daemon not reachable; 22 image not found; 24 docker failed; 25 the archive could not be\n"
    "read or written.";

int export_command(const ExportOptions& options, ProcessRunner& runner)
{
    ExportResult result = export_image(options, runner);
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
