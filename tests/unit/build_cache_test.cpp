#include "render/build_cache.hpp"

#include <gtest/gtest.h>

namespace cudagen {
namespace {

TEST(CMakeBuildDir, FindsTheFolderOfDashBAndOfBuild)
{
    EXPECT_EQ(cmake_build_dir("cmake -S /src -B /src/build -DX=1"), "/src/build");
    EXPECT_EQ(cmake_build_dir("cmake -S /src -B/src/build"), "/src/build");
    EXPECT_EQ(cmake_build_dir("cmake --build /srv/out/ -j4"), "/srv/out");
    EXPECT_EQ(cmake_build_dir("(\n/usr/bin/cmake -S /a -B /a/b\n) && (\ncmake --build /a/b\n)"), "/a/b");
}

TEST(CMakeBuildDir, NothingWithoutOneAbsolutePlainFolder)
{
    EXPECT_EQ(cmake_build_dir("make -C /src"), std::nullopt);
    EXPECT_EQ(cmake_build_dir("mkdir build && cd build && cmake .. && make"), std::nullopt);
    EXPECT_EQ(cmake_build_dir("cmake -S . -B build"), std::nullopt);                         // relative
    EXPECT_EQ(cmake_build_dir("cmake -S /s -B /s/a && cmake -S /t -B /t/b"), std::nullopt);  // two folders
    EXPECT_EQ(cmake_build_dir("cmake -S /s -B \"$OUT\""), std::nullopt);                     // a shell word
    EXPECT_EQ(cmake_build_dir("tool -B /x && cmake -E echo hi"), std::nullopt);              // -B of another program
}

ResolvedProfile profile()
{
    ResolvedProfile p;
    p.name = "app";
    p.os.value = "ubuntu24.04";
    p.cuda.value = "13.0.2";
    p.cmake_cuda_architectures = "80-real;90";
    return p;
}

TEST(CachedRuns, WrapsTheCommandsAndKeysTheCacheOnTheTargets)
{
    auto runs = cached_runs(profile(), {{"cmake -S /src -B /src/build && cmake --build /src/build", {"/src/"}}});
    ASSERT_EQ(runs.size(), 1U);
    ASSERT_TRUE(runs[0].has_value());
    EXPECT_EQ(runs[0]->cache_id, "cudagen-build-app-ubuntu24.04-cuda13.0.2-80-real-90-src-build");
    EXPECT_EQ(runs[0]->run,
              "/opt/cudagen/build-cache restore /root/.cache/cudagen/build /src/build /src && (\n"
              "cmake -S /src -B /src/build && cmake --build /src/build\n"
              ") && /opt/cudagen/build-cache save /root/.cache/cudagen/build /src/build /src");
    ResolvedProfile other = profile();
    other.cmake_cuda_architectures = "90";
    EXPECT_NE(cached_runs(other, {{"cmake --build /src/build", {}}})[0]->cache_id, runs[0]->cache_id);
}

TEST(CachedRuns, AFolderNamedByTwoRunsIsNotCached)
{
    auto runs = cached_runs(profile(), {{"cmake -S /src -B /src/build", {"/src"}},
                                        {"cmake --build /src/build", {"/src", "/more"}},
                                        {"make -C /other", {}}});
    ASSERT_EQ(runs.size(), 3U);
    EXPECT_FALSE(runs[0].has_value());
    EXPECT_FALSE(runs[1].has_value());
    EXPECT_FALSE(runs[2].has_value());
}

TEST(CachedRuns, SourcesCopiedToTheRootAreNotHashed)
{
    auto runs = cached_runs(profile(), {{"cmake -S /src -B /src/build", {"/src", "/"}}});
    ASSERT_EQ(runs.size(), 1U);
    EXPECT_FALSE(runs[0].has_value());
}

}  // namespace
}  // namespace cudagen
