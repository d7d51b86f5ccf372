#include "core/input_file.hpp"
#include "unit/test_files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace cudagen {
namespace {

namespace fs = std::filesystem;

class InputFileTest : public ::testing::Test {
protected:
    void SetUp() override { m_dir = cudagen::test::make_temp_dir("cudagen-input-file"); }
    void TearDown() override
    {
        std::error_code ignored;
        fs::permissions(m_dir / "locked.yaml", fs::perms::owner_all, ignored);
        fs::remove_all(m_dir, ignored);
    }
    fs::path write(const std::string& name, const std::string& text)
    {
        std::ofstream(m_dir / name, std::ios::binary) << text;
        return m_dir / name;
    }

    fs::path m_dir;
};

void expect_error(const InputFile& file, const std::string& code, const std::string& message)
{
    ASSERT_TRUE(file.error.has_value()) << "read " << file.text.size() << " bytes";
    EXPECT_EQ(file.error->code, code);
    EXPECT_EQ(file.error->message, message);
    EXPECT_FALSE(file.error->fix.empty());
    EXPECT_TRUE(file.text.empty());
}

TEST_F(InputFileTest, ReadsARegularFileWhole)
{
    std::string text = "name: demo\n";
    text += std::string(200000, 'x');  // several read chunks
    InputFile file = read_input_file(write("p.yaml", text), "p.yaml");
    ASSERT_TRUE(file.ok()) << file.error->message;
    EXPECT_EQ(file.text, text);
}

TEST_F(InputFileTest, ReadsAnEmptyFile)
{
    InputFile file = read_input_file(write("empty.txt", ""), "empty.txt");
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file.text, "");
}

TEST_F(InputFileTest, ReportsAMissingFile)
{
    expect_error(read_input_file(m_dir / "nope.txt", "nope.txt"), "io/not-found", "'nope.txt' does not exist");
}

TEST_F(InputFileTest, ReportsAPathThroughAFileAsMissing)
{
    write("plain.txt", "x");
    expect_error(read_input_file(m_dir / "plain.txt" / "inner.txt", "plain.txt/inner.txt"), "io/not-found",
                 "'plain.txt/inner.txt' does not exist");
}

TEST_F(InputFileTest, RefusesAFolder)
{
    fs::create_directory(m_dir / "env.yml");
    expect_error(read_input_file(m_dir / "env.yml", "env.yml"), "io/not-a-file",
                 "'env.yml' is a folder, not a regular file");
}

TEST_F(InputFileTest, RefusesAFifoWithoutWaitingForAWriter)
{
    ASSERT_EQ(::mkfifo((m_dir / "pipe").c_str(), 0600), 0);
    auto start = std::chrono::steady_clock::now();
    expect_error(read_input_file(m_dir / "pipe", "pipe"), "io/not-a-file",
                 "'pipe' is a FIFO (named pipe), not a regular file");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(InputFileTest, RefusesACharacterDevice)
{
    expect_error(read_input_file("/dev/zero", "/dev/zero"), "io/not-a-file",
                 "'/dev/zero' is a character device, not a regular file");
}

TEST_F(InputFileTest, RefusesASymlinkToADevice)
{
    fs::create_symlink("/dev/zero", m_dir / "requirements.txt");
    expect_error(read_input_file(m_dir / "requirements.txt", "requirements.txt"), "io/not-a-file",
                 "'requirements.txt' is a character device, not a regular file");
}

TEST_F(InputFileTest, FollowsASymlinkToARegularFile)
{
    write("real.txt", "numpy\n");
    fs::create_symlink(m_dir / "real.txt", m_dir / "link.txt");
    InputFile file = read_input_file(m_dir / "link.txt", "link.txt");
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file.text, "numpy\n");
}

TEST_F(InputFileTest, ReportsASymlinkLoop)
{
    fs::create_symlink(m_dir / "b", m_dir / "a");
    fs::create_symlink(m_dir / "a", m_dir / "b");
    expect_error(read_input_file(m_dir / "a", "a"), "io/cannot-read",
                 "cannot read 'a': too many levels of symbolic links");
}

TEST_F(InputFileTest, RefusesAFileOverTheLimitBeforeReadingIt)
{
    InputLimits limits;
    limits.max_bytes = 10;
    expect_error(read_input_file(write("big.txt", std::string(11, 'a')), "big.txt", limits), "io/too-large",
                 "'big.txt' is 11 bytes; input files are limited to 10 bytes");
}

TEST_F(InputFileTest, AcceptsAFileExactlyAtTheLimit)
{
    InputLimits limits;
    limits.max_bytes = 10;
    InputFile file = read_input_file(write("ten.txt", std::string(10, 'a')), "ten.txt", limits);
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file.text.size(), 10u);
}

TEST_F(InputFileTest, DefaultLimitRefusesFiftyMebibytes)
{
    fs::path path = m_dir / "huge.yaml";
    std::ofstream(path).close();
    fs::resize_file(path, std::uintmax_t{50} << 20);  // sparse: no disk used
    expect_error(read_input_file(path, "huge.yaml"), "io/too-large",
                 "'huge.yaml' is 50 MiB; input files are limited to 4 MiB");
}

TEST_F(InputFileTest, CapsAFileThatIsLongerThanItsStatedSize)
{
    // /proc files say size 0 and then deliver text: the cap holds while reading.
    InputLimits limits;
    limits.max_bytes = 8;
    expect_error(read_input_file("/proc/self/status", "status", limits), "io/too-large",
                 "'status' is larger than 8 bytes; input files are limited to 8 bytes");
}

TEST_F(InputFileTest, StopsWhenTheTimeBudgetIsSpent)
{
    InputLimits limits;
    limits.max_read_time = std::chrono::milliseconds(0);
    expect_error(read_input_file(write("slow.txt", "abc"), "slow.txt", limits), "io/read-timeout",
                 "reading 'slow.txt' took longer than 0 s");
}

TEST_F(InputFileTest, ReportsAnUnreadableFile)
{
    if (::geteuid() == 0) {
        GTEST_SKIP() << "running as root: permission bits do not stop root from reading";
    }
    fs::path path = write("locked.yaml", "name: x\n");
    fs::permissions(path, fs::perms::none);
    expect_error(read_input_file(path, "locked.yaml"), "io/cannot-read",
                 "cannot read 'locked.yaml': permission denied");
}

TEST_F(InputFileTest, ReportsTheErrorWhereTheFileWasNamed)
{
    Diagnostics diagnostics;
    fs::create_directory(m_dir / "reqs");
    auto text = read_input_file(m_dir / "reqs", "reqs", {"requirements.txt", 3, 4}, diagnostics);
    EXPECT_FALSE(text.has_value());
    ASSERT_EQ(diagnostics.items().size(), 1u);
    EXPECT_EQ(format_diagnostic(diagnostics.items()[0], "numpy\nscipy\n-r reqs\n"),
              "requirements.txt:3:4: error: 'reqs' is a folder, not a regular file [io/not-a-file]\n"
              "  -r reqs\n"
              "     ^\n"
              "  fix: name a file inside the folder\n");
}

TEST_F(InputFileTest, AddsNothingWhenTheFileReads)
{
    Diagnostics diagnostics;
    auto text = read_input_file(write("r.txt", "numpy\n"), "r.txt", {"p.yaml", 1, 1}, diagnostics);
    ASSERT_TRUE(text.has_value());
    EXPECT_EQ(*text, "numpy\n");
    EXPECT_TRUE(diagnostics.empty());
}

TEST(DescribeSize, ReadsLikeAPerson)
{
    EXPECT_EQ(describe_size(1), "1 byte");
    EXPECT_EQ(describe_size(1000), "1000 bytes");
    EXPECT_EQ(describe_size(2048), "2 KiB");
    EXPECT_EQ(describe_size(4u << 20), "4 MiB");
    EXPECT_EQ(describe_size((4u << 20) + (1u << 19)), "4.5 MiB");
}

}  // namespace
}  // namespace cudagen
