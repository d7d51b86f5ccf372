// The fast YAML reader (load/yaml_plain.hpp) either builds exactly yaml-cpp's
// tree (values, quoting, every position) or gives up; never something else.
#include "load/yaml_plain.hpp"
#include "load/yaml_tree.hpp"
#include "unit/test_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cudagen {
namespace {

namespace fs = std::filesystem;

// The first difference between two trees ("" when equal).
std::string difference(const YamlNode& a, const YamlNode& b, const std::string& path)
{
    if (a.kind != b.kind || a.value != b.value || a.plain != b.plain || a.where.line != b.where.line ||
        a.where.column != b.where.column || a.where.file != b.where.file) {
        return path + ": '" + a.value + "' at " + std::to_string(a.where.line) + ":" + std::to_string(a.where.column) +
               " (kind " + std::to_string(static_cast<int>(a.kind)) + ", plain " + std::to_string(a.plain) +
               ") vs yaml-cpp '" + b.value + "' at " + std::to_string(b.where.line) + ":" +
               std::to_string(b.where.column) + " (kind " + std::to_string(static_cast<int>(b.kind)) + ", plain " +
               std::to_string(b.plain) + ")";
    }
    if (a.items.size() != b.items.size() || a.entries.size() != b.entries.size()) {
        return path + ": a different number of items";
    }
    for (std::size_t i = 0; i < a.items.size(); ++i) {
        if (auto found = difference(a.items[i], b.items[i], path + "[" + std::to_string(i) + "]"); !found.empty()) {
            return found;
        }
    }
    for (std::size_t i = 0; i < a.entries.size(); ++i) {
        const std::string key_path = path + "." + a.entries[i].first.value;
        if (auto found = difference(a.entries[i].first, b.entries[i].first, key_path + "(key)"); !found.empty()) {
            return found;
        }
        if (auto found = difference(a.entries[i].second, b.entries[i].second, key_path); !found.empty()) {
            return found;
        }
    }
    return "";
}

// Empty when the fast reader gave up or agrees with yaml-cpp; else what differs.
std::string disagreement(const std::string& text, bool& read_fast)
{
    std::optional<YamlNode> fast = parse_plain_yaml(text, "f.yaml");
    read_fast = fast.has_value();
    if (!fast) {
        return "";
    }
    Diagnostics diagnostics;
    std::optional<YamlNode> full = parse_yaml_with_yaml_cpp(text, "f.yaml", diagnostics);
    if (!full || diagnostics.has_errors()) {
        return "the fast reader accepted what yaml-cpp rejects";
    }
    return difference(*fast, *full, "$");
}

std::vector<fs::path> repository_yaml_files()
{
    std::vector<fs::path> files;
    for (const char* folder : {"profiles", "tests", "generator/data", "templates", "docs"}) {
        fs::path root = fs::path(CUDAGEN_SOURCE_DIR) / folder;
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
            std::string extension = entry.path().extension().string();
            if (entry.is_regular_file() && (extension == ".yaml" || extension == ".yml")) {
                files.push_back(entry.path());
            }
        }
    }
    return files;
}

TEST(YamlPlain, BuildsWhatYamlCppBuildsForEveryYamlFileOfTheRepository)
{
    int read_fast = 0;
    std::vector<fs::path> files = repository_yaml_files();
    ASSERT_GT(files.size(), 20u);
    for (const auto& path : files) {
        bool fast = false;
        EXPECT_EQ(disagreement(test::read_text(path), fast), "") << path;
        read_fast += fast ? 1 : 0;
    }
    // Most files are in the plain shape, or the fast reader saves nothing.
    EXPECT_GT(read_fast * 2, static_cast<int>(files.size()));
}

TEST(YamlPlain, ReadsEveryShippedProfile)
{
    for (const auto& entry : fs::directory_iterator(fs::path(CUDAGEN_SOURCE_DIR) / "profiles")) {
        bool fast = false;
        EXPECT_EQ(disagreement(test::read_text(entry.path() / "cudagen.yaml"), fast), "") << entry.path();
        EXPECT_TRUE(fast) << entry.path();
    }
}

// Every copy of the shipped profiles with one character removed, or one of a few
// characters inserted: where the fast reader does not give up, yaml-cpp agrees.
TEST(YamlPlain, AgreesWithYamlCppOnDamagedProfiles)
{
    int compared = 0;
    int read_fast = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(CUDAGEN_SOURCE_DIR) / "profiles")) {
        std::string text = test::read_text(entry.path() / "cudagen.yaml");
        for (std::size_t i = 0; i < text.size(); ++i) {
            std::vector<std::string> copies = {text.substr(0, i) + text.substr(i + 1)};
            for (char c : {' ', ':', '-', '#', '\'', ','}) {
                copies.push_back(text.substr(0, i) + c + text.substr(i));
            }
            for (const auto& copy : copies) {
                bool fast = false;
                ASSERT_EQ(disagreement(copy, fast), "") << entry.path() << " changed at offset " << i << ":\n" << copy;
                ++compared;
                read_fast += fast ? 1 : 0;
            }
        }
    }
    EXPECT_GT(compared, 1000);
    EXPECT_GT(read_fast, compared / 4);
}

TEST(YamlPlain, GivesUpOnWhatOnlyYamlCppReads)
{
    for (const char* text : {"a: &x 1\nb: *x\n", "a: !tag 1\n", "a: |\n  text\n", "a: b\n  c\n", "a:\n",
                             "a: \"x\\ty\"\n", "a: b\na: c\n", "a: [1,\n  2]\n", "---\na: 1\n", "a: null\n", "a:\tb\n",
                             "? a\n: b\n", "a: b: c\n", "\"a\": 1\n", "a: [x, ]\n",
                             // Found by tests/fuzz/fuzz_yaml.cpp: a null word as a key is yaml-cpp's null (an error).
                             "NULL: 1\n", "b:\n  ~: 1\n", "- null: x\n"}) {
        EXPECT_FALSE(parse_plain_yaml(text, "f.yaml")) << text;
    }
}

TEST(YamlPlain, KeepsQuotingAndPositions)
{
    std::optional<YamlNode> root =
        parse_plain_yaml("# c\nname: x  # note\nlist:\n- 'it''s'\n-   {src: a/, dst: /b}\n", "f.yaml");
    ASSERT_TRUE(root);
    ASSERT_EQ(root->entries.size(), 2u);
    EXPECT_EQ(root->entries[0].second.value, "x");
    EXPECT_TRUE(root->entries[0].second.plain);
    EXPECT_EQ(root->entries[0].second.where.line, 2);
    EXPECT_EQ(root->entries[0].second.where.column, 7);
    const YamlNode& list = root->entries[1].second;
    ASSERT_EQ(list.items.size(), 2u);
    EXPECT_EQ(list.items[0].value, "it's");
    EXPECT_FALSE(list.items[0].plain);
    EXPECT_EQ(list.items[1].where.column, 5);
    ASSERT_EQ(list.items[1].entries.size(), 2u);
    EXPECT_EQ(list.items[1].entries[1].second.value, "/b");
    EXPECT_EQ(list.items[1].entries[1].second.where.column, 20);
}

}  // namespace
}  // namespace cudagen
