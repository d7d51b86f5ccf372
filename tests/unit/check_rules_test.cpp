// The compatibility rules: every catalog example produces its message, and
// real-world failures from public issue threads get the verdict and code they
// deserve. Profiles go through the real loader, resolver and checks.
#include "check/check.hpp"
#include "check/check_context.hpp"
#include "check/rules.hpp"
#include "check_harness.hpp"
#include "knowledge/knowledge.hpp"
#include "load/load_profile.hpp"
#include "resolve/resolve.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

namespace cudagen {
namespace {

using test_support::check_profile;
using test_support::CheckRun;

TEST(RuleCatalog, CodesAreUniqueKebabCaseWithAnArea)
{
    const std::regex shape(R"((tag|compat|arch|conda|python|framework|platform)/[a-z0-9]+(-[a-z0-9]+)*)");
    std::set<std::string> seen;
    for (const auto& rule : rule_catalog()) {
        std::string code(rule.code);
        EXPECT_TRUE(std::regex_match(code, shape)) << code;
        EXPECT_TRUE(seen.insert(code).second) << code;
        EXPECT_FALSE(rule.summary.empty()) << code;
    }
}

// What each rule's example must be, written here and not read from the catalog: an error
// when the image cannot work as the profile says (exit 1 or 2), a warning when it works
// with a caveat (exit 0). A catalog row whose severity changes must change this table too.
const std::map<std::string_view, Severity>& expected_severities()
{
    constexpr Severity error = Severity::error;
    constexpr Severity warning = Severity::warning;
    static const std::map<std::string_view, Severity> table = {
        {"tag/no-such-cuda", error},
        {"tag/latest", error},
        {"framework/unknown-name", error},
        {"framework/unknown-version", error},
        {"framework/unchecked", warning},
        {"framework/unknown-companion", error},
        {"arch/unknown-gpu", error},
        {"compat/torch-no-wheel-for-cuda", error},
        {"compat/torch-cuda-minor-differs", warning},
        {"compat/tensorflow-cuda-mismatch", error},
        {"compat/tensorflow-needs-cudnn", error},
        {"compat/jax-no-wheel-for-cuda", error},
        {"framework/two-cuda-runtimes", warning},
        {"framework/companion-mismatch", error},
        {"python/out-of-range", error},
        {"python/experimental", warning},
        {"conda/cudatoolkit-with-pytorch-channel", error},
        {"compat/driver-too-old", error},
        {"compat/driver-needs-forward-compat", warning},
        {"compat/forward-compat-unsupported-gpu", error},
        {"compat/driver-too-old-for-gpu", error},
        {"compat/driver-is-cuda-version", warning},
        {"tag/no-such-os", error},
        {"tag/no-cudnn-for-os", error},
        {"tag/no-image-for-platform", error},
        {"tag/superseded", warning},
        {"tag/eol", warning},
        {"tag/unconfirmed", warning},
        {"arch/not-compilable", error},
        {"arch/not-in-wheel", error},
        {"arch/gpu-not-targeted", error},
        {"framework/pinned-without-framework", warning},
        {"framework/pinned-cuda-mismatch", error},
        {"platform/jetson-not-sbsa", error},
        {"platform/jetson-needs-arm64", error},
        {"platform/no-arm64-wheel", error},
        {"conda/python-mismatch", error},           // the solver cannot install it
        {"conda/cuda-pin-mismatch", error},         // another CUDA major than the image's
        {"conda/cuda-pin-minor-differs", warning},  // loads through minor-version compatibility
        {"conda/no-such-build", error},             // the channel has no such build
        {"conda/framework-installed-twice", warning},
        {"conda/known-breakage", error},        // installs, then fails at import
        {"framework/pinned-cpu-build", error},  // a CPU-only framework in a CUDA image
    };
    return table;
}

TEST(RuleCatalog, EveryRuleHasAnIndependentSeverityExpectation)
{
    std::set<std::string_view> catalog;
    for (const auto& rule : rule_catalog()) {
        catalog.insert(rule.code);
        EXPECT_TRUE(expected_severities().contains(rule.code)) << rule.code << " has no expected severity here";
    }
    for (const auto& [code, severity] : expected_severities()) {
        EXPECT_TRUE(catalog.contains(code)) << code << " is expected here but not in the catalog";
    }
}

TEST(RuleCatalog, EveryExampleProducesItsMessage)
{
    // Caught by the profile loader (schema/bad-value) before resolution sees them.
    const std::set<std::string_view> k_loader_first = {"tag/latest", "framework/unknown-name"};
    for (const auto& rule : rule_catalog()) {
        if (k_loader_first.contains(rule.code)) {
            continue;
        }
        CheckRun run = check_profile(std::string(rule.example), rule.example_host, rule.example_environment);
        const Diagnostic* d = run.find(std::string(rule.code));
        ASSERT_NE(d, nullptr) << rule.code << " not reported; got:\n" << run.dump();
        EXPECT_EQ(d->message, rule.example_message) << rule.code;
        ASSERT_TRUE(expected_severities().contains(rule.code)) << rule.code;
        Severity expected = expected_severities().at(rule.code);
        EXPECT_EQ(d->severity, expected) << rule.code;
        EXPECT_EQ(rule.severity, expected) << rule.code << ": the catalog (docs/rules.md) says otherwise";
        // An error rule fails `cudagen check` (an example may also trip other rules, so a warning
        // rule's example is not required to pass).
        if (expected == Severity::error) {
            EXPECT_TRUE(run.diagnostics.has_errors()) << rule.code << ":\n" << run.dump();
        }
        EXPECT_FALSE(d->fix.empty()) << rule.code;
        EXPECT_EQ(run.resolved, rule.stage == "check") << rule.code;
    }
}

TEST(RuleCatalog, ResolveRejectsLatestForProfilesBuiltInCode)
{
    RawProfile raw;
    raw.file = "profile.yaml";
    raw.name = {"demo", {"profile.yaml", 1, 7}, true};
    raw.cuda = {"latest", {"profile.yaml", 2, 7}, true};
    Diagnostics diagnostics;
    resolve(raw, Knowledge::builtin(), {}, diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 1u);
    EXPECT_EQ(diagnostics.items()[0].message, rule_info("tag/latest").example_message);
}

// --- profiles that work: no diagnostics at all ----------------------------------------------

TEST(CheckVerdicts, CommonProfilesAreClean)
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"name: a\nframework: {name: pytorch, version: \"2.3\", with: [torchvision, torchaudio]}\n", ""},
        {"name: a\nframework: {name: pytorch, version: \"2.7.1\"}\ngpu_archs: [\"rtx 5090\", h100]\n",
         "--gpu \"rtx 5090\""},
        {"name: a\nframework: {name: tensorflow, version: \"2.15\"}\n", "--driver 535.104.05"},
        {"name: a\nframework: {name: jax, version: \"0.8.0\"}\n", "--driver 595.45.04 --gpu h100"},
        {"name: a\ncuda: \"12.4.1\"\ncudnn: true\nplatforms: [linux/amd64, linux/arm64]\n", "--driver 550.54.15"},
        {"name: a\nframework: {name: pytorch, version: \"2.3.1\"}\npip:\n  packages: [\"torchvision==0.18.1+cu121\", "
         "fastapi]\n",
         ""},
    };
    for (const auto& [profile, host] : cases) {
        CheckRun run = check_profile(profile, host);
        EXPECT_TRUE(run.resolved) << profile;
        EXPECT_TRUE(run.diagnostics.empty()) << profile << run.dump();
    }
}

// --- real-world cases ---------------------------------------------------------------------

struct RealCase {
    const char* thread;  // the public issue the case reproduces
    std::string profile;
    std::string host;
    std::string environment;
    bool expect_error;
    std::string code;
};

TEST(CheckRealWorld, IssueThreadsGetTheRightVerdict)
{
    const std::vector<RealCase> cases = {
        // RTX 5090 (sm_120) with a torch that predates Blackwell kernels.
        {"pytorch/pytorch#167244", "name: a\nframework: {name: pytorch, version: \"2.6.0\"}\n", "--gpu \"RTX 5090\"",
         "", true, "arch/not-in-wheel"},
        // sglang on RTX 5090 / sm_120 needing cu128 builds.
        {"sgl-project/sglang#7249", "name: a\ncuda: \"12.6\"\ngpu_archs: [sm_120]\n", "", "", true,
         "arch/not-compilable"},
        // The wrong CUDA wheel installed for an RTX 3090 (sm_86): here the wheel is fine, the GPU is covered.
        {"replicate/cog#436", "name: a\nframework: {name: pytorch, version: \"1.13.1\"}\n", "--gpu \"rtx 3090\"", "",
         false, ""},
        // nvidia-container-cli: requirement error: unsatisfied condition: cuda>=12.x on an old driver.
        {"NVIDIA/nvidia-container-toolkit#940", "name: a\ncuda: \"12.2\"\n", "--driver 470.57.02", "", false,
         "compat/driver-needs-forward-compat"},
        {"NVIDIA/nvidia-container-toolkit#940", "name: a\ncuda: \"12.8\"\n", "--driver 525.60.13", "", true,
         "compat/driver-too-old"},
        // "CUDA driver version is insufficient" with a cu13 wheel on an R570 driver.
        {"NVIDIA/hpc-container-maker#239", "name: a\ncuda: \"13.0\"\nframework: {name: pytorch, version: \"2.9.1\"}\n",
         "--driver 570.124.06", "", true, "compat/driver-too-old"},
        // Builds broke when the 11.2.0 base tag was deleted upstream.
        {"replicate/cog#1162", "name: a\ncuda: \"11.2.2\"\n", "", "", false, "tag/eol"},
        // A cudnn tag for 12.4.0 that never existed: NVIDIA's dist/12.4.0 has no runtime/cudnn* images.
        {"pytorch/builder#1811", "name: a\ncuda: \"12.4.0\"\ncudnn: true\n", "", "", true, "tag/no-cudnn-for-os"},
        // The seed article: cudatoolkit from the pytorch channel gives a CPU-only pytorch.
        {"conda-forge/pytorch-cpu-feedstock#364",
         "name: a\nframework: {name: pytorch, version: \"2.1.2\", channel: conda}\nconda:\n  environment: "
         "environment.yml\n",
         "", "channels:\n  - pytorch\n  - conda-forge\ndependencies:\n  - pytorch=2.1.2\n  - cudatoolkit=12.1\n", true,
         "conda/cudatoolkit-with-pytorch-channel"},
        // Arm builds of an Ubuntu image that only exists for amd64.
        {"NVIDIA/nvidia-docker#1116", "name: a\ncuda: \"11.0\"\nos: ubuntu20.04\nplatforms: [linux/arm64]\n", "", "",
         true, "tag/no-image-for-platform"},
        // Python 3.12 with a torch that only has experimental 3.12 wheels.
        {"pytorch/pytorch#110436", "name: a\npython: \"3.12\"\nframework: {name: pytorch, version: \"2.2\"}\n", "", "",
         false, "python/experimental"},
        // Volta (V100) dropped from CUDA 13 and from torch 2.11's cu128/cu130 wheels.
        {"pytorch/pytorch#172352", "name: a\nframework: {name: pytorch, version: \"2.11\"}\n", "--gpu v100", "", true,
         "arch/not-in-wheel"},
    };
    for (const auto& c : cases) {
        CheckRun run = check_profile(c.profile, c.host, c.environment);
        EXPECT_EQ(run.diagnostics.has_errors(), c.expect_error) << c.thread << "\n" << run.dump();
        if (!c.code.empty()) {
            EXPECT_TRUE(run.codes().contains(c.code)) << c.thread << " expected " << c.code << "\n" << run.dump();
        }
    }
}

TEST(CheckRules, CompanionPinnedInTheCondaEnvIsReportedAtItsLine)
{
    CheckRun run = check_profile(
        "name: a\nframework: {name: pytorch, version: \"2.3.1\"}\nconda:\n  environment: environment.yml\n", "",
        "channels: [conda-forge]\ndependencies:\n  - python=3.10\n  - pip:\n    - torchaudio==2.2.0\n");
    const Diagnostic* d = run.find("framework/companion-mismatch");
    ASSERT_NE(d, nullptr) << run.dump();
    EXPECT_EQ(d->where.line, 5);
    EXPECT_EQ(d->where.column, 7);
    EXPECT_EQ(d->message,
              "torchaudio==2.2.0 in environment.yml conflicts with torch 2.3.1, which pairs with torchaudio 2.3.1");
}

// A conda CUDA selector must agree with the image's CUDA (issue 11: the environment's
// pytorch-cuda/cudatoolkit/cuda-version pins); another major is an error at the pin.
TEST(CheckRules, SecondCudaMajorFromCondaIsAnErrorAtThePin)
{
    CheckRun run = check_profile("name: a\ncuda: \"12.4\"\nconda:\n  environment: environment.yml\n", "",
                                 "dependencies:\n  - pytorch-cuda=11.8\n");
    const Diagnostic* d = run.find("conda/cuda-pin-mismatch");
    ASSERT_NE(d, nullptr) << run.dump();
    EXPECT_EQ(d->severity, Severity::error);
    EXPECT_EQ(d->where.line, 2);
    EXPECT_EQ(d->fix, "use cuda: \"11.8\" (or leave cuda out: the pin decides it), or pin pytorch-cuda to 12.4");
}

// PyPI: torch 1.10.0 has cp36-cp39 wheels only; 1.10.2 added cp310.
TEST(CheckRules, PythonRangeIsThatOfThePatchWheels)
{
    CheckRun run = check_profile("name: a\npython: \"3.10\"\nframework: {name: pytorch, version: \"1.10.0\"}\n");
    const Diagnostic* d = run.find("python/out-of-range");
    ASSERT_NE(d, nullptr) << run.dump();
    EXPECT_EQ(d->message, "Python 3.10 is outside torch 1.10.0's range 3.6-3.9");
    run = check_profile("name: a\npython: \"3.10\"\nframework: {name: pytorch, version: \"1.10.2\"}\n");
    EXPECT_FALSE(run.codes().contains("python/out-of-range")) << run.dump();
}

TEST(CheckRules, TorchaudioFromTheStableAbiServesNewerTorch)
{
    CheckRun run = check_profile(
        "name: a\nframework: {name: pytorch, version: \"2.13\"}\npip:\n  packages: [\"torchaudio==2.11.0\"]\n");
    EXPECT_FALSE(run.codes().contains("framework/companion-mismatch")) << run.dump();
}

TEST(CheckRules, DriverFixNamesTheNewestCudaThatStarts)
{
    CheckRun run = check_profile("name: a\ncuda: \"12.8\"\n", "--driver 555.42.06");
    const Diagnostic* d = run.find("compat/driver-too-old");
    ASSERT_NE(d, nullptr) << run.dump();
    EXPECT_EQ(d->fix, "upgrade the driver to 570.26 or newer, or use cuda: \"12.5.1\"");
    EXPECT_EQ(d->where.line, 2);
}

// The toolkit's own driver is enough: NVIDIA_REQUIRE_CUDA is "cuda>=X.Y", met at that driver.
TEST(CheckRules, TheDriverThatShipsWithTheToolkitIsEnough)
{
    CheckRun at = check_profile("name: a\ncuda: \"13.0\"\n", "--driver 580.65.06");
    EXPECT_FALSE(at.codes().contains("compat/driver-too-old")) << at.dump();
    EXPECT_FALSE(at.codes().contains("compat/driver-needs-forward-compat")) << at.dump();
    // One release below: only datacenter GPUs start it, through the forward-compatibility package.
    CheckRun below = check_profile("name: a\ncuda: \"13.0\"\n", "--driver 575.64.05");
    EXPECT_TRUE(below.codes().contains("compat/driver-needs-forward-compat")) << below.dump();
}

// A framework that brings its own CUDA (TensorFlow's and-cuda pip libraries) needs that
// CUDA's driver floor even when the image's older CUDA would start.
TEST(CheckRules, AFrameworksOwnCudaNeedsItsDriverFloor)
{
    CheckRun run = check_profile("name: a\ncuda: \"11.8\"\nframework: {name: tensorflow, version: \"2.15\"}\n",
                                 "--driver 522.25.05");
    const Diagnostic* d = run.find("compat/driver-too-old");
    ASSERT_NE(d, nullptr) << run.dump();
    EXPECT_EQ(d->message,
              "tensorflow 2.15.1 and-cuda needs driver 525.60.13 or newer (CUDA 12); the host has 522.25.05");
    EXPECT_EQ(d->where.line, 3);
    CheckRun enough = check_profile("name: a\ncuda: \"11.8\"\nframework: {name: tensorflow, version: \"2.15\"}\n",
                                    "--driver 525.60.13");
    EXPECT_FALSE(enough.codes().contains("compat/driver-too-old")) << enough.dump();
}

// Without PTX, sm_80 code does not run on an sm_90 GPU; with it, the driver compiles the PTX.
TEST(CheckRules, AGpuNewerThanEveryArchNeedsThePtx)
{
    CheckRun without = check_profile("name: a\ngpu_archs: [\"8.0\"]\nptx: false\n", "--gpu h100");
    EXPECT_TRUE(without.codes().contains("arch/gpu-not-targeted")) << without.dump();
    CheckRun with = check_profile("name: a\ngpu_archs: [\"8.0\"]\n", "--gpu h100");
    EXPECT_FALSE(with.codes().contains("arch/gpu-not-targeted")) << with.dump();
}

// pytorch-cuda replaced cudatoolkit on the pytorch channel with 1.13 exactly.
TEST(CheckRules, CudatoolkitFromThePytorchChannelIsWrongFrom113On)
{
    auto run_with = [](const std::string& version) {
        return check_profile("name: a\nframework: {name: pytorch, version: \"" + version +
                                 "\", channel: conda}\nconda:\n  environment: environment.yml\n",
                             "",
                             "channels:\n  - pytorch\n  - conda-forge\ndependencies:\n  - pytorch=" + version +
                                 "\n  - cudatoolkit=11.7\n");
    };
    CheckRun at = run_with("1.13.1");
    EXPECT_TRUE(at.codes().contains("conda/cudatoolkit-with-pytorch-channel")) << at.dump();
    CheckRun before = run_with("1.12.1");
    EXPECT_FALSE(before.codes().contains("conda/cudatoolkit-with-pytorch-channel")) << before.dump();
}

TEST(CheckRules, NotInWheelSuggestsTheWheelThatHasTheArch)
{
    // Pascal (P100) left the cu128 wheels of torch 2.8; cu126 still has it.
    CheckRun run =
        check_profile("name: a\ncuda: \"12.8\"\nframework: {name: pytorch, version: \"2.8\"}\ngpu_archs: [p100]\n");
    const Diagnostic* d = run.find("arch/not-in-wheel");
    ASSERT_NE(d, nullptr) << run.dump();
    EXPECT_EQ(d->fix, "use the cu126 wheel: cuda: \"12.6\"");
    EXPECT_EQ(d->where.line, 4);
}

TEST(RequirementParsing, PipAndCondaSpecs)
{
    using checks::parse_conda_spec;
    using checks::parse_pip_requirement;
    auto pip = parse_pip_requirement("TorchVision==0.17.0+cu121");
    EXPECT_EQ(pip.name, "torchvision");
    EXPECT_EQ(pip.op, "==");
    EXPECT_EQ(pip.version, "0.17.0");
    EXPECT_EQ(parse_pip_requirement("fastapi").op, "");
    EXPECT_EQ(parse_pip_requirement("torch>=2.0").op, ">=");
    auto conda = parse_conda_spec("pytorch::torchvision=0.17=py310_cu121");
    EXPECT_EQ(conda.name, "torchvision");
    EXPECT_EQ(conda.op, "=");
    EXPECT_EQ(conda.version, "0.17");
    EXPECT_EQ(parse_conda_spec("cudatoolkit 11.8").version, "11.8");
}

}  // namespace
}  // namespace cudagen
