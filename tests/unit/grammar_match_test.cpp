// The grammars' checks (the hand-written matchers of load/grammar_match.cpp,
// and plain lists of words by their words) accept exactly
// what the grammars' POSIX patterns accept, as the C library's regexec says:
// on each grammar's valid examples, every one-character edit of them, lengths
// around each bound, and random strings over the characters the patterns use.
#include "load/grammar_match.hpp"
#include "load/grammar.hpp"

#include <gtest/gtest.h>
#include <regex.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace cudagen {
namespace {

const std::string k_alphabet = "aAzZfg09359._-/:@+=,~!*[]{} #$&()%?<>;'\"\\|^`\x7f\xc3";

const std::map<std::string, std::vector<std::string>>& examples()
{
    static const std::map<std::string, std::vector<std::string>> table = {
        {"image-name", {"torch-service", "a", std::string(128, 'a'), std::string(129, 'a'), "a.b_c-d"}},
        {"cuda-version", {"12.4", "12.4.1", "1.2.3", "123.4"}},
        {"version", {"2.5.1", "2.15", "100.200.300", "1000.1"}},
        {"python-version", {"3.11", "3.9", "3.100"}},
        {"os-token", {"ubuntu24.04", "ubuntu22", "debian12.5", "rockylinux9"}},
        {"framework-name", {"pytorch", "tensorflow", "jax"}},
        {"framework-channel", {"pip", "conda"}},
        {"package-name", {"torchvision", "a", "zope.interface", "a_b-c", "a-"}},
        {"pip-requirement",
         {"fastapi==0.111.0", "torch[cuda,extra]>=2.4, <3", "a===1.0", "a ~= 1.0 , != 1.2", "a[x]", "a <1,>0", "a==1.*",
          "a==!1"}},
        {"apt-package", {"libgl1", "libgl1=1.7.0-1", "g++", "python3.11-dev", "ab", "a-=1"}},
        {"gpu-arch", {"8.0", "9.0a", "12.0f", "sm_90a", "compute_100", "h100", "rtx 4090", std::string(41, 'a')}},
        {"runtime-flavor", {"base", "runtime", "cudnn-runtime"}},
        {"platform", {"linux/amd64", "linux/arm64"}},
        {"absolute-path", {"/app", "/", "/opt/a@b+c-d_e.f"}},
        {"env-name", {"LOG_LEVEL", "_x", "a1"}},
        {"user-name", {"app", "0", "10001", "1234567890", "_a-b", std::string(32, 'a')}},
        {"registry", {"ghcr.io/acme", "docker.io/nvidia", "localhost:5000/a/b", "a", "a.b-c:1/d_e.f/g"}},
        {"tag-template", {"{name}:{cuda}", "ghcr.io/acme/x:1.0", "{name}", "a:" + std::string(128, 'b')}},
        {"url", {"https://pypi.example.com/simple", "http://a", "https://a.b/c?d=e&f=%20#g"}},
        {"syntax-ref",
         {"docker/dockerfile:1.7", "docker/dockerfile:1.7@sha256:" + std::string(64, 'a'),
          "a@sha256:" + std::string(64, '0'), "a:b"}},
    };
    return table;
}

bool regex_says(const std::string& pattern, const std::string& value)
{
    // Compiled once per pattern and freed at exit (LeakSanitizer runs on this test).
    struct Compiled : std::map<std::string, regex_t> {
        ~Compiled()
        {
            for (auto& entry : *this) {
                ::regfree(&entry.second);
            }
        }
    };
    static Compiled compiled;
    auto found = compiled.find(pattern);
    if (found == compiled.end()) {
        regex_t regex{};
        EXPECT_EQ(::regcomp(&regex, ("^(" + pattern + ")$").c_str(), REG_EXTENDED | REG_NOSUB), 0) << pattern;
        found = compiled.emplace(pattern, regex).first;
    }
    return ::regexec(&found->second, value.c_str(), 0, nullptr, 0) == 0;
}

std::vector<std::string> edits(const std::string& value)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i <= value.size(); ++i) {
        if (i < value.size()) {
            out.push_back(value.substr(0, i) + value.substr(i + 1));
        }
        for (char c : k_alphabet) {
            out.push_back(value.substr(0, i) + c + value.substr(i));
            if (i < value.size()) {
                std::string replaced = value;
                replaced[i] = c;
                out.push_back(replaced);
            }
        }
    }
    return out;
}

TEST(GrammarMatchers, AgreeWithThePatterns)
{
    std::mt19937 random(15);
    std::size_t grammars = 0;
    for (std::string_view name : grammar_names()) {
        std::string pattern(grammar_pattern(name));
        if (pattern.empty()) {
            EXPECT_FALSE(grammar_matches(name, "x").has_value()) << name;
            EXPECT_FALSE(grammar_accepts(name, "x")) << name;
            continue;
        }
        ++grammars;
        ASSERT_TRUE(examples().count(std::string(name))) << "no examples for " << name;
        std::vector<std::string> values;
        std::size_t valid = 0;
        for (const auto& example : examples().at(std::string(name))) {
            valid += regex_says(pattern, example) ? 1 : 0;
            values.push_back(example);
            for (auto& edit : edits(example)) {
                values.push_back(std::move(edit));
            }
        }
        EXPECT_GT(valid, 0U) << name << ": no example is valid";
        for (int i = 0; i < 20000; ++i) {
            std::string value(random() % 14, ' ');
            for (char& c : value) {
                c = k_alphabet[random() % k_alphabet.size()];
            }
            values.push_back(value);
        }
        for (const auto& value : values) {
            ASSERT_EQ(grammar_accepts(name, value), regex_says(pattern, value)) << name << " on '" << value << "'";
        }
    }
    EXPECT_EQ(grammars, examples().size());
}

}  // namespace
}  // namespace cudagen
