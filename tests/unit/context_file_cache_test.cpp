// Validation over many profiles of one run shares what it found about build-context
// files (ContextFileCache); the findings and messages are those of a lone profile.
#include "load/load_profile.hpp"
#include "validate/validate.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

namespace cudagen {
namespace {

namespace fs = std::filesystem;

fs::path fresh_context()
{
    fs::path dir = fs::temp_directory_path() / ("cudagen-context-cache-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "src");
    std::ofstream(dir / "src" / "main.cu") << "int main() {}\n";
    return dir;
}

Diagnostics validate_text(const std::string& text, const fs::path& context, ContextFileCache* files)
{
    Diagnostics diagnostics;
    auto raw = load_profile_from_string(text, "profile.yaml", context, diagnostics);
    EXPECT_TRUE(raw.has_value());
    if (raw) {
        validate_profile(*raw, diagnostics, files);
    }
    return diagnostics;
}

TEST(ContextFileCache, RemembersWhatItFoundPerContextAndPath)
{
    fs::path context = fresh_context();
    ContextFileCache files;
    const ContextFileFinding& present = files.examine(context, "src/");
    EXPECT_TRUE(present.exists);
    EXPECT_FALSE(present.outside);
    EXPECT_FALSE(files.examine(context, "missing/").exists);
    // The same question again is answered from memory: the same object.
    EXPECT_EQ(&files.examine(context, "src/"), &present);
    fs::remove_all(context);
}

TEST(ContextFileCache, EveryProfileSharingAContextGetsItsOwnLocatedError)
{
    fs::path context = fresh_context();
    const std::string text = "name: a\nbuild:\n  copy: [{src: gone/, dst: /src}]\n";
    ContextFileCache files;
    Diagnostics first = validate_text(text, context, &files);
    Diagnostics second = validate_text(text, context, &files);
    Diagnostics alone = validate_text(text, context, nullptr);
    ASSERT_EQ(alone.items().size(), 1u);
    EXPECT_EQ(alone.items()[0].code, "path/not-found");
    for (const Diagnostics* run : {&first, &second}) {
        ASSERT_EQ(run->items().size(), 1u);
        EXPECT_EQ(run->items()[0].code, alone.items()[0].code);
        EXPECT_EQ(run->items()[0].message, alone.items()[0].message);
        EXPECT_EQ(run->items()[0].where.line, 3);
        EXPECT_EQ(run->items()[0].where.column, alone.items()[0].where.column);
    }
    fs::remove_all(context);
}

}  // namespace
}  // namespace cudagen
