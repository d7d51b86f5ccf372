// docs/cudagen.schema.json is generated from the schema table the loader walks.
#include "load/json_schema.hpp"
#include "core/text.hpp"
#include "load/schema.hpp"

#include "support/golden_update.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

namespace cudagen {
namespace {

const nlohmann::json& schema_node(const nlohmann::json& root, std::string_view path)
{
    const nlohmann::json* node = &root;
    for (const auto& step : split(path, '.')) {
        node = &node->at("properties").at(step);
    }
    return *node;
}

TEST(JsonSchema, CheckedInFileMatchesTheTable)
{
    std::string path = std::string(CUDAGEN_SOURCE_DIR) + "/docs/cudagen.schema.json";
    std::string expected = render_profile_json_schema();
    if (testing::golden_update_requested()) {
        std::ofstream(path, std::ios::binary) << expected;
    }
    EXPECT_EQ(read_file(path).value_or(""), expected)
        << "regenerate with: cudagen schema --format json-schema > docs/cudagen.schema.json";
}

TEST(JsonSchema, EveryFieldOfTheTableIsThereWithItsKind)
{
    nlohmann::json root = nlohmann::json::parse(render_profile_json_schema());
    for (const auto& field : profile_schema()) {
        const nlohmann::json& node = schema_node(root, field.path);
        std::string type = node.at("type").is_string() ? node.at("type").get<std::string>() : "scalar";
        switch (field.kind) {
            case FieldKind::section:
            case FieldKind::string_map:
                EXPECT_EQ(type, "object") << field.path;
                break;
            case FieldKind::boolean:
                EXPECT_EQ(type, "boolean") << field.path;
                break;
            case FieldKind::string:
                EXPECT_TRUE(type == "string" || type == "scalar") << field.path;
                break;
            default:
                EXPECT_EQ(type, "array") << field.path;
                break;
        }
    }
}

TEST(JsonSchema, SectionsRejectUnknownKeysAndListRequiredOnes)
{
    nlohmann::json root = nlohmann::json::parse(render_profile_json_schema());
    EXPECT_EQ(root.at("additionalProperties"), false);
    EXPECT_EQ(root.at("required"), nlohmann::json::array({"name"}));
    const nlohmann::json& framework = schema_node(root, "framework");
    EXPECT_EQ(framework.at("additionalProperties"), false);
    EXPECT_EQ(framework.at("required"), nlohmann::json::array({"name", "version"}));
}

TEST(JsonSchema, GrammarsBecomePatternsOrEnums)
{
    nlohmann::json root = nlohmann::json::parse(render_profile_json_schema());
    EXPECT_EQ(schema_node(root, "framework.name").at("enum"), nlohmann::json::array({"pytorch", "tensorflow", "jax"}));
    EXPECT_EQ(schema_node(root, "python").at("pattern"), "^(3\\.[0-9]{1,2})$");
    EXPECT_EQ(schema_node(root, "platforms").at("items").at("pattern"), "^(linux/(amd64|arm64))$");
}

}  // namespace
}  // namespace cudagen
