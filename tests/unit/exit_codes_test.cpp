// One table of exit codes: the README's section and `cudagen --help` are
// generated from it. CUDAGEN_UPDATE_GOLDEN=1 rewrites the README's section.
#include "core/exit_codes.hpp"
#include "core/process.hpp"
#include "core/text.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

namespace cudagen {
namespace {

const std::string k_readme = std::string(CUDAGEN_SOURCE_DIR) + "/README.md";
constexpr std::string_view k_begin =
    "<!-- exit-codes: generated from generator/core/exit_codes.cpp (CUDAGEN_UPDATE_GOLDEN=1 regenerates) -->\n";
constexpr std::string_view k_end = "<!-- exit-codes: end -->";

TEST(ExitCodes, CodesAndNamesAreUniqueAndOrdered)
{
    std::set<std::string_view> names;
    int previous = -1;
    for (const ExitCode& row : exit_code_table()) {
        EXPECT_GT(row.code, previous) << row.name;
        EXPECT_TRUE(names.insert(row.name).second) << "twice: " << row.name;
        EXPECT_FALSE(row.meaning.empty()) << row.name;
        previous = row.code;
    }
    EXPECT_EQ(find_exit_code(k_exit_internal)->name, "internal");
    EXPECT_NE(k_exit_internal, k_exit_usage);
    EXPECT_EQ(find_exit_code(33), nullptr);
}

TEST(ExitCodes, ReadmeSectionIsGeneratedFromTheTable)
{
    std::string text = read_file(k_readme).value_or("");
    std::size_t begin = text.find(k_begin);
    std::size_t end = text.find(k_end);
    ASSERT_NE(begin, std::string::npos) << "README.md lacks the exit-codes marker";
    ASSERT_NE(end, std::string::npos);
    begin += k_begin.size();
    const char* update = std::getenv("CUDAGEN_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        text = text.substr(0, begin) + exit_codes_markdown() + text.substr(end);
        std::ofstream(k_readme, std::ios::binary) << text;
        end = begin + exit_codes_markdown().size();
    }
    EXPECT_EQ(text.substr(begin, end - begin), exit_codes_markdown())
        << "README.md's exit codes are stale; run with CUDAGEN_UPDATE_GOLDEN=1";
}

TEST(ExitCodes, HelpPrintsTheTable)
{
    SystemProcessRunner runner;
    ProcessSpec spec;
    spec.argv = {CUDAGEN_BINARY, "--help"};
    ProcessResult result = runner.run(spec);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_NE(result.out.find(exit_codes_help()), std::string::npos) << result.out;
    for (const ExitCode& row : exit_code_table()) {
        EXPECT_NE(result.out.find(std::string(row.meaning)), std::string::npos) << row.name;
    }
}

}  // namespace
}  // namespace cudagen
