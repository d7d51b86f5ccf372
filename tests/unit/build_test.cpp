#include "build/build.hpp"
#include "build/bake.hpp"
#include "build/docker_env.hpp"
#include "build/gpu_probe.hpp"
#include "core/diagnostic.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace cudagen {
namespace {

using Argv = std::vector<std::string>;

ProcessResult finished(int exit_code, std::string out = {}, std::string err = {})
{
    return ProcessResult{exit_code, true, false, std::move(out), std::move(err)};
}

const std::string k_inspect_docker =
    "Name:          default\nDriver:        docker\n"
    "Last Activity: 2026-11-23 23:01:18 +0000 UTC\n\nNodes:\nName:      default\n";
const std::string k_inspect_container = "Name:   farm\nDriver: docker-container\n\nNodes:\nName: farm0\n";
const std::string k_print_two = R"({"group": {"default": {"targets": ["svc", "cpp"]}},
  "target": {"svc": {"tags": ["service-lite:13.0.2", "svc:latest"]}, "cpp": {"tags": ["cuda-cpp:13.0.2"]},
             "untagged": {"context": "."}}})";

// A host where docker, buildx, the daemon and the default (docker driver) builder all work.
class BuildHostFixture : public ::testing::Test {
protected:
    BuildHostFixture()
    {
        runner.add_program("docker", "/usr/bin/docker");
        runner.on({"docker", "buildx", "version"}, finished(0, "github.com/docker/buildx 0.13.1\n"));
        runner.on({"docker", "info", "--format", "{{.ServerVersion}}"}, finished(0, "20.10.24\n"));
        runner.on({"docker", "info", "--format", "{{json .Runtimes}}"}, finished(0, R"({"runc":{"path":"runc"}})"));
        runner.on({"docker", "buildx", "inspect"}, finished(0, k_inspect_docker));
        runner.on({"docker", "buildx", "bake"}, finished(0));
        runner.on({"docker", "buildx", "bake", "--file", "docker-bake.hcl", "--set", "*.cache-from=", "--set",
                   "*.cache-to=", "--print"},
                  finished(0, k_print_two));
        request.folder = "/srv/out";
    }

    int build()
    {
        BuildHost host{runner, [this](const std::string& path) { return paths.count(path) != 0; }, out, err, problems};
        return run_build(request, host);
    }

    // The calls whose argv starts with `prefix`.
    std::vector<ProcessSpec> calls_to(const Argv& prefix) const
    {
        std::vector<ProcessSpec> found;
        for (const auto& call : runner.calls()) {
            if (call.argv.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), call.argv.begin())) {
                found.push_back(call);
            }
        }
        return found;
    }

    // The bake call that builds (the one without --print).
    ProcessSpec bake_call() const
    {
        for (const auto& call : calls_to({"docker", "buildx", "bake"})) {
            if (call.argv.back() != "--print")
                return call;
        }
        ADD_FAILURE() << "no bake call";
        return {};
    }

    RecordingProcessRunner runner;
    std::set<std::string> paths;
    BuildRequest request;
    std::ostringstream out;
    std::ostringstream err;
    Diagnostics problems;
};

TEST(BakeArgv, DockerDriverClearsTheCacheExportAndLoads)
{
    BakeOptions options;
    EXPECT_EQ(bake_argv(options, {"default", "docker"}),
              (Argv{"docker", "buildx", "bake", "--file", "docker-bake.hcl", "--set", "*.cache-from=", "--set",
                    "*.cache-to=", "--load"}));
}

TEST(BakeArgv, ContainerDriverKeepsTheCacheAndTakesPlatformBuilderAndExtraArgsLast)
{
    BakeOptions options;
    options.builder = "farm";
    options.platform = "linux/amd64,linux/arm64";
    options.output = BakeOutput::push;
    options.plain_progress = true;
    options.extra_args = {"--no-cache", "--set", "*.args.X=1"};
    EXPECT_EQ(bake_argv(options, {"farm", "docker-container"}),
              (Argv{"docker", "buildx", "bake", "--builder", "farm", "--file", "docker-bake.hcl", "--set",
                    "*.platform=linux/amd64,linux/arm64", "--progress", "plain", "--push", "--no-cache", "--set",
                    "*.args.X=1"}));
}

TEST(BakeArgv, PrintSeesTheSameOverridesButBuildsNothing)
{
    BakeOptions options;
    options.platform = "linux/arm64";
    options.extra_args = {"--set", "*.tags=x:1"};
    EXPECT_EQ(bake_print_argv(options, {"default", "docker"}),
              (Argv{"docker", "buildx", "bake", "--file", "docker-bake.hcl", "--set", "*.platform=linux/arm64", "--set",
                    "*.cache-from=", "--set", "*.cache-to=", "--set", "*.tags=x:1", "--print"}));
}

TEST(BakePrint, ListsTheFirstTagOfEachTaggedTargetInNameOrder)
{
    auto images = images_from_bake_print(k_print_two);
    ASSERT_TRUE(images);
    ASSERT_EQ(images->size(), 2U);
    EXPECT_EQ((*images)[0].target, "cpp");
    EXPECT_EQ((*images)[0].tag, "cuda-cpp:13.0.2");
    EXPECT_EQ((*images)[1].tag, "service-lite:13.0.2");
    EXPECT_FALSE(images_from_bake_print("#1 [internal] load local bake definitions"));
}

TEST(BuildxInspect, ReadsTheBuilderNotTheNodeName)
{
    BuilderInfo info = parse_buildx_inspect(k_inspect_container);
    EXPECT_EQ(info.name, "farm");
    EXPECT_EQ(info.driver, "docker-container");
}

TEST_F(BuildHostFixture, BuildsInTheFolderStreamingTheProgressThenSkipsVerificationWithoutAGpu)
{
    EXPECT_EQ(build(), k_exit_ok);
    ProcessSpec bake = bake_call();
    EXPECT_EQ(bake.cwd, "/srv/out");
    EXPECT_TRUE(bake.stream);
    EXPECT_EQ(bake.argv.back(), "--load");
    EXPECT_EQ(out.str().find("cudagen: built cuda-cpp:13.0.2 service-lite:13.0.2\n") != std::string::npos, true)
        << out.str();
    EXPECT_NE(out.str().find("cudagen: verification skipped: no NVIDIA GPU runtime on this host"), std::string::npos)
        << out.str();
    EXPECT_TRUE(calls_to({"docker", "run"}).empty());
}

TEST_F(BuildHostFixture, VerifiesEachImageWhenDockerHasTheNvidiaRuntime)
{
    runner.on({"docker", "info", "--format", "{{json .Runtimes}}"}, finished(0, R"({"nvidia":{},"runc":{}})"));
    runner.on({"docker", "run"},
              finished(0, R"({"ok": true, "exit_code": 0, "diagnosis": "the GPU works", "devices": []})"));
    EXPECT_EQ(build(), k_exit_ok) << err.str();
    auto runs = calls_to({"docker", "run"});
    ASSERT_EQ(runs.size(), 2U);
    EXPECT_EQ(runs[0].argv, (Argv{"docker", "run", "--rm", "--gpus", "all", "--entrypoint",
                                  "/opt/cudagen/bin/cudagen-verify", "cuda-cpp:13.0.2", "--json"}));
}

TEST_F(BuildHostFixture, AFailedVerdictIsTheExitCode)
{
    paths.insert("/etc/cdi/nvidia.yaml");
    runner.on({"docker", "run"},
              finished(12, R"({"ok": false, "exit_code": 12, "diagnosis": "kernel failed", "devices": []})"));
    EXPECT_EQ(build(), 12);
    EXPECT_EQ(calls_to({"docker", "run"}).front().argv[3], "--device");
    ASSERT_EQ(problems.items().size(), 2u);  // one per image, named
    EXPECT_EQ(problems.items().front().code, "build/verdict-no-device");
    EXPECT_EQ(problems.items().front().message, "cuda-cpp:13.0.2: kernel failed");
}

TEST_F(BuildHostFixture, GpuWithoutContainerToolkitSkipsWithTheFix)
{
    paths.insert("/dev/nvidia0");
    EXPECT_EQ(build(), k_exit_ok);
    EXPECT_NE(out.str().find("verification skipped: this host has a GPU (/dev/nvidia0) but Docker cannot attach it"),
              std::string::npos)
        << out.str();
}

TEST_F(BuildHostFixture, NoVerifySaysSo)
{
    request.verify = false;
    EXPECT_EQ(build(), k_exit_ok);
    EXPECT_NE(out.str().find("cudagen: verification skipped: --no-verify\n"), std::string::npos);
    EXPECT_TRUE(calls_to({"docker", "info", "--format", "{{json .Runtimes}}"}).empty());
}

TEST(BuildEnvironment, MissingDockerNamesTheInstallCommand)
{
    RecordingProcessRunner runner;  // knows no programs: `docker` is not on PATH
    std::ostringstream out;
    std::ostringstream err;
    Diagnostics problems;
    BuildHost host{runner, [](const std::string&) { return false; }, out, err, problems};
    BuildRequest request;
    EXPECT_EQ(run_build(request, host), k_exit_build_environment);
    EXPECT_EQ(err.str(),
              "cudagen: error: docker is not installed (no 'docker' on PATH) [build/build-environment]\n"
              "  fix: apt-get install docker.io (Debian/Ubuntu), or in a cudagen checkout: "
              "scripts/setup_docker.sh\n");
    ASSERT_EQ(problems.items().size(), 1u);  // the same problem, for the JSON report
    EXPECT_EQ(format_diagnostic(problems.items().front()), err.str());
    EXPECT_TRUE(runner.calls().empty());
}

TEST_F(BuildHostFixture, MissingBuildxNamesThePackage)
{
    runner.on({"docker", "buildx", "version"},
              finished(1, "", "docker: 'buildx' is not a docker command.\nSee 'docker --help'\n"));
    EXPECT_EQ(build(), k_exit_build_environment);
    EXPECT_EQ(err.str(),
              "cudagen: error: docker buildx is not installed (docker: 'buildx' is not a docker command.) "
              "[build/build-environment]\n"
              "  fix: apt-get install docker-buildx (Debian 13, Ubuntu 24.04), or in a cudagen checkout: "
              "scripts/setup_docker.sh (installs the Debian 13 package on Debian 12)\n");
    EXPECT_TRUE(calls_to({"docker", "buildx", "bake"}).empty());
}

TEST_F(BuildHostFixture, DaemonDownSaysHowToStartIt)
{
    runner.on(
        {"docker", "info", "--format", "{{.ServerVersion}}"},
        finished(
            1, "\n",
            "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"));
    EXPECT_EQ(build(), k_exit_build_environment);
    EXPECT_EQ(err.str(),
              "cudagen: error: the Docker daemon is not reachable (Cannot connect to the Docker daemon at "
              "unix:///var/run/docker.sock. Is the docker daemon running?) [build/build-environment]\n"
              "  fix: start it: systemctl start docker (or: dockerd &, or scripts/setup_docker.sh); "
              "check DOCKER_HOST and `docker context ls`\n");
}

TEST_F(BuildHostFixture, UnknownBuilderSaysHowToCreateIt)
{
    request.bake.builder = "farm";
    runner.on({"docker", "buildx", "inspect", "farm"}, finished(1, "", "ERROR: no builder \"farm\" found\n"));
    EXPECT_EQ(build(), k_exit_build_environment);
    EXPECT_EQ(
        err.str(),
        "cudagen: error: buildx builder 'farm' does not exist (no builder \"farm\" found) [build/build-environment]\n"
        "  fix: docker buildx create --name farm --driver docker-container --bootstrap (see "
        "docs/build.md for remote and multi-node builders; list them: docker buildx ls)\n");
}

TEST_F(BuildHostFixture, PushThroughARemoteBuilderNeedsNoLocalDaemonAndSkipsVerification)
{
    request.bake.builder = "farm";
    request.bake.output = BakeOutput::push;
    runner.on({"docker", "info", "--format", "{{.ServerVersion}}"}, finished(1, "", "Cannot connect\n"));
    runner.on({"docker", "buildx", "inspect", "farm"}, finished(0, k_inspect_container));
    runner.on({"docker", "buildx", "bake", "--builder", "farm", "--file", "docker-bake.hcl", "--print"},
              finished(0, k_print_two));
    EXPECT_EQ(build(), k_exit_ok) << err.str();
    EXPECT_EQ(bake_call().argv,
              (Argv{"docker", "buildx", "bake", "--builder", "farm", "--file", "docker-bake.hcl", "--push"}));
    EXPECT_NE(out.str().find("verification skipped: the images were pushed, not loaded"), std::string::npos);
}

TEST_F(BuildHostFixture, MultiPlatformOnTheDockerDriverIsRefusedBeforeBuilding)
{
    request.bake.platform = "linux/amd64,linux/arm64";
    EXPECT_EQ(build(), k_exit_usage);
    EXPECT_NE(err.str().find("uses the docker driver, which cannot build several platforms"), std::string::npos);
    EXPECT_TRUE(calls_to({"docker", "buildx", "bake"}).empty());
}

TEST_F(BuildHostFixture, FailedBakeIsExitFourWithAPointerToTheLog)
{
    runner.on({"docker", "buildx", "bake", "--file", "docker-bake.hcl", "--set", "*.cache-from=", "--set",
               "*.cache-to=", "--load"},
              finished(1));
    EXPECT_EQ(build(), k_exit_build_failed);
    EXPECT_EQ(err.str(),
              "cudagen: error: docker buildx bake failed (exit 1) [build/build-failed]\n"
              "  fix: the BuildKit log above names the failing step; rerun with -- --progress plain for "
              "the full output\n");
    EXPECT_TRUE(calls_to({"docker", "run"}).empty());
}

}  // namespace
}  // namespace cudagen
