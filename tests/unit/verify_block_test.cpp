// The verify block that the build renders and embeds (generator/tools/
// render_verify_block.cpp) is exactly what the renderer makes at run time.
#include "core/embedded.hpp"
#include "render/render.hpp"

#include <gtest/gtest.h>

namespace cudagen {
namespace {

TEST(VerifyBlock, TheBuildTimeBlockIsWhatTheRendererMakes)
{
    std::optional<std::string_view> built = embedded_file(k_rendered_verify_block);
    ASSERT_TRUE(built);
    Diagnostics diagnostics;
    std::optional<std::string> rendered = render_verify_block(diagnostics);
    ASSERT_TRUE(rendered);
    EXPECT_FALSE(diagnostics.has_errors());
    EXPECT_EQ(*built, *rendered);
    EXPECT_NE(built->find("/opt/cudagen/src/verify.cu"), std::string_view::npos);
    EXPECT_NE(built->find("sha256sum -c"), std::string_view::npos);
}

}  // namespace
}  // namespace cudagen
