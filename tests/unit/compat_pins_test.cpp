// Pins in the user's own files (pip.packages, requirements files with their
// includes): a framework pinned there, a +cuXYZ build or a .../whl/cuXYZ index
// must agree with what cudagen resolved, each finding at the pin's line.
#include "check/check.hpp"
#include "check_harness.hpp"
#include "knowledge/knowledge.hpp"
#include "load/load_profile.hpp"
#include "resolve/resolve.hpp"
#include "validate/validate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

namespace cudagen {
namespace {

// --- pins in the user's own files ---------------------------------------------------------------

struct PinRun {
    Diagnostics diagnostics;
    const Diagnostic* find(const std::string& code) const
    {
        for (const auto& d : diagnostics.items()) {
            if (d.code == code) {
                return &d;
            }
        }
        return nullptr;
    }
};

// The profile next to `files` (name -> text) in a scratch build context.
PinRun check_with_files(const std::string& profile, const std::map<std::string, std::string>& files)
{
    PinRun run;
    test_support::fs::path dir = test_support::scratch_dir();
    for (const auto& [name, text] : files) {
        std::ofstream(dir / name) << text;
    }
    auto raw = load_profile_from_string(profile, (dir / "cudagen.yaml").string(), dir, run.diagnostics);
    if (raw) {
        read_profile_dependencies(*raw, run.diagnostics);
        adopt_user_pins(*raw, Knowledge::builtin().tables());
        auto resolved = resolve(*raw, Knowledge::builtin(), {}, run.diagnostics);
        if (resolved) {
            run_checks(*raw, *resolved, Knowledge::builtin(), HostFacts{}, run.diagnostics);
        }
    }
    test_support::fs::remove_all(dir);
    return run;
}

TEST(UserPins, TorchRangeInPipPackagesWithoutAFrameworkIsLocated)
{
    // Issue 11: pip.packages ["torch==1.13.1"] silently resolved CUDA 13.x. An exact pin is now adopted as the
    // framework (compat_user_pins_test.cpp); a range is reported, and the fix names the newest release it
    // admits: torch 1.13.1 is the last release below 2.0 (PyPI release history).
    PinRun run = check_with_files("name: a\npip:\n  packages: [\"torch>=1.13,<2.0\"]\n", {});
    const Diagnostic* d = run.find("framework/pinned-without-framework");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->where.line, 3);
    EXPECT_EQ(d->fix,
              "pin one release (torch==1.13.1 is adopted as the framework), or declare it: framework: {name: "
              "pytorch, version: \"1.13.1\"}");
}

TEST(UserPins, CudaLocalVersionInARequirementsFileIsLocatedAtItsLine)
{
    // Issue 11: torch==1.13.1+cu117 with --extra-index-url .../whl/cu117 on a CUDA 12.1 image passed as ok;
    // +cu117 wheels bundle CUDA 11.7 (download.pytorch.org/whl/cu117).
    PinRun run = check_with_files(
        "name: a\ncuda: \"12.1\"\npip:\n  requirements: requirements.txt\n",
        {{"requirements.txt",
          "numpy==1.26.4\n--extra-index-url https://download.pytorch.org/whl/cu117\ntorch==1.13.1+cu117\n"}});
    std::vector<int> lines;
    for (const auto& d : run.diagnostics.items()) {
        if (d.code == "framework/pinned-cuda-mismatch") {
            lines.push_back(d.where.line);
            EXPECT_TRUE(d.where.file.ends_with("requirements.txt")) << d.where.file;
        }
    }
    std::sort(lines.begin(), lines.end());
    EXPECT_EQ(lines, (std::vector<int>{2, 3}));
}

TEST(UserPins, IncludedRequirementsFilesAreFollowed)
{
    // pip's requirements-file format: "-r other.txt" includes another file (pip docs, 'Requirements File Format').
    PinRun run =
        check_with_files("name: a\ncuda: \"12.4\"\npip:\n  requirements: requirements.txt\n",
                         {{"requirements.txt", "-r base.txt\n"}, {"base.txt", "# pins\ntorch==2.0.1+cu117\n"}});
    const Diagnostic* d = run.find("framework/pinned-cuda-mismatch");
    ASSERT_NE(d, nullptr);
    EXPECT_TRUE(d->where.file.ends_with("base.txt")) << d->where.file;
    EXPECT_EQ(d->where.line, 2);
}

TEST(UserPins, TorchBuildOtherThanTheResolvedOneIsAnError)
{
    // torch 2.3.1 on CUDA 12.1 resolves the cu121 wheel; a +cu118 pin asks for the CUDA 11.8 build.
    PinRun run = check_with_files(
        "name: a\ncuda: \"12.1\"\nframework: {name: pytorch, version: \"2.3.1\"}\n"
        "pip:\n  packages: [\"torchvision==0.18.1+cu118\"]\n",
        {});
    ASSERT_NE(run.find("framework/pinned-cuda-mismatch"), nullptr);
    PinRun same = check_with_files(
        "name: a\ncuda: \"12.1\"\nframework: {name: pytorch, version: \"2.3.1\"}\n"
        "pip:\n  packages: [\"torchvision==0.18.1+cu121\"]\n",
        {});
    EXPECT_EQ(same.find("framework/pinned-cuda-mismatch"), nullptr);
}

TEST(UserPins, FrameworkPinInARequirementsFileMustAgree)
{
    // torch 2.3.1 pairs with torchvision 0.18.1 (pytorch/vision README compatibility table).
    PinRun run =
        check_with_files("name: a\nframework: {name: pytorch, version: \"2.3.1\"}\npip:\n  requirements: req.txt\n",
                         {{"req.txt", "torchvision==0.17.0\n"}});
    const Diagnostic* d = run.find("framework/companion-mismatch");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->where.line, 1);
}

}  // namespace
}  // namespace cudagen
