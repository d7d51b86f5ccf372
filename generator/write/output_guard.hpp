// The two things that make a write safe against other processes: a lock that
// keeps two cudagen runs from writing one output folder at once, and a signal
// guard that turns SIGINT/SIGTERM/SIGHUP during a write into a clean stop
// (staging folder removed, then the signal's usual effect).
#pragma once

#include "core/diagnostic.hpp"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>

namespace cudagen {

// An exclusive flock() on a folder, held until destruction. The folder is the
// output folder's parent: it outlives every swap of the output folder itself.
class OutputLock {
public:
    // Waits up to `patience` for a run that holds the lock; empty when the lock
    // was not taken (error added) or a stop signal arrived while waiting.
    static std::optional<OutputLock> acquire(const std::filesystem::path& folder, const std::filesystem::path& output,
                                             std::chrono::milliseconds patience, Diagnostics& diagnostics);
    OutputLock(OutputLock&& other) noexcept;
    OutputLock& operator=(OutputLock&&) = delete;
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;
    ~OutputLock();

private:
    explicit OutputLock(int fd) : m_fd(fd) {}
    int m_fd;
};

// While alive, SIGINT, SIGTERM and SIGHUP only set a flag; the writer checks
// it between steps. finish() restores the old handlers and re-raises the
// signal that arrived, so the exit status still says "killed by SIGTERM".
class SignalGuard {
public:
    SignalGuard();
    SignalGuard(const SignalGuard&) = delete;
    SignalGuard& operator=(const SignalGuard&) = delete;
    ~SignalGuard();

    bool stop_requested() const;
    void finish();  // restore handlers; re-raise a pending signal

private:
    struct sigaction m_old[3];
    bool m_restored = false;
};

}  // namespace cudagen
