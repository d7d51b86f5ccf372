// The built-in tables are read from their compiled form (knowledge/table_archive.hpp,
// written at build time); it must give exactly what the YAML sources give.
#include "cli/resolved_json.hpp"
#include "core/embedded.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/table_archive.hpp"
#include "knowledge/tables.hpp"
#include "load/load_profile.hpp"
#include "resolve/resolve.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

namespace cudagen {
namespace {

std::unique_ptr<Knowledge> load_yaml_sources()
{
    std::map<std::string, std::string> texts;
    for (std::string_view name : embedded_names()) {
        if (name.starts_with("generator/data/") && name.ends_with(".yaml")) {
            texts[std::string(name)] = std::string(*embedded_file(name));
        }
    }
    EXPECT_GE(texts.size(), 9u);
    Diagnostics diagnostics;
    std::unique_ptr<Knowledge> from_yaml = Knowledge::from_texts(texts, diagnostics);
    EXPECT_FALSE(diagnostics.has_errors());
    return from_yaml;
}

TEST(KnowledgeBuiltin, CompiledTablesResolveLikeTheYamlSources)
{
    std::unique_ptr<Knowledge> from_yaml = load_yaml_sources();
    ASSERT_TRUE(from_yaml);
    Diagnostics diagnostics;
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

TEST(KnowledgeBuiltin, CompiledTablesHoldEveryRowOfTheYamlSources)
{
    std::unique_ptr<Knowledge> from_yaml = load_yaml_sources();
    ASSERT_TRUE(from_yaml);
    const KnowledgeTables& builtin = Knowledge::builtin().tables();
    EXPECT_EQ(write_table_archive(builtin), write_table_archive(from_yaml->tables()));
    // Spot checks that do not go through the archive: the rows are there and typed.
    ASSERT_EQ(builtin.images.size(), from_yaml->tables().images.size());
    EXPECT_GT(builtin.images.size(), 10u);
    EXPECT_EQ(builtin.images.front().cuda.str(), from_yaml->tables().images.front().cuda.str());
    EXPECT_EQ(builtin.tables.size(), from_yaml->tables().tables.size());
    EXPECT_EQ(builtin.frameworks.size(), from_yaml->tables().frameworks.size());
    ASSERT_FALSE(builtin.torch.empty());
    EXPECT_EQ(builtin.torch.back().patches.size(), from_yaml->tables().torch.back().patches.size());
}

// The tools' pins are read from the compiled tables, not from the YAML at run time:
// each row of python_tools.yaml, read here with yaml-cpp alone, is in them.
TEST(KnowledgeBuiltin, CompiledPythonToolsEqualTheYamlRows)
{
    YAML::Node root = YAML::Load(std::string(*embedded_file("generator/data/python_tools.yaml")));
    const KnowledgeTables& builtin = Knowledge::builtin().tables();
    std::size_t rows = 0;
    for (const auto& row : root["python_tools"]["rows"]) {
        std::string name = row["name"].as<std::string>();
        EXPECT_EQ(builtin.python_tool_version(name), row["version"].as<std::string>()) << name;
        ++rows;
    }
    EXPECT_GE(rows, 3u);
    EXPECT_EQ(builtin.python_tools.size(), rows);
    EXPECT_EQ(builtin.python_tool_version("not-a-tool"), "");
    auto info = std::find_if(builtin.tables.begin(), builtin.tables.end(),
                             [](const TableInfo& table) { return table.name == "python_tools"; });
    ASSERT_NE(info, builtin.tables.end());
    EXPECT_EQ(info->read, root["python_tools"]["read"].as<std::string>());
}

TEST(KnowledgeBuiltin, ArchiveKeepsVersionTextAndOptionalValues)
{
    KnowledgeTables tables;
    tables.driver_floors.push_back({*Version::parse("10.0"), *Version::parse("580.65.06"), true, "note"});
    tables.jetson_bases.push_back({*Version::parse("8.7"), "l4t", std::nullopt});
    tables.jetson_bases.push_back({*Version::parse("11.0"), "sbsa", *Version::parse("13.0")});
    tables.images.push_back({});
    tables.images.back().os.push_back({"ubuntu24.04", {"amd64", "arm64"}});
    tables.images.back().fc_branches = std::vector<int>{535, 550};
    KnowledgeTables read;
    ASSERT_TRUE(read_table_archive(write_table_archive(tables), read));
    ASSERT_EQ(read.driver_floors.size(), 1u);
    EXPECT_EQ(read.driver_floors[0].min_driver.str(), "580.65.06");
    EXPECT_EQ(read.driver_floors[0].min_driver.part(1), 65);
    EXPECT_TRUE(read.driver_floors[0].unconfirmed);
    EXPECT_EQ(read.driver_floors[0].note, "note");
    ASSERT_EQ(read.jetson_bases.size(), 2u);
    EXPECT_FALSE(read.jetson_bases[0].sbsa_from_cuda);
    ASSERT_TRUE(read.jetson_bases[1].sbsa_from_cuda);
    EXPECT_EQ(read.jetson_bases[1].sbsa_from_cuda->str(), "13.0");
    ASSERT_EQ(read.images.size(), 1u);
    EXPECT_EQ(read.images[0].arches("ubuntu24.04"), (std::vector<std::string>{"amd64", "arm64"}));
    EXPECT_TRUE(read.images[0].arches("ubuntu22.04").empty());
    EXPECT_EQ(read.images[0].fc_branches, (std::vector<int>{535, 550}));
}

TEST(KnowledgeBuiltin, RejectsAnArchiveCutShortForeignOrWithBytesLeftOver)
{
    std::string archive = write_table_archive(Knowledge::builtin().tables());
    KnowledgeTables tables;
    EXPECT_FALSE(read_table_archive(archive.substr(0, archive.size() - 1), tables));
    EXPECT_FALSE(read_table_archive(archive.substr(0, archive.size() / 2), tables));
    EXPECT_FALSE(read_table_archive(archive + "x", tables));
    EXPECT_FALSE(read_table_archive("not the knowledge tables", tables));
    EXPECT_FALSE(read_table_archive("", tables));
    EXPECT_TRUE(read_table_archive(archive, tables));
}

}  // namespace
}  // namespace cudagen
