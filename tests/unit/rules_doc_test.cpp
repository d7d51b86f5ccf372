// docs/rules.md is rendered from the rule catalog; this test fails when the
// two differ. CUDAGEN_UPDATE_GOLDEN=1 rewrites the file instead.
#include "check/rules.hpp"
#include "support/golden_update.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace cudagen {
namespace {

const std::string k_doc = std::string(CUDAGEN_SOURCE_DIR) + "/docs/rules.md";

TEST(RulesDoc, MatchesTheRuleCatalog)
{
    std::string expected = render_rules_markdown();
    if (testing::golden_update_requested()) {
        std::ofstream(k_doc, std::ios::binary) << expected;
    }
    std::ifstream in(k_doc, std::ios::binary);
    ASSERT_TRUE(in) << k_doc << " is missing; run with CUDAGEN_UPDATE_GOLDEN=1";
    std::stringstream actual;
    actual << in.rdbuf();
    std::string text = actual.str();
    std::size_t at = 0;
    while (at < text.size() && at < expected.size() && text[at] == expected[at]) {
        ++at;
    }
    std::size_t line_start = expected.rfind('\n', at == 0 ? 0 : at - 1);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    EXPECT_TRUE(text == expected)
        << "docs/rules.md is stale (run with CUDAGEN_UPDATE_GOLDEN=1); first difference in the line:\n"
        << expected.substr(line_start, expected.find('\n', at) - line_start);
}

TEST(RulesDoc, ListsEveryCode)
{
    std::string doc = render_rules_markdown();
    for (const auto& rule : rule_catalog()) {
        EXPECT_NE(doc.find("## `" + std::string(rule.code) + "`"), std::string::npos) << rule.code;
    }
}

}  // namespace
}  // namespace cudagen
