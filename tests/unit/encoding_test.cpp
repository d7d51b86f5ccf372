#include "core/encoding.hpp"
#include "core/version.hpp"

#include <gtest/gtest.h>

namespace cudagen {
namespace {

TEST(Encoding, Sha256MatchesFipsVectors)
{
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Encoding, Base64PadsCorrectly)
{
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Version, ParsesAndComparesNumerically)
{
    EXPECT_LT(*Version::parse("12.4"), *Version::parse("12.10"));
    EXPECT_EQ(*Version::parse("12.4"), *Version::parse("12.4.0"));
    EXPECT_EQ(Version::parse("580.65.06")->str(), "580.65.06");
    EXPECT_FALSE(Version::parse("12.x"));
    EXPECT_FALSE(Version::parse(""));
    EXPECT_TRUE(Version::parse("12.4.1")->starts_with(*Version::parse("12.4")));
}

}  // namespace
}  // namespace cudagen
