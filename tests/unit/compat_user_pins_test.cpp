// What users pin in their own files (pip.packages, requirements files with
// their includes, conda environment files): what resolve adopts from them, and
// what the conda/* rules report at the pin. Every case is a fact with its
// source in a comment; fixtures follow the patterns real repositories use.
#include "check/check.hpp"
#include "check_harness.hpp"
#include "deps/user_pins.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/tables.hpp"
#include "load/load_profile.hpp"
#include "resolve/resolve.hpp"
#include "validate/validate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cudagen {
namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

struct PinRun {
    Diagnostics diagnostics;
    std::optional<ResolvedProfile> resolved;

    const Diagnostic* find(const std::string& code) const
    {
        for (const auto& d : diagnostics.items()) {
            if (d.code == code) {
                return &d;
            }
        }
        return nullptr;
    }
    std::string dump() const
    {
        std::string out;
        for (const auto& d : diagnostics.items()) {
            out += format_diagnostic(d);
        }
        return out;
    }
};

// The profile and `files` in a scratch build context, through load, dependency
// reading, pin adoption, resolve and check, as `cudagen check` runs them.
PinRun run_profile(const std::string& profile, const Files& files)
{
    PinRun run;
    test_support::fs::path dir = test_support::scratch_dir();
    for (const auto& [name, text] : files) {
        std::ofstream(dir / name) << text;
    }
    auto raw = load_profile_from_string(profile, (dir / "cudagen.yaml").string(), dir, run.diagnostics);
    if (raw) {
        read_profile_dependencies(*raw, run.diagnostics);
        adopt_user_pins(*raw, Knowledge::builtin().tables());
        run.resolved = resolve(*raw, Knowledge::builtin(), {}, run.diagnostics);
        if (run.resolved) {
            run_checks(*raw, *run.resolved, Knowledge::builtin(), HostFacts{}, run.diagnostics);
        }
    }
    test_support::fs::remove_all(dir);
    return run;
}

const std::string k_env_profile = "name: a\nconda:\n  environment: environment.yml\n";
const std::string k_req_profile = "name: a\npip:\n  requirements: requirements.txt\n";

// --- what resolve adopts from the pins --------------------------------------------------------

struct AdoptCase {
    const char* fact;
    std::string profile;
    Files files;
    const char* framework;  // "pytorch 1.13.1", "" = none
    const char* cuda;       // the image's X.Y
    const char* python;     // "" = not checked
    const char* origin;     // "file:line" the CUDA comes from, "" = not checked
};

class AdoptsPins : public ::testing::TestWithParam<AdoptCase> {};

TEST_P(AdoptsPins, ResolvesWhatThePinsSay)
{
    const AdoptCase& c = GetParam();
    PinRun run = run_profile(c.profile, c.files);
    ASSERT_TRUE(run.resolved) << c.fact << "\n" << run.dump();
    const ResolvedProfile& p = *run.resolved;
    std::string framework = p.framework ? p.framework->name + " " + p.framework->version.value : "";
    EXPECT_EQ(framework, c.framework) << c.fact;
    EXPECT_EQ(Version::parse(p.cuda.value)->major_minor().str(), c.cuda) << c.fact << ": " << p.cuda.reason;
    if (*c.python != '\0') {
        EXPECT_EQ(p.python.version.value, c.python) << c.fact << ": " << p.python.version.reason;
    }
    if (*c.origin != '\0') {
        std::string origin =
            test_support::fs::path(p.cuda.where.file).filename().string() + ":" + std::to_string(p.cuda.where.line);
        EXPECT_EQ(origin, c.origin) << c.fact;
    }
    EXPECT_FALSE(run.diagnostics.has_errors()) << c.fact << "\n" << run.dump();
}

INSTANTIATE_TEST_SUITE_P(
    Pins, AdoptsPins,
    ::testing::Values(
        // Issue 11: pip.packages ["torch==1.13.1"] resolved CUDA 13. PyPI's torch 1.13.1 Linux wheel is the
        // cu117 build (its METADATA requires nvidia-cuda-runtime-cu11==11.7.99).
        AdoptCase{"pip.packages torch==1.13.1",
                  "name: a\npip:\n  packages: [\"torch==1.13.1\"]\n",
                  {},
                  "pytorch 1.13.1",
                  "11.7",
                  "",
                  "cudagen.yaml:3"},
        // pytorch.org previous-versions, v1.13.1: torch==1.13.1+cu116 from .../whl/cu116.
        AdoptCase{
            "+cu116 local version",
            k_req_profile,
            {{"requirements.txt", "--extra-index-url https://download.pytorch.org/whl/cu116\ntorch==1.13.1+cu116\n"}},
            "pytorch 1.13.1",
            "11.6",
            "",
            "requirements.txt:2"},
        // previous-versions, v2.0.1: pip install torch==2.0.1 --index-url https://download.pytorch.org/whl/cu118.
        AdoptCase{"/whl/cu118 index",
                  k_req_profile,
                  {{"requirements.txt", "--index-url https://download.pytorch.org/whl/cu118\ntorch==2.0.1\n"}},
                  "pytorch 2.0.1",
                  "11.8",
                  "",
                  "requirements.txt:1"},
        // anaconda.org/pytorch/pytorch files: pytorch-1.13.1-py3.9_cuda11.7_cudnn8.5.0_0 (the build string
        // names Python 3.9 and CUDA 11.7).
        AdoptCase{"conda build string",
                  k_env_profile,
                  {{"environment.yml",
                    "channels: [pytorch, nvidia]\ndependencies:\n  - "
                    "pytorch=1.13.1=py3.9_cuda11.7_cudnn8.5.0_0\n  - pytorch-cuda=11.7\n  - mkl=2024.0\n"}},
                  "pytorch 1.13.1",
                  "11.7",
                  "3.9",
                  "environment.yml:4"},
        // previous-versions, v2.1.x: conda install pytorch==2.1.2 ... pytorch-cuda=12.1 -c pytorch -c nvidia.
        AdoptCase{"pytorch-cuda=12.1",
                  k_env_profile,
                  {{"environment.yml",
                    "name: app\nchannels:\n  - pytorch\n  - nvidia\ndependencies:\n  - "
                    "python=3.10\n  - pytorch=2.1.2\n  - pytorch-cuda=12.1\n  - mkl=2024.0\n"}},
                  "pytorch 2.1.2",
                  "12.1",
                  "3.10",
                  "environment.yml:8"},
        // previous-versions, v1.10.1: conda ... cudatoolkit=11.3 -c pytorch -c conda-forge (pip has cu111).
        AdoptCase{"cudatoolkit=11.3 with pytorch 1.10.1",
                  k_env_profile,
                  {{"environment.yml",
                    "channels: [pytorch, conda-forge]\ndependencies:\n  - python=3.8\n  - "
                    "pytorch==1.10.1\n  - torchvision==0.11.2\n  - cudatoolkit=11.3\n  - mkl=2024.0\n"}},
                  "pytorch 1.10.1",
                  "11.3",
                  "3.8",
                  "environment.yml:6"},
        // conda-forge 'Using CUDA': cuda-version=12.4 pins every CUDA package of the environment to 12.4.
        AdoptCase{"cuda-version=12.4 without a framework",
                  k_env_profile,
                  {{"environment.yml",
                    "channels: [conda-forge]\ndependencies:\n  - python=3.12\n  - "
                    "cuda-version=12.4\n  - cupy\n"}},
                  "",
                  "12.4",
                  "3.12",
                  "environment.yml:4"},
        // tensorflow.org 'Tested build configurations': tensorflow 2.13.x is built with CUDA 11.8, cuDNN 8.6.
        AdoptCase{"tensorflow==2.13.1 in requirements",
                  k_req_profile,
                  {{"requirements.txt", "tensorflow==2.13.1\nnumpy<2\n"}},
                  "tensorflow 2.13.1",
                  "11.8",
                  "",
                  "requirements.txt:1"},
        // PyPI jax 0.4.30: the cuda12 extra (jax-cuda12-plugin wheels, CUDA 12).
        AdoptCase{"jax[cuda12]==0.4.30",
                  "name: a\npip:\n  packages: [\"jax[cuda12]==0.4.30\"]\n",
                  {},
                  "jax 0.4.30",
                  "12.9",
                  "",
                  ""},
        // pip 'Requirements File Format': -r includes another file, relative to the including one.
        AdoptCase{"torch pinned in an included file",
                  k_req_profile,
                  {{"requirements.txt", "-r base.txt\nrequests==2.32.3\n"}, {"base.txt", "# core\ntorch==2.2.2\n"}},
                  "pytorch 2.2.2",
                  "12.1",
                  "",
                  "base.txt:2"},
        // pip: -c constraints limit the version a requirement installs (torch==2.0.1 from constraints.txt).
        AdoptCase{"torch pinned in a constraints file",
                  k_req_profile,
                  {{"requirements.txt", "-c constraints.txt\ntorch\n"}, {"constraints.txt", "torch==2.0.1\n"}},
                  "pytorch 2.0.1",
                  "11.7",
                  "",
                  "constraints.txt:1"},
        // PEP 440: "==1.13.*" matches every 1.13 release; the newest is 1.13.1 (PyPI release history).
        AdoptCase{"prefix pin torch==1.13.*",
                  "name: a\npip:\n  packages: [\"torch==1.13.*\"]\n",
                  {},
                  "pytorch 1.13.1",
                  "11.7",
                  "",
                  ""},
        // A framework block wins over a pin (the pin is then checked against it).
        AdoptCase{"framework block stays",
                  "name: a\nframework: {name: pytorch, version: \"2.3.1\"}\npip:\n  requirements: requirements.txt\n",
                  {{"requirements.txt", "torch==2.3.1\n"}},
                  "pytorch 2.3.1",
                  "12.1",
                  "",
                  ""},
        // The environment's python decides the Python (micromamba creates it): python=3.11 of conda-forge.
        AdoptCase{"env python decides the Python",
                  "name: a\nframework: {name: pytorch, version: \"2.5.1\"}\nconda:\n  environment: environment.yml\n",
                  {{"environment.yml", "channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pip\n"}},
                  "pytorch 2.5.1",
                  "12.4",
                  "3.11",
                  ""},
        // pip: a constraints file installs nothing; torch pinned only there is not installed, so not adopted.
        AdoptCase{
            "constraint of a package nothing installs",
            k_req_profile,
            {{"requirements.txt", "-c constraints.txt\nrequests==2.32.3\n"}, {"constraints.txt", "torch==2.0.1\n"}},
            "",
            "13.2",
            "",
            ""},
        // anaconda.org/conda-forge/pytorch-gpu: the metapackage installs conda-forge's CUDA pytorch build.
        AdoptCase{"conda-forge pytorch-gpu",
                  k_env_profile,
                  {{"environment.yml",
                    "channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - "
                    "pytorch-gpu=2.4.1\n  - cuda-version=12.4\n"}},
                  "pytorch 2.4.1",
                  "12.4",
                  "3.11",
                  "environment.yml:5"},
        // A range (PEP 440 ">=") names no single release: not adopted.
        AdoptCase{
            "range pin is not adopted", "name: a\npip:\n  packages: [\"torch>=2.0\"]\n", {}, "", "13.2", "", ""}));

TEST(AdoptedPins, ResolveSaysWhereTheValueCameFrom)
{
    // previous-versions, v1.13.1: torch==1.13.1+cu117 with --extra-index-url .../whl/cu117.
    PinRun run = run_profile(k_req_profile, {{"requirements.txt", "torch==1.13.1+cu117\n"}});
    ASSERT_TRUE(run.resolved) << run.dump();
    EXPECT_EQ(run.resolved->cuda.origin, Origin::derived);
    EXPECT_EQ(run.resolved->cuda.reason,
              "pinned by torch==1.13.1+cu117 (requirements.txt:1); newest point release of CUDA 11.7 with images");
    EXPECT_EQ(run.resolved->framework->version.reason, "pinned by torch==1.13.1+cu117 (requirements.txt:1)");
    EXPECT_EQ(run.resolved->framework->cuda_variant.value, "cu117");
}

TEST(AdoptedPins, PinnedCudaWithoutImagesIsALocatedError)
{
    // previous-versions, v1.12.1: torch==1.12.1+cu102; nvidia/cuda has no CUDA 10.2 images left in the tag table.
    PinRun run = run_profile(k_req_profile, {{"requirements.txt", "numpy==1.23.5\ntorch==1.12.1+cu102\n"}});
    const Diagnostic* d = run.find("tag/no-such-cuda");
    ASSERT_NE(d, nullptr) << run.dump();
    EXPECT_TRUE(d->where.file.ends_with("requirements.txt")) << d->where.file;
    EXPECT_EQ(d->where.line, 2);
    EXPECT_EQ(d->where.column, 1);
    EXPECT_EQ(
        d->message,
        "CUDA 10.2, pinned by torch==1.12.1+cu102 (requirements.txt:2), has no nvidia/cuda images (no such release "
        "in the tag table)");
}

TEST(AdoptedPins, UnknownPinnedReleaseIsALocatedError)
{
    // torch 1.7.1 (PyPI, 2020-12-10) predates the tables (from 1.8): the error is at the pin.
    PinRun run = run_profile(k_req_profile, {{"requirements.txt", "# pinned\ntorch==1.7.1\n"}});
    const Diagnostic* d = run.find("framework/unknown-version");
    ASSERT_NE(d, nullptr) << run.dump();
    EXPECT_TRUE(d->where.file.ends_with("requirements.txt")) << d->where.file;
    EXPECT_EQ(d->where.line, 2);
}

TEST(AdoptedPins, AdoptedTorchPinRaisesNoUncheckedWarning)
{
    // The example now resolves torch 1.13.1's CUDA and nothing is left unchecked.
    PinRun run = run_profile("name: a\npip:\n  packages: [\"torch==1.13.1\"]\n", {});
    EXPECT_EQ(run.find("framework/pinned-without-framework"), nullptr) << run.dump();
    EXPECT_EQ(run.diagnostics.items().size(), 0U) << run.dump();
}

TEST(AdoptedPins, PythonOutsideTheFrameworkRangeIsFixedInTheEnvironment)
{
    // pytorch RELEASE.md: torch 1.13 supports Python 3.7-3.10 (3.11 experimental); the env pins 3.12.
    PinRun run = run_profile(k_env_profile, {{"environment.yml",
                                              "channels: [pytorch, nvidia]\ndependencies:\n  - "
                                              "python=3.12\n  - pytorch=1.13.1\n  - mkl=2024.0\n"}});
    const Diagnostic* d = run.find("python/out-of-range");
    ASSERT_NE(d, nullptr) << run.dump();
    EXPECT_TRUE(d->where.file.ends_with("environment.yml")) << d->where.file;
    EXPECT_EQ(d->where.line, 3);
    EXPECT_EQ(d->fix, "pin python=3.10 in environment.yml (or set python: in the profile)");
}

// --- findings at the pin ----------------------------------------------------------------------

struct FindingCase {
    const char* fact;
    std::string profile;
    Files files;
    const char* code;  // expected finding; "" = none of the codes below
    int line;          // its line in the file that pins it
};

const std::vector<std::string> k_pin_codes = {"conda/python-mismatch",
                                              "conda/cuda-pin-mismatch",
                                              "conda/cuda-pin-minor-differs",
                                              "conda/no-such-build",
                                              "conda/framework-installed-twice",
                                              "conda/known-breakage",
                                              "framework/companion-mismatch",
                                              "framework/pinned-cuda-mismatch",
                                              "conda/cudatoolkit-with-pytorch-channel",
                                              "framework/pinned-without-framework",
                                              "framework/pinned-cpu-build"};

class PinFindings : public ::testing::TestWithParam<FindingCase> {};

TEST_P(PinFindings, AreReportedAtThePin)
{
    const FindingCase& c = GetParam();
    PinRun run = run_profile(c.profile, c.files);
    std::vector<std::string> found;
    for (const auto& d : run.diagnostics.items()) {
        if (std::find(k_pin_codes.begin(), k_pin_codes.end(), d.code) != k_pin_codes.end()) {
            found.push_back(d.code);
        }
    }
    if (*c.code == '\0') {
        EXPECT_TRUE(found.empty()) << c.fact << "\n" << run.dump();
        return;
    }
    const Diagnostic* d = run.find(c.code);
    ASSERT_NE(d, nullptr) << c.fact << "\n" << run.dump();
    EXPECT_EQ(d->where.line, c.line) << c.fact;
    EXPECT_FALSE(d->where.file.ends_with("cudagen.yaml")) << c.fact << ": located in the profile, not at the pin";
    EXPECT_FALSE(d->fix.empty()) << c.fact;
}

std::string env_profile_with(const std::string& lines)
{
    return "name: a\n" + lines + "conda:\n  environment: environment.yml\n";
}

INSTANTIATE_TEST_SUITE_P(
    Env, PinFindings,
    ::testing::Values(
        // conda: python=3.9 means 3.9.* (conda match specs); the profile asks for 3.11.
        FindingCase{"env python below the profile's",
                    env_profile_with("python: \"3.11\"\n"),
                    {{"environment.yml", "channels: [conda-forge]\ndependencies:\n  - python=3.9\n  - numpy\n"}},
                    "conda/python-mismatch",
                    3},
        // conda match spec ranges: python>=3.8,<3.11 admits 3.10.
        FindingCase{"env python range admits the profile's",
                    env_profile_with("python: \"3.10\"\n"),
                    {{"environment.yml", "dependencies:\n  - python>=3.8,<3.11\n"}},
                    "",
                    0},
        // anaconda.org/pytorch: pytorch-2.1.2-py3.9_cuda12.1_cudnn8.9.2_0 is a CPython 3.9 build.
        FindingCase{"build string for another Python",
                    env_profile_with("python: \"3.10\"\n"),
                    {{"environment.yml",
                      "channels: [pytorch, nvidia]\ndependencies:\n  - "
                      "pytorch=2.1.2=py3.9_cuda12.1_cudnn8.9.2_0\n  - pytorch-cuda=12.1\n"}},
                    "conda/python-mismatch",
                    3},
        // pytorch-cuda=11.8 installs CUDA 11.8 runtime libraries (nvidia channel) into a CUDA 12 image.
        FindingCase{"pytorch-cuda of another major",
                    env_profile_with("cuda: \"12.4\"\n"),
                    {{"environment.yml",
                      "channels: [pytorch, nvidia]\ndependencies:\n  - pytorch=2.0.1\n  - "
                      "pytorch-cuda=11.8\n"}},
                    "conda/cuda-pin-mismatch",
                    4},
        // conda-forge: cudatoolkit 11.8 is the CUDA 11 runtime; the image is CUDA 12.1.
        FindingCase{"cudatoolkit of another major",
                    env_profile_with("cuda: \"12.1\"\n"),
                    {{"environment.yml", "dependencies:\n  - python=3.10\n  - cudatoolkit=11.8\n  - cupy\n"}},
                    "conda/cuda-pin-mismatch",
                    3},
        // CUDA minor-version compatibility: 12.1 libraries run on a 12.4 image, but nvcc targets 12.4.
        FindingCase{"cuda-version of another minor",
                    env_profile_with("cuda: \"12.4\"\n"),
                    {{"environment.yml", "channels: [conda-forge]\ndependencies:\n  - cuda-version=12.1\n"}},
                    "conda/cuda-pin-minor-differs",
                    3},
        FindingCase{"cudatoolkit matches the image",
                    env_profile_with("cuda: \"11.8\"\n"),
                    {{"environment.yml", "dependencies:\n  - python=3.10\n  - cudatoolkit=11.8\n"}},
                    "",
                    0},
        // previous-versions, v2.0.1: pytorch-cuda=11.7 or 11.8 only (CUDA 12.1 builds start with 2.1.0).
        FindingCase{"no CUDA 12.1 build of pytorch 2.0.1",
                    k_env_profile,
                    {{"environment.yml",
                      "channels: [pytorch, nvidia]\ndependencies:\n  - pytorch=2.0.1\n  - "
                      "pytorch-cuda=12.1\n  - mkl=2024.0\n"}},
                    "conda/no-such-build",
                    4},
        // previous-versions, v2.1.2: pytorch-cuda=12.1 exists.
        FindingCase{"pytorch 2.1.2 with pytorch-cuda=12.1",
                    k_env_profile,
                    {{"environment.yml",
                      "channels: [pytorch, nvidia]\ndependencies:\n  - pytorch=2.1.2\n  - "
                      "pytorch-cuda=12.1\n  - mkl=2024.0\n"}},
                    "",
                    0},
        // previous-versions, v2.0.0 (conda): torchvision==0.15.0 torchaudio==2.0.0; pip pairs 0.15.1 / 2.0.1.
        FindingCase{"the conda channel's own 2.0.0 pairing",
                    k_env_profile,
                    {{"environment.yml",
                      "channels: [pytorch, nvidia]\ndependencies:\n  - pytorch==2.0.0\n  - "
                      "torchvision==0.15.0\n  - torchaudio==2.0.0\n  - pytorch-cuda=11.8\n  - "
                      "mkl=2024.0\n"}},
                    "",
                    0},
        // previous-versions, v1.10.0 (conda): torchvision==0.11.0 (PyPI also has 0.11.1 for torch 1.10.0).
        FindingCase{"the conda channel's 1.10.0 pairing",
                    k_env_profile,
                    {{"environment.yml",
                      "channels: [pytorch, conda-forge]\ndependencies:\n  - pytorch=1.10.0\n  - "
                      "torchvision=0.11.0\n  - cudatoolkit=11.3\n  - mkl=2024.0\n"}},
                    "",
                    0},
        // previous-versions, v2.0.0 (wheel): pip install torch==2.0.0 torchvision==0.15.1 torchaudio==2.0.1.
        FindingCase{"pip pairs torch 2.0.0 with torchvision 0.15.1",
                    k_req_profile,
                    {{"requirements.txt", "torch==2.0.0\ntorchvision==0.15.0\n"}},
                    "framework/companion-mismatch",
                    2},
        // previous-versions, v1.12.1: cudatoolkit=11.6 -c pytorch -c conda-forge.
        FindingCase{"pytorch 1.12.1 with cudatoolkit 11.6 from conda-forge",
                    k_env_profile,
                    {{"environment.yml",
                      "channels: [pytorch, conda-forge]\ndependencies:\n  - python=3.9\n  - "
                      "pytorch=1.12.1\n  - torchvision=0.13.1\n  - cudatoolkit=11.6\n  - "
                      "mkl=2024.0\n"}},
                    "",
                    0},
        // previous-versions, v1.10.1: conda's CUDA 11.3 build (pip's wheels are cu111/cu102).
        FindingCase{"pytorch 1.10.1 with cudatoolkit 11.3",
                    k_env_profile,
                    {{"environment.yml",
                      "channels: [pytorch, conda-forge]\ndependencies:\n  - pytorch=1.10.1\n  - "
                      "cudatoolkit=11.3\n  - mkl<2024.1\n"}},
                    "",
                    0},
        // Conda's docs 'Using pip in an environment': pip installing over conda packages breaks the env.
        FindingCase{"torch in the env's pip section too",
                    k_env_profile,
                    {{"environment.yml",
                      "channels: [pytorch, nvidia]\ndependencies:\n  - pytorch=2.1.2\n  - "
                      "pytorch-cuda=12.1\n  - mkl=2024.0\n  - pip\n  - pip:\n    - torch==2.1.2\n"}},
                    "conda/framework-installed-twice",
                    8},
        FindingCase{
            "torch in a requirements file next to the env",
            "name: a\nconda:\n  environment: environment.yml\npip:\n  requirements: requirements.txt\n",
            {{"environment.yml", "channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pytorch=2.4.1\n"},
             {"requirements.txt", "transformers==4.44.2\ntorch==2.4.1\n"}},
            "conda/framework-installed-twice",
            2},
        // A framework block (pip channel) installs torch with pip over the environment's conda pytorch.
        FindingCase{
            "framework block over the env's pytorch",
            "name: a\nframework: {name: pytorch, version: \"2.4.1\"}\nconda:\n  environment: environment.yml\n",
            {{"environment.yml", "channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pytorch=2.4.1\n"}},
            "conda/framework-installed-twice",
            4},
        // The same with channel: conda: the environment installs it once.
        FindingCase{
            "framework block with channel conda",
            "name: a\nframework: {name: pytorch, version: \"2.4.1\", channel: conda}\nconda:\n  environment: "
            "environment.yml\n",
            {{"environment.yml", "channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pytorch=2.4.1\n"}},
            "",
            0},
        // conda-forge tensorflow 2.15 and pip's tensorflow: the same framework twice.
        FindingCase{"tensorflow from conda-forge and pip",
                    k_env_profile,
                    {{"environment.yml",
                      "channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - "
                      "tensorflow=2.15.0\n  - pip:\n    - tensorflow==2.15.0\n"}},
                    "conda/framework-installed-twice",
                    6},
        // pytorch/pytorch#123097: pytorch 2.1.0 from the pytorch channel + MKL 2024.1 -> iJIT_NotifyEvent.
        FindingCase{"old pytorch-channel build with mkl unpinned",
                    k_env_profile,
                    {{"environment.yml",
                      "channels:\n  - pytorch\n  - nvidia\ndependencies:\n  - pytorch=2.1.0\n  - "
                      "pytorch-cuda=12.1\n"}},
                    "conda/known-breakage",
                    5},
        // pytorch/pytorch#123097, the thread's reproduction: pytorch::pytorch=2.0.1 with mkl 2024.1.
        FindingCase{"old pytorch-channel build with mkl 2024.1",
                    k_env_profile,
                    {{"environment.yml",
                      "dependencies:\n  - pytorch::pytorch=2.0.1\n  - pytorch::pytorch-cuda=11.8\n  "
                      "- mkl=2024.1\n"}},
                    "conda/known-breakage",
                    4},
        // The fix in the thread (and in repositories that applied it): mkl=2024.0.
        FindingCase{"mkl pinned to 2024.0",
                    k_env_profile,
                    {{"environment.yml",
                      "channels: [pytorch, nvidia]\ndependencies:\n  - pytorch=2.1.0\n  - "
                      "pytorch-cuda=12.1\n  - mkl=2024.0\n"}},
                    "",
                    0},
        // conda-forge's pytorch is not the pytorch channel's build (it is not affected by #123097).
        FindingCase{"conda-forge pytorch",
                    k_env_profile,
                    {{"environment.yml", "channels: [conda-forge]\ndependencies:\n  - pytorch=2.1.0\n"}},
                    "",
                    0},
        // Builds of 2.3 and newer: no report of #123097 (the bound is marked unconfirmed in the table).
        FindingCase{"pytorch 2.3.1 from the pytorch channel",
                    k_env_profile,
                    {{"environment.yml",
                      "channels: [pytorch, nvidia]\ndependencies:\n  - pytorch=2.3.1\n  - "
                      "pytorch-cuda=12.1\n"}},
                    "",
                    0},
        // A framework block and the environment's pytorch must agree (torch 2.3.1 is not pytorch 2.1.0).
        FindingCase{
            "framework block and env pytorch disagree",
            "name: a\nframework: {name: pytorch, version: \"2.3.1\"}\nconda:\n  environment: environment.yml\n",
            {{"environment.yml", "channels: [conda-forge]\ndependencies:\n  - python=3.10\n  - pytorch=2.1.0\n"}},
            "framework/companion-mismatch",
            4},
        // A framework block and a requirements file's torch must agree.
        FindingCase{"framework block and requirements torch disagree",
                    "name: a\nframework: {name: pytorch, version: \"2.3.1\"}\npip:\n  requirements: requirements.txt\n",
                    {{"requirements.txt", "numpy==1.26.4\ntorch==2.2.0\n"}},
                    "framework/companion-mismatch",
                    2},
        // A range in the environment names no release: reported at its line (conda: "," is AND).
        FindingCase{"pytorch range in the env without a framework",
                    k_env_profile,
                    {{"environment.yml", "channels: [conda-forge]\ndependencies:\n  - pytorch>=1.13,<2\n"}},
                    "framework/pinned-without-framework",
                    3},
        // previous-versions, v2.0.1 'CPU only': torch==2.0.1+cpu --index-url https://download.pytorch.org/whl/cpu.
        FindingCase{"+cpu torch in requirements",
                    k_req_profile,
                    {{"requirements.txt", "--index-url https://download.pytorch.org/whl/cpu\ntorch==2.0.1+cpu\n"}},
                    "framework/pinned-cpu-build",
                    2},
        // previous-versions, v1.13.1 conda 'CPU Only': ... cpuonly -c pytorch.
        FindingCase{"conda cpuonly",
                    k_env_profile,
                    {{"environment.yml",
                      "channels: [pytorch]\ndependencies:\n  - pytorch=1.13.1\n  - cpuonly\n  - "
                      "mkl=2024.0\n"}},
                    "framework/pinned-cpu-build",
                    4},
        // torch 2.3.1 on CUDA 12.1: cu121 wheels; +cu118 in the env's pip section names the CUDA 11.8 build.
        FindingCase{"+cu118 in the env's pip section on a CUDA 12.1 image",
                    env_profile_with("cuda: \"12.1\"\n"),
                    {{"environment.yml", "dependencies:\n  - python=3.10\n  - pip:\n    - torch==2.3.1+cu118\n"}},
                    "framework/pinned-cuda-mismatch",
                    4}));

// --- the tables agree with each other ---------------------------------------------------------

TEST(UserPinTables, ChannelBuildsFrom113AreThePipVariants)
{
    // From 1.13 the pytorch channel's pytorch-cuda builds and the pip wheel variants come from the same
    // release matrix (pytorch RELEASE.md); before, conda had cudatoolkit builds pip did not (1.10: 11.3).
    const KnowledgeTables& tables = Knowledge::builtin().tables();
    for (const auto& row : tables.user_pins.pytorch_channel) {
        const TorchRelease* release = tables.torch_release(row.pytorch);
        ASSERT_NE(release, nullptr) << "pytorch " << row.pytorch.str() << " is not in pytorch.yaml";
        if (row.pytorch < Version({1, 13})) {
            continue;
        }
        for (const auto& cuda : row.cuda) {
            bool in_pip = std::any_of(release->variants.begin(), release->variants.end(),
                                      [&](const TorchVariant& variant) { return variant.cuda == cuda; });
            EXPECT_TRUE(in_pip) << "pytorch " << row.pytorch.str() << " conda CUDA " << cuda.str();
        }
    }
}

// --- the readers' helpers -----------------------------------------------------------------------

deps::PackageSpec conda(const std::string& text)
{
    return *deps::parse_conda_spec(text);
}
deps::PackageSpec pip(const std::string& text)
{
    return *deps::parse_pip_spec(text);
}
Version v(const char* text)
{
    return *Version::parse(text);
}

TEST(PinSpecs, CondaMatchSpecsAdmitLikeConda)
{
    // conda docs 'Package match specifications': "=1.13" is 1.13.*, "1.13.1" fuzzy, "==" exact, "," is AND.
    EXPECT_TRUE(*deps::spec_admits(conda("python=3.9"), v("3.9.18"), true));
    EXPECT_FALSE(*deps::spec_admits(conda("python=3.9"), v("3.10"), true));
    EXPECT_TRUE(*deps::spec_admits(conda("python>=3.8,<3.11"), v("3.10"), true));
    EXPECT_FALSE(*deps::spec_admits(conda("python>=3.8,<3.11"), v("3.11"), true));
    EXPECT_TRUE(*deps::spec_admits(conda("mkl<2024.1"), v("2024.0"), true));
    EXPECT_FALSE(*deps::spec_admits(conda("mkl=2024.0"), v("2024.1"), true));
    EXPECT_TRUE(*deps::spec_admits(conda("mkl"), v("2024.1"), true));
    EXPECT_TRUE(*deps::spec_admits(conda("pytorch=1.13.1=py3.9_cuda11.7_cudnn8.5.0_0"), v("1.13.1"), true));
}

TEST(PinSpecs, PipSpecifiersAdmitLikePep440)
{
    // PEP 440: "~=2.1.0" is ">=2.1.0, ==2.1.*"; "==2.3.*" a prefix; "!=" excludes.
    EXPECT_TRUE(*deps::spec_admits(pip("torch~=2.1.0"), v("2.1.2"), false));
    EXPECT_FALSE(*deps::spec_admits(pip("torch~=2.1.0"), v("2.2.0"), false));
    EXPECT_TRUE(*deps::spec_admits(pip("torch==2.3.*"), v("2.3.1"), false));
    EXPECT_FALSE(*deps::spec_admits(pip("torch>=2.0,!=2.0.1"), v("2.0.1"), false));
}

TEST(PinSpecs, ExactReleasesOnly)
{
    EXPECT_EQ(deps::exact_release(pip("torch==1.13.1+cu117"), false)->str(), "1.13.1");
    EXPECT_EQ(deps::exact_release(pip("torch==1.13.*"), false)->str(), "1.13");
    EXPECT_EQ(deps::exact_release(conda("pytorch 1.13.1"), true)->str(), "1.13.1");
    EXPECT_EQ(deps::exact_release(conda("pytorch=2.1"), true)->str(), "2.1");
    EXPECT_FALSE(deps::exact_release(pip("torch>=1.13"), false));
    EXPECT_FALSE(deps::exact_release(pip("torch"), false));
    EXPECT_FALSE(deps::exact_release(conda("pytorch>=1.13,<2"), true));
}

TEST(PinSpecs, CudaAndPythonOfTagsAndBuildStrings)
{
    // download.pytorch.org/whl/cu121 -> CUDA 12.1; cu92 (torch 1.7) -> 9.2; anaconda.org build strings.
    EXPECT_EQ(deps::cuda_of_tag("121")->str(), "12.1");
    EXPECT_EQ(deps::cuda_of_tag("92")->str(), "9.2");
    EXPECT_FALSE(deps::cuda_of_tag("1210"));
    deps::UserPin index{deps::PinSource::requirements, "", "", {}, "https://download.pytorch.org/whl/cu118", {}};
    EXPECT_EQ(deps::cuda_of_pin(index)->str(), "11.8");
    deps::UserPin built{deps::PinSource::conda, "", "", conda("pytorch=2.1.2=py3.10_cuda12.1_cudnn8.9.2_0"), "", {}};
    EXPECT_EQ(deps::cuda_of_pin(built)->str(), "12.1");
    deps::UserPin rocm{deps::PinSource::requirements, "", "", pip("torch==2.0.1+rocm5.4.2"), "", {}};
    EXPECT_FALSE(deps::cuda_of_pin(rocm));
    EXPECT_EQ(deps::python_of_build("py3.9_cuda11.7_cudnn8.5.0_0")->str(), "3.9");
    EXPECT_EQ(deps::python_of_build("py310h1234567_0")->str(), "3.10");
    EXPECT_FALSE(deps::python_of_build("cuda120_py310h_0"));
}

}  // namespace
}  // namespace cudagen
