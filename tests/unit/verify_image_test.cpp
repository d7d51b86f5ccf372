#include "verify/verify_image.hpp"

#include <gtest/gtest.h>

namespace cudagen {
namespace {

const std::vector<std::string> k_docker_run = {"docker", "run"};

ProcessResult finished(int exit_code, std::string out, std::string err = {})
{
    return ProcessResult{exit_code, true, false, std::move(out), std::move(err)};
}

// docker ran but wrote only to stderr, as it does when it cannot start the container.
ProcessResult docker_error(int exit_code, std::string err)
{
    return finished(exit_code, "", std::move(err));
}

VerifyImageOptions image_options()
{
    VerifyImageOptions options;
    options.image = "acme/app:1";
    return options;
}

VerifyVerdict verify_with(const ProcessResult& docker_answer, VerifyImageOptions options = image_options())
{
    RecordingProcessRunner runner;
    runner.on(k_docker_run, docker_answer);
    return verify_image(options, runner);
}

// What cudagen-verify prints on a host without a driver (shortened).
const std::string k_no_driver_json =
    R"({"ok": false, "exit_code": 10, "diagnosis": "libcuda.so.1 cannot be loaded", )"
    R"("fix": "start the container with --gpus all", "driver_version": null, "devices": []})";

const std::string k_ok_json =
    R"({"ok": true, "exit_code": 0, "diagnosis": "the GPU works in this container", "fix": "", )"
    R"("driver_version": "13.0", "driver_release": "580.95.05", "runtime_version": "13.0", )"
    R"("devices": [{"index": 0, "name": "NVIDIA H100 80GB HBM3", "arch": "sm_90", "kernel_source": "sass", )"
    R"("saxpy_ok": true, "d2d_gbps": 2893.4}]})";

TEST(VerifyImageArgv, DefaultsToGpusAll)
{
    EXPECT_EQ(verify_image_argv(image_options()),
              (std::vector<std::string>{"docker", "run", "--rm", "--gpus", "all", "--entrypoint",
                                        "/opt/cudagen/bin/cudagen-verify", "acme/app:1", "--json"}));
}

TEST(VerifyImageArgv, CdiReplacesGpusAndRuntimeArgsGoBeforeTheImage)
{
    VerifyImageOptions options = image_options();
    options.access = GpuAccess::cdi;
    options.gpus = "device=1";  // ignored with CDI
    options.runtime_args = {"--shm-size=1g", "--ipc=host"};
    EXPECT_EQ(verify_image_argv(options),
              (std::vector<std::string>{"docker", "run", "--rm", "--device", "nvidia.com/gpu=all", "--shm-size=1g",
                                        "--ipc=host", "--entrypoint", "/opt/cudagen/bin/cudagen-verify", "acme/app:1",
                                        "--json"}));
}

TEST(VerifyImageArgv, NoGpuAttachesNothing)
{
    VerifyImageOptions options = image_options();
    options.access = GpuAccess::none;
    EXPECT_EQ(verify_image_argv(options),
              (std::vector<std::string>{"docker", "run", "--rm", "--entrypoint", "/opt/cudagen/bin/cudagen-verify",
                                        "acme/app:1", "--json"}));
}

TEST(VerifyImageArgv, PassesTheGpuSpecThrough)
{
    VerifyImageOptions options = image_options();
    options.gpus = "\"device=0,1\"";
    std::vector<std::string> argv = verify_image_argv(options);
    ASSERT_GE(argv.size(), 5u);
    EXPECT_EQ(argv[3], "--gpus");
    EXPECT_EQ(argv[4], "\"device=0,1\"");
}

TEST(VerifyImage, RunsOneDockerCommandWithTheTimeout)
{
    RecordingProcessRunner runner;
    runner.on(k_docker_run, finished(0, k_ok_json));
    VerifyImageOptions options = image_options();
    options.timeout = std::chrono::seconds(42);
    verify_image(options, runner);
    ASSERT_EQ(runner.calls().size(), 1u);
    EXPECT_EQ(runner.calls()[0].argv, verify_image_argv(options));
    EXPECT_EQ(runner.calls()[0].timeout, std::chrono::seconds(42));
    EXPECT_FALSE(runner.calls()[0].stream);
}

TEST(VerifyImage, PassesTheImagesVerdictThrough)
{
    VerifyVerdict verdict = verify_with(finished(0, k_ok_json + "\n"));
    EXPECT_TRUE(verdict.from_image);
    EXPECT_EQ(verdict.exit_code, 0);
    EXPECT_EQ(verdict.raw, k_ok_json);
    EXPECT_EQ(format_verdict(verdict, "acme/app:1"),
              "cudagen verify acme/app:1: OK (exit 0)\n"
              "  driver: CUDA 13.0 (580.95.05), runtime: CUDA 13.0\n"
              "  GPU 0: NVIDIA H100 80GB HBM3, sm_90, kernel from sass, saxpy ok, device-to-device 2893 GB/s\n"
              "  result: the GPU works in this container\n");
}

TEST(VerifyImage, NoDriverVerdictFromTheImageKeepsExit10)
{
    VerifyVerdict verdict = verify_with(finished(10, k_no_driver_json));
    EXPECT_TRUE(verdict.from_image);
    EXPECT_EQ(verdict.exit_code, 10);
    EXPECT_EQ(format_verdict(verdict, "acme/app:1"),
              "cudagen verify acme/app:1: FAILED (exit 10)\n"
              "cudagen: error: libcuda.so.1 cannot be loaded [verify/verdict-no-driver]\n"
              "  fix: start the container with --gpus all\n");
}

TEST(VerifyImage, VerdictExitCodeWinsOverDockersExitCode)
{
    EXPECT_EQ(verify_with(finished(0, k_no_driver_json)).exit_code, 10);
}

TEST(VerifyImage, FindsTheVerdictAfterOtherOutput)
{
    VerifyVerdict verdict = verify_with(finished(10, "== entrypoint banner ==\n" + k_no_driver_json + "\n"));
    EXPECT_TRUE(verdict.from_image);
    EXPECT_EQ(verdict.exit_code, 10);
    EXPECT_EQ(verdict.raw, k_no_driver_json);
}

TEST(VerifyImage, MissingDockerIsExit20WithAnInstallHint)
{
    RecordingProcessRunner runner;  // nothing scripted: docker is not there
    VerifyVerdict verdict = verify_image(image_options(), runner);
    EXPECT_FALSE(verdict.from_image);
    EXPECT_EQ(verdict.exit_code, k_exit_docker_missing);
    EXPECT_EQ(verdict.diagnosis, "no 'docker' command on PATH (docker: not scripted in RecordingProcessRunner)");
    EXPECT_EQ(verdict.fix,
              "install Docker (Debian/Ubuntu: `apt-get install docker.io`; elsewhere "
              "https://docs.docker.com/engine/install/)");
    EXPECT_EQ(verdict.json["exit_code"], 20);
    EXPECT_EQ(verdict.json["ok"], false);
}

TEST(VerifyImage, NoGpuRuntimeIsExit10NamingTheContainerToolkit)
{
    VerifyVerdict verdict = verify_with(docker_error(
        125,
        "docker: Error response from daemon: could not select device driver \"\" with capabilities: [[gpu]]\n\n"
        "Run 'docker run --help' for more information\n"));
    EXPECT_FALSE(verdict.from_image);
    EXPECT_EQ(verdict.exit_code, 10);
    EXPECT_EQ(verdict.diagnosis,
              "docker cannot attach a GPU: this host has no NVIDIA Container Toolkit (docker knows no device driver "
              "for --gpus) (docker: could not select device driver \"\" with capabilities: [[gpu]])");
    EXPECT_EQ(verdict.fix,
              "on a GPU host install the NVIDIA Container Toolkit, run `nvidia-ctk runtime configure "
              "--runtime=docker` and restart dockerd; a host without an NVIDIA GPU cannot run this check");
    EXPECT_EQ(verdict.json["docker_exit_code"], 125);
}

TEST(VerifyImage, CdiOnAnEngineWithoutCdiIsExit10)
{
    VerifyImageOptions options = image_options();
    options.access = GpuAccess::cdi;
    VerifyVerdict verdict = verify_with(
        docker_error(
            125, "docker: Error response from daemon: could not select device driver \"cdi\" with capabilities: []\n"),
        options);
    EXPECT_EQ(verdict.exit_code, 10);
    EXPECT_EQ(verdict.diagnosis,
              "this Docker engine cannot inject CDI devices (--cdi needs Docker 25 or newer with CDI "
              "enabled) (docker: could not select device driver \"cdi\" with capabilities: [])");
}

TEST(VerifyImage, UnreachableDaemonIsExit21)
{
    VerifyVerdict verdict = verify_with(docker_error(
        125,
        "docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"));
    EXPECT_EQ(verdict.exit_code, k_exit_daemon_unreachable);
    EXPECT_EQ(verdict.diagnosis,
              "the docker CLI cannot reach a Docker daemon (docker: Cannot connect to the Docker "
              "daemon at unix:///var/run/docker.sock. Is the docker daemon running?)");
}

TEST(VerifyImage, ImageNotFoundAndNotPullableIsExit22)
{
    VerifyVerdict verdict = verify_with(
        docker_error(125,
                     "Unable to find image 'acme/app:1' locally\n"
                     "docker: Error response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup "
                     "registry-1.docker.io: no such host\n\nRun 'docker run --help' for more information\n"));
    EXPECT_EQ(verdict.exit_code, k_exit_image_missing);
    EXPECT_EQ(verdict.diagnosis,
              "the image is not on this host and docker could not pull it (docker: Get "
              "\"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such "
              "host)");
    EXPECT_EQ(verdict.fix, "build it first (`cudagen build PROFILE`), or check the image name and registry login");
}

TEST(VerifyImage, ImageWithoutCudagenVerifyIsExit23)
{
    VerifyVerdict verdict = verify_with(docker_error(
        127,
        "docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create "
        "failed: unable to start container process: exec: \"/opt/cudagen/bin/cudagen-verify\": stat "
        "/opt/cudagen/bin/cudagen-verify: no such file or directory: unknown\n"));
    EXPECT_EQ(verdict.exit_code, k_exit_no_verifier);
    EXPECT_EQ(verdict.diagnosis,
              "the image has no runnable /opt/cudagen/bin/cudagen-verify: it was not built by "
              "cudagen, or with verification disabled");
    EXPECT_EQ(verdict.fix, "build it with `cudagen build PROFILE` (verification is on by default)");
}

TEST(VerifyImage, RejectedRuntimeArgIsUsageExit2)
{
    VerifyImageOptions options = image_options();
    options.runtime_args = {"--bogus"};
    VerifyVerdict verdict =
        verify_with(docker_error(125, "unknown flag: --bogus\nSee 'docker run --help'.\n"), options);
    EXPECT_EQ(verdict.exit_code, 2);
    EXPECT_EQ(verdict.diagnosis, "docker rejected an option passed with --runtime-arg (docker: unknown flag: --bogus)");
}

TEST(VerifyImage, CrashWithoutVerdictIsExit24)
{
    VerifyVerdict verdict = verify_with(docker_error(139, "Segmentation fault\n"));
    EXPECT_EQ(verdict.exit_code, k_exit_docker_failed);
    EXPECT_EQ(verdict.diagnosis,
              "docker run exit 139 without a readable cudagen-verify verdict (docker: Segmentation fault)");
    EXPECT_EQ(verdict.json["docker_stderr"], "Segmentation fault");
}

TEST(VerifyImage, TimeoutIsExit24)
{
    ProcessResult timed_out{137, true, true, "", ""};
    VerifyVerdict verdict = verify_with(timed_out);
    EXPECT_EQ(verdict.exit_code, k_exit_docker_failed);
    EXPECT_EQ(verdict.diagnosis, "the check timed out after 600s");
}

TEST(VerifyImage, JsonThatIsNotAVerdictIsNotTrusted)
{
    VerifyVerdict verdict = verify_with(finished(0, R"({"hello": "world"})"));
    EXPECT_FALSE(verdict.from_image);
    EXPECT_EQ(verdict.exit_code, k_exit_docker_failed);
}

// A verdict says ok itself: an exit code alone (a program that prints {"exit_code": 0}) or
// an ok that is not a boolean is not a passing verdict.
TEST(VerifyImage, AVerdictWithoutABooleanOkIsNotTrusted)
{
    for (const std::string out : {R"({"exit_code": 0, "diagnosis": "fine"})", R"({"exit_code": 0, "ok": "yes"})",
                                  R"({"exit_code": 0, "ok": 1})"}) {
        VerifyVerdict verdict = verify_with(finished(0, out + "\n"));
        EXPECT_FALSE(verdict.from_image) << out;
        EXPECT_EQ(verdict.exit_code, k_exit_docker_failed) << out;
        EXPECT_FALSE(find_verdict(out)) << out;
    }
    EXPECT_TRUE(find_verdict(R"({"exit_code": 0, "ok": true})"));
}

TEST(VerifyImage, HarnessVerdictHasTheImageVerdictsShape)
{
    VerifyVerdict verdict =
        verify_with(docker_error(125, "docker: Error response from daemon: No such image: acme/app:1\n"));
    EXPECT_EQ(verdict.exit_code, k_exit_image_missing);
    nlohmann::json parsed = nlohmann::json::parse(verdict.raw);
    EXPECT_EQ(parsed["ok"], false);
    EXPECT_EQ(parsed["exit_code"], k_exit_image_missing);
    EXPECT_TRUE(parsed["devices"].is_array());
    EXPECT_EQ(parsed["source"], "cudagen verify");
    EXPECT_TRUE(parsed["binary"].is_null());  // cudagen-verify never ran: what the binary holds is unknown
}

}  // namespace
}  // namespace cudagen
