#include "core/process.hpp"

#include "core/unique_fd.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace cudagen {

ProcessRunner::~ProcessRunner() = default;

namespace {

using Clock = std::chrono::steady_clock;
// No deadline is the far future (std::optional here trips g++ 12's -Wmaybe-uninitialized).
constexpr Clock::time_point k_no_deadline = Clock::time_point::max();
constexpr std::string_view k_fallback_path = "/usr/local/bin:/usr/bin:/bin";
constexpr std::size_t k_read_chunk = 64 * 1024;

struct Pipe {
    UniqueFd read_end;
    UniqueFd write_end;
};

// O_CLOEXEC: the child keeps only the ends that posix_spawn dup2()s onto 0, 1, 2.
bool make_pipe(Pipe& pipe)
{
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
        return false;
    }
    pipe.read_end.reset(fds[0]);
    pipe.write_end.reset(fds[1]);
    return true;
}

// The PATH the child will see: an override wins over ours.
std::string child_path(const ProcessSpec& spec)
{
    for (const auto& [key, value] : spec.env_overrides) {
        if (key == "PATH") {
            return value;
        }
    }
    const char* value = std::getenv("PATH");
    return value ? value : std::string(k_fallback_path);
}

std::optional<std::string> search_path(std::string_view name, std::string_view path)
{
    if (name.empty()) {
        return std::nullopt;
    }
    if (name.find('/') != std::string_view::npos) {
        std::string candidate(name);
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        return std::nullopt;
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = std::min(path.find(':', start), path.size());
        std::string dir(path.substr(start, end - start));
        // An empty PATH entry means the current folder, as in execvp.
        std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + std::string(name);
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        start = end + 1;
    }
    return std::nullopt;
}

std::vector<std::string> child_environment(const ProcessSpec& spec)
{
    std::vector<std::string> env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string_view text(*entry);
        std::string_view key = text.substr(0, text.find('='));
        bool overridden = std::any_of(spec.env_overrides.begin(), spec.env_overrides.end(),
                                      [&](const auto& kv) { return kv.first == key; });
        if (!overridden) {
            env.emplace_back(text);
        }
    }
    for (const auto& [key, value] : spec.env_overrides) {
        env.push_back(key + "=" + value);
    }
    return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings)
{
    std::vector<char*> pointers;
    pointers.reserve(strings.size() + 1);
    for (std::string& s : strings) {
        pointers.push_back(s.data());
    }
    pointers.push_back(nullptr);
    return pointers;
}

// SIGPIPE is blocked in this thread while we feed the child's stdin: a child that
// exits early must give us EPIPE, not kill cudagen. The child gets our old mask.
class SigpipeBlock {
public:
    SigpipeBlock()
    {
        sigset_t block;
        sigemptyset(&block);
        sigaddset(&block, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &block, &m_old);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;
    ~SigpipeBlock()
    {
        sigset_t pipe_only;
        sigemptyset(&pipe_only);
        sigaddset(&pipe_only, SIGPIPE);
        const timespec no_wait{0, 0};
        while (sigtimedwait(&pipe_only, nullptr, &no_wait) == SIGPIPE) {
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    const sigset_t& old_mask() const { return m_old; }

private:
    sigset_t m_old{};
};

struct ChildPipes {
    Pipe in, out, err;
};

// posix_spawn's file actions and attributes, freed on scope exit.
class SpawnSetup {
public:
    SpawnSetup()
    {
        posix_spawn_file_actions_init(&m_actions);
        posix_spawnattr_init(&m_attr);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
    ~SpawnSetup()
    {
        posix_spawn_file_actions_destroy(&m_actions);
        posix_spawnattr_destroy(&m_attr);
    }

    void wire(const ProcessSpec& spec, const ChildPipes& pipes)
    {
        if (spec.stdin_text.empty()) {
            posix_spawn_file_actions_addopen(&m_actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        } else {
            posix_spawn_file_actions_adddup2(&m_actions, pipes.in.read_end.get(), STDIN_FILENO);
        }
        if (!spec.stream) {
            posix_spawn_file_actions_adddup2(&m_actions, pipes.out.write_end.get(), STDOUT_FILENO);
            posix_spawn_file_actions_adddup2(&m_actions, pipes.err.write_end.get(), STDERR_FILENO);
        }
        if (!spec.cwd.empty()) {
            posix_spawn_file_actions_addchdir_np(&m_actions, spec.cwd.c_str());
        }
    }

    // Default SIGPIPE in the child even if our process ignores it (ignored signals
    // survive exec), and the signal mask we had before blocking SIGPIPE.
    void signals(const sigset_t& child_mask)
    {
        sigset_t defaults;
        sigemptyset(&defaults);
        sigaddset(&defaults, SIGPIPE);
        posix_spawnattr_setsigdefault(&m_attr, &defaults);
        posix_spawnattr_setsigmask(&m_attr, &child_mask);
        posix_spawnattr_setflags(&m_attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    }

    const posix_spawn_file_actions_t* actions() const { return &m_actions; }
    const posix_spawnattr_t* attr() const { return &m_attr; }

private:
    posix_spawn_file_actions_t m_actions{};
    posix_spawnattr_t m_attr{};
};

ProcessResult not_started(int exit_code, std::string message)
{
    ProcessResult result;
    result.exit_code = exit_code;
    result.started = false;
    result.err = std::move(message);
    return result;
}

int decode_status(int status)
{
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return k_process_signal_base + WTERMSIG(status);
    }
    return k_process_signal_base;
}

int milliseconds_left(Clock::time_point deadline)
{
    if (deadline == k_no_deadline) {
        return -1;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

// Moves data between us and the child until its pipes close or the deadline passes.
// Returns false on timeout.
class PipePump {
public:
    PipePump(ChildPipes& pipes, const std::string& input, ProcessResult& result)
        : m_pipes(pipes), m_input(input), m_result(result)
    {
        if (m_pipes.in.write_end.is_open()) {
            ::fcntl(m_pipes.in.write_end.get(), F_SETFL, O_NONBLOCK);
        }
    }

    bool run(Clock::time_point deadline)
    {
        while (m_pipes.in.write_end.is_open() || m_pipes.out.read_end.is_open() || m_pipes.err.read_end.is_open()) {
            std::array<pollfd, 3> fds{{{m_pipes.out.read_end.get(), POLLIN, 0},
                                       {m_pipes.err.read_end.get(), POLLIN, 0},
                                       {m_pipes.in.write_end.get(), POLLOUT, 0}}};
            int ready = ::poll(fds.data(), fds.size(), milliseconds_left(deadline));
            if (ready < 0 && errno == EINTR) {
                continue;
            }
            if (ready < 0) {
                return true;
            }
            if (ready == 0 && Clock::now() >= deadline) {
                return false;
            }
            if (fds[0].revents != 0) {
                drain(m_pipes.out.read_end, m_result.out);
            }
            if (fds[1].revents != 0) {
                drain(m_pipes.err.read_end, m_result.err);
            }
            if (fds[2].revents != 0) {
                feed();
            }
        }
        return true;
    }

private:
    static void drain(UniqueFd& fd, std::string& sink)
    {
        std::array<char, k_read_chunk> buffer{};
        ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n > 0) {
            sink.append(buffer.data(), static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            fd.close_now();
        }
    }

    void feed()
    {
        std::string_view rest = std::string_view(m_input).substr(m_written);
        ssize_t n = ::write(m_pipes.in.write_end.get(), rest.data(), rest.size());
        if (n > 0) {
            m_written += static_cast<std::size_t>(n);
        }
        bool retry = n < 0 && (errno == EAGAIN || errno == EINTR);
        if (m_written == m_input.size() || (n < 0 && !retry)) {
            m_pipes.in.write_end.close_now();
        }
    }

    ChildPipes& m_pipes;
    const std::string& m_input;
    ProcessResult& m_result;
    std::size_t m_written = 0;
};

// Blocks until the child ends; past the deadline it is killed.
int wait_for(pid_t pid, Clock::time_point deadline, bool& timed_out)
{
    int status = 0;
    while (true) {
        bool polling = deadline != k_no_deadline;
        pid_t done = ::waitpid(pid, &status, polling ? WNOHANG : 0);
        if (done == pid) {
            return decode_status(status);
        }
        if (done < 0 && errno != EINTR) {
            return k_process_signal_base;
        }
        if (polling && Clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            timed_out = true;
            deadline = k_no_deadline;  // now wait for the kill to land
        }
        if (polling) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
}

bool open_pipes(const ProcessSpec& spec, ChildPipes& pipes)
{
    if (!spec.stdin_text.empty() && !make_pipe(pipes.in)) {
        return false;
    }
    if (!spec.stream && (!make_pipe(pipes.out) || !make_pipe(pipes.err))) {
        return false;
    }
    return true;
}

}  // namespace

std::optional<std::string> SystemProcessRunner::find_program(std::string_view name) const
{
    return search_path(name, child_path(ProcessSpec{}));
}

ProcessResult SystemProcessRunner::run(const ProcessSpec& spec)
{
    if (spec.argv.empty()) {
        return not_started(k_process_not_found, "empty command line");
    }
    std::optional<std::string> program = search_path(spec.argv.front(), child_path(spec));
    if (!program) {
        return not_started(k_process_not_found, spec.argv.front() + ": command not found");
    }

    ChildPipes pipes;
    if (!open_pipes(spec, pipes)) {
        return not_started(k_process_not_executable, std::string("pipe: ") + std::strerror(errno));
    }
    SigpipeBlock sigpipe_block;
    SpawnSetup setup;
    setup.wire(spec, pipes);
    setup.signals(sigpipe_block.old_mask());

    std::vector<std::string> argv_strings = spec.argv;
    std::vector<std::string> env_strings = child_environment(spec);
    std::vector<char*> argv = c_strings(argv_strings);
    std::vector<char*> envp = c_strings(env_strings);
    pid_t pid = 0;
    int spawn_error = ::posix_spawn(&pid, program->c_str(), setup.actions(), setup.attr(), argv.data(), envp.data());
    if (spawn_error != 0) {
        int code = spawn_error == ENOENT ? k_process_not_found : k_process_not_executable;
        return not_started(code, spec.argv.front() + ": " + std::strerror(spawn_error));
    }
    // Our copies of the child's ends must close, or we never see EOF.
    pipes.in.read_end.close_now();
    pipes.out.write_end.close_now();
    pipes.err.write_end.close_now();

    ProcessResult result;
    result.started = true;
    Clock::time_point deadline = spec.timeout.count() > 0 ? Clock::now() + spec.timeout : k_no_deadline;
    if (!PipePump(pipes, spec.stdin_text, result).run(deadline)) {
        ::kill(pid, SIGKILL);
        result.timed_out = true;
        deadline = k_no_deadline;
    }
    result.exit_code = wait_for(pid, deadline, result.timed_out);
    return result;
}

void RecordingProcessRunner::on(std::vector<std::string> argv_prefix, ProcessResult result)
{
    m_rules.push_back({std::move(argv_prefix), std::move(result)});
}

void RecordingProcessRunner::add_program(std::string name, std::string path)
{
    m_programs[std::move(name)] = std::move(path);
}

ProcessResult RecordingProcessRunner::run(const ProcessSpec& spec)
{
    m_calls.push_back(spec);
    const Rule* best = nullptr;
    for (const Rule& rule : m_rules) {
        bool matches = rule.prefix.size() <= spec.argv.size() &&
                       std::equal(rule.prefix.begin(), rule.prefix.end(), spec.argv.begin());
        if (matches && (best == nullptr || rule.prefix.size() >= best->prefix.size())) {
            best = &rule;
        }
    }
    if (best != nullptr) {
        return best->result;
    }
    std::string program = spec.argv.empty() ? std::string("(empty command line)") : spec.argv.front();
    return not_started(k_process_not_found, program + ": not scripted in RecordingProcessRunner");
}

std::optional<std::string> RecordingProcessRunner::find_program(std::string_view name) const
{
    auto found = m_programs.find(name);
    if (found == m_programs.end()) {
        return std::nullopt;
    }
    return found->second;
}

ProcessRunner& default_process_runner()
{
    static SystemProcessRunner runner;
    return runner;
}

std::string describe_outcome(const ProcessResult& result, const ProcessSpec& spec)
{
    if (!result.started) {
        return "could not start: " + result.err;
    }
    if (result.timed_out) {
        return "timed out after " + std::to_string(spec.timeout.count()) + "s";
    }
    return "exit " + std::to_string(result.exit_code);
}

}  // namespace cudagen
