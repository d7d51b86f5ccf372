#include "cli/pipeline.hpp"
#include "core/diagnostic.hpp"
#include "load/load_profile.hpp"
#include "validate/validate.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

namespace cudagen {
namespace {

std::size_t count(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
        ++n;
    }
    return n;
}

// 100,000 unknown keys in a 1.3 MB profile: printing once took 47 s (each
// diagnostic searched the file from its start) and printed them all.
TEST(DiagnosticPrinting, ManyErrorsPrintInLinearTimeAndAreCapped)
{
    RawProfile profile;
    profile.file = "big.yaml";
    Diagnostics diagnostics;
    for (int line = 1; line <= 100000; ++line) {
        profile.text += "unknown_key_" + std::to_string(line) + ": x\n";
        diagnostics.error("schema/unknown-key", "unknown key", {"big.yaml", line, 1}, "remove it");
    }
    ASSERT_GT(profile.text.size(), 1300000u);
    std::ostringstream out;
    auto start = std::chrono::steady_clock::now();
    print_diagnostics(diagnostics, {profile}, out);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    std::string text = out.str();
    EXPECT_EQ(count(text, ": error: unknown key [schema/unknown-key]"), k_max_printed_diagnostics);
    EXPECT_NE(text.find("big.yaml:100:1: error: unknown key [schema/unknown-key]\n  unknown_key_100: x\n  ^\n"),
              std::string::npos);
    EXPECT_TRUE(text.ends_with(
        "cudagen: 99900 more diagnostic(s) not shown (99900 error(s), 0 other); fix the ones above first\n"))
        << text.substr(text.size() - 200);
}

TEST(DiagnosticPrinting, ControlCharactersInMessagesAndLinesAreShownEscaped)
{
    Diagnostic diagnostic{
        Severity::error, "schema/unknown-key", "unknown key 'a\x1b[2Jb\xe2\x80\xae'", {"p.yaml", 1, 1}, "fix\r"};
    EXPECT_EQ(format_diagnostic(diagnostic, "a\x1b[2Jb: 1\n"),
              "p.yaml:1:1: error: unknown key 'a\\x1b[2Jb\\u202e' [schema/unknown-key]\n"
              "  a\\x1b[2Jb: 1\n"
              "  ^\n"
              "  fix: fix\\x0d\n");
}

TEST(DiagnosticPrinting, UnpinnedDockerfileFrontendIsAWarning)
{
    Diagnostics diagnostics;
    auto raw =
        load_profile_from_string("name: a\ndockerfile_syntax: docker/dockerfile:1.7\n", "p.yaml", ".", diagnostics);
    ASSERT_TRUE(raw);
    validate_profile(*raw, diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 1u);
    EXPECT_EQ(
        format_diagnostic(diagnostics.items()[0]),
        "p.yaml:2:20: warning: dockerfile_syntax 'docker/dockerfile:1.7' names the Dockerfile frontend by tag; whoever "
        "controls that tag controls how the image is built [schema/unpinned-frontend]\n"
        "  fix: pin it by digest: docker/dockerfile:1.7@sha256:<digest of that frontend image>\n");
    Diagnostics pinned;
    std::string digest(64, 'a');
    raw = load_profile_from_string("name: a\ndockerfile_syntax: docker/dockerfile:1.7@sha256:" + digest + "\n",
                                   "p.yaml", ".", pinned);
    ASSERT_TRUE(raw);
    validate_profile(*raw, pinned);
    EXPECT_TRUE(pinned.empty());
}

TEST(DiagnosticPrinting, PlainHttpIndexIsAWarning)
{
    Diagnostics diagnostics;
    auto raw = load_profile_from_string(
        "name: a\npip:\n  packages: [numpy]\n  extra_index_urls: [\"http://pypi.example/simple\"]\n", "p.yaml", ".",
        diagnostics);
    ASSERT_TRUE(raw);
    validate_profile(*raw, diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 1u);
    EXPECT_EQ(format_diagnostic(diagnostics.items()[0]),
              "p.yaml:4:22: warning: pip.extra_index_urls 'http://pypi.example/simple' is fetched over plain http://: "
              "anyone on "
              "the network path can change the packages [schema/plain-http-index]\n"
              "  fix: use the index's https:// address\n");
}

}  // namespace
}  // namespace cudagen
