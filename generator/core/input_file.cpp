#include "core/input_file.hpp"

#include "core/unique_fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace cudagen {

namespace {

InputFile failure(std::string code, std::string message, std::string fix)
{
    return {{}, InputFileError{std::move(code), std::move(message), std::move(fix)}};
}

std::string quoted(std::string_view name)
{
    return "'" + std::string(name) + "'";
}

InputFile open_failure(int error, std::string_view shown_as)
{
    if (error == ENOENT || error == ENOTDIR) {
        return failure("io/not-found", quoted(shown_as) + " does not exist", "check the path");
    }
    if (error == EACCES || error == EPERM) {
        return failure("io/cannot-read", "cannot read " + quoted(shown_as) + ": permission denied",
                       "make the file readable by the user running cudagen");
    }
    if (error == ELOOP) {
        return failure("io/cannot-read", "cannot read " + quoted(shown_as) + ": too many levels of symbolic links",
                       "point the path at the file itself");
    }
    return failure("io/cannot-read", "cannot read " + quoted(shown_as) + ": " + std::strerror(error), "check the path");
}

std::string_view kind_of(mode_t mode)
{
    if (S_ISDIR(mode)) {
        return "a folder";
    }
    if (S_ISFIFO(mode)) {
        return "a FIFO (named pipe)";
    }
    if (S_ISCHR(mode)) {
        return "a character device";
    }
    if (S_ISBLK(mode)) {
        return "a block device";
    }
    if (S_ISSOCK(mode)) {
        return "a socket";
    }
    return "not a regular file";
}

InputFile not_a_file(mode_t mode, std::string_view shown_as)
{
    std::string fix = S_ISDIR(mode) ? "name a file inside the folder"
                                    : "name a regular file; cudagen does not read pipes, devices or sockets";
    return failure("io/not-a-file", quoted(shown_as) + " is " + std::string(kind_of(mode)) + ", not a regular file",
                   fix);
}

InputFile too_large(std::string_view shown_as, std::uintmax_t size, bool exact, std::uintmax_t limit)
{
    std::string how_big = exact ? "is " + describe_size(size) : "is larger than " + describe_size(limit);
    std::string message = quoted(shown_as) + " " + how_big + "; input files are limited to " + describe_size(limit);
    return failure("io/too-large", message, "trim the file or split it; cudagen refuses larger input files");
}

std::string describe_duration(std::chrono::milliseconds duration)
{
    if (duration.count() % 1000 == 0) {
        return std::to_string(duration.count() / 1000) + " s";
    }
    return std::to_string(duration.count()) + " ms";
}

// Reads everything from `fd`, at most limit + 1 bytes (to tell "exactly at the
// limit" from "over it"), checking the clock after every chunk.
InputFile read_all(int fd, std::string_view shown_as, const InputLimits& limits)
{
    auto start = std::chrono::steady_clock::now();
    std::string text;
    char chunk[64 * 1024];
    while (true) {
        std::uintmax_t room = limits.max_bytes + 1 - text.size();
        std::size_t want = static_cast<std::size_t>(std::min<std::uintmax_t>(sizeof chunk, room));
        ssize_t got = ::read(fd, chunk, want);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return open_failure(errno, shown_as);
        }
        if (got == 0) {
            return {std::move(text), std::nullopt};
        }
        text.append(chunk, static_cast<std::size_t>(got));
        if (text.size() > limits.max_bytes) {
            return too_large(shown_as, 0, false, limits.max_bytes);
        }
        if (std::chrono::steady_clock::now() - start >= limits.max_read_time) {
            return failure(
                "io/read-timeout",
                "reading " + quoted(shown_as) + " took longer than " + describe_duration(limits.max_read_time),
                "copy the file to a local disk and point the profile at the copy");
        }
    }
}

}  // namespace

std::string describe_size(std::uintmax_t bytes)
{
    constexpr std::uintmax_t kib = 1024;
    constexpr std::uintmax_t mib = kib * 1024;
    if (bytes >= mib && bytes % mib == 0) {
        return std::to_string(bytes / mib) + " MiB";
    }
    if (bytes >= mib) {
        return std::to_string(bytes / mib) + "." + std::to_string(bytes % mib * 10 / mib) + " MiB";
    }
    if (bytes >= kib && bytes % kib == 0) {
        return std::to_string(bytes / kib) + " KiB";
    }
    return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

InputFile read_input_file(const std::filesystem::path& path, std::string_view shown_as, const InputLimits& limits)
{
    // O_NONBLOCK: opening a FIFO with no writer, or a terminal, returns at once
    // instead of waiting; the type check below then refuses it.
    int raw = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (raw < 0) {
        return open_failure(errno, shown_as);
    }
    UniqueFd fd(raw);  // closed on every path out
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        return open_failure(errno, shown_as);
    }
    if (!S_ISREG(info.st_mode)) {
        return not_a_file(info.st_mode, shown_as);
    }
    auto size = static_cast<std::uintmax_t>(info.st_size);
    if (size > limits.max_bytes) {
        return too_large(shown_as, size, true, limits.max_bytes);
    }
    return read_all(fd.get(), shown_as, limits);
}

Diagnostic input_file_diagnostic(const InputFileError& error, SourceLocation named_at)
{
    return {Severity::error, error.code, error.message, std::move(named_at), error.fix};
}

std::optional<std::string> read_input_file(const std::filesystem::path& path, std::string_view shown_as,
                                           const SourceLocation& named_at, Diagnostics& diagnostics,
                                           const InputLimits& limits)
{
    InputFile file = read_input_file(path, shown_as, limits);
    if (file.error) {
        diagnostics.add(input_file_diagnostic(*file.error, named_at));
        return std::nullopt;
    }
    return std::move(file.text);
}

}  // namespace cudagen
