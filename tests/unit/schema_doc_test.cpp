// docs/profile-reference.md is generated from the schema the loader enforces.
#include "core/text.hpp"
#include "load/schema.hpp"
#include "support/golden_update.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace cudagen {
namespace {

TEST(SchemaDoc, ReferencePageMatchesSchema)
{
    std::string path = std::string(CUDAGEN_SOURCE_DIR) + "/docs/profile-reference.md";
    std::string expected = render_schema_markdown();
    if (testing::golden_update_requested()) {
        std::ofstream(path, std::ios::binary) << expected;
    }
    EXPECT_EQ(read_file(path).value_or(""), expected) << "regenerate with: cudagen schema > docs/profile-reference.md";
}

TEST(SchemaDoc, EveryIssueFieldIsInTheSchema)
{
    for (const char* path : {"name",
                             "cuda",
                             "os",
                             "cudnn",
                             "python",
                             "framework.name",
                             "framework.version",
                             "framework.with",
                             "framework.channel",
                             "conda.environment",
                             "pip.requirements",
                             "pip.packages",
                             "apt",
                             "gpu_archs",
                             "platforms",
                             "build.copy",
                             "build.run",
                             "build.artifacts",
                             "app.copy",
                             "app.workdir",
                             "app.env",
                             "app.expose",
                             "app.cmd",
                             "app.user",
                             "image.registry",
                             "image.tags",
                             "image.base_registry"}) {
        EXPECT_NE(find_field(path), nullptr) << path;
    }
}

}  // namespace
}  // namespace cudagen
