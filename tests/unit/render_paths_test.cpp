// The bake file's relative paths: worked out by hand for clean absolute paths,
// exactly as std::filesystem's lexically_normal and lexically_relative would.
#include "render/render.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace cudagen {
namespace {

std::string by_filesystem(const std::string& target, const std::string& base)
{
    namespace fs = std::filesystem;
    std::string relative =
        fs::path(target).lexically_normal().lexically_relative(fs::path(base).lexically_normal()).generic_string();
    return relative.empty() ? "." : relative;
}

TEST(RelativeOrDot, MatchesTheFilesystemLibrary)
{
    const std::vector<std::string> paths = {
        "/",     "/a",    "/ab",    "/a/b",      "/a/bc",      "/a/bd",  "/a/b/c",    "/a/b/c/d",    "/x/y",
        "/a/b/", "/a//b", "/a/./b", "/a/b/../c", "relative/b", "/a/b/.", "/srv/o100", "/srv/o100/p", "/srv/src/app"};
    for (const auto& target : paths) {
        for (const auto& base : paths) {
            EXPECT_EQ(relative_or_dot(target, base), by_filesystem(target, base)) << target << " from " << base;
        }
    }
}

TEST(RelativeOrDot, NamesTheSameFolderDot)
{
    EXPECT_EQ(relative_or_dot("/srv/app", "/srv/app"), ".");
    EXPECT_EQ(relative_or_dot("/srv/app/Dockerfile", "/srv/app"), "Dockerfile");
    EXPECT_EQ(relative_or_dot("/srv/out/svc/Dockerfile", "/srv/app"), "../out/svc/Dockerfile");
}

}  // namespace
}  // namespace cudagen
