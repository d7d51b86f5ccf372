// One problem type and one printer for every command; internal errors exit 70;
// under verify --rootfs the advice fits a host without Docker.
#include "core/report.hpp"
#include "core/exit_codes.hpp"
#include "verify/rootfs_verify.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

namespace cudagen {
namespace {

TEST(RunGuarded, AnUnexpectedExceptionIsAnInternalErrorNotAUsageError)
{
    std::ostringstream out;
    std::ostringstream err;
    int code = run_guarded(
        "export", false, []() -> int { throw std::runtime_error("vector::at"); }, out, err);
    EXPECT_EQ(code, k_exit_internal);
    EXPECT_EQ(code, 70);
    EXPECT_EQ(out.str(), "");
    EXPECT_EQ(err.str(),
              "cudagen: internal error: vector::at\n"
              "  this is a bug in cudagen; please report it with the command line\n");
}

TEST(RunGuarded, WithJsonTheInternalErrorIsTheSharedReportOnStdout)
{
    std::ostringstream out;
    std::ostringstream err;
    int code = run_guarded(
        "verify", true, []() -> int { throw 42; }, out, err);
    EXPECT_EQ(code, k_exit_internal);
    ReportJson report = ReportJson::parse(out.str());
    EXPECT_EQ(report["command"], "verify");
    EXPECT_EQ(report["ok"], false);
    EXPECT_EQ(report["exit_code"], 70);
    EXPECT_EQ(report["exit_name"], "internal");
    ASSERT_EQ(report["problems"].size(), 1u);
    EXPECT_EQ(report["problems"][0]["code"], "internal/exception");
    EXPECT_EQ(report["problems"][0]["message"], "an exception that is not a std::exception");
}

TEST(RunGuarded, PassesTheActionsExitCodeThrough)
{
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run_guarded(
                  "check", true, [] { return k_exit_incompatible; }, out, err),
              k_exit_incompatible);
    EXPECT_EQ(out.str(), "");
    EXPECT_EQ(err.str(), "");
}

TEST(CommandProblem, IsADiagnosticNamedByCommandAndExitCode)
{
    CommandFailure failure = command_failure("export", k_exit_image_missing, "no image 'a:1' on this host", "build it");
    EXPECT_EQ(failure.exit_code, 22);
    EXPECT_EQ(failure.problem.code, "export/image-missing");
    Diagnostics problems;
    problems.add(failure.problem);
    std::ostringstream text;
    print_problems(problems, text);
    EXPECT_EQ(text.str(), "cudagen: error: no image 'a:1' on this host [export/image-missing]\n  fix: build it\n");
    ReportJson report = report_json("export", failure.exit_code, problems);
    EXPECT_EQ(report["problems"][0], diagnostic_json(failure.problem));
    EXPECT_EQ(report["problems"][0]["file"], "");
    EXPECT_EQ(report["exit_name"], "image-missing");
}

TEST(PrintProblems, StopsAtTheCapAndCountsTheRest)
{
    Diagnostics problems;
    for (std::size_t i = 0; i < k_max_printed_diagnostics + 3; ++i) {
        problems.error("x/y", "problem " + std::to_string(i), {}, "");
    }
    std::ostringstream text;
    print_problems(problems, text);
    std::string out = text.str();
    EXPECT_NE(out.find("problem 99 [x/y]\n"), std::string::npos);
    EXPECT_EQ(out.find("problem 100 "), std::string::npos);
    EXPECT_NE(out.find("cudagen: 3 more problem(s) not shown\n"), std::string::npos);
}

VerifyVerdict image_verdict(int exit_code, std::string diagnosis, std::string fix)
{
    VerifyVerdict verdict;
    verdict.exit_code = exit_code;
    verdict.diagnosis = std::move(diagnosis);
    verdict.fix = std::move(fix);
    verdict.from_image = true;
    return verdict;
}

// The fixes cudagen-verify prints (samples/verify/verify.cu) assume Docker.
const std::string k_no_driver_fix =
    "run it with `docker run --gpus all ...` (or CDI: `--device nvidia.com/gpu=all`) on a host with the NVIDIA "
    "driver and the NVIDIA Container Toolkit (`nvidia-ctk runtime configure --runtime=docker`)";

void expect_dockerless(const std::optional<std::string>& fix)
{
    ASSERT_TRUE(fix.has_value());
    EXPECT_FALSE(fix->empty());
    EXPECT_EQ(fix->find("docker"), std::string::npos) << *fix;
    EXPECT_EQ(fix->find("--gpus"), std::string::npos) << *fix;
    EXPECT_EQ(fix->find("Container Toolkit"), std::string::npos) << *fix;
}

TEST(RootfsFix, NoDriverOnTheHostSaysInstallTheDriverNotDocker)
{
    auto fix =
        rootfs_fix(image_verdict(10, "no NVIDIA driver library", k_no_driver_fix), false, HostGpuState::no_driver);
    expect_dockerless(fix);
    EXPECT_EQ(fix->rfind("install the NVIDIA driver on this host", 0), 0u) << *fix;
}

TEST(RootfsFix, DriverBoundButNotLoadingPointsAtDriverLibs)
{
    auto fix = rootfs_fix(image_verdict(10, "no NVIDIA driver library", k_no_driver_fix), false, HostGpuState::ready);
    expect_dockerless(fix);
    EXPECT_NE(fix->find("--driver-libs DIR"), std::string::npos) << *fix;
}

TEST(RootfsFix, DeliberateNoGpuHasNothingToFix)
{
    auto fix =
        rootfs_fix(image_verdict(10, "no NVIDIA driver library", k_no_driver_fix), true, HostGpuState::not_requested);
    ASSERT_TRUE(fix.has_value());
    EXPECT_EQ(*fix, "");
}

TEST(RootfsFix, NoVisibleDeviceAndCompatLibcudaAreDockerless)
{
    expect_dockerless(rootfs_fix(image_verdict(12, "no CUDA device is visible (0 devices)", "run with `--gpus all`"),
                                 false, HostGpuState::ready));
    expect_dockerless(rootfs_fix(image_verdict(11, "libcuda.so.1 does not match the host's kernel module",
                                               "remove any cuda-compat libcuda from the image; let the Container "
                                               "Toolkit mount the host's"),
                                 false, HostGpuState::ready));
}

TEST(RootfsFix, AdviceWithoutDockerStands)
{
    EXPECT_FALSE(
        rootfs_fix(image_verdict(13, "no kernel image for sm_90", "add 9.0 to gpu_archs"), false, HostGpuState::ready)
            .has_value());
    EXPECT_FALSE(rootfs_fix(image_verdict(11, "the host's driver supports CUDA 12.4", "upgrade the host driver"), false,
                            HostGpuState::ready)
                     .has_value());
}

}  // namespace
}  // namespace cudagen
