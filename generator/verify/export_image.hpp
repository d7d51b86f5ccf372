// `cudagen export IMAGE -o FILE.tar.gz`: an image's root filesystem as one small
// archive, for GPU hosts without Docker (`cudagen verify --rootfs FILE.tar.gz`).
// docker image inspect + docker create + docker export, pruned and gzip'd
// (verify/export_tar.hpp), written atomically; the container is always removed.
#pragma once

#include "core/diagnostic.hpp"
#include "core/exit_codes.hpp"
#include "core/process.hpp"
#include "verify/export_tar.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

// Exit codes: 0 written; 2 (k_exit_usage) the output exists without --force or its
// folder is missing; 20-22 and 24 mean what they mean for `cudagen verify IMAGE`;
// 25 the archive could not be read or written (all in core/exit_codes.hpp).

// Written into the archive: what `docker export` loses (the image's environment)
// and `verify --rootfs` needs (PATH, CUDAGEN_VERIFY_FRAMEWORK, ...).
inline constexpr std::string_view k_export_config_path = "opt/cudagen/export/config.json";

struct ExportOptions {
    std::string image;
    std::filesystem::path output;  // FILE.tar.gz
    bool force = false;            // replace an existing output
    std::string docker = "docker";
    // Hears one status line at a time ("docker export: 68.0 MiB", "compressing: 45 % of
    // 150.8 MiB") while the slow steps run; cudagen export shows them on a terminal.
    std::function<void(const std::string&)> progress;
};

struct ExportResult {
    int exit_code = 0;
    std::string message;   // the one-line summary, once written
    Diagnostics problems;  // the failure, as one problem (code "export/<exit name>")
    PruneStats stats;
};

// The docker command lines, for tests and messages.
std::vector<std::string> export_inspect_argv(const ExportOptions& options);
std::vector<std::string> export_create_argv(const ExportOptions& options);
std::vector<std::string> export_export_argv(const ExportOptions& options, const std::string& container,
                                            const std::filesystem::path& tar);
std::vector<std::string> export_remove_argv(const ExportOptions& options, const std::string& container);

ExportResult export_image(const ExportOptions& options, ProcessRunner& runner);

// "27.9 MiB"
std::string format_size(std::uint64_t bytes);

}  // namespace cudagen
