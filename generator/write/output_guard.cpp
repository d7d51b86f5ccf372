#include "write/output_guard.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace cudagen {

namespace {

constexpr int k_guarded_signals[3] = {SIGINT, SIGTERM, SIGHUP};

volatile std::sig_atomic_t g_pending_signal = 0;

extern "C" void remember_signal(int signal)
{
    g_pending_signal = signal;
}

}  // namespace

std::optional<OutputLock> OutputLock::acquire(const std::filesystem::path& folder, const std::filesystem::path& output,
                                              std::chrono::milliseconds patience, Diagnostics& diagnostics)
{
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        diagnostics.error(
            "io/cannot-write",
            "cannot lock " + folder.string() + " for writing " + output.string() + ": " + std::strerror(errno), {},
            "check that the folder exists and that you may read it");
        return std::nullopt;
    }
    auto deadline = std::chrono::steady_clock::now() + patience;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            ::close(fd);
            diagnostics.error("io/cannot-write", "cannot lock " + folder.string() + ": " + std::strerror(errno), {},
                              "write to a folder on a local file system");
            return std::nullopt;
        }
        if (g_pending_signal != 0 || std::chrono::steady_clock::now() >= deadline) {
            ::close(fd);
            if (g_pending_signal == 0) {
                diagnostics.error("io/output-busy",
                                  "another cudagen run is writing " + output.string() + " (waited " +
                                      std::to_string(patience.count() / 1000) + " s for it)",
                                  {}, "wait for the other run to finish, or write to another -o folder");
            }
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return OutputLock(fd);
}

OutputLock::OutputLock(OutputLock&& other) noexcept : m_fd(other.m_fd)
{
    other.m_fd = -1;
}

OutputLock::~OutputLock()
{
    if (m_fd >= 0) {
        ::close(m_fd);  // releases the flock
    }
}

SignalGuard::SignalGuard()
{
    g_pending_signal = 0;
    struct sigaction action {};
    action.sa_handler = remember_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int i = 0; i < 3; ++i) {
        ::sigaction(k_guarded_signals[i], &action, &m_old[i]);
    }
}

SignalGuard::~SignalGuard()
{
    finish();
}

bool SignalGuard::stop_requested() const
{
    return g_pending_signal != 0;
}

void SignalGuard::finish()
{
    if (m_restored) {
        return;
    }
    m_restored = true;
    for (int i = 0; i < 3; ++i) {
        ::sigaction(k_guarded_signals[i], &m_old[i], nullptr);
    }
    int signal = g_pending_signal;
    g_pending_signal = 0;
    if (signal != 0) {
        ::raise(signal);
    }
}

}  // namespace cudagen
