// Golden files for every rendered artifact of every shipped profile, one test
// per case. CUDAGEN_UPDATE_GOLDEN=1 rewrites them; review the diff.
#include "cli/pipeline.hpp"
#include "core/text.hpp"
#include "render/render.hpp"
#include "support/golden_update.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

namespace cudagen {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
    std::string name;                   // folder under tests/golden/
    std::vector<std::string> profiles;  // relative to the repository
};

std::vector<RenderedFile> render_case(const GoldenCase& golden)
{
    fs::current_path(CUDAGEN_SOURCE_DIR);
    PipelineOptions options;
    options.profiles = golden.profiles;
    PipelineResult result = run_pipeline(options);
    std::ostringstream messages;
    print_diagnostics(result.diagnostics, result.raw, messages);
    EXPECT_EQ(result.exit_code, 0) << messages.str();
    Diagnostics diagnostics;
    RenderOptions render{fs::path(CUDAGEN_SOURCE_DIR) / "build" / "cudagen", golden.profiles.size() > 1};
    auto files = render_profiles(result.resolved, render, diagnostics);
    EXPECT_TRUE(files.has_value());
    std::vector<RenderedFile> out = files.value_or(std::vector<RenderedFile>{});
    // The bake file names the absolute output folder; goldens must not depend on the checkout's place.
    for (auto& file : out) {
        const std::string source = CUDAGEN_SOURCE_DIR;
        for (std::size_t at = file.content.find(source); at != std::string::npos; at = file.content.find(source, at)) {
            file.content.replace(at, source.size(), "<source>");
        }
    }
    return out;
}

void PrintTo(const GoldenCase& golden, std::ostream* out)
{
    *out << golden.name;
}

class Golden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, MatchesRenderedFiles)
{
    const GoldenCase& golden = GetParam();
    fs::path folder = fs::path(CUDAGEN_SOURCE_DIR) / "tests" / "golden" / golden.name;
    bool update = testing::golden_update_requested();
    std::vector<RenderedFile> files = render_case(golden);
    ASSERT_FALSE(files.empty());
    std::set<std::string> rendered;
    for (const auto& file : files) {
        rendered.insert(fs::path(file.path).generic_string());
    }
    if (update) {
        fs::remove_all(folder);  // a file no longer rendered must not stay behind as a golden
    }
    for (const auto& file : files) {
        fs::path expected_path = folder / file.path;
        if (update) {
            fs::create_directories(expected_path.parent_path());
            std::ofstream(expected_path, std::ios::binary) << file.content;
            continue;
        }
        std::optional<std::string> expected = read_file(expected_path.string());
        ASSERT_TRUE(expected) << "missing golden file " << expected_path << " (run with CUDAGEN_UPDATE_GOLDEN=1)";
        EXPECT_EQ(file.content, *expected) << "rendered " << file.path << " differs from " << expected_path;
    }
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        if (entry.is_regular_file()) {
            std::string relative = entry.path().lexically_relative(folder).generic_string();
            EXPECT_TRUE(rendered.contains(relative)) << "golden file " << relative << " of " << golden.name
                                                     << " is not rendered any more (run with CUDAGEN_UPDATE_GOLDEN=1)";
        }
    }
}

TEST_P(Golden, RendersIdenticallyTwice)
{
    std::vector<RenderedFile> first = render_case(GetParam());
    std::vector<RenderedFile> second = render_case(GetParam());
    ASSERT_EQ(first.size(), second.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        EXPECT_EQ(first[i].path, second[i].path);
        EXPECT_EQ(first[i].content, second[i].content);
    }
}

// generate writes each Dockerfile with the verify sample's block apart (one copy
// in memory, written with writev): put together, it is the text rendered whole.
TEST_P(Golden, TheVerifyBlockKeptApartPutsTogetherTheSameText)
{
    const GoldenCase& golden = GetParam();
    fs::current_path(CUDAGEN_SOURCE_DIR);
    PipelineOptions options;
    options.profiles = golden.profiles;
    PipelineResult result = run_pipeline(options);
    ASSERT_EQ(result.exit_code, 0);
    fs::path output = fs::path(CUDAGEN_SOURCE_DIR) / "build" / "cudagen";
    bool several = golden.profiles.size() > 1;
    ProfileRenderer whole({.output_dir = output, .one_folder_per_profile = several});
    ProfileRenderer apart({.output_dir = output, .one_folder_per_profile = several, .constant_text_apart = true});
    for (const auto& profile : result.resolved) {
        Diagnostics diagnostics;
        std::optional<RenderedFile> expected = whole.dockerfile(profile, diagnostics);
        std::optional<ProfileRenderer::Rendered> split = apart.render(profile, diagnostics);
        ASSERT_TRUE(expected && split);
        EXPECT_TRUE(expected->inserts.empty());
        EXPECT_EQ(split->file.inserts.size(), profile.verify ? 1u : 0u) << profile.name;
        EXPECT_LT(split->file.content.size(), expected->content.size() - (profile.verify ? 10000 : 0)) << profile.name;
        EXPECT_EQ(whole_text(split->file), expected->content) << profile.name;
        EXPECT_EQ(split->file.path, expected->path);
    }
}

std::vector<GoldenCase> golden_cases()
{
    std::vector<GoldenCase> cases;
    fs::path profiles = fs::path(CUDAGEN_SOURCE_DIR) / "profiles";
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(profiles)) {
        if (fs::exists(entry.path() / "cudagen.yaml")) {
            names.push_back(entry.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
        cases.push_back({name, {"profiles/" + name + "/cudagen.yaml"}});
    }
    cases.push_back({"multi", {"profiles/cuda-cpp/cudagen.yaml", "profiles/service-lite/cudagen.yaml"}});
    return cases;
}

std::string case_name(const ::testing::TestParamInfo<GoldenCase>& info)
{
    std::string name = info.param.name;
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

INSTANTIATE_TEST_SUITE_P(ShippedProfiles, Golden, ::testing::ValuesIn(golden_cases()), case_name);

// The project fixtures (patterns of real repositories): tests/golden/projects/<name>/.
std::vector<GoldenCase> fixture_cases()
{
    std::vector<GoldenCase> cases;
    fs::path fixtures = fs::path(CUDAGEN_SOURCE_DIR) / "tests" / "fixtures" / "projects";
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(fixtures)) {
        if (fs::exists(entry.path() / "cudagen.yaml")) {
            names.push_back(entry.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
        cases.push_back({"projects/" + name, {"tests/fixtures/projects/" + name + "/cudagen.yaml"}});
    }
    return cases;
}

std::string fixture_case_name(const ::testing::TestParamInfo<GoldenCase>& info)
{
    std::string name = info.param.name.substr(std::string("projects/").size());
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

INSTANTIATE_TEST_SUITE_P(ProjectFixtures, Golden, ::testing::ValuesIn(fixture_cases()), fixture_case_name);

TEST(ShippedProfiles, AtLeastSixShip)
{
    EXPECT_GE(golden_cases().size(), 7u);  // six profiles and the multi-profile case
}

}  // namespace
}  // namespace cudagen
