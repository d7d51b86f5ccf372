// Hostile and broken input: thousands of deterministic mutations of the
// shipped profiles go through load -> validate -> resolve -> render. Each
// must either succeed or fail with at least one located error; none may crash,
// hang or fail silently.
#include "cli/pipeline.hpp"
#include "core/text.hpp"
#include "knowledge/knowledge.hpp"
#include "load/load_profile.hpp"
#include "render/render.hpp"
#include "validate/validate.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace cudagen {
namespace {

namespace fs = std::filesystem;

std::string mutate(std::string text, std::mt19937& random)
{
    static const std::string k_alphabet = ":-[]{}#&*!|>'\"\n\t ,;$`\\\x01\xff";
    std::uniform_int_distribution<int> kind(0, 3);
    std::size_t at = text.empty() ? 0 : std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(random);
    char c = k_alphabet[std::uniform_int_distribution<std::size_t>(0, k_alphabet.size() - 1)(random)];
    switch (kind(random)) {
        case 0:
            text.insert(at, 1, c);
            break;
        case 1:
            if (!text.empty())
                text[at] = c;
            break;
        case 2:
            text.erase(at, std::min<std::size_t>(text.size() - at, 1 + at % 7));
            break;
        default:
            text.resize(at);
            break;
    }
    return text;
}

// Returns true when the mutated profile made it all the way to rendered files.
bool run_all_stages(const std::string& text, const fs::path& context)
{
    Diagnostics diagnostics;
    auto raw = load_profile_from_string(text, "fuzz.yaml", context, diagnostics);
    if (raw) {
        validate_profile(*raw, diagnostics);
        read_profile_dependencies(*raw, diagnostics);
    }
    if (!raw || diagnostics.has_errors()) {
        EXPECT_TRUE(diagnostics.has_errors());
        for (const auto& d : diagnostics.items()) {
            EXPECT_FALSE(d.message.empty());
            EXPECT_FALSE(d.code.empty());
        }
        return false;
    }
    auto resolved = resolve(*raw, Knowledge::builtin(), {}, diagnostics);
    if (!resolved) {
        EXPECT_TRUE(diagnostics.has_errors());
        return false;
    }
    auto files = render_profiles({*resolved}, {context / "out", false}, diagnostics);
    // A profile that resolved renders, or says why not.
    EXPECT_TRUE(files.has_value() || diagnostics.has_errors());
    return files.has_value();
}

TEST(LoadRobustness, MutatedShippedProfilesFailCleanly)
{
    std::mt19937 random(20261123);
    int rendered = 0;
    int rejected = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(CUDAGEN_SOURCE_DIR) / "profiles")) {
        fs::path file = entry.path() / "cudagen.yaml";
        std::string original = read_file(file.string()).value_or("");
        ASSERT_FALSE(original.empty()) << file;
        for (int i = 0; i < 300; ++i) {
            std::string text = original;
            for (int step = 0; step <= i % 3; ++step) {
                text = mutate(text, random);
            }
            (run_all_stages(text, entry.path()) ? rendered : rejected)++;
        }
    }
    // Both outcomes must occur, or the mutations are not exercising anything.
    EXPECT_GT(rendered, 100);
    EXPECT_GT(rejected, 100);
}

TEST(LoadRobustness, NestedAliasesAreBounded)
{
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'k'; ++c) {
        bomb += std::string(1, c) + ": &" + c + " [*" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) +
                ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + "]\n";
    }
    Diagnostics diagnostics;
    auto raw = load_profile_from_string(bomb, "bomb.yaml", CUDAGEN_SOURCE_DIR, diagnostics);
    EXPECT_FALSE(raw);
    ASSERT_FALSE(diagnostics.items().empty());
    EXPECT_EQ(diagnostics.items()[0].code, "yaml/too-large");
    EXPECT_NE(diagnostics.items()[0].message.find("200000"), std::string::npos);
}

}  // namespace
}  // namespace cudagen
