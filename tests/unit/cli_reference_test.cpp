// docs/cli.md, docs/cudagen.1 and the completion scripts are generated from the
// command table; the checked-in files must equal what the table gives today.
#include "cli/cli_reference.hpp"
#include "cli/command.hpp"
#include "core/text.hpp"

#include "support/golden_update.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace cudagen {
namespace {

void expect_file_is(const std::string& relative, const std::string& expected)
{
    std::string path = std::string(CUDAGEN_SOURCE_DIR) + "/" + relative;
    if (testing::golden_update_requested()) {
        std::ofstream(path, std::ios::binary) << expected;
    }
    EXPECT_EQ(read_file(path).value_or("(missing)"), expected)
        << relative << ": regenerate with CUDAGEN_UPDATE_GOLDEN=1";
}

TEST(CliReference, CheckedInPagesMatchTheCommandTable)
{
    expect_file_is("docs/cli.md", render_cli_markdown());
    expect_file_is("docs/cudagen.1", render_man_page());
    expect_file_is("completions/cudagen.bash", render_bash_completion());
    expect_file_is("completions/_cudagen", render_zsh_completion());
}

TEST(CliReference, EveryCommandHasASection)
{
    std::string page = render_cli_markdown();
    std::string bash = render_bash_completion();
    for (const auto& command : command_table()) {
        EXPECT_NE(page.find("\n## cudagen " + std::string(command.name) + "\n"), std::string::npos) << command.name;
        EXPECT_NE(bash.find(" " + std::string(command.name) + ") "), std::string::npos) << command.name;
    }
}

TEST(CliReference, OptionsAndTheirChoicesAreListed)
{
    std::string page = render_cli_markdown();
    EXPECT_NE(page.find("| `--framework pytorch\\|tensorflow\\|jax\\|none` |"), std::string::npos);
    EXPECT_NE(page.find("| `--format markdown\\|json-schema` |"), std::string::npos);
    EXPECT_NE(render_bash_completion().find("init:--framework) words='pytorch tensorflow jax none' ;;"),
              std::string::npos);
}

}  // namespace
}  // namespace cudagen
