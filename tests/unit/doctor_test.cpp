#include "doctor/doctor.hpp"
#include "cli/pipeline.hpp"
#include "doctor/probes.hpp"
#include "doctor/report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace cudagen {
namespace {

namespace fs = std::filesystem;

ProcessResult finished(int exit_code, std::string out = {}, std::string err = {})
{
    return ProcessResult{exit_code, true, false, std::move(out), std::move(err)};
}

// Recorded on a Debian 12 host with Docker 28.2.2 (client) / 20.10.24 (engine) and buildx 0.13.1.
const std::string k_docker_version =
    R"({"Client":{"Version":"28.2.2","ApiVersion":"1.41"},"Server":{"Version":"20.10.24+dfsg1","Components":[]}})";
const std::string k_docker_version_no_engine = R"({"Client":{"Version":"28.2.2","ApiVersion":"1.50"},"Server":null})";
const std::string k_buildx_ls_013 =
    "NAME/NODE     DRIVER/ENDPOINT   STATUS    BUILDKIT       PLATFORMS\n"
    "default*      docker                                     \n"
    " \\_ default    \\_ default       running   v0.8+unknown   linux/amd64, linux/386\n";
const std::string k_info_runc =
    R"({"ServerVersion":"20.10.24+dfsg1","Runtimes":{"io.containerd.runc.v2":{"path":"runc"},"runc":{"path":"runc"}},"DefaultRuntime":"runc"})";
const std::string k_info_nvidia =
    R"({"ServerVersion":"27.3.1","Runtimes":{"nvidia":{"path":"nvidia-container-runtime"},"runc":{"path":"runc"}},"DefaultRuntime":"runc"})";
// nvidia-smi --query-gpu=index,name,compute_cap,memory.total,driver_version --format=csv,noheader,nounits
const std::string k_smi_h200 = "0, NVIDIA H200, 9.0, 143771, 580.95.05\n";
const std::string k_smi_header =
    "| NVIDIA-SMI 580.95.05              Driver Version: 580.95.05      CUDA Version: 13.0     |\n";

// A host laid out under a temporary folder, and the commands it answers.
class DoctorHost : public ::testing::Test {
protected:
    DoctorHost() : root(fs::temp_directory_path() / ("cudagen-doctor-" + std::to_string(::getpid()) + "-" + name()))
    {
        fs::remove_all(root);
        fs::create_directories(root);
        file("/proc/sys/kernel/osrelease", "6.1.0-27-amd64\n");
    }
    ~DoctorHost() override { fs::remove_all(root); }

    static std::string name() { return ::testing::UnitTest::GetInstance()->current_test_info()->name(); }

    void file(const std::string& path, const std::string& text)
    {
        fs::path full = root / path.substr(1);
        fs::create_directories(full.parent_path());
        std::ofstream(full) << text;
    }

    void docker_works()
    {
        runner.add_program("docker", "/usr/bin/docker");
        runner.on({"docker", "version"}, finished(0, k_docker_version));
        runner.on({"docker", "buildx", "version"}, finished(0, "github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3\n"));
        runner.on({"docker", "buildx", "ls"}, finished(0, k_buildx_ls_013));
        runner.on({"docker", "info"}, finished(0, k_info_runc));
    }

    void toolkit_installed()
    {
        runner.add_program("nvidia-ctk", "/usr/bin/nvidia-ctk");
        runner.add_program("nvidia-container-cli", "/usr/bin/nvidia-container-cli");
        runner.on({"nvidia-ctk", "--version"},
                  finished(0, "NVIDIA Container Toolkit CLI version 1.17.8\ncommit: f202b80\n"));
        runner.on({"nvidia-container-cli", "--version"}, finished(0, "cli-version: 1.17.8\nlib-version: 1.17.8\n"));
    }

    void nvidia_smi_h200()
    {
        runner.on({"nvidia-smi", "--query-gpu=index,name,compute_cap,memory.total,driver_version"},
                  finished(0, k_smi_h200));
        runner.on({"nvidia-smi"}, finished(0, k_smi_header));
    }

    DoctorFacts facts(DriverQuery nvml = {})
    {
        HostFiles files(root.string());
        return gather_facts({runner, files, std::move(nvml)});
    }

    std::vector<Finding> findings() { return judge_host(facts()); }

    fs::path root;
    RecordingProcessRunner runner;
};

const Finding* find(const std::vector<Finding>& findings, std::string_view code)
{
    auto it = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.code == code; });
    return it == findings.end() ? nullptr : &*it;
}

FindingStatus status_of(const std::vector<Finding>& findings, std::string_view code)
{
    const Finding* finding = find(findings, code);
    EXPECT_NE(finding, nullptr) << "no finding " << code;
    return finding ? finding->status : FindingStatus::note;
}

TEST_F(DoctorHost, NoDriverWithDockerNamesTheMissingDriverAndToolkit)
{
    docker_works();
    auto found = findings();
    const Finding* driver = find(found, "doctor/driver");
    ASSERT_NE(driver, nullptr);
    EXPECT_EQ(driver->status, FindingStatus::problem);
    EXPECT_EQ(driver->message, "no NVIDIA driver answers (nvidia-smi is not installed)");
    EXPECT_NE(driver->fix.find("install the NVIDIA driver"), std::string::npos);
    const Finding* toolkit = find(found, "doctor/toolkit");
    ASSERT_NE(toolkit, nullptr);
    EXPECT_EQ(toolkit->status, FindingStatus::problem);
    EXPECT_NE(toolkit->fix.find("nvidia-ctk runtime configure --runtime=docker"), std::string::npos);
    EXPECT_EQ(status_of(found, "doctor/docker"), FindingStatus::ok);
    EXPECT_EQ(status_of(found, "doctor/docker-engine"), FindingStatus::ok);
    EXPECT_EQ(status_of(found, "doctor/buildx"), FindingStatus::ok);
    EXPECT_EQ(find(found, "doctor/wsl2"), nullptr);
}

TEST_F(DoctorHost, ToolkitInstalledButNotRegisteredSaysHowToRegisterIt)
{
    docker_works();
    toolkit_installed();
    nvidia_smi_h200();
    auto found = findings();
    EXPECT_EQ(status_of(found, "doctor/toolkit"), FindingStatus::ok);
    EXPECT_EQ(find(found, "doctor/toolkit")->message,
              "NVIDIA Container Toolkit: nvidia-ctk 1.17.8, nvidia-container-cli 1.17.8");
    const Finding* registered = find(found, "doctor/toolkit-not-registered");
    ASSERT_NE(registered, nullptr);
    EXPECT_EQ(registered->status, FindingStatus::problem);
    EXPECT_EQ(registered->fix, "sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker");
    EXPECT_TRUE(has_problems(found));
}

TEST_F(DoctorHost, RuntimeInDaemonJsonButNotInTheRunningEngineAsksForARestart)
{
    docker_works();
    toolkit_installed();
    nvidia_smi_h200();
    file("/etc/docker/daemon.json", R"({"runtimes": {"nvidia": {"path": "nvidia-container-runtime", "args": []}}})");
    auto found = findings();
    const Finding* runtime = find(found, "doctor/docker-nvidia-runtime");
    ASSERT_NE(runtime, nullptr);
    EXPECT_EQ(runtime->status, FindingStatus::problem);
    EXPECT_EQ(runtime->fix, "restart the engine: sudo systemctl restart docker");
}

TEST_F(DoctorHost, RegisteredRuntimeAndDriverMeanNoProblem)
{
    docker_works();
    runner.on({"docker", "info"}, finished(0, k_info_nvidia));
    toolkit_installed();
    nvidia_smi_h200();
    file("/proc/driver/nvidia/version",
         "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.95.05  Release Build\n");
    auto found = findings();
    EXPECT_EQ(status_of(found, "doctor/docker-nvidia-runtime"), FindingStatus::ok);
    EXPECT_EQ(find(found, "doctor/driver")->message,
              "NVIDIA driver 580.95.05, supports CUDA 13.0 and older (read through nvidia-smi)");
    EXPECT_EQ(find(found, "doctor/gpu")->message, "GPU 0: NVIDIA H200, compute capability 9.0 (sm_90), 143771 MiB");
    EXPECT_FALSE(has_problems(found));
}

TEST_F(DoctorHost, BrokenDaemonJsonIsAProblem)
{
    docker_works();
    toolkit_installed();
    file("/etc/docker/daemon.json", "{\"runtimes\": {");
    auto found = findings();
    EXPECT_EQ(status_of(found, "doctor/daemon-json"), FindingStatus::problem);
}

TEST_F(DoctorHost, Wsl2LayoutUsesTheWindowsDriver)
{
    file("/proc/sys/kernel/osrelease", "5.15.153.1-microsoft-standard-WSL2\n");
    file("/usr/lib/wsl/lib/libcuda.so.1", "");
    file("/usr/lib/wsl/lib/libcuda.so.1.1", "");
    file("/usr/lib/wsl/lib/libnvidia-ml.so.1", "");
    file("/dev/dxg", "");
    runner.on({"nvidia-smi", "--query-gpu=index,name,compute_cap,memory.total,driver_version"},
              finished(0, "0, NVIDIA GeForce RTX 4090, 8.9, 24564, 581.57\n"));
    runner.on({"nvidia-smi"}, finished(0, "| NVIDIA-SMI 580.102.01   Driver Version: 581.57   CUDA Version: 13.0 |\n"));
    docker_works();
    auto found = findings();
    EXPECT_EQ(status_of(found, "doctor/wsl2"), FindingStatus::note);
    EXPECT_EQ(find(found, "doctor/wsl-libcuda")->message,
              "the Windows driver's CUDA library: /usr/lib/wsl/lib/libcuda.so.1, /usr/lib/wsl/lib/libcuda.so.1.1");
    EXPECT_EQ(status_of(found, "doctor/wsl-libcuda"), FindingStatus::ok);
    EXPECT_EQ(find(found, "doctor/wsl-dxg"), nullptr);
    EXPECT_EQ(status_of(found, "doctor/driver"), FindingStatus::ok);
    EXPECT_EQ(find(found, "doctor/gpu")->message,
              "GPU 0: NVIDIA GeForce RTX 4090, compute capability 8.9 (sm_89), 24564 MiB");
    // WSL2 CDI specs are generated in their own mode.
    EXPECT_EQ(find(found, "doctor/cdi")->fix, "sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml --mode=wsl");
}

TEST_F(DoctorHost, Wsl2WithoutTheWindowsDriverSaysToInstallItOnWindows)
{
    file("/proc/sys/kernel/osrelease", "5.15.153.1-microsoft-standard-WSL2\n");
    docker_works();
    auto found = findings();
    EXPECT_EQ(status_of(found, "doctor/wsl-libcuda"), FindingStatus::problem);
    EXPECT_EQ(status_of(found, "doctor/wsl-dxg"), FindingStatus::problem);
    const Finding* driver = find(found, "doctor/driver");
    ASSERT_NE(driver, nullptr);
    EXPECT_EQ(driver->status, FindingStatus::problem);
    EXPECT_NE(driver->fix.find("install the NVIDIA driver on Windows"), std::string::npos);
    EXPECT_NE(driver->fix.find("Do not install a Linux NVIDIA driver inside WSL2"), std::string::npos);
}

TEST_F(DoctorHost, Wsl1HasNoGpu)
{
    file("/proc/sys/kernel/osrelease", "4.4.0-19041-Microsoft\n");
    auto found = findings();
    EXPECT_EQ(status_of(found, "doctor/wsl1"), FindingStatus::problem);
    EXPECT_EQ(find(found, "doctor/driver"), nullptr);
}

TEST_F(DoctorHost, NvmlIsAskedFirstAndNvidiaSmiOnlyWhenItFails)
{
    DriverFacts nvml;
    nvml.found = true;
    nvml.source = "NVML";
    nvml.version = "580.95.05";
    nvml.cuda = "13.0";
    nvml.gpus = {HostGpu{0, "NVIDIA H200", 9, 0, 143771}};
    DoctorFacts got = facts([&] { return nvml; });
    EXPECT_EQ(got.driver.source, "NVML");
    EXPECT_EQ(got.driver.gpus.size(), 1u);
    for (const auto& call : runner.calls()) {
        EXPECT_NE(call.argv[0], "nvidia-smi");
    }
    nvidia_smi_h200();
    DoctorFacts fallback =
        facts([] { return DriverFacts{false, "", "", "", "", {}, "libnvidia-ml.so.1: cannot open"}; });
    EXPECT_EQ(fallback.driver.source, "nvidia-smi");
    EXPECT_EQ(fallback.driver.version, "580.95.05");
    EXPECT_EQ(fallback.driver.cuda, "13.0");
}

TEST_F(DoctorHost, KernelModuleWithoutUserSpaceDriverIsUnusable)
{
    file("/proc/driver/nvidia/version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.95.05  Tue Sep 23 2025\n");
    runner.add_program("nvidia-smi", "/usr/bin/nvidia-smi");
    runner.on({"nvidia-smi"}, finished(18, "Failed to initialize NVML: Driver/library version mismatch\n"));
    auto found = findings();
    const Finding* driver = find(found, "doctor/driver-unusable");
    ASSERT_NE(driver, nullptr);
    EXPECT_EQ(driver->message,
              "the NVIDIA kernel module 580.95.05 is loaded but neither NVML nor nvidia-smi answers (nvidia-smi failed "
              "(exit 18): Failed to initialize NVML: Driver/library version mismatch)");
}

TEST_F(DoctorHost, KernelModuleOlderThanTheLibrariesIsAMismatch)
{
    nvidia_smi_h200();
    file("/proc/driver/nvidia/version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  575.57.08  Sat May 24 2025\n");
    auto found = findings();
    EXPECT_EQ(status_of(found, "doctor/driver-mismatch"), FindingStatus::problem);
}

TEST_F(DoctorHost, PodmanWithoutCdiSpecIsAProblemAndASpecFixesIt)
{
    runner.add_program("podman", "/usr/bin/podman");
    runner.on({"podman", "--version"}, finished(0, "podman version 4.3.1\n"));
    toolkit_installed();
    nvidia_smi_h200();
    auto found = findings();
    EXPECT_EQ(status_of(found, "doctor/cdi"), FindingStatus::problem);
    EXPECT_EQ(find(found, "doctor/podman")->message, "Podman 4.3.1: podman run --device nvidia.com/gpu=all (CDI)");
    // Without Docker, Podman is the engine: docker's absence is only a note.
    EXPECT_EQ(status_of(found, "doctor/docker"), FindingStatus::note);
    file("/var/run/cdi/nvidia.yaml", "cdiVersion: 0.5.0\nkind: nvidia.com/gpu\ndevices:\n- name: \"0\"\n");
    file("/etc/cdi/other.yaml", "kind: vendor.com/fpga\n");
    found = findings();
    EXPECT_EQ(find(found, "doctor/cdi")->message, "CDI spec for nvidia.com/gpu: /var/run/cdi/nvidia.yaml");
    EXPECT_FALSE(has_problems(found));
}

TEST_F(DoctorHost, NoContainerEngineAtAllIsAProblemThatNamesTheRootfsPath)
{
    nvidia_smi_h200();
    auto found = findings();
    const Finding* docker = find(found, "doctor/docker");
    ASSERT_NE(docker, nullptr);
    EXPECT_EQ(docker->status, FindingStatus::problem);
    EXPECT_NE(docker->fix.find("cudagen verify --rootfs"), std::string::npos);
    EXPECT_EQ(status_of(found, "doctor/toolkit"), FindingStatus::note);
    runner.add_program("apptainer", "/usr/bin/apptainer");
    found = findings();
    EXPECT_EQ(status_of(found, "doctor/docker"), FindingStatus::note);
    EXPECT_EQ(status_of(found, "doctor/apptainer"), FindingStatus::ok);
}

TEST_F(DoctorHost, EngineThatDeniesPermissionSuggestsTheDockerGroup)
{
    docker_works();
    runner.on({"docker", "version"},
              finished(1, k_docker_version_no_engine,
                       "permission denied while trying to connect to the Docker daemon socket at "
                       "unix:///var/run/docker.sock\n"));
    auto found = findings();
    const Finding* engine = find(found, "doctor/docker-engine");
    ASSERT_NE(engine, nullptr);
    EXPECT_EQ(engine->status, FindingStatus::problem);
    EXPECT_NE(engine->fix.find("usermod -aG docker"), std::string::npos);
    EXPECT_EQ(find(found, "doctor/docker")->message, "Docker client 28.2.2");
}

TEST_F(DoctorHost, DockerDriverBuilderIsANoteAboutCacheAndPlatforms)
{
    docker_works();
    auto found = findings();
    const Finding* builder = find(found, "doctor/builder-docker-driver");
    ASSERT_NE(builder, nullptr);
    EXPECT_EQ(builder->status, FindingStatus::note);
    EXPECT_NE(builder->message.find("cannot export a build cache"), std::string::npos);
    runner.on({"docker", "buildx", "version"}, finished(1, "", "docker: 'buildx' is not a docker command.\n"));
    found = findings();
    EXPECT_EQ(status_of(found, "doctor/buildx"), FindingStatus::problem);
}

TEST(DoctorParse, BuildxLsOldAndNewTables)
{
    auto builders = parse_buildx_ls(k_buildx_ls_013);
    ASSERT_EQ(builders.size(), 1u);
    EXPECT_EQ(builders[0].name, "default");
    EXPECT_EQ(builders[0].driver, "docker");
    EXPECT_TRUE(builders[0].current);
    // buildx 0.10: the current builder is marked by a separate '*'.
    builders = parse_buildx_ls(
        "NAME/NODE    DRIVER/ENDPOINT             STATUS  BUILDKIT PLATFORMS\n"
        "farm *       docker-container\n  farm0      unix:///var/run/docker.sock running v0.12.5 linux/amd64\n"
        "default      docker\n  default    default                     running 20.10.24 linux/amd64\n");
    ASSERT_EQ(builders.size(), 2u);
    EXPECT_EQ(builders[0].name, "farm");
    EXPECT_EQ(builders[0].driver, "docker-container");
    EXPECT_TRUE(builders[0].current);
    EXPECT_FALSE(builders[1].current);
}

TEST(DoctorParse, NvidiaSmiAndProcVersions)
{
    std::string driver;
    auto gpus = parse_nvidia_smi_gpus(
        "0, NVIDIA H100 80GB HBM3, 9.0, 81559, 580.159.04\n"
        "1, NVIDIA A100-SXM4-80GB, 8.0, 81920, 580.159.04\n",
        driver);
    ASSERT_EQ(gpus.size(), 2u);
    EXPECT_EQ(gpus[1].name, "NVIDIA A100-SXM4-80GB");
    EXPECT_EQ(gpus[1].cc(), "8.0");
    EXPECT_EQ(gpus[0].memory_mib, 81559u);
    EXPECT_EQ(driver, "580.159.04");
    EXPECT_EQ(parse_nvidia_smi_cuda(k_smi_header), "13.0");
    EXPECT_EQ(
        parse_proc_driver_version("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.86.15  Release\n"),
        "570.86.15");
    EXPECT_EQ(parse_proc_driver_version("garbage 1.2.3"), "");
}

// Profiles judged through the check rules.
class DoctorProfile : public ::testing::Test {
protected:
    std::vector<Finding> judge(const std::string& driver_version, std::vector<HostGpu> gpus)
    {
        PipelineOptions options;
        options.profiles = {std::string(CUDAGEN_SOURCE_DIR) + "/profiles/fastapi-torch/cudagen.yaml"};
        options.last_stage = Stage::resolve;
        PipelineResult pipeline = run_pipeline(options);
        EXPECT_EQ(pipeline.exit_code, 0);
        DriverFacts driver;
        driver.found = !driver_version.empty();
        driver.source = "NVML";
        driver.version = driver_version;
        driver.gpus = std::move(gpus);
        return judge_profile(pipeline.raw.at(0), pipeline.resolved.at(0), Knowledge::builtin(), driver);
    }
};

TEST_F(DoctorProfile, NewDriverAndH200RunTheTorchService)
{
    auto found = judge("580.95.05", {HostGpu{0, "NVIDIA H200", 9, 0, 143771}});
    EXPECT_FALSE(has_problems(found));
    const Finding* driver = find(found, "doctor/profile-driver");
    ASSERT_NE(driver, nullptr);
    EXPECT_EQ(driver->message.rfind("fastapi-torch: driver 580.95.05 starts its CUDA 12.", 0), 0u) << driver->message;
    const Finding* gpu = find(found, "doctor/profile-gpu");
    ASSERT_NE(gpu, nullptr);
    EXPECT_NE(gpu->message.find("GPU 0 (NVIDIA H200, sm_90): kernels in the image's arch list (sm_80 sm_90 + PTX)"),
              std::string::npos)
        << gpu->message;
    EXPECT_NE(gpu->message.find("pytorch 2.5.1 cu124"), std::string::npos) << gpu->message;
}

TEST_F(DoctorProfile, OldDriverIsTheCheckRulesDriverFinding)
{
    auto found = judge("470.57.02", {HostGpu{0, "NVIDIA A100-SXM4-40GB", 8, 0, 40536}});
    const Finding* driver = find(found, "compat/driver-too-old");
    ASSERT_NE(driver, nullptr);
    EXPECT_EQ(driver->status, FindingStatus::problem);
    EXPECT_NE(driver->fix.find("upgrade the driver"), std::string::npos);
    EXPECT_EQ(find(found, "doctor/profile-driver"), nullptr);
}

TEST_F(DoctorProfile, GpuOutsideTheArchListIsTheCheckRulesArchFinding)
{
    auto found =
        judge("580.95.05", {HostGpu{0, "Tesla V100-SXM2-16GB", 7, 0, 16160}, HostGpu{1, "NVIDIA H200", 9, 0, 1}});
    auto problem = std::find_if(found.begin(), found.end(), [](const Finding& f) {
        return f.status == FindingStatus::problem && f.code.rfind("arch/", 0) == 0;
    });
    ASSERT_NE(problem, found.end());
    EXPECT_EQ(problem->message.rfind("fastapi-torch: GPU 0 (Tesla V100-SXM2-16GB, sm_70): ", 0), 0u)
        << problem->message;
    EXPECT_FALSE(problem->fix.empty());
    // The H200 still gets its own ✓ line.
    EXPECT_NE(find(found, "doctor/profile-gpu"), nullptr);
}

TEST_F(DoctorProfile, NoDriverMeansTheImageCannotUseAGpuHere)
{
    auto found = judge("", {});
    EXPECT_EQ(status_of(found, "doctor/profile-no-driver"), FindingStatus::problem);
}

TEST(DoctorReportTest, JsonHasTheSharedShapeAndListsProblems)
{
    DoctorReport report;
    report.findings = {{FindingStatus::ok, "doctor/docker", "Docker client 28.2.2", "", ""},
                       {FindingStatus::problem, "doctor/driver", "no NVIDIA driver answers", "install it", ""}};
    report.exit_code = 1;
    nlohmann::ordered_json out = doctor_json(report);
    EXPECT_EQ(out["command"], "doctor");
    EXPECT_EQ(out["ok"], false);
    EXPECT_EQ(out["exit_code"], 1);
    ASSERT_EQ(out["problems"].size(), 1u);
    EXPECT_EQ(out["problems"][0]["code"], "doctor/driver");
    EXPECT_EQ(out["problems"][0]["fix"], "install it");
    EXPECT_EQ(out["findings"].size(), 2u);
    EXPECT_EQ(out["host"]["driver"]["found"], false);
    EXPECT_EQ(doctor_text(report),
              "host\n  ✓ Docker client 28.2.2\n  ✗ no NVIDIA driver answers\n      fix: install it\n"
              "1 problem(s): fix them (each ✗ says how), then run cudagen doctor again\n");
}

}  // namespace
}  // namespace cudagen
