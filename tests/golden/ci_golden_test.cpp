// Golden files of the generated CI workflows, one test per case.
// CUDAGEN_UPDATE_GOLDEN=1 rewrites them; review the diff.
#include "ci/ci.hpp"
#include "cli/pipeline.hpp"
#include "core/text.hpp"

#include "support/golden_update.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace cudagen {
namespace {

namespace fs = std::filesystem;

struct CiCase {
    std::string file;  // under tests/golden/ci/
    CiOptions options;
};

std::vector<CiCase> ci_cases()
{
    CiOptions github;
    github.profiles = {"profiles/service-lite/cudagen.yaml", "profiles/multiarch/cudagen.yaml"};
    CiOptions native = github;
    native.arm64 = "native";
    native.verify = "rootfs";
    native.gpu_runner = "h100";
    CiOptions gitlab = github;
    gitlab.provider = "gitlab";
    CiOptions gitlab_rootfs = native;
    gitlab_rootfs.provider = "gitlab";
    return {{"github-qemu-docker.yml", github},
            {"github-native-rootfs.yml", native},
            {"gitlab-qemu-docker.yml", gitlab},
            {"gitlab-native-rootfs.yml", gitlab_rootfs}};
}

std::optional<RenderedFile> render_case(const CiCase& golden, Diagnostics& diagnostics)
{
    fs::current_path(CUDAGEN_SOURCE_DIR);
    PipelineOptions pipeline;
    pipeline.profiles = golden.options.profiles;
    pipeline.last_stage = Stage::resolve;
    PipelineResult result = run_pipeline(pipeline);
    EXPECT_EQ(result.exit_code, 0);
    return render_ci(result.resolved, golden.options, diagnostics);
}

void PrintTo(const CiCase& golden, std::ostream* out)
{
    *out << golden.file;
}

class CiGolden : public ::testing::TestWithParam<CiCase> {};

TEST_P(CiGolden, MatchesRenderedWorkflow)
{
    Diagnostics diagnostics;
    std::optional<RenderedFile> file = render_case(GetParam(), diagnostics);
    ASSERT_TRUE(file.has_value()) << (diagnostics.items().empty() ? "" : diagnostics.items()[0].message);
    fs::path path = fs::path(CUDAGEN_SOURCE_DIR) / "tests" / "golden" / "ci" / GetParam().file;
    if (testing::golden_update_requested()) {
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << file->content;
    }
    EXPECT_EQ(read_file(path.string()).value_or("(missing)"), file->content)
        << "regenerate with CUDAGEN_UPDATE_GOLDEN=1 and review the diff";
    Diagnostics again;
    EXPECT_EQ(render_case(GetParam(), again)->content, file->content) << "rendering twice must give identical bytes";
}

INSTANTIATE_TEST_SUITE_P(Workflows, CiGolden, ::testing::ValuesIn(ci_cases()), [](const auto& info) {
    std::string name = info.param.file.substr(0, info.param.file.find('.'));
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
});

TEST(Ci, OneBuildJobPerProfileAndPlatform)
{
    Diagnostics diagnostics;
    std::optional<RenderedFile> file = render_case(ci_cases()[0], diagnostics);
    ASSERT_TRUE(file.has_value());
    const std::string& text = file->content;
    EXPECT_NE(
        text.find("- {target: service-lite, platform: linux/amd64, arch: amd64, runner: ubuntu-24.04, qemu: false}"),
        std::string::npos);
    EXPECT_NE(
        text.find("- {target: multiarch-infer, platform: linux/arm64, arch: arm64, runner: ubuntu-24.04, qemu: true}"),
        std::string::npos);
}

TEST(Ci, NativeArm64UsesArmRunnersWithoutQemu)
{
    Diagnostics diagnostics;
    std::optional<RenderedFile> file = render_case(ci_cases()[1], diagnostics);
    ASSERT_TRUE(file.has_value());
    EXPECT_NE(file->content.find("platform: linux/arm64, arch: arm64, runner: ubuntu-24.04-arm, qemu: false"),
              std::string::npos);
    EXPECT_EQ(file->content.find("setup-qemu-action"), std::string::npos);
    EXPECT_NE(file->content.find("runs-on: [self-hosted, linux, x64, h100]"), std::string::npos);
}

TEST(Ci, EveryActionIsPinnedToACommit)
{
    Diagnostics diagnostics;
    std::optional<RenderedFile> file = render_case(ci_cases()[0], diagnostics);
    ASSERT_TRUE(file.has_value());
    std::size_t uses = 0;
    for (const auto& line : split(file->content, '\n')) {
        std::size_t at = line.find("uses: ");
        if (at == std::string::npos) {
            continue;
        }
        ++uses;
        std::string ref = line.substr(line.find('@') + 1, 40);
        EXPECT_EQ(ref.find_first_not_of("0123456789abcdef"), std::string::npos) << line;
        EXPECT_NE(line.find(" # v"), std::string::npos) << line;
    }
    EXPECT_GE(uses, 8u);
}

TEST(Ci, RejectsProfilePathsThatCannotGoIntoTheWorkflow)
{
    CiOptions options;
    options.profiles = {"../elsewhere/cudagen.yaml", "my profile.yaml"};
    Diagnostics diagnostics;
    EXPECT_FALSE(render_ci({}, options, diagnostics).has_value());
    ASSERT_EQ(diagnostics.items().size(), 2u);
    EXPECT_EQ(diagnostics.items()[0].code, "usage/ci-path");
    EXPECT_EQ(diagnostics.items()[0].message, "profile path '../elsewhere/cudagen.yaml' cannot go into a CI file");
}

}  // namespace
}  // namespace cudagen
