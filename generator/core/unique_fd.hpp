// An open file descriptor that is closed when its owner goes.
#pragma once

#include <unistd.h>

namespace cudagen {

// Owns one descriptor (or none: -1); closes it on destruction, on reset() and
// on close_now() (for the moments it must go early, such as a pipe end whose
// reader waits for EOF).
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) {}
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    UniqueFd(UniqueFd&&) = delete;
    UniqueFd& operator=(UniqueFd&&) = delete;
    ~UniqueFd() { close_now(); }

    void reset(int fd)
    {
        close_now();
        m_fd = fd;
    }
    void close_now()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = -1;
    }
    int get() const { return m_fd; }
    bool is_open() const { return m_fd >= 0; }
    explicit operator bool() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

}  // namespace cudagen
