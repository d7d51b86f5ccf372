// The built-in tables are read from their build-time JSON form; it must give
// exactly what the YAML sources give.
#include "cli/resolved_json.hpp"
#include "core/embedded.hpp"
#include "knowledge/knowledge.hpp"
#include "load/load_profile.hpp"
#include "resolve/resolve.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace cudagen {
namespace {

TEST(KnowledgeBuiltin, JsonFormResolvesLikeTheYamlSources)
{
    std::map<std::string, std::string> texts;
    for (std::string_view name : embedded_names()) {
        if (name.starts_with("generator/data/") && name.ends_with(".yaml")) {
            texts[std::string(name)] = std::string(*embedded_file(name));
        }
    }
    ASSERT_GE(texts.size(), 9u);
    Diagnostics diagnostics;
    std::unique_ptr<Knowledge> from_yaml = Knowledge::from_texts(texts, diagnostics);
    ASSERT_FALSE(diagnostics.has_errors());
    int compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(CUDAGEN_SOURCE_DIR) + "/profiles")) {
        auto raw = load_profile_file((entry.path() / "cudagen.yaml").string(), diagnostics);
        ASSERT_TRUE(raw) << entry.path();
        auto a = resolve(*raw, Knowledge::builtin(), {}, diagnostics);
        auto b = resolve(*raw, *from_yaml, {}, diagnostics);
        ASSERT_TRUE(a && b) << entry.path();
        EXPECT_EQ(resolved_to_json(*a).dump(), resolved_to_json(*b).dump()) << entry.path();
        ++compared;
    }
    EXPECT_GE(compared, 6);
}

}  // namespace
}  // namespace cudagen
