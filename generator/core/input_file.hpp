// Reading a file that the user, or a pull request, controls: the profile, a
// conda environment file, a requirements file and the files it includes.
//
// Such a file may be anything a path can name: a FIFO that never delivers
// (open() blocks forever), a character device that never ends (/dev/zero), a
// folder, a file of gigabytes, a file on a hung network mount. Every input
// file goes through read_input_file(), which accepts only a regular file,
// reads at most `max_bytes` and gives up after `max_read_time`, and says in
// one line what was wrong so the caller can place the error where the file
// was named (the profile key, the `-r` line of a requirements file).
#pragma once

#include "core/diagnostic.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace cudagen {

// Large enough for any hand-written profile and for a pip-compile output with
// hashes of a few thousand packages; small enough to parse in well under a second.
inline constexpr std::uintmax_t k_max_input_bytes = std::uintmax_t{4} << 20;
inline constexpr std::chrono::milliseconds k_max_input_read_time{5000};

struct InputLimits {
    std::uintmax_t max_bytes = k_max_input_bytes;
    std::chrono::milliseconds max_read_time = k_max_input_read_time;
};

// Why a file was not read. Codes are stable:
//   io/not-found     nothing at that path (or a path component is not a folder)
//   io/not-a-file    a folder, FIFO, socket or device
//   io/too-large     larger than the limit
//   io/cannot-read   permission denied, I/O error, a symlink loop
//   io/read-timeout  reading took longer than the limit
struct InputFileError {
    std::string code;
    std::string message;  // one line, names the file as `shown_as`
    std::string fix;
};

struct InputFile {
    std::string text;                     // the whole file when error is empty
    std::optional<InputFileError> error;  // set when the file was not read

    bool ok() const { return !error; }
};

// Reads `path` under `limits`. `shown_as` is the name used in messages (the
// path as the user wrote it, relative to what they know).
InputFile read_input_file(const std::filesystem::path& path, std::string_view shown_as, const InputLimits& limits = {});

// The error as a diagnostic at `named_at`: where the file was named (the
// profile key, the -r line). When that is unknown, pass {shown_as, 0, 0}.
Diagnostic input_file_diagnostic(const InputFileError& error, SourceLocation named_at);

// read_input_file() that reports a failure into `diagnostics` at `named_at`.
std::optional<std::string> read_input_file(const std::filesystem::path& path, std::string_view shown_as,
                                           const SourceLocation& named_at, Diagnostics& diagnostics,
                                           const InputLimits& limits = {});

// "4 MiB", "512 KiB", "100 bytes": limits as people read them.
std::string describe_size(std::uintmax_t bytes);

}  // namespace cudagen
