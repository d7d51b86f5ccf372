// Loading and shape validation: exact messages, locations included.
#include "load/load_profile.hpp"
#include "load/schema.hpp"

#include <gtest/gtest.h>

namespace cudagen {
namespace {

struct Loaded {
    std::optional<RawProfile> profile;
    Diagnostics diagnostics;
};

Loaded load(const std::string& text)
{
    Loaded result;
    result.profile = load_profile_from_string(text, "profile.yaml", CUDAGEN_SOURCE_DIR, result.diagnostics);
    return result;
}

std::string first_error(const Loaded& loaded)
{
    for (const auto& d : loaded.diagnostics.items()) {
        if (d.severity == Severity::error) {
            return d.where.file + ":" + std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " +
                   d.message + " [" + d.code + "] fix: " + d.fix;
        }
    }
    return "";
}

TEST(LoadProfile, AcceptsEveryDocumentedField)
{
    Loaded loaded = load(R"(name: fastapi-torch
cuda: "12.4.1"
os: ubuntu22.04
cudnn: true
python: "3.11"
framework:
  name: pytorch
  version: "2.3.1"
  with: [torchvision, torchaudio]
  channel: pip
pip:
  packages: ["fastapi==0.111.0"]
apt: [libgl1, libglib2.0-0]
gpu_archs: ["8.0", "sm_90", h100]
platforms: [linux/amd64, linux/arm64]
build:
  run: ["cmake -S /src -B /src/build", "cmake --build /src/build"]
  artifacts: [{src: /src/build/app, dst: /usr/local/bin/app}]
app:
  workdir: /app
  env: {LOG_LEVEL: info}
  expose: [8000]
  cmd: ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
  user: app
image:
  registry: ghcr.io/acme
  tags: ["{name}:{cuda}"]
  base_registry: docker.io/nvidia
)");
    ASSERT_TRUE(loaded.profile) << first_error(loaded);
    const RawProfile& p = *loaded.profile;
    EXPECT_EQ(p.name.value, "fastapi-torch");
    EXPECT_EQ(p.cuda.value, "12.4.1");
    EXPECT_EQ(p.cuda.where.line, 2);
    EXPECT_EQ(p.cuda.where.column, 7);
    EXPECT_TRUE(p.cudnn.value);
    ASSERT_TRUE(p.framework);
    EXPECT_EQ(p.framework->with.size(), 2u);
    EXPECT_EQ(p.gpu_archs[2].value, "h100");
    EXPECT_EQ(p.app.env[0].first.value, "LOG_LEVEL");
    EXPECT_EQ(p.app.expose[0].value, 8000);
    EXPECT_EQ(p.build.artifacts[0].dst.value, "/usr/local/bin/app");
    EXPECT_EQ(p.image.base_registry.value, "docker.io/nvidia");
}

TEST(LoadProfile, RejectsUnknownKeyWithSuggestion)
{
    Loaded loaded = load("name: a\nplatfroms: [linux/amd64]\n");
    EXPECT_FALSE(loaded.profile);
    EXPECT_EQ(
        first_error(loaded),
        "profile.yaml:2:1: unknown key 'platfroms' at the top level (did you mean 'platforms'?) [schema/unknown-key] "
        "fix: rename it to 'platforms'");
}

TEST(LoadProfile, RejectsUnknownNestedKey)
{
    Loaded loaded = load("name: a\nframework:\n  name: pytorch\n  version: \"2.3\"\n  versoin: \"2.4\"\n");
    EXPECT_EQ(first_error(loaded),
              "profile.yaml:5:3: unknown key 'versoin' in 'framework' (did you mean 'version'?) [schema/unknown-key] "
              "fix: rename it to 'version'");
}

// Found by fuzzing (libFuzzer, tests/fuzz/fuzz_profile.cpp): a dotted key at
// the top level was taken for the nested field and bound into a framework
// section that was never opened (heap use after free under ASan).
TEST(LoadProfile, RejectsADottedKeyAsOneKey)
{
    Loaded loaded = load("name: a\ncuda: \"13.0\"\nframework.with: base\n");
    EXPECT_FALSE(loaded.profile);
    EXPECT_EQ(first_error(loaded),
              "profile.yaml:3:1: unknown key 'framework.with' at the top level (a key holds no '.') "
              "[schema/unknown-key] fix: write it nested: 'framework:' and under it 'with: " +
                  std::string(find_field("framework.with")->example) + "'");
}

TEST(LoadProfile, RejectsADottedKeyInsideASection)
{
    Loaded loaded = load("name: a\npip:\n  a.b: [x]\n");
    EXPECT_FALSE(loaded.profile);
    EXPECT_EQ(first_error(loaded),
              "profile.yaml:3:3: unknown key 'a.b' in 'pip' (a key holds no '.') [schema/unknown-key] "
              "fix: write each part as its own key, one indented under the other");
}

TEST(LoadProfile, RejectsDuplicateKeys)
{
    Loaded loaded = load("name: a\ncuda: \"12.4\"\ncuda: \"12.6\"\n");
    EXPECT_EQ(first_error(loaded),
              "profile.yaml:3:1: duplicate key 'cuda' (first written at line 2) [yaml/duplicate-key] "
              "fix: remove one of the two 'cuda' entries");
}

TEST(LoadProfile, RejectsWrongType)
{
    Loaded loaded = load("name: a\napt: libgl1\n");
    EXPECT_EQ(first_error(loaded),
              "profile.yaml:2:6: 'apt' must be a list, not a single value [schema/wrong-type] "
              "fix: write it as a list, e.g. apt: [libgl1, libglib2.0-0]");
}

TEST(LoadProfile, RejectsPortsOutsideOneTo65535)
{
    // TCP and UDP ports are 16-bit; 0 is not a port a service listens on.
    for (const char* port : {"0", "65536", "70000", "-1"}) {
        Loaded loaded = load(std::string("name: a\napp:\n  expose: [") + port + "]\n");
        EXPECT_FALSE(loaded.profile) << port;
        EXPECT_EQ(first_error(loaded),
                  std::string("profile.yaml:3:12: 'app.expose' entry '") + port +
                      "' is not a port number [schema/bad-value] fix: use a number from 1 to 65535, e.g. 8000")
            << port;
    }
    EXPECT_TRUE(load("name: a\napp:\n  expose: [1, 65535]\n").profile);
}

TEST(LoadProfile, RejectsYesAsBoolean)
{
    Loaded loaded = load("name: a\ncudnn: yes\n");
    EXPECT_EQ(first_error(loaded),
              "profile.yaml:2:8: 'cudnn' must be true or false, not 'yes' [schema/wrong-type] "
              "fix: write cudnn: true or cudnn: false, without quotes");
}

TEST(LoadProfile, RejectsBadImageName)
{
    Loaded loaded = load("name: My_App\n");
    EXPECT_EQ(
        first_error(loaded),
        "profile.yaml:1:7: name 'My_App' is not `[a-z0-9][a-z0-9._-]*`, at most 128 characters [schema/bad-value] "
        "fix: use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit");
}

TEST(LoadProfile, RejectsShellInjectionInPackageNames)
{
    std::pair<const char*, const char*> cases[] = {{"\"curl; rm -rf /\"", "schema/bad-value"},
                                                   {"\"-e git+https://x\"", "schema/bad-value"},
                                                   {"\"fastapi\\nRUN evil\"", "schema/control-character"},
                                                   {"\"pkg && id\"", "schema/bad-value"}};
    for (const auto& [bad, code] : cases) {
        Loaded loaded = load(std::string("name: a\npip:\n  packages: [") + bad + "]\n");
        EXPECT_FALSE(loaded.profile) << bad;
        ASSERT_FALSE(loaded.diagnostics.items().empty());
        EXPECT_EQ(loaded.diagnostics.items()[0].code, code) << bad;
        EXPECT_EQ(loaded.diagnostics.items()[0].where.line, 3) << bad;
    }
    for (const char* bad : {"\"libgl1;reboot\"", "\"-y\"", "\"lib gl\""}) {
        Loaded loaded = load(std::string("name: a\napt: [") + bad + "]\n");
        EXPECT_FALSE(loaded.profile) << bad;
    }
}

TEST(LoadProfile, RejectsPathsLeavingTheContext)
{
    Loaded loaded = load("name: a\nconda:\n  environment: ../../etc/passwd\n");
    EXPECT_EQ(first_error(loaded),
              "profile.yaml:3:16: conda.environment '../../etc/passwd' leaves the profile's folder (the build context) "
              "[schema/bad-value] fix: move the file into the profile's folder and refer to it without '..'");
    Loaded absolute = load("name: a\napp:\n  copy: [{src: /etc, dst: /app}]\n");
    EXPECT_FALSE(absolute.profile);
}

TEST(LoadProfile, CollectsAllErrorsBeforeStopping)
{
    Loaded loaded = load("name: A\ncuda: twelve\nbogus: 1\nptx: maybe\n");
    EXPECT_FALSE(loaded.profile);
    EXPECT_EQ(loaded.diagnostics.error_count(), 4u);
}

TEST(LoadProfile, RejectsLatestCuda)
{
    Loaded loaded = load("name: a\ncuda: latest\n");
    EXPECT_EQ(
        first_error(loaded),
        "profile.yaml:2:7: cuda 'latest' is not a version: nvidia/cuda has no 'latest' tag (pulling it fails with "
        "'manifest unknown') [schema/bad-value] fix: pin a CUDA version such as \"12.4.1\", or omit cuda to let the "
        "framework pick it");
}

TEST(LoadProfile, ReportsSyntaxErrorsWithLocation)
{
    Loaded loaded = load("name: a\napt: [libgl1\n");
    ASSERT_FALSE(loaded.diagnostics.items().empty());
    EXPECT_EQ(loaded.diagnostics.items()[0].code, "yaml/syntax");
    EXPECT_GT(loaded.diagnostics.items()[0].where.line, 1);
}

TEST(LoadProfile, SuggestsTheClosestChoice)
{
    Loaded loaded = load("name: a\nframework: {name: pytorh, version: \"2.5\"}\n");
    EXPECT_EQ(first_error(loaded),
              "profile.yaml:2:19: framework.name 'pytorh' is not pytorch, tensorflow or jax (did you mean 'pytorch'?) "
              "[schema/bad-value] fix: use pytorch, tensorflow or jax");
}

TEST(LoadProfile, RejectsInvalidUtf8AtItsPlace)
{
    Loaded loaded = load("name: a\nos: ubu\xffntu\n");
    EXPECT_EQ(first_error(loaded),
              "profile.yaml:2:8: the profile is not valid UTF-8 (byte 15) [yaml/encoding] fix: save the file as UTF-8");
}

TEST(LoadProfile, RequiresName)
{
    Loaded loaded = load("cuda: \"12.4\"\n");
    EXPECT_EQ(first_error(loaded),
              "profile.yaml:1:1: the profile needs 'name' [schema/missing-key] fix: add 'name: fastapi-torch'");
}

TEST(LoadProfile, KeepsVersionTextExactly)
{
    // Unquoted 12.10 would be the float 12.1 in most YAML loaders.
    Loaded loaded = load("name: a\ncuda: 12.10\n");
    ASSERT_TRUE(loaded.profile) << first_error(loaded);
    EXPECT_EQ(loaded.profile->cuda.value, "12.10");
}

TEST(LoadProfile, RejectsEmptyValue)
{
    Loaded loaded = load("name: a\ncuda:\n");
    EXPECT_EQ(first_error(loaded),
              "profile.yaml:2:1: 'cuda' has no value [schema/missing-value] fix: give it a value, e.g. cuda: "
              "\"12.4.1\", or remove the key");
}

}  // namespace
}  // namespace cudagen
