// Package mirrors and private indexes: where the URLs go in the Dockerfile and the bake
// file, and why credentials in them are refused (they would stay in the image's history).
#include "knowledge/knowledge.hpp"
#include "load/load_profile.hpp"
#include "render/render.hpp"
#include "resolve/resolve.hpp"
#include "validate/url_secrets.hpp"
#include "validate/validate.hpp"

#include <gtest/gtest.h>

namespace cudagen {
namespace {

std::string located_errors(const std::string& text)
{
    Diagnostics diagnostics;
    auto raw = load_profile_from_string(text, "profile.yaml", CUDAGEN_SOURCE_DIR, diagnostics);
    if (raw) {
        validate_profile(*raw, diagnostics);
    }
    std::string out;
    for (const auto& d : diagnostics.items()) {
        out += d.where.file + ":" + std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " +
               d.message + " [" + d.code + "]\n";
    }
    return out;
}

// Dockerfile and bake file of a profile, concatenated.
std::string rendered(const std::string& text)
{
    Diagnostics diagnostics;
    auto raw = load_profile_from_string(text, "profile.yaml", CUDAGEN_SOURCE_DIR, diagnostics);
    EXPECT_TRUE(raw);
    if (!raw) {
        return "";
    }
    auto resolved = resolve(*raw, Knowledge::builtin(), {}, diagnostics);
    EXPECT_TRUE(resolved);
    auto files =
        resolved ? render_profiles({*resolved}, {std::filesystem::path(CUDAGEN_SOURCE_DIR) / "out", false}, diagnostics)
                 : std::nullopt;
    EXPECT_TRUE(files);
    std::string out;
    for (const auto& file : files.value_or(std::vector<RenderedFile>{})) {
        out += file.content;
    }
    return out;
}

TEST(UrlSecret, NamesWhatTheUrlCarries)
{
    EXPECT_EQ(url_secret("https://alice:s3cret@pypi.corp.example/simple"), "a user name and password");
    EXPECT_EQ(url_secret("https://glpat-XXXX@gitlab.example/api/v4/projects/1/packages/pypi/simple"),
              "a user name or token");
    EXPECT_EQ(url_secret("git+https://ghp_abc@github.com/org/repo.git"), "a user name or token");
    EXPECT_EQ(url_secret("https://pypi.example/simple?private_token=abc"), "a 'private_token' query parameter");
    EXPECT_EQ(url_secret("https://pypi.example/simple/?Token=abc&x=1"), "a 'token' query parameter");
    EXPECT_EQ(url_secret("https://conda.anaconda.org/t/ab-12cd/private"), "a token path (/t/<token>/)");
    EXPECT_EQ(url_secret("git+ssh://git:hunter2@example.org/org/repo.git"), "a user name and password");
}

TEST(UrlSecret, AnSshUserNameIsNotASecret)
{
    EXPECT_EQ(url_secret("git+ssh://git@github.com/org/repo.git"), "");
    EXPECT_EQ(url_secret("ssh://git@example.org/repo"), "");
    EXPECT_EQ(url_secret("https://conda.anaconda.org/conda-forge"), "");
    EXPECT_EQ(url_secret("https://example.org/t/"), "");
}

TEST(UrlSecret, CleanUrlsPass)
{
    EXPECT_EQ(url_secret("https://pypi.mirror.example/simple"), "");
    EXPECT_EQ(url_secret("https://mirror.example/pytorch/whl/cu130?x=@y"), "");
    EXPECT_EQ(url_secret("https://pypi.example/simple?tokens_are_fine_in_names=1"), "");
    EXPECT_EQ(url_secret(""), "");
}

TEST(Mirrors, CredentialsInAnIndexUrlAreALocatedError)
{
    EXPECT_EQ(
        located_errors("name: a\npip:\n  index_url: https://alice:s3cret@pypi.corp.example/simple\n"),
        "profile.yaml:3:14: pip.index_url carries a user name and password: the URL is written into the Dockerfile, so "
        "the secret would stay in the image's history [secret/credentials-in-url]\n");
    EXPECT_EQ(located_errors("name: a\npip:\n  extra_index_urls:\n    - https://pypi.example/simple\n"
                             "    - https://tok@pkgs.example/simple\n"),
              "profile.yaml:5:7: pip.extra_index_urls carries a user name or token: the URL is written into the "
              "Dockerfile, so "
              "the secret would stay in the image's history [secret/credentials-in-url]\n");
}

TEST(Mirrors, TheFixPointsToBuildkitSecrets)
{
    Diagnostics diagnostics;
    EXPECT_FALSE(check_url_secret("https://u:p@h/simple", "pip.index_url", {"p.yaml", 1, 1}, diagnostics));
    ASSERT_EQ(diagnostics.items().size(), 1u);
    EXPECT_NE(diagnostics.items()[0].fix.find("CUDAGEN_NETRC=/path/to/netrc cudagen build"), std::string::npos);
    EXPECT_NE(diagnostics.items()[0].fix.find("RUN --mount=type=secret"), std::string::npos);
}

TEST(Mirrors, IndexUrlIsABuildArgDefaultAndPipMountsTheNetrcSecret)
{
    std::string out = rendered(
        "name: a\ncuda: \"13.0\"\npip:\n  index_url: https://pypi.mirror.example/simple\n"
        "  packages: [\"fastapi==0.111.0\"]\n");
    EXPECT_NE(out.find("ARG PIP_INDEX_URL=\"https://pypi.mirror.example/simple\"\n"), std::string::npos) << out;
    // uv (installed by pip, through the same index) installs the packages from that index.
    EXPECT_NE(out.find("RUN --mount=type=cache,target=/root/.cache/pip \\\n"
                       "    --mount=type=secret,id=netrc,target=/root/.netrc,required=false \\\n"
                       "    pip install --target /opt/cudagen/uv uv=="),
              std::string::npos)
        << out;
    EXPECT_NE(
        out.find("RUN --mount=type=cache,target=/root/.cache/uv \\\n"
                 "    --mount=type=secret,id=netrc,target=/root/.netrc,required=false \\\n"
                 "    /opt/cudagen/uv/bin/uv pip install --python /opt/venv/bin/python --system-certs --link-mode "
                 "copy --compile-bytecode ${PIP_INDEX_URL:+--index-url \"$PIP_INDEX_URL\"} \\\n"
                 "        'fastapi==0.111.0'\n"),
        std::string::npos)
        << out;
    EXPECT_NE(out.find("variable \"CUDAGEN_NETRC\" {\n  default = \"\"\n}"), std::string::npos) << out;
    EXPECT_NE(out.find("  secret     = CUDAGEN_NETRC == \"\" ? [] : [\"id=netrc,src=${CUDAGEN_NETRC}\"]\n"),
              std::string::npos)
        << out;
    EXPECT_EQ(out.find("pypi.mirror.example", out.find("\n", out.find("ARG PIP_INDEX_URL"))), std::string::npos)
        << "the mirror is named once, as the build arg's default";
}

TEST(Mirrors, WithoutAnIndexInTheProfileTheBuildArgStillWorksAndNoSecretIsMounted)
{
    std::string out = rendered("name: a\ncuda: \"13.0\"\npip:\n  packages: [\"fastapi==0.111.0\"]\n");
    EXPECT_NE(out.find("ARG PIP_INDEX_URL\n"), std::string::npos) << out;
    EXPECT_EQ(out.find("type=secret"), std::string::npos) << out;
    EXPECT_EQ(out.find("CUDAGEN_NETRC"), std::string::npos) << out;
}

TEST(Mirrors, FrameworkIndexMirrorServesVariantsPypiDoesNotCarry)
{
    std::string profile =
        "name: a\ncuda: \"12.6\"\nframework: {name: pytorch, version: \"2.13.0\"}\n"
        "pip:\n  framework_index_url: https://mirror.example/pytorch/whl\n";
    Diagnostics diagnostics;
    auto raw = load_profile_from_string(profile, "profile.yaml", CUDAGEN_SOURCE_DIR, diagnostics);
    ASSERT_TRUE(raw);
    auto resolved = resolve(*raw, Knowledge::builtin(), {}, diagnostics);
    ASSERT_TRUE(resolved);
    EXPECT_EQ(resolved->framework->index_url.value, "https://mirror.example/pytorch/whl/cu126");
    EXPECT_EQ(resolved->framework->index_url.reason,
              "PyTorch's index for cu126 wheels (through the pip.framework_index_url mirror): PyPI's torch 2.13.0 for "
              "linux/amd64 is the cu130 build");
    std::string out = rendered(profile);
    EXPECT_NE(out.find("ARG CUDAGEN_FRAMEWORK_INDEX_URL=\"https://mirror.example/pytorch/whl/cu126\"\n"),
              std::string::npos)
        << out;
    // uv installs the wheels, from the framework's own index only (a second --index-url
    // from the PIP_INDEX_URL build arg would be refused by uv).
    EXPECT_NE(
        out.find("/opt/cudagen/uv/bin/uv pip install --python /opt/venv/bin/python --system-certs --link-mode "
                 "copy --compile-bytecode --index-url \"${CUDAGEN_FRAMEWORK_INDEX_URL}\" \\\n        'torch==2.13.0'"),
        std::string::npos)
        << out;
}

}  // namespace
}  // namespace cudagen
