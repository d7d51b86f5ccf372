#include "core/process.hpp"

#include <gtest/gtest.h>

#include <csignal>

namespace cudagen {
namespace {

ProcessSpec shell(std::string script)
{
    ProcessSpec spec;
    spec.argv = {"sh", "-c", std::move(script)};
    return spec;
}

TEST(SystemProcessRunner, CapturesStdoutStderrAndExitCode)
{
    SystemProcessRunner runner;
    ProcessResult result = runner.run(shell("echo hi; echo err >&2; exit 3"));
    EXPECT_TRUE(result.started);
    EXPECT_FALSE(result.timed_out);
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_EQ(result.out, "hi\n");
    EXPECT_EQ(result.err, "err\n");
}

// 4 MiB on each stream is far past a pipe's 64 KiB buffer: reading only one
// stream at a time would deadlock.
TEST(SystemProcessRunner, DrainsLargeOutputOnBothStreams)
{
    SystemProcessRunner runner;
    ProcessResult result = runner.run(shell("head -c 4194304 /dev/zero; head -c 4194304 /dev/zero >&2"));
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out.size(), 4194304u);
    EXPECT_EQ(result.err.size(), 4194304u);
}

TEST(SystemProcessRunner, MissingProgramIsNotStartedWith127)
{
    SystemProcessRunner runner;
    ProcessSpec spec;
    spec.argv = {"cudagen-no-such-program-xyz", "--version"};
    ProcessResult result = runner.run(spec);
    EXPECT_FALSE(result.started);
    EXPECT_EQ(result.exit_code, 127);
    EXPECT_EQ(result.err, "cudagen-no-such-program-xyz: command not found");
}

TEST(SystemProcessRunner, MissingAbsolutePathIsNotStarted)
{
    SystemProcessRunner runner;
    ProcessSpec spec;
    spec.argv = {"/nonexistent/bin/tool"};
    ProcessResult result = runner.run(spec);
    EXPECT_FALSE(result.started);
    EXPECT_EQ(result.exit_code, 127);
}

TEST(SystemProcessRunner, SignalBecomes128PlusSignalNumber)
{
    SystemProcessRunner runner;
    ProcessResult result = runner.run(shell("kill -TERM $$"));
    EXPECT_TRUE(result.started);
    EXPECT_EQ(result.exit_code, 128 + SIGTERM);
}

TEST(SystemProcessRunner, FeedsStdinText)
{
    SystemProcessRunner runner;
    ProcessSpec spec = shell("tr a-z A-Z");
    spec.stdin_text = "hello\n";
    EXPECT_EQ(runner.run(spec).out, "HELLO\n");
}

TEST(SystemProcessRunner, LargeStdinToAChildThatReadsNothingDoesNotKillUs)
{
    SystemProcessRunner runner;
    ProcessSpec spec = shell("exit 0");
    spec.stdin_text.assign(1 << 20, 'x');  // EPIPE once the child is gone, never SIGPIPE
    ProcessResult result = runner.run(spec);
    EXPECT_EQ(result.exit_code, 0);
}

TEST(SystemProcessRunner, StdinIsDevNullWithoutStdinText)
{
    SystemProcessRunner runner;
    ProcessResult result = runner.run(shell("cat; echo done"));
    EXPECT_EQ(result.out, "done\n");
}

TEST(SystemProcessRunner, AppliesWorkingDirectoryAndEnvironmentOverrides)
{
    SystemProcessRunner runner;
    ProcessSpec spec = shell("pwd; echo \"$CUDAGEN_TEST_VALUE\"");
    spec.cwd = "/tmp";
    spec.env_overrides = {{"CUDAGEN_TEST_VALUE", "forty-two"}};
    EXPECT_EQ(runner.run(spec).out, "/tmp\nforty-two\n");
}

TEST(SystemProcessRunner, KillsAChildThatOutlivesItsTimeout)
{
    SystemProcessRunner runner;
    ProcessSpec spec = shell("echo started; exec sleep 30");
    spec.timeout = std::chrono::seconds(1);
    auto start = std::chrono::steady_clock::now();
    ProcessResult result = runner.run(spec);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    EXPECT_TRUE(result.timed_out);
    EXPECT_EQ(result.exit_code, 128 + SIGKILL);
    EXPECT_EQ(result.out, "started\n");
    EXPECT_EQ(describe_outcome(result, spec), "timed out after 1s");
}

TEST(SystemProcessRunner, StreamModeCapturesNothing)
{
    SystemProcessRunner runner;
    ProcessSpec spec = shell("exit 5");
    spec.stream = true;
    ProcessResult result = runner.run(spec);
    EXPECT_EQ(result.exit_code, 5);
    EXPECT_TRUE(result.out.empty());
}

TEST(SystemProcessRunner, FindsProgramsOnPath)
{
    SystemProcessRunner runner;
    std::optional<std::string> sh = runner.find_program("sh");
    ASSERT_TRUE(sh.has_value());
    EXPECT_EQ(sh->front(), '/');
    EXPECT_FALSE(runner.find_program("cudagen-no-such-program-xyz").has_value());
}

TEST(RecordingProcessRunner, RecordsSpecsAndAnswersByLongestPrefix)
{
    RecordingProcessRunner runner;
    runner.on({"docker"}, ProcessResult{1, true, false, "", "generic"});
    runner.on({"docker", "run"}, ProcessResult{0, true, false, "{}", ""});
    ProcessSpec spec;
    spec.argv = {"docker", "run", "--rm", "image"};
    spec.timeout = std::chrono::seconds(5);
    ProcessResult result = runner.run(spec);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out, "{}");
    ASSERT_EQ(runner.calls().size(), 1u);
    EXPECT_EQ(runner.calls()[0].argv, spec.argv);
    EXPECT_EQ(runner.calls()[0].timeout, std::chrono::seconds(5));

    spec.argv = {"docker", "info"};
    EXPECT_EQ(runner.run(spec).err, "generic");
}

TEST(RecordingProcessRunner, LaterRuleOfTheSameLengthWins)
{
    RecordingProcessRunner runner;
    runner.on({"docker"}, ProcessResult{1, true, false, "", ""});
    runner.on({"docker"}, ProcessResult{2, true, false, "", ""});
    ProcessSpec spec;
    spec.argv = {"docker", "version"};
    EXPECT_EQ(runner.run(spec).exit_code, 2);
}

TEST(RecordingProcessRunner, UnscriptedCallLooksLikeAMissingProgram)
{
    RecordingProcessRunner runner;
    ProcessSpec spec;
    spec.argv = {"nvidia-smi"};
    ProcessResult result = runner.run(spec);
    EXPECT_FALSE(result.started);
    EXPECT_EQ(result.exit_code, 127);
    EXPECT_EQ(result.err, "nvidia-smi: not scripted in RecordingProcessRunner");
    EXPECT_EQ(runner.calls().size(), 1u);
}

TEST(RecordingProcessRunner, FindsOnlyAddedPrograms)
{
    RecordingProcessRunner runner;
    runner.add_program("docker", "/usr/bin/docker");
    EXPECT_EQ(runner.find_program("docker"), std::optional<std::string>("/usr/bin/docker"));
    EXPECT_FALSE(runner.find_program("podman").has_value());
}

}  // namespace
}  // namespace cudagen
