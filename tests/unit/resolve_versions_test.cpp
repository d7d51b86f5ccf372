// Version resolution: what cudagen picks when a profile leaves values out,
// the reasons it records, and the errors that stop resolution.
#include "knowledge/knowledge.hpp"
#include "knowledge/tables.hpp"
#include "load/load_profile.hpp"
#include "resolve/resolve.hpp"

#include <gtest/gtest.h>

namespace cudagen {
namespace {

struct Outcome {
    std::optional<ResolvedProfile> profile;
    Diagnostics diagnostics;
};

Outcome resolve_text(const std::string& text)
{
    Outcome outcome;
    auto raw = load_profile_from_string(text, "profile.yaml", "/tmp/ctx", outcome.diagnostics);
    if (!raw) {
        ADD_FAILURE() << "profile did not load: "
                      << (outcome.diagnostics.empty() ? "" : format_diagnostic(outcome.diagnostics.items()[0]));
        return outcome;
    }
    outcome.profile = resolve(*raw, Knowledge::builtin(), {}, outcome.diagnostics);
    return outcome;
}

ResolvedProfile resolve_ok(const std::string& text)
{
    Outcome outcome = resolve_text(text);
    for (const auto& d : outcome.diagnostics.items()) {
        ADD_FAILURE() << format_diagnostic(d);
    }
    return outcome.profile.value_or(ResolvedProfile{});
}

Diagnostic single_error(const std::string& text)
{
    Outcome outcome = resolve_text(text);
    EXPECT_FALSE(outcome.profile);
    EXPECT_EQ(outcome.diagnostics.items().size(), 1u);
    return outcome.diagnostics.empty() ? Diagnostic{} : outcome.diagnostics.items()[0];
}

const char* const k_torch_23 = R"(name: svc
framework:
  name: pytorch
  version: "2.3"
  with: [torchvision, torchaudio]
)";

TEST(ResolveVersions, TorchVersionXYMeansItsNewestPatch)
{
    ResolvedProfile p = resolve_ok(k_torch_23);
    ASSERT_TRUE(p.framework);
    EXPECT_EQ(p.framework->version.value, "2.3.1");
    EXPECT_EQ(p.framework->version.reason, "newest patch release of torch 2.3");
    EXPECT_EQ(p.framework->version.where.line, 4);
}

TEST(ResolveVersions, OmittedCudaComesFromTheFrameworksDefaultBuild)
{
    ResolvedProfile p = resolve_ok(k_torch_23);
    EXPECT_EQ(p.cuda.value, "12.1.1");
    EXPECT_EQ(p.cuda.origin, Origin::derived);
    EXPECT_EQ(p.cuda.reason,
              "CUDA of torch 2.3.1's default build cu121 (the one on PyPI); newest point release of 12.1 with images");
    EXPECT_EQ(p.framework->cuda_variant.value, "cu121");
    EXPECT_EQ(p.framework->cuda_version, "12.1");
}

// torch 2.12's newest variant is cu132 (experimental); its PyPI build is cu130.
TEST(ResolveVersions, OmittedCudaPrefersThePypiDefaultOverTheNewestVariant)
{
    ResolvedProfile p = resolve_ok("name: x\nframework: {name: pytorch, version: \"2.12\"}\n");
    EXPECT_EQ(p.cuda.value.substr(0, 5), "13.0.");
    EXPECT_EQ(p.framework->cuda_variant.value, "cu130");
    EXPECT_EQ(p.cuda.reason.substr(0, 139),
              "CUDA of torch 2.12.1's default build cu130 (the one on PyPI), preferred over the newest, cu132: newest "
              "variants "
              "are often experimental and ");
}

// torch 2.7's PyPI build is cu126, without Blackwell kernels; cu128 has them.
TEST(ResolveVersions, OmittedCudaTakesANewerVariantWhenTheDefaultLacksKernelsForAListedGpu)
{
    ResolvedProfile p =
        resolve_ok("name: x\nframework: {name: pytorch, version: \"2.7\"}\ngpu_archs: [h100, \"rtx 5090\"]\n");
    EXPECT_EQ(p.framework->cuda_variant.value, "cu128");
    EXPECT_EQ(p.cuda.reason,
              "newest CUDA with a cu128 wheel for torch 2.7.1 (its default build cu126 has no kernels for rtx 5090); "
              "newest point "
              "release of 12.8 with images");
    EXPECT_EQ(p.framework->index_url.value, "https://download.pytorch.org/whl/cu128");
}

TEST(ResolveVersions, ThePypiDefaultVariantIsInstalledFromPypiWithAnExactPin)
{
    ResolvedProfile p = resolve_ok(k_torch_23);
    EXPECT_EQ(p.framework->index_url.value, "");
    EXPECT_EQ(
        p.framework->index_url.reason,
        "PyPI: torch 2.3.1 there is the cu121 build for linux/amd64 (PyPI's only build of it), pinned exactly, so pip "
        "cannot fall back to a CPU-only or other-CUDA wheel");
    EXPECT_EQ(p.framework->requirements.front(), "torch==2.3.1");
}

TEST(ResolveVersions, AnotherVariantComesFromTheFrameworksOwnIndex)
{
    ResolvedProfile p = resolve_ok(std::string(k_torch_23) + "cuda: \"11.8\"\n");
    EXPECT_EQ(p.framework->cuda_variant.value, "cu118");
    EXPECT_EQ(p.framework->index_url.value, "https://download.pytorch.org/whl/cu118");
    EXPECT_EQ(p.framework->index_url.reason,
              "PyTorch's index for cu118 wheels: PyPI's torch 2.3.1 for linux/amd64 is the cu121 build");
}

// PyPI's torch 2.3.1 for linux/arm64 is CPU-only: a pin there would install a CPU build.
TEST(ResolveVersions, APlatformWherePypisWheelIsCpuOnlyUsesPytorchsIndex)
{
    ResolvedProfile p = resolve_ok(std::string(k_torch_23) + "platforms: [linux/amd64, linux/arm64]\n");
    EXPECT_EQ(p.framework->index_url.value, "https://download.pytorch.org/whl/cu121");
    EXPECT_EQ(p.framework->index_url.reason,
              "PyTorch's index for cu121 wheels: PyPI's torch 2.3.1 for linux/arm64 is a CPU-only build");
}

TEST(ResolveVersions, PypiServesEveryPlatformWhoseWheelIsTheChosenVariant)
{
    ResolvedProfile p = resolve_ok(
        "name: x\ncuda: \"13.0\"\nframework: {name: pytorch, version: \"2.13.0\"}\n"
        "platforms: [linux/amd64, linux/arm64]\n");
    EXPECT_EQ(p.framework->cuda_variant.value, "cu130");
    EXPECT_EQ(p.framework->index_url.value, "");
    EXPECT_EQ(p.framework->index_url.reason.substr(0, 76),
              "PyPI: torch 2.13.0 there is the cu130 build for linux/amd64 and linux/arm64 ");
}

TEST(ResolveVersions, FrameworksThatBringCudaLibrariesGetThePlainOsRuntime)
{
    const std::vector<std::string> profiles = {
        std::string(k_torch_23),
        "name: x\nframework: {name: pytorch, version: \"2.3.1\", channel: conda}\n",
        "name: x\nframework: {name: jax, version: \"0.4.35\"}\n",
        "name: x\nframework: {name: tensorflow, version: \"2.17.0\"}\ncudnn: true\n",
    };
    for (const auto& profile : profiles) {
        ResolvedProfile p = resolve_ok(profile);
        EXPECT_EQ(p.runtime_flavor, "os") << profile;
        EXPECT_EQ(p.runtime_image.value, "docker.io/library/ubuntu:" + p.os.value.substr(6)) << profile;
        EXPECT_NE(p.devel_image.value.find("devel"), std::string::npos) << profile;
        EXPECT_NE(p.runtime_image.reason.find("would ship a second copy"), std::string::npos) << profile;
    }
}

TEST(ResolveVersions, FrameworksThatUseTheImagesLibrariesKeepTheCudnnRuntime)
{
    ResolvedProfile p = resolve_ok("name: x\nframework: {name: tensorflow, version: \"2.12\"}\n");
    EXPECT_EQ(p.runtime_flavor, "cudnn8-runtime");
    EXPECT_EQ(p.runtime_image.reason, "smallest flavor with cuDNN");
}

TEST(ResolveVersions, RuntimeFlavorInTheProfileOverridesTheBase)
{
    ResolvedProfile p = resolve_ok(std::string(k_torch_23) + "runtime_flavor: runtime\n");
    EXPECT_EQ(p.runtime_flavor, "runtime");
}

TEST(ResolveVersions, CompanionsArePinnedToTheTorchRelease)
{
    ResolvedProfile p = resolve_ok(k_torch_23);
    EXPECT_EQ(p.framework->companions.at("torchvision").value, "0.18.1");
    EXPECT_EQ(p.framework->companions.at("torchaudio").value, "2.3.1");
    EXPECT_EQ(p.framework->requirements,
              (std::vector<std::string>{"torch==2.3.1", "torchaudio==2.3.1", "torchvision==0.18.1"}));
}

TEST(ResolveVersions, BaseImagesUseTheNewestUbuntuAndThePlainOsRuntime)
{
    ResolvedProfile p = resolve_ok(k_torch_23);
    EXPECT_EQ(p.os.value, "ubuntu22.04");
    EXPECT_EQ(p.devel_image.value, "docker.io/nvidia/cuda:12.1.1-devel-ubuntu22.04");
    EXPECT_EQ(p.runtime_image.value, "docker.io/library/ubuntu:22.04");
    EXPECT_EQ(p.runtime_flavor, "os");
    EXPECT_FALSE(p.cudnn.value);
}

TEST(ResolveVersions, CudaXYMeansItsNewestPointRelease)
{
    ResolvedProfile p = resolve_ok("name: x\ncuda: \"12.4\"\n");
    EXPECT_EQ(p.cuda.value, "12.4.1");
    EXPECT_EQ(p.cuda.origin, Origin::profile);
    EXPECT_EQ(p.cuda.reason, "newest point release of CUDA 12.4 with images");
}

TEST(ResolveVersions, WithoutFrameworkTheNewestConfirmedCudaIsPicked)
{
    ResolvedProfile p = resolve_ok("name: x\n");
    EXPECT_EQ(p.cuda.value, "13.2.0");
    EXPECT_EQ(p.os.value, "ubuntu24.04");
    EXPECT_EQ(p.cuda.reason, "newest CUDA release with confirmed nvidia/cuda images");
    EXPECT_FALSE(p.python.needed);
}

// pytorch/builder#1811: "12.4.0-cudnn8-devel-ubuntu22.04" does not exist: the
// cuDNN flavor is spelled cudnn8- up to 12.2, cudnn9- for 12.3 and cudnn- from 12.4.1
// (12.4.0 had no cudnn images at all: no runtime/cudnn* in NVIDIA's dist/12.4.0).
TEST(ResolveVersions, CudnnFlavorIsSpelledPerRelease)
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"11.8", "docker.io/nvidia/cuda:11.8.0-cudnn8-devel-ubuntu22.04"},
        {"12.3", "docker.io/nvidia/cuda:12.3.2-cudnn9-devel-ubuntu22.04"},
        {"12.4.1", "docker.io/nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04"},
    };
    for (const auto& [cuda, image] : cases) {
        ResolvedProfile p = resolve_ok("name: x\ncudnn: true\ncuda: \"" + cuda + "\"\n");
        EXPECT_EQ(p.devel_image.value, image) << cuda;
        EXPECT_EQ(p.runtime_image.value, image.substr(0, image.find("devel")) + "runtime-ubuntu22.04") << cuda;
    }
}

TEST(ResolveVersions, DefaultOsHasTheCudnnFlavorForEveryPlatform)
{
    // 12.5.1 has ubuntu24.04 images but no cudnn flavor for it.
    ResolvedProfile p = resolve_ok("name: x\ncuda: \"12.5\"\ncudnn: true\nplatforms: [linux/amd64, linux/arm64]\n");
    EXPECT_EQ(p.os.value, "ubuntu22.04");
    EXPECT_EQ(p.os.reason, "newest Ubuntu with CUDA 12.5.1 images for amd64 and arm64 with cuDNN");
    EXPECT_EQ(p.cudnn_flavor, "cudnn-");
}

TEST(ResolveVersions, GpuArchsAcceptCcSmAndGpuNames)
{
    ResolvedProfile p = resolve_ok("name: x\ncuda: \"12.4.1\"\ngpu_archs: [\"8.0\", sm_90a, H100, \"rtx 4090\"]\n");
    ASSERT_EQ(p.gpu_archs.value.size(), 4u);
    EXPECT_EQ(p.nvcc_gencode, (std::vector<std::string>{
                                  "-gencode=arch=compute_80,code=sm_80",
                                  "-gencode=arch=compute_89,code=sm_89",
                                  "-gencode=arch=compute_90,code=sm_90",
                                  "-gencode=arch=compute_90a,code=sm_90a",
                                  "-gencode=arch=compute_90,code=compute_90",
                              }));
    EXPECT_EQ(p.torch_cuda_arch_list, "8.0;8.9;9.0+PTX;9.0a");
    EXPECT_EQ(p.cmake_cuda_architectures, "80-real;89-real;90;90a-real");
    EXPECT_EQ(p.gpu_archs.value[1].written, "rtx 4090");
}

TEST(ResolveVersions, PtxFalseLeavesOutThePtxTarget)
{
    ResolvedProfile p = resolve_ok("name: x\ncuda: \"12.4.1\"\nptx: false\ngpu_archs: [\"8.6\", compute_90]\n");
    EXPECT_EQ(p.nvcc_gencode,
              (std::vector<std::string>{"-gencode=arch=compute_86,code=sm_86", "-gencode=arch=compute_90,code=sm_90"}));
    EXPECT_EQ(p.torch_cuda_arch_list, "8.6;9.0");
    EXPECT_EQ(p.cmake_cuda_architectures, "86-real;90-real");
}

TEST(ResolveVersions, DefaultArchsOfATorchProfileAreTheWheelArchs)
{
    ResolvedProfile p = resolve_ok(k_torch_23);
    EXPECT_EQ(p.torch_cuda_arch_list, "5.0;6.0;7.0;7.5;8.0;8.6;9.0+PTX");
    EXPECT_EQ(p.gpu_archs.origin, Origin::derived);
    EXPECT_EQ(p.gpu_archs.reason, "the archs of the torch 2.3.1 cu121 wheel that CUDA 12.1.1 can compile");
}

TEST(ResolveVersions, DefaultArchsWithoutFrameworkAreCMakesAllMajor)
{
    // CMake's all-major for CUDA >= 13.0 is 75 80 90 100 110 120.
    ResolvedProfile p = resolve_ok("name: x\ncuda: \"13.0\"\n");
    EXPECT_EQ(p.cmake_cuda_architectures, "75-real;80-real;90-real;100-real;110-real;120");
}

TEST(ResolveVersions, ExplicitCudaWithoutExactWheelPicksTheNearestOfItsMajor)
{
    ResolvedProfile p = resolve_ok("name: x\ncuda: \"12.6\"\nframework: {name: pytorch, version: \"2.5.1\"}\n");
    EXPECT_EQ(p.framework->cuda_variant.value, "cu124");
    EXPECT_EQ(p.framework->cuda_variant.reason,
              "torch 2.5.1 has no wheel for CUDA 12.6; cu124 is the nearest of CUDA 12");
}

TEST(ResolveVersions, TensorflowBefore214UsesTheImageCudnn)
{
    ResolvedProfile p = resolve_ok("name: x\nframework: {name: tensorflow, version: \"2.12\"}\n");
    EXPECT_EQ(p.framework->version.value, "2.12.1");  // the newest 2.12 patch on PyPI
    EXPECT_EQ(p.cuda.value, "11.8.0");
    EXPECT_TRUE(p.cudnn.value);
    EXPECT_EQ(p.cudnn.origin, Origin::derived);
    EXPECT_EQ(p.devel_image.value, "docker.io/nvidia/cuda:11.8.0-cudnn8-devel-ubuntu22.04");
    EXPECT_EQ(p.runtime_image.value, "docker.io/nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04");
    EXPECT_EQ(p.framework->requirements, (std::vector<std::string>{"tensorflow==2.12.1"}));
}

TEST(ResolveVersions, TensorflowFrom214InstallsAndCuda)
{
    ResolvedProfile p = resolve_ok("name: x\nframework: {name: tensorflow, version: \"2.15\"}\n");
    EXPECT_EQ(p.cuda.value, "12.2.2");
    EXPECT_EQ(p.framework->cuda_variant.value, "and-cuda");
    EXPECT_EQ(p.framework->requirements, (std::vector<std::string>{"tensorflow[and-cuda]==2.15.1"}));
    EXPECT_FALSE(p.cudnn.value);
}

TEST(ResolveVersions, JaxPicksItsNewestCudaExtra)
{
    ResolvedProfile p = resolve_ok("name: x\nframework: {name: jax, version: \"0.8.0\"}\n");
    EXPECT_EQ(p.cuda.value, "13.2.0");
    EXPECT_EQ(p.framework->cuda_variant.value, "cuda13");
    EXPECT_EQ(p.framework->requirements, (std::vector<std::string>{"jax[cuda13]==0.8.0"}));
    EXPECT_EQ(p.python.version.value, "3.12");
    EXPECT_EQ(p.python.source, "system");
}

TEST(ResolveVersions, PythonComesFromMicromambaWhenTheOsPythonIsOutOfRange)
{
    // ubuntu24.04 ships 3.12, which torch 2.3 supports only experimentally.
    ResolvedProfile p =
        resolve_ok("name: x\ncuda: \"12.6\"\nos: ubuntu24.04\nframework: {name: pytorch, version: \"2.3\"}\n");
    EXPECT_EQ(p.python.version.value, "3.11");
    EXPECT_EQ(p.python.source, "micromamba");
    EXPECT_EQ(
        p.python.version.reason,
        "the newest Python pytorch 2.3.1 supports (ubuntu24.04 ships 3.12, outside 3.8-3.11 (3.12 experimental))");
}

TEST(ResolveVersions, CondaProfilesGetMicromambaPinnedWithChecksums)
{
    ResolvedProfile p = resolve_ok(std::string(k_torch_23) + "conda:\n  environment: environment.yml\n");
    EXPECT_EQ(p.python.source, "micromamba");
    EXPECT_EQ(p.conda.cuda_override, "12.1");
    EXPECT_EQ(p.conda.micromamba_version, "2.9.0-0");
    EXPECT_EQ(p.conda.micromamba_sha256.at("amd64"),
              "366cd9cd8be14df1ab8ed50352a82111082a36686b2d389fdb79a92c3fafb3e3");
    EXPECT_EQ(p.conda.micromamba_sha256.at("arm64"),
              "9f93b974adcb4d166996af969b6cd371287d1a3e52733704727884d9b74cb7a7");
}

TEST(ResolveVersions, CondaChannelPinsPytorchCuda)
{
    ResolvedProfile p = resolve_ok("name: x\nframework: {name: pytorch, version: \"2.3.1\", channel: conda}\n");
    EXPECT_EQ(p.framework->requirements, (std::vector<std::string>{"pytorch=2.3.1", "pytorch-cuda=12.1"}));
    EXPECT_EQ(p.framework->index_url.value, "");
}

// replicate/cog#390: "Cog couldn't automatically determine a CUDA version for torch==1.10.1".
TEST(ResolveVersionsErrors, UnknownTorchVersionIsLocatedAndSuggestsOne)
{
    Diagnostic d = single_error("name: x\nframework:\n  name: pytorch\n  version: \"2.3.7\"\n");
    EXPECT_EQ(d.code, "framework/unknown-version");
    EXPECT_EQ(d.message, "torch 2.3.7 is not in the PyTorch table (known: 1.8.0 to 2.15.0)");
    EXPECT_EQ(d.where.line, 4);
    EXPECT_EQ(d.where.column, 12);
    EXPECT_EQ(d.fix, "did you mean '2.3.1'? use a version cudagen knows (e.g. 2.15.0)");
}

// Suggestions go by version distance (nearest patch, then minor), never by spelling.
TEST(ResolveVersionsErrors, UnknownVersionSuggestsTheNearestRelease)
{
    // 2.4.9 is two edits from 2.4.0 and from 2.1.9... the nearest release is 2.4's newest patch below
    Diagnostic d = single_error("name: x\nframework: {name: pytorch, version: \"2.4.9\"}\n");
    EXPECT_EQ(d.fix, "did you mean '2.4.1'? use a version cudagen knows (e.g. 2.15.0)");
    // TensorFlow 2.13.5 does not exist; 2.13.1 (PyPI's newest 2.13) is nearest
    d = single_error("name: x\nframework: {name: tensorflow, version: \"2.13.5\"}\n");
    EXPECT_EQ(d.message, "tensorflow 2.13.5 is not in the TensorFlow table (known: 2.4.0 to 2.21.0)");
    EXPECT_EQ(d.fix, "did you mean '2.13.1'? use a version cudagen knows (e.g. 2.21.0)");
    // JAX 0.4.32 was never released (0.4.31 and 0.4.33 were): the older one of the two
    d = single_error("name: x\nframework: {name: jax, version: \"0.4.32\"}\n");
    EXPECT_EQ(d.fix.substr(0, 25), "did you mean '0.4.31'? us");
}

TEST(ResolveVersionsErrors, NewerThanTheTablesSaysSoAndOffersAWayForward)
{
    Diagnostic d = single_error("name: x\nframework: {name: pytorch, version: \"2.16.0\"}\n");
    EXPECT_EQ(d.code, "framework/unknown-version");
    EXPECT_EQ(d.message, "torch 2.16.0 is newer than cudagen's tables (PyPI read 2026-11-29; newest known: 2.15.0)");
    EXPECT_EQ(d.fix,
              "update cudagen (newer tables), or state cuda: in the profile to build torch 2.16.0 with unchecked "
              "framework rows, or use torch 2.15.0");
    d = single_error("name: x\nframework: {name: jax, version: \"0.13\"}\n");
    EXPECT_EQ(d.message, "jax 0.13 is newer than cudagen's tables (PyPI read 2026-11-29; newest known: 0.12.0.1)");
}

// PyPI read after the tables were made: a release there without rows is named as such, and
// an "X.Y" matches its X.Y.Z releases ("2.16" is on PyPI when 2.16.0 is).
TEST(ResolveVersionsErrors, AMinorOnPypiButNotInTheTablesIsNamedAsOnPypi)
{
    auto tables = std::make_shared<KnowledgeTables>(Knowledge::builtin().tables());
    tables->torch_pypi.versions.push_back(*Version::parse("2.16.0"));
    Knowledge knowledge(tables);
    for (const std::string version : {"2.16", "2.16.0"}) {
        Diagnostics diagnostics;
        auto raw = load_profile_from_string("name: x\nframework: {name: pytorch, version: \"" + version + "\"}\n",
                                            "profile.yaml", "/tmp/ctx", diagnostics);
        ASSERT_TRUE(raw);
        EXPECT_FALSE(resolve(*raw, knowledge, {}, diagnostics));
        ASSERT_EQ(diagnostics.items().size(), 1u);
        EXPECT_EQ(diagnostics.items()[0].message, "torch " + version +
                                                      " is on PyPI (read 2026-11-29) but not in cudagen's tables "
                                                      "(newest known: 2.15.0)");
    }
    Diagnostics diagnostics;
    auto raw = load_profile_from_string("name: x\nframework: {name: pytorch, version: \"2.17\"}\n", "profile.yaml",
                                        "/tmp/ctx", diagnostics);
    ASSERT_TRUE(raw);
    EXPECT_FALSE(resolve(*raw, knowledge, {}, diagnostics));
    ASSERT_EQ(diagnostics.items().size(), 1u);
    EXPECT_EQ(diagnostics.items()[0].message,
              "torch 2.17 is newer than cudagen's tables (PyPI read 2026-11-29; newest known: 2.15.0)");
}

// A minor whose first release on PyPI is X.Y.1 (no X.Y.0 was published): "X.Y" names that
// minor, so it is on PyPI; "X.Y.0" is a release PyPI does not have.
TEST(ResolveVersionsErrors, AMinorIsOnPypiWhenOnlyALaterPatchReleaseIs)
{
    auto tables = std::make_shared<KnowledgeTables>(Knowledge::builtin().tables());
    tables->torch_pypi.versions.push_back(*Version::parse("2.16.1"));
    Knowledge knowledge(tables);
    auto message_for = [&](const std::string& version) {
        Diagnostics diagnostics;
        auto raw = load_profile_from_string("name: x\nframework: {name: pytorch, version: \"" + version + "\"}\n",
                                            "profile.yaml", "/tmp/ctx", diagnostics);
        EXPECT_TRUE(raw && !resolve(*raw, knowledge, {}, diagnostics)) << version;
        EXPECT_EQ(diagnostics.items().size(), 1u) << version;
        return diagnostics.items().empty() ? std::string() : diagnostics.items()[0].message;
    };
    EXPECT_EQ(message_for("2.16"),
              "torch 2.16 is on PyPI (read 2026-11-29) but not in cudagen's tables (newest known: 2.15.0)");
    EXPECT_EQ(message_for("2.16.0"),
              "torch 2.16.0 is newer than cudagen's tables (PyPI read 2026-11-29; newest known: 2.15.0)");
}

TEST(ResolveVersions, NewerReleaseWithStatedCudaIsUncheckedWithItsOrigin)
{
    ResolvedProfile p = resolve_ok("name: x\ncuda: \"13.2\"\nframework: {name: pytorch, version: \"2.16.0\"}\n");
    EXPECT_TRUE(p.framework->unchecked);
    EXPECT_EQ(p.framework->version.value, "2.16.0");
    EXPECT_EQ(p.framework->version.reason,
              "torch 2.16.0 is newer than cudagen's tables (PyPI read 2026-11-29; newest "
              "known: 2.15.0): its wheel, Python range and GPU archs are unchecked");
    EXPECT_EQ(p.framework->cuda_variant.value, "cu132");
    EXPECT_EQ(p.framework->index_url.value, "https://download.pytorch.org/whl/cu132");
    EXPECT_EQ(p.framework->requirements, (std::vector<std::string>{"torch==2.16.0"}));
    p = resolve_ok("name: x\ncuda: \"13.0\"\nframework: {name: jax, version: \"0.13.0\"}\n");
    EXPECT_EQ(p.framework->requirements, (std::vector<std::string>{"jax[cuda13]==0.13.0"}));
}

// pytorch.org previous versions: "conda install pytorch==1.12.1 ... cudatoolkit=11.3 -c pytorch";
// pytorch-cuda exists from 1.13 on.
TEST(ResolveVersions, CondaTorchBefore113PairsWithCudatoolkit)
{
    ResolvedProfile p = resolve_ok("name: x\nframework: {name: pytorch, version: \"1.12.1\", channel: conda}\n");
    EXPECT_EQ(p.framework->requirements, (std::vector<std::string>{"pytorch=1.12.1", "cudatoolkit=11.6"}));
    p = resolve_ok("name: x\nframework: {name: pytorch, version: \"1.13.1\", channel: conda}\n");
    EXPECT_EQ(p.framework->requirements, (std::vector<std::string>{"pytorch=1.13.1", "pytorch-cuda=11.7"}));
}

// Every patch release on PyPI resolves (issue: research repositories pin 1.8-1.12 and TF patches).
TEST(ResolveVersions, OlderTorchAndEveryPatchResolve)
{
    ResolvedProfile p = resolve_ok("name: x\nframework: {name: pytorch, version: \"1.10.2\", with: [torchvision]}\n");
    EXPECT_EQ(p.framework->cuda_variant.value, "cu113");
    EXPECT_EQ(p.framework->companions.at("torchvision").value, "0.11.3");  // torchvision 0.11.3 pins torch==1.10.2
    p = resolve_ok("name: x\nframework: {name: tensorflow, version: \"2.13.1\"}\n");
    EXPECT_EQ(p.framework->version.value, "2.13.1");
    EXPECT_EQ(p.cuda.value, "11.8.0");
    p = resolve_ok("name: x\nframework: {name: jax, version: \"0.7\"}\n");
    EXPECT_EQ(p.framework->version.reason, "newest patch release of jax 0.7");
    p = resolve_ok("name: x\nframework: {name: pytorch, version: \"2.14\", with: [torchvision]}\n");
    EXPECT_EQ(p.framework->version.value, "2.14.1");
    EXPECT_EQ(p.framework->companions.at("torchvision").value, "0.29.1");
}

TEST(ResolveVersionsErrors, UnknownGpuNameSuggestsTheClosest)
{
    Diagnostic d = single_error("name: x\ngpu_archs: [\"8.0\", h1OO]\n");
    EXPECT_EQ(d.code, "arch/unknown-gpu");
    EXPECT_EQ(d.message,
              "'h1OO' is neither a compute capability, an sm_XX target nor a known GPU (did you mean 'h100'?)");
    EXPECT_EQ(d.where.line, 2);
    EXPECT_EQ(d.where.column, 20);
}

TEST(ResolveVersionsErrors, CudaReleaseThatDoesNotExist)
{
    Diagnostic d = single_error("name: x\ncuda: \"12.4.7\"\n");
    EXPECT_EQ(d.code, "tag/no-such-cuda");
    EXPECT_EQ(d.message, "CUDA 12.4.7 has no nvidia/cuda images (no such release in the tag table)");
    EXPECT_EQ(d.fix, "use cuda: \"12.4.1\"");
    EXPECT_EQ(d.where.line, 2);
    EXPECT_EQ(single_error("name: x\ncuda: \"12.7\"\n").code, "tag/no-such-cuda");  // there is no CUDA 12.7
}

// NVIDIA/nvidia-docker#1454: nvidia/cuda:latest was removed ("manifest unknown").
TEST(ResolveVersionsErrors, LatestIsNotATag)
{
    // The loader already rejects it; resolution must too when given a RawProfile directly.
    RawProfile raw;
    raw.file = "profile.yaml";
    raw.name = {"x", {"profile.yaml", 1, 7}, true};
    raw.cuda = {"latest", {"profile.yaml", 2, 7}, true};
    Diagnostics diagnostics;
    EXPECT_FALSE(resolve(raw, Knowledge::builtin(), {}, diagnostics));
    ASSERT_EQ(diagnostics.items().size(), 1u);
    const Diagnostic& d = diagnostics.items()[0];
    EXPECT_EQ(d.where.line, 2);
    EXPECT_EQ(d.code, "tag/latest");
    EXPECT_EQ(d.fix, "pin a release, e.g. cuda: \"13.2.0\"");
}

TEST(ResolveVersionsErrors, UnknownCompanion)
{
    Diagnostic d = single_error("name: x\nframework: {name: pytorch, version: \"2.3\", with: [torchvison]}\n");
    EXPECT_EQ(d.code, "framework/unknown-companion");
    EXPECT_EQ(d.message, "'torchvison' is not a companion cudagen pins for pytorch (did you mean 'torchvision'?)");
}

}  // namespace
}  // namespace cudagen
