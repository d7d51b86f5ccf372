// `cudagen resolve` (text): each value, its origin and reason, and its profile line.
#include "cli/resolved_json.hpp"
#include "knowledge/knowledge.hpp"
#include "load/load_profile.hpp"
#include "resolve/resolve.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace cudagen {
namespace {

TEST(ResolvedText, ShowsValuesWithOriginsAndLines)
{
    std::filesystem::current_path(CUDAGEN_SOURCE_DIR);
    Diagnostics diagnostics;
    auto raw = load_profile_file("profiles/fastapi-torch/cudagen.yaml", diagnostics);
    ASSERT_TRUE(raw);
    auto resolved = resolve(*raw, Knowledge::builtin(), {}, diagnostics);
    ASSERT_TRUE(resolved);
    std::string text = resolved_to_text(*resolved);
    EXPECT_NE(text.find("  gpu_archs                  sm_80 (a100), sm_90 (h100)\n"), std::string::npos) << text;
    EXPECT_NE(text.find("  python                     3.11 from micromamba in /opt/env\n"), std::string::npos) << text;
    EXPECT_NE(text.find("  cuda                       12.4.1\n                              derived: CUDA of torch "
                        "2.5.1's default build cu124"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("(profiles/fastapi-torch/cudagen.yaml:14)"), std::string::npos) << text;
    EXPECT_NE(
        text.find("  framework.index_url        PyPI\n                              derived: PyPI: torch 2.5.1 there"),
        std::string::npos)
        << text;
}

}  // namespace
}  // namespace cudagen
