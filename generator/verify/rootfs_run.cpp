#include "verify/rootfs_run.hpp"

#include "verify/rootfs_ns.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace cudagen {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int k_child_setup_failed = 127;
constexpr std::array<const char*, 2> k_ldconfig_paths = {"/sbin/ldconfig", "/usr/sbin/ldconfig"};
// Everything but the user namespace, which comes first and alone: its id maps must
// be written before the other namespaces are made, so that they belong to it.
constexpr int k_other_namespaces = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
constexpr char k_sync_user_namespace = 'u', k_sync_no_user_namespace = 'r', k_sync_go = 'g', k_sync_stop = 'x';

// How a step failed: the user namespace could not be had at all, a step of the
// setup failed, or the image's program could not be started (not the kernel's refusal).
enum class Failure : char { refused = 'R', setup = 'S', exec = 'E' };

// A step that failed in a child: errno and what it was doing.
struct StepError {
    int error;
    std::string what;
    Failure kind = Failure::setup;
};

void write_all(int fd, const std::string& text)
{
    for (std::size_t done = 0; done < text.size();) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0 && errno != EINTR) {
            return;
        }
        if (n > 0) {
            done += static_cast<std::size_t>(n);
        }
    }
}

// Reported through the error pipe as "errno R|S|E message"; the parent turns it into words.
[[noreturn]] void child_fail(int error_fd, const StepError& failure)
{
    write_all(error_fd, std::to_string(failure.error) + " " + static_cast<char>(failure.kind) + " " + failure.what);
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
    if (result != 0) {
        throw StepError{errno, describe_step(step)};
    }
}

// A read-only remount must keep the flags the kernel locked on the source (nosuid,
// nodev, noexec of a mount inherited into a user namespace), or it is refused.
int remount_read_only(const fs::path& target)
{
    struct statvfs info {};
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
    if (::statvfs(target.c_str(), &info) == 0) {
        flags |= (info.f_flag & ST_NOSUID ? MS_NOSUID : 0) | (info.f_flag & ST_NODEV ? MS_NODEV : 0) |
                 (info.f_flag & ST_NOEXEC ? MS_NOEXEC : 0);
    }
    return ::mount(nullptr, target.c_str(), nullptr, flags, nullptr);
}

// A fresh sysfs needs the mounter to own the network namespace (it does: it made
// one); where it still may not, the host's /sys bound read-only serves the driver.
int mount_sysfs(const fs::path& target)
{
    unsigned long flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
    if (::mount("sysfs", target.c_str(), "sysfs", flags, nullptr) == 0) {
        return 0;
    }
    if (::mount("/sys", target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
        return -1;
    }
    return remount_read_only(target);
}

int bind_mount(const std::string& source, const fs::path& target, bool read_only)
{
    if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) {
        return -1;
    }
    return read_only ? remount_read_only(target) : 0;
}

// read_only and mask steps cover parts of /proc that this kernel may not have.
int if_present(const fs::path& target, const std::function<int()>& action)
{
    struct stat info {};
    if (::lstat(target.c_str(), &info) != 0) {
        return errno == ENOENT ? 0 : -1;
    }
    return action();
}

int make_file(const fs::path& target)
{
    int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        return -1;
    }
    ::close(fd);
    return 0;
}

// The image's own ldconfig, already inside the root, without privileges; its output
// goes to our stderr.
int run_ldconfig(const MountStep& step)
{
    pid_t pid = ::fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        ::dup2(STDERR_FILENO, STDOUT_FILENO);
        if (!drop_privileges().empty()) {
            ::_exit(k_child_setup_failed);
        }
        for (const char* ldconfig : k_ldconfig_paths) {
            ::execl(ldconfig, "ldconfig", "-C", step.target.c_str(), step.source.c_str(), static_cast<char*>(nullptr));
        }
        ::_exit(k_child_setup_failed);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return 0;
    }
    throw StepError{ENOEXEC, describe_step(step) + ": ldconfig failed or is missing in the root (exit " +
                                 std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128) + ")"};
}

// pivot_root(".", ".") stacks the old root over the new one; detaching it leaves
// nothing of the host's tree reachable, which chroot alone does not guarantee.
int enter_root(const fs::path& root)
{
    if (::chdir(root.c_str()) != 0 || ::syscall(SYS_pivot_root, ".", ".") != 0) {
        return -1;
    }
    if (::umount2(".", MNT_DETACH) != 0) {
        return -1;
    }
    return ::chdir("/");
}

// Carries out one step; `root` becomes "/" once the step enter_root is done.
void execute(fs::path& root, const MountStep& step)
{
    switch (step.kind) {
        case MountKind::make_dir: {
            std::error_code error;
            fs::create_directories(inside(root, step.target), error);
            if (error) {
                throw StepError{error.value(), describe_step(step)};
            }
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
            return check(bind_mount(step.source, inside(root, step.target), false), step);
        case MountKind::bind_read_only:
            return check(bind_mount(step.source, inside(root, step.target), true), step);
        case MountKind::bind_in_root:
            return check(bind_mount(inside(root, step.source).string(), inside(root, step.target), true), step);
        case MountKind::read_only: {
            fs::path target = inside(root, step.target);
            return check(if_present(target, [&] { return bind_mount(target.string(), target, true); }), step);
        }
        case MountKind::mask: {
            fs::path target = inside(root, step.target);
            return check(if_present(target, [&] { return bind_mount(step.source, target, true); }), step);
        }
        case MountKind::enter_root:
            check(enter_root(root), step);
            root = "/";
            return;
        case MountKind::run_ldconfig:
            return check(run_ldconfig(step), step);
    }
}

std::vector<char*> c_strings(const std::vector<std::string>& strings)
{
    std::vector<char*> pointers;
    for (const std::string& s : strings) {
        pointers.push_back(const_cast<char*>(s.c_str()));
    }
    pointers.push_back(nullptr);
    return pointers;
}

// overlayfs takes ',' and ':' as separators in its options; a backslash escapes them.
std::string overlay_path(const std::string& path)
{
    std::string escaped;
    for (char c : path) {
        if (c == ',' || c == ':' || c == '\\') {
            escaped += '\\';
        }
        escaped += c;
    }
    return escaped;
}

// The root the image sees: the given folder as the lower layer of an overlay whose
// upper layer is a tmpfs, so what the run writes (ldconfig's cache, the CUDA JIT
// cache, mount points) never reaches the folder. Returns the merged folder.
fs::path mount_layer(const fs::path& root, const fs::path& layer, bool root_is_private_copy)
{
    if (::mount("tmpfs", layer.c_str(), "tmpfs", MS_NOSUID, "mode=755") != 0) {
        throw StepError{errno, "mount tmpfs on " + layer.string() + " (the writable layer)"};
    }
    for (const char* dir : {"upper", "work", "root"}) {
        if (::mkdir((layer / dir).c_str(), 0755) != 0) {
            throw StepError{errno, "mkdir " + (layer / dir).string()};
        }
    }
    fs::path merged = layer / "root";
    std::string options = "lowerdir=" + overlay_path(root.string()) +
                          ",upperdir=" + overlay_path((layer / "upper").string()) +
                          ",workdir=" + overlay_path((layer / "work").string());
    if (::mount("overlay", merged.c_str(), "overlay", MS_NOSUID, options.c_str()) == 0) {
        return merged;
    }
    int overlay_error = errno;
    if (!root_is_private_copy) {
        throw StepError{overlay_error,
                        "mount overlay over " + root.string() +
                            " (keeps the folder untouched; unprivileged overlays need Linux 5.11 or later): "
                            "pass the root as an archive instead (tar -C DIR -czf root.tar.gz .)"};
    }
    if (::mount(root.c_str(), merged.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
        throw StepError{errno, "bind " + root.string() + " -> " + merged.string()};
    }
    return merged;
}

// Nothing of cudagen's but stdin, stdout and stderr may reach the image.
void close_other_files()
{
    long most = std::min(::sysconf(_SC_OPEN_MAX), 65536L);
    for (int fd = 3; fd < most; ++fd) {
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
}

struct ChildFds {
    int out = -1, error = -1, ready = -1, go = -1;
};

// PID 1 of the new PID namespace (B): sets up the root, then becomes the program.
[[noreturn]] void init_main(const fs::path& root, const fs::path& layer, const MountPlan& plan,
                            const RootfsCommand& command, const ChildFds& fds)
{
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // A killed (timeout): everything here goes with it
    try {
        fs::path current = mount_layer(root, layer, command.root_is_private_copy);
        for (const MountStep& step : plan.steps) {
            execute(current, step);
        }
        if (current != "/") {
            throw StepError{EINVAL, "the mount plan has no enter_root step"};
        }
    } catch (const StepError& failure) {
        child_fail(fds.error, failure);
    } catch (const std::exception& e) {
        child_fail(fds.error, StepError{EIO, e.what()});
    }
    close_other_files();
    if (std::string failed = drop_privileges(); !failed.empty()) {
        child_fail(fds.error, StepError{EPERM, failed});
    }
    std::vector<char*> argv = c_strings(command.argv);
    std::vector<char*> envp = c_strings(command.env);
    ::execve(argv[0], argv.data(), envp.data());
    child_fail(fds.error, StepError{errno, "exec " + command.argv.front() + " in the root", Failure::exec});
}

char read_byte(int fd)
{
    char byte = 0;
    while (::read(fd, &byte, 1) < 0 && errno == EINTR) {
    }
    return byte;
}

void redirect_stdio(int out_fd)
{
    int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd >= 0) {
        ::dup2(null_fd, STDIN_FILENO);
    }
    ::dup2(out_fd, STDOUT_FILENO);
}

// Namespace holder (A): makes the namespaces, starts B in them, passes on its exit.
[[noreturn]] void namespace_main(const fs::path& root, const fs::path& layer, const MountPlan& plan,
                                 const RootfsCommand& command, const ChildFds& fds)
{
    ::setsid();  // no controlling terminal: the image cannot push input into ours (TIOCSTI)
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    redirect_stdio(fds.out);
    bool user_namespace = ::unshare(CLONE_NEWUSER) == 0;
    if (!user_namespace && ::geteuid() != 0) {
        child_fail(fds.error, StepError{errno, "unshare(CLONE_NEWUSER)", Failure::refused});
    }
    char sync = user_namespace ? k_sync_user_namespace : k_sync_no_user_namespace;
    write_all(fds.ready, std::string(1, sync));
    if (read_byte(fds.go) != k_sync_go) {
        ::_exit(k_child_setup_failed);  // the parent reported why
    }
    try {
        if (::unshare(k_other_namespaces) != 0) {
            throw StepError{errno, "unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)"};
        }
        // Private before anything is mounted: nothing may propagate back to the host.
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
            throw StepError{errno, "making / private in the new mount namespace"};
        }
    } catch (const StepError& failure) {
        child_fail(fds.error, failure);
    }
    pid_t init = ::fork();
    if (init < 0) {
        child_fail(fds.error, StepError{errno, "fork into the new PID namespace"});
    }
    if (init == 0) {
        init_main(root, layer, plan, command, fds);
    }
    for (int fd : {fds.out, fds.error, STDOUT_FILENO}) {
        ::close(fd);
    }
    int status = 0;
    while (::waitpid(init, &status, 0) < 0 && errno == EINTR) {
    }
    ::_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
}

// Reads both pipes until they close or the deadline passes; false on timeout.
bool drain(int out_fd, int error_fd, std::string& out, std::string& error, Clock::time_point deadline)
{
    std::array<pollfd, 2> fds{{{out_fd, POLLIN, 0}, {error_fd, POLLIN, 0}}};
    std::array<std::string*, 2> sinks{&out, &error};
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            return false;
        }
        int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left, 60'000)));
        if (ready < 0 && errno != EINTR) {
            return true;
        }
        for (std::size_t i = 0; i < fds.size() && ready > 0; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) {
                continue;
            }
            std::array<char, 65536> buffer{};
            ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
            if (n > 0) {
                sinks[i]->append(buffer.data(), static_cast<std::size_t>(n));
            }
            if (n == 0 || (n < 0 && errno != EINTR)) {
                fds[i].fd = -1;
            }
        }
    }
    return true;
}

int wait_child(pid_t pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return 128;
        }
    }
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

void read_setup_error(const std::string& text, RootfsRunResult& result)
{
    std::size_t space = text.find(' ');
    int error = std::atoi(text.substr(0, space).c_str());
    char kind = space + 1 < text.size() ? text[space + 1] : static_cast<char>(Failure::setup);
    bool refused = kind == static_cast<char>(Failure::refused);
    bool kernel_step = kind != static_cast<char>(Failure::exec);
    std::size_t message = space == std::string::npos ? text.size() : std::min(text.size(), space + 3);
    result.permission_denied = refused || (kernel_step && (error == EPERM || error == EACCES || error == ENOSPC));
    result.user_namespace_refused = refused;
    result.setup_errno = error;
    result.setup_error = text.substr(message) + ": " + std::strerror(error);
}

bool write_proc_file(pid_t pid, const char* name, const std::string& text)
{
    std::string path = "/proc/" + std::to_string(pid) + "/" + name;
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    return ok;
}

// Maps the caller to uid 0 in A's new user namespace; the error when the kernel refuses.
std::string write_id_maps(pid_t pid, int& error)
{
    struct SaveErrno {
        int& out;
        ~SaveErrno() { out = errno; }
    } save{error};
    IdMaps maps = id_maps_for(::geteuid(), ::getegid());
    if (!maps.setgroups.empty() && !write_proc_file(pid, "setgroups", maps.setgroups)) {
        return std::string("writing setgroups of the user namespace: ") + std::strerror(errno);
    }
    if (!write_proc_file(pid, "uid_map", maps.uid_map)) {
        return std::string("writing uid_map of the user namespace: ") + std::strerror(errno);
    }
    if (!write_proc_file(pid, "gid_map", maps.gid_map)) {
        return std::string("writing gid_map of the user namespace: ") + std::strerror(errno);
    }
    return {};
}

std::string describe_isolation(char sync)
{
    uid_t uid = ::geteuid();
    if (sync == k_sync_no_user_namespace) {
        return "root without a user namespace (the kernel refused one); mount, PID, network, IPC and UTS "
               "namespaces; no capabilities";
    }
    return "user namespace (uid " + std::to_string(uid) +
           (uid == 0 ? ", every id mapped to itself" : " is uid 0 inside") +
           "); mount, PID, network, IPC and UTS namespaces; no capabilities";
}

struct Pipes {
    std::array<int, 2> out{-1, -1}, error{-1, -1}, ready{-1, -1}, go{-1, -1};
    Pipes()
    {
        for (auto* pipe : {&out, &error, &ready, &go}) {
            if (::pipe2(pipe->data(), O_CLOEXEC) != 0) {
                throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
            }
        }
    }
    Pipes(const Pipes&) = delete;
    Pipes& operator=(const Pipes&) = delete;
    ~Pipes()
    {
        for (auto* pipe : {&out, &error, &ready, &go}) {
            close_pair(*pipe);
        }
    }
    static void close_one(int& fd)
    {
        if (fd >= 0) {
            ::close(fd);
        }
        fd = -1;
    }
    static void close_pair(std::array<int, 2>& pipe)
    {
        close_one(pipe[0]);
        close_one(pipe[1]);
    }
};

// The empty folder the writable layer is mounted on, in the child's mount namespace
// only; removed afterwards.
class LayerDir {
public:
    LayerDir()
    {
        std::string pattern = (fs::temp_directory_path() / "cudagen-layer-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error(std::string("cannot create a temporary folder: ") + std::strerror(errno));
        }
        m_path = pattern;
    }
    LayerDir(const LayerDir&) = delete;
    LayerDir& operator=(const LayerDir&) = delete;
    ~LayerDir() { ::rmdir(m_path.c_str()); }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

// The parent's half of the start: maps the user namespace, then lets A go on.
void start_namespaces(pid_t pid, Pipes& pipes, RootfsRunResult& result)
{
    char sync = read_byte(pipes.ready[0]);
    if (sync != k_sync_user_namespace && sync != k_sync_no_user_namespace) {
        return;  // A failed before; its error is in the error pipe
    }
    int error = 0;
    std::string failed = sync == k_sync_user_namespace ? write_id_maps(pid, error) : std::string();
    write_all(pipes.go[1], std::string(1, failed.empty() ? k_sync_go : k_sync_stop));
    if (!failed.empty()) {
        result.permission_denied = result.user_namespace_refused = true;
        result.setup_error = failed;
        result.setup_errno = error;
    }
    result.isolation = describe_isolation(sync);
}

}  // namespace

RootfsRunResult run_in_rootfs(const fs::path& root, const MountPlan& plan, const RootfsCommand& command)
{
    Pipes pipes;
    LayerDir layer;
    fs::path canonical_root = fs::canonical(root);
    pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        ChildFds fds{pipes.out[1], pipes.error[1], pipes.ready[1], pipes.go[0]};
        namespace_main(canonical_root, layer.path(), plan, command, fds);
    }
    Pipes::close_one(pipes.out[1]);
    Pipes::close_one(pipes.error[1]);
    Pipes::close_one(pipes.ready[1]);
    Pipes::close_one(pipes.go[0]);
    RootfsRunResult result;
    start_namespaces(pid, pipes, result);
    std::string setup_error;
    if (!drain(pipes.out[0], pipes.error[0], result.out, setup_error, Clock::now() + command.timeout)) {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
        result.timed_out = true;
    }
    result.exit_code = wait_child(pid);
    result.ran = setup_error.empty() && result.setup_error.empty();
    if (!setup_error.empty()) {
        read_setup_error(setup_error, result);
    }
    return result;
}

}  // namespace cudagen
