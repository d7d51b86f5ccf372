// The tar half of `cudagen export`: copies the archive `docker export` wrote into
// a gzip file, leaving out what never runs in a container (docs, man pages,
// translations, apt caches and package lists) and adding one file of our own.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace cudagen {

// Regular files, links and devices under these folders are left out; the folders
// themselves stay, so a program that expects /var/lib/apt/lists/partial or
// /usr/share/doc still finds them. __pycache__ is kept on purpose: without it a
// framework check recompiles thousands of modules on every run.
inline constexpr std::array<std::string_view, 9> k_pruned_folders = {
    "usr/share/doc",     "usr/share/man", "usr/share/info",    "usr/share/locale", "usr/share/i18n",
    "usr/share/lintian", "var/cache/apt", "var/lib/apt/lists", "var/log",
};

// True when `path` (as stored in the archive: "./usr/x", "usr/x" or "/usr/x")
// lies strictly inside one of k_pruned_folders.
bool is_pruned_path(std::string_view path);

struct PruneStats {
    std::uint64_t input_bytes = 0;  // size of the tar docker export wrote
    std::uint64_t kept_entries = 0;
    std::uint64_t pruned_entries = 0;
    std::uint64_t pruned_bytes = 0;  // file contents left out
    std::uint64_t output_bytes = 0;  // size of the .tar.gz written
};

// One extra regular file appended to the archive (cudagen's note about the image).
struct ExtraFile {
    std::string path;  // inside the archive, relative: "opt/cudagen/export/config.json"
    std::string content;
};

// Reads the ustar/pax/GNU archive at `tar`, writes the pruned archive plus `extra`
// gzip-compressed to `gz`. A hard link whose target would be pruned keeps its
// target, so extracting never fails on a dangling link. Throws std::runtime_error
// with a message naming the file on a malformed archive or a failed write.
// `progress`, when given, hears (bytes of `tar` read, its size) as the copy goes on,
// at most once per 1 % read, and once more at the end with both equal.
using PruneProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;
PruneStats prune_tar_to_gzip(const std::filesystem::path& tar, const std::filesystem::path& gz, const ExtraFile& extra,
                             const PruneProgress& progress = {});

}  // namespace cudagen
