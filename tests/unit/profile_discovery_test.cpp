// cudagen.yaml is found in the current folder or the nearest folder above it.
#include "load/load_profile.hpp"
#include "unit/test_files.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace cudagen {
namespace {

namespace fs = std::filesystem;

class ProfileDiscovery : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_root = cudagen::test::make_temp_dir("cudagen-discovery");
        fs::create_directories(m_root / "a" / "b" / "c");
    }
    void TearDown() override { fs::remove_all(m_root); }
    void touch(const fs::path& path) { std::ofstream(path) << "name: x\n"; }

    fs::path m_root;
};

TEST_F(ProfileDiscovery, FindsTheProfileInTheFolderItself)
{
    touch(m_root / "a" / "cudagen.yaml");
    EXPECT_EQ(find_profile_upwards(m_root / "a"), "cudagen.yaml");
}

TEST_F(ProfileDiscovery, FindsTheNearestProfileAbove)
{
    touch(m_root / "cudagen.yaml");
    touch(m_root / "a" / "cudagen.yaml");
    EXPECT_EQ(find_profile_upwards(m_root / "a" / "b" / "c"), "../../cudagen.yaml");
}

TEST_F(ProfileDiscovery, IgnoresAFolderNamedCudagenYaml)
{
    touch(m_root / "cudagen.yaml");
    fs::create_directories(m_root / "a" / "cudagen.yaml");
    EXPECT_EQ(find_profile_upwards(m_root / "a" / "b"), "../../cudagen.yaml");
}

TEST_F(ProfileDiscovery, NoneAnywhereGivesNothing)
{
    // Nothing above the temporary folder is expected to hold a cudagen.yaml;
    // if one does, the answer must at least lie above the test's root.
    std::optional<std::string> found = find_profile_upwards(m_root / "a" / "b");
    if (found) {
        EXPECT_EQ(found->rfind("../../../", 0), 0u) << *found;
    }
}

}  // namespace
}  // namespace cudagen
