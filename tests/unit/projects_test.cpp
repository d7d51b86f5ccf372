// The project fixtures (tests/fixtures/projects/): each models a pattern real
// GPU repositories use, and each test states what must hold in the Dockerfile
// cudagen generates for it. Goldens of the same fixtures: golden_test.cpp.
#include "cli/pipeline.hpp"
#include "render/render.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cudagen {
namespace {

namespace fs = std::filesystem;

struct Generated {
    std::string dockerfile;
    std::string messages;
    int exit_code = 0;
};

Generated generate(const std::string& fixture)
{
    fs::current_path(CUDAGEN_SOURCE_DIR);
    PipelineOptions options;
    options.profiles = {"tests/fixtures/projects/" + fixture + "/cudagen.yaml"};
    PipelineResult result = run_pipeline(options);
    Generated out;
    std::ostringstream messages;
    print_diagnostics(result.diagnostics, result.raw, messages);
    out.messages = messages.str();
    out.exit_code = result.exit_code;
    if (result.resolved.size() == 1) {
        Diagnostics diagnostics;
        out.dockerfile = render_dockerfile(result.resolved.front(), diagnostics).value_or("");
    }
    return out;
}

// Each needle must occur, after the previous one.
::testing::AssertionResult in_order(const std::string& text, const std::vector<std::string>& needles)
{
    std::size_t at = 0;
    for (const auto& needle : needles) {
        std::size_t found = text.find(needle, at);
        if (found == std::string::npos) {
            bool anywhere = text.find(needle) != std::string::npos;
            return ::testing::AssertionFailure()
                   << "'" << needle << "' " << (anywhere ? "is out of order" : "is missing") << " in:\n"
                   << text;
        }
        at = found + needle.size();
    }
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult lacks(const std::string& text, const std::string& needle)
{
    if (text.find(needle) == std::string::npos) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "'" << needle << "' must not be in:\n" << text;
}

Generated ok(const std::string& fixture)
{
    Generated generated = generate(fixture);
    EXPECT_EQ(generated.exit_code, 0) << generated.messages;
    EXPECT_FALSE(generated.dockerfile.empty());
    return generated;
}

// How the dependency layers install into the venv (uv from its cache mount, with pip's meaning kept).
const std::string k_uv_install =
    "/opt/cudagen/uv/bin/uv pip install --python /opt/venv/bin/python --system-certs "
    "--link-mode copy --compile-bytecode ${PIP_INDEX_URL:+--index-url \"$PIP_INDEX_URL\"}";

TEST(ProjectFixtures, CondaPipSectionCopiesIncludesAndInstallsProjectAfterEnvironment)
{
    std::string d = ok("conda-pip-editable").dockerfile;
    EXPECT_TRUE(in_order(d, {"COPY [\"environment.yml\", \"/tmp/cudagen/deps/environment.yml\"]",
                             "COPY [\"requirements-extra.txt\", \"/tmp/cudagen/deps/requirements-extra.txt\"]",
                             "sed -i -e 10d /tmp/cudagen/deps/environment.yml",
                             "micromamba create -y -p /opt/env -f /tmp/cudagen/deps/environment.yml",
                             "COPY [\".\", \"/tmp/cudagen/deps/\"]", "pip install", "/tmp/cudagen/deps/\n"}));
    EXPECT_TRUE(lacks(d, "/tmp/cudagen/environment.yml"));
}

TEST(ProjectFixtures, RequirementsIncludesKeepTheirRelativePaths)
{
    std::string d = ok("requirements-includes-cu").dockerfile;
    EXPECT_TRUE(in_order(d, {"COPY [\"requirements.txt\", \"/tmp/cudagen/deps/requirements.txt\"]",
                             "COPY [\"requirements/base.txt\", \"/tmp/cudagen/deps/requirements/base.txt\"]",
                             "COPY [\"requirements/serve.txt\", \"/tmp/cudagen/deps/requirements/serve.txt\"]",
                             "COPY [\"constraints.txt\", \"/tmp/cudagen/deps/constraints.txt\"]",
                             k_uv_install + " --index-strategy unsafe-best-match -r /tmp/cudagen/deps/requirements.txt",
                             "COPY --chown=10001:10001 [\"app/\", \"/app\"]"}));
    EXPECT_TRUE(lacks(d, "sed -i")) << "no local project: nothing is left out";
}

TEST(ProjectFixtures, TorchExtensionBuildSeesTheProfileArchs)
{
    std::string d = ok("torch-extension").dockerfile;
    EXPECT_TRUE(
        in_order(d, {"FROM ", "AS devel", "pip install", "torch==2.13.0", "ENV TORCH_CUDA_ARCH_LIST=\"8.0;9.0+PTX\"",
                     "FORCE_CUDA=1", "COPY [\".\", \"/src/ext\"]", "pip install --no-build-isolation /src/ext",
                     "AS runtime", "io.cudagen.gpu-archs=\"8.0;9.0+PTX\""}));
    EXPECT_TRUE(in_order(d, {"AS devel", "python3-dev"})) << "Python.h for the extension";
}

TEST(ProjectFixtures, CmakeProjectWithoutArchsGetsThemFromEnvironmentAndToolchain)
{
    std::string d = ok("cmake-cuda-noarch").dockerfile;
    EXPECT_TRUE(
        in_order(d, {"AS devel", "apt-get install", "set(CMAKE_CUDA_ARCHITECTURES \"$ENV{CUDAARCHS}\" CACHE STRING",
                     ">/opt/cudagen/cuda-archs.cmake", "CUDAARCHS=\"80-real;89-real;90-real\"",
                     "CMAKE_TOOLCHAIN_FILE=/opt/cudagen/cuda-archs.cmake", "cmake -S /src -B /src/build"}));
}

TEST(ProjectFixtures, CmakeProjectWithOwnDefaultStillGetsTheProfileArchs)
{
    std::string d = ok("cmake-own-default").dockerfile;
    EXPECT_TRUE(in_order(d, {"CUDAARCHS=\"80-real;90\"", "CMAKE_TOOLCHAIN_FILE=/opt/cudagen/cuda-archs.cmake",
                             "cmake -S /src -B /build -G Ninja"}));
}

TEST(ProjectFixtures, FindLinksPagesReachPip)
{
    std::string d = ok("find-links-pyg").dockerfile;
    EXPECT_TRUE(in_order(
        d, {"torch==2.11.0", k_uv_install + " --find-links https://data.pyg.org/whl/torch-2.11.0+cu130.html -r "
                                            "/tmp/cudagen/deps/requirements.txt"}));
}

TEST(ProjectFixtures, LocalWheelsAreInTheDependencyLayer)
{
    std::string d = ok("local-wheels").dockerfile;
    EXPECT_TRUE(in_order(d, {"COPY [\"requirements.txt\", \"/tmp/cudagen/deps/requirements.txt\"]",
                             "COPY [\"wheels/\", \"/tmp/cudagen/deps/wheels/\"]",
                             k_uv_install + " -r /tmp/cudagen/deps/requirements.txt"}));
    EXPECT_TRUE(lacks(d, "vendored_utils-0.3.0-py3-none-any.whl\"")) << "the wheel comes with its folder, not twice";
    EXPECT_TRUE(lacks(d, "Local projects")) << "a wheel is not a project to build";
}

TEST(ProjectFixtures, UvLockDependenciesGetTheirOwnLayer)
{
    std::string d = ok("uv-project").dockerfile;
    EXPECT_TRUE(in_order(
        d,
        {"COPY [\"pyproject.toml\", \"/tmp/cudagen/project/pyproject.toml\"]",
         "COPY [\"uv.lock\", \"/tmp/cudagen/project/uv.lock\"]", "pip install --target /tmp/cudagen/tools uv==0.13.9",
         "uv export --project /tmp/cudagen/project --frozen --no-dev --no-hashes --no-emit-project --extra serve",
         "pip install -r /tmp/cudagen/project/requirements.lock.txt", "COPY [\".\", \"/tmp/cudagen/project/\"]",
         "pip install --no-deps '/tmp/cudagen/project[serve]'"}));
    EXPECT_TRUE(in_order(d, {"AS devel", "git"}));
}

TEST(ProjectFixtures, PoetryLockIsExported)
{
    std::string d = ok("poetry-project").dockerfile;
    EXPECT_TRUE(in_order(d, {"COPY [\"poetry.lock\", \"/tmp/cudagen/project/poetry.lock\"]", "poetry==2.5.1",
                             "poetry-plugin-export==1.10.1",
                             "poetry export --directory /tmp/cudagen/project --without-hashes -o "
                             "/tmp/cudagen/project/requirements.lock.txt",
                             "pip install --no-deps /tmp/cudagen/project"}));
}

TEST(ProjectFixtures, PyprojectWithoutLockResolvesAtInstall)
{
    std::string d = ok("pyproject-subdir").dockerfile;
    EXPECT_TRUE(
        in_order(d, {"COPY [\"python/pyproject.toml\", \"/tmp/cudagen/project/pyproject.toml\"]",
                     "COPY [\"python\", \"/tmp/cudagen/project/\"]", "pip install '/tmp/cudagen/project[cuda]'"}));
    EXPECT_TRUE(lacks(d, "--no-deps"));
    EXPECT_TRUE(lacks(d, "uv export"));
}

TEST(ProjectFixtures, GitRequirementsBringGit)
{
    std::string d = ok("git-requirements").dockerfile;
    EXPECT_TRUE(
        in_order(d, {"AS devel", "apt-get install", "git", k_uv_install + " -r /tmp/cudagen/deps/requirements.txt"}));
}

TEST(ProjectFixtures, PathExtensionsKeepTheBaseValues)
{
    Generated generated = ok("service-path");
    EXPECT_TRUE(in_order(generated.dockerfile, {"AS runtime", "PATH=/opt/svc/bin:/opt/venv/bin:$PATH",
                                                "LD_LIBRARY_PATH=/opt/svc/lib${LD_LIBRARY_PATH:+:${LD_LIBRARY_PATH}}",
                                                "ENV SVC_MODE=\"production\""}));
}

TEST(ProjectFixtures, BuildStepsKeepTheirDeclaredOrder)
{
    std::string d = ok("ordered-build-steps").dockerfile;
    EXPECT_TRUE(in_order(d, {"COPY [\"third_party/fastops/\", \"/deps/fastops\"]", "\"make -C /deps/fastops\"",
                             "COPY [\"src/\", \"/src\"]", "\"make -C /src FASTOPS=/deps/fastops\""}));
}

TEST(ProjectFixtures, BuildCommandsWithoutCopyBetweenShareOneRun)
{
    std::string d = ok("cmake-cuda-noarch").dockerfile;
    EXPECT_TRUE(in_order(d, {"COPY [\".\", \"/src\"]", "RUN --mount=type=cache,",
                             "[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\", "
                             "\"/opt/cudagen/build-cache restore /root/.cache/cudagen/build /src/build /src && (\\n"
                             "(\\ncmake -S /src -B /src/build -DCMAKE_BUILD_TYPE=Release\\n) && "
                             "(\\ncmake --build /src/build -j\\\"$(nproc)\\\"\\n)\\n) && "
                             "/opt/cudagen/build-cache save /root/.cache/cudagen/build /src/build /src\"]"}));
    EXPECT_TRUE(lacks(d, "        git"));
}

// The CMake folder lives on in a cache mount whose id holds the profile's name,
// OS, CUDA and GPU targets; the script that restores and saves it is written
// before the build, and an ARG turns it off.
TEST(ProjectFixtures, CMakeBuildFolderKeptInACacheOfTheProfileAndItsTargets)
{
    std::string d = ok("cmake-cuda-noarch").dockerfile;
    EXPECT_TRUE(
        in_order(d, {"AS devel", ">/opt/cudagen/build-cache", "ARG CUDAGEN_BUILD_CACHE=1", "COPY [\".\", \"/src\"]",
                     "RUN --mount=type=cache,id=cudagen-build-cmake-cuda-noarch-ubuntu24.04-cuda13.0.2-"
                     "80-real-89-real-90-real-src-build,target=/root/.cache/cudagen/build,sharing=locked \\\n",
                     "AS runtime"}));
}

// make without cmake -B has no folder cudagen could keep: no cache, no script.
TEST(ProjectFixtures, BuildWithoutCMakeFolderHasNoBuildCache)
{
    std::string d = ok("ordered-build-steps").dockerfile;
    EXPECT_TRUE(lacks(d, "build-cache"));
    EXPECT_TRUE(lacks(d, "CUDAGEN_BUILD_CACHE"));
    EXPECT_TRUE(in_order(d, {"RUN [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\", \"make -C /deps/fastops\"]"}));
}

TEST(ProjectFixtures, BuildCommandsSeparatedByCopyKeepTheirOwnRuns)
{
    std::string d = ok("ordered-build-steps").dockerfile;
    EXPECT_TRUE(lacks(d, ") && ("));
}

TEST(ProjectFixtures, BuildStepThatRunsGitBringsGit)
{
    std::string d = ok("build-runs-git").dockerfile;
    EXPECT_TRUE(in_order(d, {"AS devel", "apt-get install", "        git; } \\\n",
                             "\"(\\ngit clone --depth 1 https://example.org/fastops.git /deps/fastops\\n) && "
                             "(\\nmake -C /deps/fastops\\n)\""}));
}

// The devel apt step fetches the package lists only when the cached ones are over
// an hour old, and again when the install fails with them (a stale list).
TEST(ProjectFixtures, DevelAptUpdatesOnlyOldListsOrAfterAFailedInstall)
{
    std::string d = ok("git-requirements").dockerfile;
    EXPECT_TRUE(
        in_order(d, {"AS devel", "apt_update() { apt-get update && touch /var/lib/apt/lists/cudagen-updated; }",
                     "apt_install() { apt-get install -y --no-install-recommends",
                     "{ [ -n \"$(find /var/lib/apt/lists/cudagen-updated -mmin -60 2>/dev/null)\" ] || apt_update; }",
                     "{ apt_install || { apt_update && apt_install; }; } \\\n", "AS runtime"}));
}

TEST(ProjectFixtures, DevelAndRuntimeAptStepsHaveCachesOfTheirOwn)
{
    std::string d = ok("git-requirements").dockerfile;
    EXPECT_TRUE(in_order(d, {"AS devel", "id=cudagen-apt-cache-ubuntu24.04-devel,target=/var/cache/apt,sharing=locked",
                             "id=cudagen-apt-lists-ubuntu24.04-devel,target=/var/lib/apt/lists,sharing=locked",
                             "apt-get install -y --no-install-recommends --no-upgrade", "AS runtime",
                             "id=cudagen-apt-cache-ubuntu24.04-runtime,target=/var/cache/apt,sharing=locked",
                             "id=cudagen-apt-lists-ubuntu24.04-runtime,target=/var/lib/apt/lists,sharing=locked",
                             "apt-get install -y --no-install-recommends --no-upgrade"}));
}

TEST(ProjectFixtures, RuntimeRunStepsRunBeforeUser)
{
    std::string d = ok("runtime-run").dockerfile;
    EXPECT_TRUE(in_order(d, {"AS runtime", "useradd --create-home --uid 10001",
                             "RUN [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\", \"ldconfig\"]",
                             "\"mkdir -p /data && chown 10001:10001 /data\"", "USER 10001:10001"}));
}

TEST(ProjectFixtures, MonorepoCopiesOnlyTheNamedLibraries)
{
    std::string d = ok("monorepo-local-libs").dockerfile;
    EXPECT_TRUE(in_order(d, {"COPY [\"services/requirements.txt\", \"/tmp/cudagen/deps/services/requirements.txt\"]",
                             "sed -i -e 2d -e 3d /tmp/cudagen/deps/services/requirements.txt",
                             k_uv_install + " -r /tmp/cudagen/deps/services/requirements.txt",
                             "COPY [\"libs/core\", \"/tmp/cudagen/deps/libs/core\"]",
                             "COPY [\"libs/plugins\", \"/tmp/cudagen/deps/libs/plugins\"]",
                             "/tmp/cudagen/deps/libs/core", "/tmp/cudagen/deps/libs/plugins"}));
    EXPECT_TRUE(lacks(d, "COPY [\".\""));
}

TEST(ProjectFixtures, MultiLineEntryIsLeftOutWhole)
{
    std::string d = ok("markers-hashes").dockerfile;
    EXPECT_TRUE(in_order(d, {"sed -i -e 10d /tmp/cudagen/deps/requirements.txt",
                             k_uv_install + " --require-hashes -r /tmp/cudagen/deps/requirements.txt",
                             "COPY [\".\", \"/tmp/cudagen/deps/\"]"}));
}

TEST(ProjectFixtures, OpenMmlabBuildSeesArchsAndForceCudaAfterTheFramework)
{
    std::string d = ok("mmcv-openmmlab").dockerfile;
    EXPECT_TRUE(in_order(d, {"torchvision==0.26.0", "TORCH_CUDA_ARCH_LIST=\"7.5;8.6+PTX\"", "FORCE_CUDA=1",
                             k_uv_install + " -r /tmp/cudagen/deps/requirements.txt"}));
}

TEST(ProjectFixtures, EnvironmentWithOnlyLocalPipEntryDropsThePipKey)
{
    std::string d = ok("env-pip-only-local").dockerfile;
    EXPECT_TRUE(in_order(d, {"COPY [\"env/environment.yml\", \"/tmp/cudagen/deps/env/environment.yml\"]",
                             "sed -i -e 9d -e 8d /tmp/cudagen/deps/env/environment.yml", "micromamba create",
                             "COPY [\".\", \"/tmp/cudagen/deps/\"]", "/tmp/cudagen/deps/\n"}));
}

TEST(ProjectFixtures, AtLeastFifteenFixtures)
{
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(CUDAGEN_SOURCE_DIR) / "tests/fixtures/projects")) {
        count += fs::exists(entry.path() / "cudagen.yaml") ? 1 : 0;
    }
    EXPECT_GE(count, 15u);
}

// The Dockerfile of a pip profile whose requirements.txt holds `requirements`
// (written to a scratch folder, removed again).
std::string dockerfile_with_requirements(const std::string& requirements)
{
    fs::path dir = fs::temp_directory_path() /
                   ("cudagen-installer-test-" + std::to_string(std::hash<std::string>{}(requirements)));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "cudagen.yaml") << "name: a\ncuda: \"13.0\"\npip:\n  requirements: requirements.txt\n";
    std::ofstream(dir / "requirements.txt") << requirements;
    PipelineOptions options;
    options.profiles = {(dir / "cudagen.yaml").string()};
    PipelineResult result = run_pipeline(options);
    std::string out;
    if (result.resolved.size() == 1) {
        Diagnostics diagnostics;
        out = render_dockerfile(result.resolved.front(), diagnostics).value_or("");
    }
    fs::remove_all(dir);
    EXPECT_FALSE(out.empty()) << requirements;
    return out;
}

TEST(Installer, UvInstallsTheRequirementsOfAVenvFromItsCache)
{
    std::string d = dockerfile_with_requirements("fastapi==0.111.0\n");
    EXPECT_TRUE(in_order(d, {"AS devel", "RUN --mount=type=cache,target=/root/.cache/pip \\\n",
                             "pip install --target /opt/cudagen/uv uv==0.13.9\n",
                             "COPY [\"requirements.txt\", \"/tmp/cudagen/deps/requirements.txt\"]",
                             "RUN --mount=type=cache,target=/root/.cache/uv \\\n",
                             k_uv_install + " -r /tmp/cudagen/deps/requirements.txt\n", "AS runtime"}));
    EXPECT_TRUE(lacks(d, "--index-strategy")) << "one index: nothing to compare";
    EXPECT_TRUE(lacks(d, "--require-hashes"));
    EXPECT_TRUE(lacks(d, "COPY --from=devel /opt/cudagen")) << "uv stays in the devel stage";
}

TEST(Installer, PipKeepsFilesWithOptionsThatUvReadsOtherwise)
{
    for (std::string option :
         {"--pre", "--prefer-binary", "--trusted-host pypi.example.org", "--use-feature truststore"}) {
        std::string d = dockerfile_with_requirements(option + "\nfastapi==0.111.0\n");
        EXPECT_TRUE(in_order(d, {"RUN --mount=type=cache,target=/root/.cache/pip \\\n",
                                 "    pip install -r /tmp/cudagen/deps/requirements.txt\n"}))
            << option;
        EXPECT_TRUE(lacks(d, "/opt/cudagen/uv")) << option;
    }
}

TEST(Installer, ExtraIndexesAreComparedAsPipDoes)
{
    std::string d =
        dockerfile_with_requirements("--extra-index-url https://extra.example.org/simple\nfastapi==0.111.0\n");
    EXPECT_TRUE(
        in_order(d, {k_uv_install + " --index-strategy unsafe-best-match -r /tmp/cudagen/deps/requirements.txt"}));
}

}  // namespace
}  // namespace cudagen
