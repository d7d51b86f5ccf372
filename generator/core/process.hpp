// Running external programs (docker, nvidia-smi, ...) behind a small interface:
// commands take a ProcessRunner&, so tests hand them a RecordingProcessRunner
// with scripted answers instead of starting real processes.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cudagen {

struct ProcessSpec {
    std::vector<std::string> argv;                                   // argv[0] without a '/' is looked up on PATH
    std::string cwd;                                                 // empty: our current folder
    std::vector<std::pair<std::string, std::string>> env_overrides;  // set on top of our environment
    std::string stdin_text;           // written to the child's stdin; empty: stdin is /dev/null
    bool stream = false;              // true: the child writes to our stdout/stderr; nothing is captured
    std::chrono::seconds timeout{0};  // 0: no limit; on expiry the child gets SIGKILL
};

// Exit codes as a shell reports them, so callers need no special cases.
inline constexpr int k_process_not_found = 127;
inline constexpr int k_process_not_executable = 126;
inline constexpr int k_process_signal_base = 128;  // killed by signal N: 128 + N

struct ProcessResult {
    int exit_code = 0;
    bool started = false;    // false: the program could not be started (err says why)
    bool timed_out = false;  // true: killed after spec.timeout (exit_code 128 + SIGKILL)
    std::string out;
    std::string err;
};

class ProcessRunner {
public:
    virtual ~ProcessRunner();
    virtual ProcessResult run(const ProcessSpec& spec) = 0;
    // The absolute path `name` resolves to on PATH (or `name` itself when it holds a '/').
    virtual std::optional<std::string> find_program(std::string_view name) const = 0;
};

// The real thing: posix_spawn, pipes drained with poll() so a child that writes a
// lot to both stdout and stderr never blocks on a full pipe.
class SystemProcessRunner final : public ProcessRunner {
public:
    ProcessResult run(const ProcessSpec& spec) override;
    std::optional<std::string> find_program(std::string_view name) const override;
};

// For tests: records every spec and answers from scripted results. A rule matches
// when its argv is a prefix of the spec's argv; the longest matching prefix wins,
// and among equal ones the rule added last. Unmatched specs answer like a missing
// program (127, started=false), so a test sees unplanned calls.
class RecordingProcessRunner final : public ProcessRunner {
public:
    void on(std::vector<std::string> argv_prefix, ProcessResult result);
    void add_program(std::string name, std::string path);

    ProcessResult run(const ProcessSpec& spec) override;
    std::optional<std::string> find_program(std::string_view name) const override;

    const std::vector<ProcessSpec>& calls() const { return m_calls; }

private:
    struct Rule {
        std::vector<std::string> prefix;
        ProcessResult result;
    };
    std::vector<Rule> m_rules;
    std::vector<ProcessSpec> m_calls;
    std::map<std::string, std::string, std::less<>> m_programs;
};

// The runner commands use when none is given (a SystemProcessRunner).
ProcessRunner& default_process_runner();

// What happened, for messages: "exit 3", "timed out after 10s", "could not start: ...".
std::string describe_outcome(const ProcessResult& result, const ProcessSpec& spec);

}  // namespace cudagen
