#include "verify/rootfs_run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace cudagen {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int k_child_setup_failed = 127;
constexpr std::array<const char*, 2> k_ldconfig_paths = {"/sbin/ldconfig", "/usr/sbin/ldconfig"};

// A step that failed in the child: errno and what it was doing.
struct StepError {
    int error;
    std::string what;
};

void write_all(int fd, const std::string& text)
{
    for (std::size_t done = 0; done < text.size();) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0 && errno != EINTR)
            return;
        if (n > 0)
            done += static_cast<std::size_t>(n);
    }
}

// Reported through the error pipe as "errno message"; the parent turns it into words.
[[noreturn]] void child_fail(int error_fd, const StepError& failure)
{
    write_all(error_fd, std::to_string(failure.error) + " " + failure.what);
    ::_exit(k_child_setup_failed);
}

// The host path of a path inside the root. A root filesystem comes from an image,
// so a symlink in it must not lead a mount or a new file outside it.
fs::path inside(const fs::path& root, const std::string& target, bool may_be_symlink = false)
{
    fs::path path = root / fs::path(target).relative_path();
    fs::path parent = fs::weakly_canonical(path.parent_path());
    std::string parent_text = parent.string(), root_text = root.string();
    bool within = root_text == "/" || parent_text == root_text || parent_text.starts_with(root_text + "/");
    if (!within) {
        throw StepError{EXDEV, target + " leads outside the root filesystem (a symbolic link in the image)"};
    }
    struct stat info {};
    if (!may_be_symlink && ::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode)) {
        throw StepError{EXDEV, target + " is a symbolic link in the image; refusing to mount over it"};
    }
    return path;
}

void check(int result, const MountStep& step)
{
    if (result != 0)
        throw StepError{errno, describe_step(step)};
}

// sysfs needs the mounter to own the network namespace; where it may not (some
// containers), the host's /sys bound read-only serves the driver just as well.
int mount_sysfs(const fs::path& target)
{
    unsigned long flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
    if (::mount("sysfs", target.c_str(), "sysfs", flags, nullptr) == 0)
        return 0;
    if (::mount("/sys", target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
        return -1;
    return ::mount(nullptr, target.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr);
}

int bind(const std::string& source, const fs::path& target, bool read_only)
{
    if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
        return -1;
    if (!read_only)
        return 0;
    return ::mount(nullptr, target.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr);
}

int make_file(const fs::path& target)
{
    int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return -1;
    ::close(fd);
    return 0;
}

// The image's own ldconfig, chroot'd; its output goes to our stderr.
int run_ldconfig(const fs::path& root, const MountStep& step)
{
    pid_t pid = ::fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        ::dup2(STDERR_FILENO, STDOUT_FILENO);
        if (::chroot(root.c_str()) != 0 || ::chdir("/") != 0)
            ::_exit(k_child_setup_failed);
        for (const char* ldconfig : k_ldconfig_paths) {
            ::execl(ldconfig, "ldconfig", "-C", step.target.c_str(), step.source.c_str(), static_cast<char*>(nullptr));
        }
        ::_exit(k_child_setup_failed);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    throw StepError{ENOEXEC, describe_step(step) + ": ldconfig failed or is missing in the root (exit " +
                                 std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128) + ")"};
}

void execute(const fs::path& root, const MountStep& step)
{
    switch (step.kind) {
        case MountKind::make_dir: {
            std::error_code error;
            fs::create_directories(inside(root, step.target), error);
            if (error)
                throw StepError{error.value(), describe_step(step)};
            return;
        }
        case MountKind::make_file:
            return check(make_file(inside(root, step.target)), step);
        case MountKind::make_symlink:
            return check(::symlink(step.source.c_str(), inside(root, step.target, true).c_str()), step);
        case MountKind::mount_proc:
            return check(
                ::mount("proc", inside(root, step.target).c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr),
                step);
        case MountKind::mount_sysfs:
            return check(mount_sysfs(inside(root, step.target)), step);
        case MountKind::mount_tmpfs:
            return check(::mount("tmpfs", inside(root, step.target).c_str(), "tmpfs", MS_NOSUID, step.source.c_str()),
                         step);
        case MountKind::bind:
            return check(bind(step.source, inside(root, step.target), false), step);
        case MountKind::bind_read_only:
            return check(bind(step.source, inside(root, step.target), true), step);
        case MountKind::bind_in_root:
            return check(bind(inside(root, step.source).string(), inside(root, step.target), true), step);
        case MountKind::run_ldconfig:
            return check(run_ldconfig(root, step), step);
    }
}

std::vector<char*> c_strings(const std::vector<std::string>& strings)
{
    std::vector<char*> pointers;
    for (const std::string& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
    pointers.push_back(nullptr);
    return pointers;
}

[[noreturn]] void child_main(const fs::path& root, const MountPlan& plan, const RootfsCommand& command, int out_fd,
                             int error_fd)
{
    ::setpgid(0, 0);  // one group: a timeout kills the program and whatever it started
    ::dup2(out_fd, STDOUT_FILENO);
    try {
        // Private before anything is mounted: nothing may propagate back to the host.
        if (::unshare(CLONE_NEWNS) != 0)
            throw StepError{errno, "unshare(CLONE_NEWNS)"};
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
            throw StepError{errno, "making / private in the new mount namespace"};
        }
        for (const MountStep& step : plan.steps) execute(root, step);
        if (::chroot(root.c_str()) != 0 || ::chdir("/") != 0)
            throw StepError{errno, "chroot " + root.string()};
    } catch (const StepError& failure) {
        child_fail(error_fd, failure);
    } catch (const std::exception& e) {
        child_fail(error_fd, StepError{EIO, e.what()});
    }
    std::vector<char*> argv = c_strings(command.argv);
    std::vector<char*> envp = c_strings(command.env);
    ::execve(argv[0], argv.data(), envp.data());
    child_fail(error_fd, StepError{errno, "exec " + command.argv.front() + " in the root"});
}

// Reads both pipes until they close or the deadline passes; false on timeout.
bool drain(int out_fd, int error_fd, std::string& out, std::string& error, Clock::time_point deadline)
{
    std::array<pollfd, 2> fds{{{out_fd, POLLIN, 0}, {error_fd, POLLIN, 0}}};
    std::array<std::string*, 2> sinks{&out, &error};
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return false;
        int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left, 60'000)));
        if (ready < 0 && errno != EINTR)
            return true;
        for (std::size_t i = 0; i < fds.size() && ready > 0; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            std::array<char, 65536> buffer{};
            ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
            if (n > 0)
                sinks[i]->append(buffer.data(), static_cast<std::size_t>(n));
            if (n == 0 || (n < 0 && errno != EINTR))
                fds[i].fd = -1;
        }
    }
    return true;
}

int wait_child(pid_t pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return 128;
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

void read_setup_error(const std::string& text, RootfsRunResult& result)
{
    std::size_t space = text.find(' ');
    int error = std::atoi(text.substr(0, space).c_str());
    result.permission_denied = error == EPERM || error == EACCES;
    result.setup_error =
        text.substr(space == std::string::npos ? text.size() : space + 1) + ": " + std::strerror(error);
}

struct PipeFds {
    std::array<int, 2> out{-1, -1}, error{-1, -1};
    ~PipeFds()
    {
        for (int fd : {out[0], out[1], error[0], error[1]}) {
            if (fd >= 0)
                ::close(fd);
        }
    }
};

}  // namespace

RootfsRunResult run_in_rootfs(const fs::path& root, const MountPlan& plan, const RootfsCommand& command)
{
    PipeFds pipes;
    if (::pipe2(pipes.out.data(), O_CLOEXEC) != 0 || ::pipe2(pipes.error.data(), O_CLOEXEC) != 0) {
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    fs::path canonical_root = fs::canonical(root);
    pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0)
        child_main(canonical_root, plan, command, pipes.out[1], pipes.error[1]);

    ::close(pipes.out[1]);
    ::close(pipes.error[1]);
    pipes.out[1] = pipes.error[1] = -1;
    RootfsRunResult result;
    std::string setup_error;
    if (!drain(pipes.out[0], pipes.error[0], result.out, setup_error, Clock::now() + command.timeout)) {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
        result.timed_out = true;
    }
    result.exit_code = wait_child(pid);
    result.ran = setup_error.empty();
    if (!result.ran)
        read_setup_error(setup_error, result);
    return result;
}

}  // namespace cudagen
