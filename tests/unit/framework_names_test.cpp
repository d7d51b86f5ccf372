// Only the framework units (generator/frameworks/) and the knowledge tables they
// read (generator/knowledge/) may tell one framework from another. Everywhere else
// in generator/ a comparison with a framework's name or package, or a use of one
// framework's table types or fields, is a branch on the framework: this test finds
// them in the source text (comments removed).
#include "frameworks/registry.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace cudagen {
namespace {

namespace fs = std::filesystem;

// Folders allowed to know frameworks apart, and single lines elsewhere that
// name a package for another reason (with that reason).
const std::vector<std::string> k_allowed_folders = {"generator/frameworks/", "generator/knowledge/",
                                                    "generator/tools/"};
struct Allowed {
    std::string file;
    std::string text;  // a substring of the line
    std::string why;
};
const std::vector<Allowed> k_allowed_lines = {
    {"generator/check/check_conda.cpp", "\"pytorch\"",
     "the pytorch conda channel and its pytorch package (the cudatoolkit rule is about that channel)"},
    {"generator/check/check_env_pins.cpp", "\"pytorch\"", "the pytorch conda channel and its pytorch package"},
    {"generator/load/schema.cpp", "\"framework.name\"", "the example value the schema reference shows"},
    {"generator/scaffold/scaffold.hpp", "std::string framework = \"pytorch\"", "cudagen init's default choice"},
};

std::string without_comments(const std::string& line)
{
    std::size_t at = line.find("//");
    return at == std::string::npos ? line : line.substr(0, at);
}

bool allowed(const std::string& file, const std::string& line)
{
    return std::any_of(k_allowed_lines.begin(), k_allowed_lines.end(),
                       [&](const Allowed& a) { return a.file == file && line.find(a.text) != std::string::npos; });
}

std::vector<std::regex> branch_patterns()
{
    std::vector<std::string> words;
    for (const Framework* unit : builtin_frameworks()) {
        words.emplace_back(unit->name());
        for (std::string_view package : unit->package_names()) {
            words.emplace_back(package);
        }
    }
    std::string names;
    for (const auto& word : words) {
        names += (names.empty() ? "" : "|") + word;
    }
    return {
        std::regex("\"(" + names + ")\""),                  // a framework's name or package as a literal
        std::regex(R"(\b(Torch|Tensorflow|Jax)[A-Z]\w*)"),  // one framework's table types
        std::regex(
            R"(\.(torch|tensorflow|jax)(_release|_pypi|_patch_versions|_versions|_extras?|_arm64(_wheel)?|_newest_known|_requirement_rows)?\b)"),
    };
}

TEST(FrameworkNames, NoBranchOnAFrameworkOutsideTheUnits)
{
    const fs::path root = CUDAGEN_SOURCE_DIR;
    const std::vector<std::regex> patterns = branch_patterns();
    std::vector<std::string> found;
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root / "generator")) {
        std::string ext = entry.path().extension().string();
        if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) {
            continue;
        }
        std::string file = fs::relative(entry.path(), root).generic_string();
        if (std::any_of(k_allowed_folders.begin(), k_allowed_folders.end(),
                        [&](const std::string& folder) { return file.starts_with(folder); })) {
            continue;
        }
        ++files;
        std::ifstream in(entry.path());
        std::string line;
        for (int number = 1; std::getline(in, line); ++number) {
            std::string code = without_comments(line);
            bool hit = std::any_of(patterns.begin(), patterns.end(),
                                   [&](const std::regex& pattern) { return std::regex_search(code, pattern); });
            if (hit && !allowed(file, code)) {
                found.push_back(file + ":" + std::to_string(number) + ": " + line);
            }
        }
    }
    EXPECT_GT(files, 50u);
    std::ostringstream report;
    for (const auto& hit : found) {
        report << hit << "\n";
    }
    EXPECT_TRUE(found.empty()) << "framework-specific code outside generator/frameworks/:\n" << report.str();
}

TEST(FrameworkNames, ThePatternsFindABranch)
{
    const std::vector<std::regex> patterns = branch_patterns();
    for (const std::string code : {R"(if (framework->name == "pytorch") {)", R"(context.tables.torch_release(v))",
                                   R"(const JaxExtra* extra = nullptr;)", R"(name == "torch" ? a : b)"}) {
        EXPECT_TRUE(std::any_of(patterns.begin(), patterns.end(), [&](const std::regex& pattern) {
            return std::regex_search(code, pattern);
        })) << code;
    }
    EXPECT_FALSE(std::regex_search(std::string("p.torch_cuda_arch_list"), patterns[2]));
}

}  // namespace
}  // namespace cudagen
