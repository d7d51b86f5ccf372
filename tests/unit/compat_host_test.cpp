// Host facts (--driver, --gpu), brands, driver branches and exact image tags.
// Every case is a fact with its source in a comment; profiles go through the
// real loader, resolver and checks.
#include "check/check.hpp"
#include "check_harness.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/tables.hpp"

#include <gtest/gtest.h>

namespace cudagen {
namespace {

using test_support::check_profile;
using test_support::CheckRun;

const KnowledgeTables& tables()
{
    return Knowledge::builtin().tables();
}

// --- GPU names as nvidia-smi prints them -----------------------------------------------------

struct NameCase {
    const char* printed;  // nvidia-smi --query-gpu=name
    const char* cc;
    GpuBrand brand;
};

class NvidiaSmiNames : public ::testing::TestWithParam<NameCase> {};

TEST_P(NvidiaSmiNames, FindTheirRow)
{
    const GpuModel* gpu = tables().gpu(GetParam().printed);
    ASSERT_NE(gpu, nullptr) << GetParam().printed;
    EXPECT_EQ(gpu->cc(), GetParam().cc) << GetParam().printed;
    EXPECT_EQ(gpu->brand, GetParam().brand) << GetParam().printed;
}

INSTANTIATE_TEST_SUITE_P(Names, NvidiaSmiNames,
                         ::testing::Values(
                             // Names as nvidia-smi prints them (NVIDIA product pages / nvidia-smi output quoted in
                             // public issue threads); CC from https://developer.nvidia.com/cuda-gpus.
                             NameCase{"NVIDIA H100 80GB HBM3", "9.0", GpuBrand::datacenter},             // H100 SXM5
                             NameCase{"NVIDIA H100 PCIe", "9.0", GpuBrand::datacenter},                  // H100 PCIe
                             NameCase{"NVIDIA H100 NVL", "9.0", GpuBrand::datacenter},                   // H100 NVL
                             NameCase{"NVIDIA H200", "9.0", GpuBrand::datacenter},                       // H200 SXM
                             NameCase{"NVIDIA GH200 480GB", "9.0", GpuBrand::datacenter},                // Grace Hopper
                             NameCase{"NVIDIA A100-SXM4-80GB", "8.0", GpuBrand::datacenter},             // A100 SXM4
                             NameCase{"NVIDIA A100 80GB PCIe", "8.0", GpuBrand::datacenter},             // A100 PCIe
                             NameCase{"NVIDIA A100-SXM4-40GB MIG 1g.5gb", "8.0", GpuBrand::datacenter},  // a MIG slice
                             NameCase{"Tesla T4", "7.5", GpuBrand::datacenter},              // T4 (older drivers' name)
                             NameCase{"Tesla V100-SXM2-16GB", "7.0", GpuBrand::datacenter},  // V100 SXM2
                             NameCase{"NVIDIA A10G", "8.6", GpuBrand::datacenter},   // AWS g5 (secondary source)
                             NameCase{"NVIDIA L40S", "8.9", GpuBrand::datacenter},   // L40S
                             NameCase{"NVIDIA B200", "10.0", GpuBrand::datacenter},  // HGX B200
                             NameCase{"NVIDIA GeForce RTX 4090", "8.9", GpuBrand::geforce},     // Ada GeForce
                             NameCase{"NVIDIA GeForce RTX 3090 Ti", "8.6", GpuBrand::geforce},  // Ampere GeForce
                             NameCase{"NVIDIA GeForce RTX 5090", "12.0", GpuBrand::geforce},    // Blackwell GeForce
                             NameCase{"NVIDIA GeForce RTX 4090 Laptop GPU", "8.9", GpuBrand::geforce},
                             NameCase{"NVIDIA TITAN RTX", "7.5", GpuBrand::geforce},  // TITAN is a GeForce-class brand
                             NameCase{"NVIDIA RTX A6000", "8.6", GpuBrand::professional},  // Ampere workstation
                             NameCase{"NVIDIA RTX 6000 Ada Generation", "8.9", GpuBrand::professional},
                             NameCase{"NVIDIA RTX PRO 6000 Blackwell Server Edition", "12.0", GpuBrand::professional},
                             NameCase{"Quadro RTX 8000", "7.5", GpuBrand::professional},  // Turing workstation
                             NameCase{"Orin (nvgpu)", "8.7", GpuBrand::jetson},           // nvidia-smi on JetPack 6
                             NameCase{"NVIDIA Thor", "11.0", GpuBrand::jetson}));         // Jetson AGX Thor

// --- --driver / --gpu values ----------------------------------------------------------------

TEST(HostFacts, DriverReleaseAndCudaVersionAreTold)
{
    Diagnostics diagnostics;
    // nvidia-smi's header: "Driver Version: 535.104.05   CUDA Version: 12.2".
    auto release = read_host_facts("535.104.05", {}, tables(), diagnostics);
    ASSERT_TRUE(release && release->driver);
    EXPECT_EQ(release->driver->str(), "535.104.05");
    EXPECT_FALSE(release->driver_cuda);
    auto cuda = read_host_facts("12.2", {}, tables(), diagnostics);
    ASSERT_TRUE(cuda && cuda->driver_cuda);
    EXPECT_EQ(cuda->driver_cuda->str(), "12.2");
    EXPECT_FALSE(cuda->driver);
    EXPECT_TRUE(diagnostics.empty());
}

TEST(HostFacts, BadValuesAreUsageErrors)
{
    Diagnostics diagnostics;
    EXPECT_FALSE(read_host_facts("latest", {}, tables(), diagnostics));
    EXPECT_FALSE(read_host_facts("", {"a1000"}, tables(), diagnostics));
    ASSERT_EQ(diagnostics.items().size(), 2u);
    EXPECT_EQ(diagnostics.items()[0].code, "usage/bad-driver");
    EXPECT_EQ(diagnostics.items()[1].code, "usage/unknown-gpu");
    EXPECT_EQ(diagnostics.items()[1].message,
              "--gpu 'a1000' is neither a compute capability, an sm_XX target nor a known GPU (did you mean 'a100'?)");
    for (const auto& d : diagnostics.items()) {
        EXPECT_EQ(d.fix.find("generator/"), std::string::npos) << d.fix;  // no message points into cudagen's sources
    }
}

// --- driver, brand and GPU: verdicts -----------------------------------------------------------

struct HostCase {
    const char* fact;  // what the case shows, with its source
    std::string profile;
    std::string host;
    bool expect_error;
    std::string code;         // must be reported ("" = nothing in particular)
    std::string absent = "";  // must not be reported
};

class DriverBrandGpu : public ::testing::TestWithParam<HostCase> {};

TEST_P(DriverBrandGpu, GetTheRightVerdict)
{
    const HostCase& c = GetParam();
    CheckRun run = check_profile(c.profile, c.host);
    EXPECT_EQ(run.diagnostics.has_errors(), c.expect_error) << c.fact << "\n" << run.dump();
    if (!c.code.empty()) {
        EXPECT_TRUE(run.codes().contains(c.code)) << c.fact << ": expected " << c.code << "\n" << run.dump();
    }
    if (!c.absent.empty()) {
        EXPECT_FALSE(run.codes().contains(c.absent)) << c.fact << ": did not expect " << c.absent << "\n" << run.dump();
    }
}

const std::string k_cuda_12_6 = "name: a\ncuda: \"12.6\"\n";
const std::string k_cuda_12_4 = "name: a\ncuda: \"12.4\"\n";
const std::string k_cuda_12_8 = "name: a\ncuda: \"12.8\"\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, DriverBrandGpu,
    ::testing::Values(
        // NVIDIA_REQUIRE_CUDA of 12.6.3 (dist/12.6.3/ubuntu2404/base/Dockerfile) lists brand=tesla/unknown/nvidia/
        // quadro/nvidiartx/quadrortx on 470/535/550 and no geforce: a GeForce on R535 is refused at container start.
        HostCase{"12.6 image, GeForce, R535", k_cuda_12_6, "--driver 535.104.05 --gpu \"rtx 4090\"", true,
                 "compat/forward-compat-unsupported-gpu"},
        // Same image, same driver, a datacenter GPU: starts through cuda-compat (CUDA Compatibility guide,
        // 'Forward Compatibility': applicable to NVIDIA Data Center GPUs).
        HostCase{"12.6 image, A100, R535", k_cuda_12_6, "--driver 535.104.05 --gpu a100", false,
                 "compat/driver-needs-forward-compat"},
        // Professional RTX parts: only select NGC Server Ready SKUs (same guide): a warning, not an error.
        HostCase{"12.6 image, RTX A6000, R535", k_cuda_12_6, "--driver 535.104.05 --gpu \"NVIDIA RTX A6000\"", false,
                 "compat/driver-needs-forward-compat"},
        // 12.4.1's NVIDIA_REQUIRE_CUDA still lists brand=geforce on 470/525/535: the container starts, but
        // cuda-compat on GeForce fails with error 804 (cudaErrorCompatNotSupportedOnDevice;
        // gitlab.com/nvidia/container-images/cuda#183).
        HostCase{"12.4 image, GeForce, R535", k_cuda_12_4, "--driver 535.104.05 --gpu \"NVIDIA GeForce RTX 3090\"",
                 true, "compat/forward-compat-unsupported-gpu"},
        // A driver at or above the toolkit's own (550.54.14 for 12.4) needs no forward compatibility on any brand.
        HostCase{"12.4 image, GeForce, R550", k_cuda_12_4, "--driver 550.54.15 --gpu \"rtx 4090\"", false, "",
                 "compat/forward-compat-unsupported-gpu"},
        // A GeForce on a branch the image does not list at all: plain too-old (NVIDIA/nvidia-container-toolkit#940).
        HostCase{"12.6 image, GeForce, R545", k_cuda_12_6, "--driver 545.23.08 --gpu \"rtx 4090\"", true,
                 "compat/driver-too-old"},
        // Blackwell: R570 is the first branch (CUDA 12.8 + driver 570.26 added sm_100/sm_120; GPU Operator notes:
        // HGX B200 needs 570.133.20 or later, NVIDIA/cloud-native-docs#184).
        HostCase{"B200 on R550", k_cuda_12_4, "--driver 550.54.15 --gpu b200", true, "compat/driver-too-old-for-gpu"},
        HostCase{"RTX 5090 on R565", k_cuda_12_4, "--driver 565.57.01 --gpu \"NVIDIA GeForce RTX 5090\"", true,
                 "compat/driver-too-old-for-gpu"},
        HostCase{"B200 on R570", k_cuda_12_8, "--driver 570.124.06 --gpu \"NVIDIA B200\"", false, "",
                 "compat/driver-too-old-for-gpu"},
        // Hopper/Ada: CUDA 11.8 (520.61.05) introduced sm_89/sm_90.
        HostCase{"H100 on R515", "name: a\ncuda: \"11.7\"\n", "--driver 515.65.01 --gpu h100", true,
                 "compat/driver-too-old-for-gpu"},
        HostCase{"L4 on R525", "name: a\ncuda: \"12.0\"\n", "--driver 525.85.12 --gpu l4", false, "",
                 "compat/driver-too-old-for-gpu"},
        // Ampere GeForce: CUDA 11.1 (455.23) introduced sm_86; R450 predates the RTX 30 series.
        HostCase{"RTX 3090 on R450", "name: a\ncuda: \"11.0\"\n", "--driver 450.80.02 --gpu \"rtx 3090\"", true,
                 "compat/driver-too-old-for-gpu"},
        // nvidia-smi's header 'CUDA Version: 12.2' passed as --driver: read as a driver that runs CUDA <= 12.2.
        HostCase{"--driver 12.2 with a 12.2 image", "name: a\ncuda: \"12.2\"\n", "--driver 12.2", false,
                 "compat/driver-is-cuda-version"},
        HostCase{"--driver 12.2 with a 12.4 image", k_cuda_12_4, "--driver 12.2", true, "compat/driver-too-old"},
        // A cu13 torch wheel needs a CUDA 13 driver (CUDA 13 MVC floor >= 580, CUDA release notes).
        HostCase{"--driver 12.9 with torch 2.9 cu130",
                 "name: a\ncuda: \"12.9\"\nframework: {name: pytorch, version: \"2.9.1\"}\n", "--driver 12.9", false,
                 "", "compat/driver-too-old"},
        HostCase{"--driver 12.8 with a cu130 wheel",
                 "name: a\ncuda: \"13.0\"\nframework: {name: pytorch, version: \"2.9.1\"}\n", "--driver 12.8", true,
                 "compat/driver-too-old"}));

// --- exact image tags: each point release has its own OS list ---------------------------------

struct TagCase {
    const char* cuda;
    const char* os;
    bool exists;
};

class ExactTags : public ::testing::TestWithParam<TagCase> {};

TEST_P(ExactTags, FollowTheReleaseItself)
{
    auto version = Version::parse(GetParam().cuda);
    ASSERT_TRUE(version);
    const ImageRelease* image = tables().image(*version);
    ASSERT_NE(image, nullptr) << GetParam().cuda;
    EXPECT_EQ(image->has_os(GetParam().os), GetParam().exists) << GetParam().cuda << " " << GetParam().os;
}

// Source for every row: NVIDIA's container-images/cuda repository history (GitHub mirror
// abyss-solutions/nvidia_container_images, 634 commits to 2025-12-15), dist/<X.Y.Z>/ and
// dist/end-of-life/<X.Y.Z>/ of that very release.
INSTANTIATE_TEST_SUITE_P(
    History, ExactTags,
    ::testing::Values(
        TagCase{"12.5.0", "ubuntu24.04", false},  // ubuntu2404 first appears in dist/12.5.1
        TagCase{"12.5.1", "ubuntu24.04", true}, TagCase{"12.4.0", "centos7", true},  // dist/end-of-life/12.4.0/centos7
        TagCase{"12.4.1", "centos7", false},                                         // dist/12.4.1 has no centos7
        TagCase{"12.4.0", "ubi7", true}, TagCase{"12.4.1", "ubi7", false},
        TagCase{"12.0.0", "rockylinux9", false},  // rockylinux9/ubi9 arrive with 12.0.1
        TagCase{"12.0.1", "rockylinux9", true}, TagCase{"12.0.0", "ubi9", false},
        TagCase{"12.1.0", "ubuntu18.04", true},  // 12.1.0 still had ubuntu1804
        TagCase{"12.1.1", "ubuntu18.04", false},
        TagCase{"13.0.0", "rockylinux10", true},  // 13.0.0/13.0.1 had rockylinux10/ubi10, 13.0.2 not
        TagCase{"13.0.2", "rockylinux10", false}, TagCase{"13.0.1", "ubi10", true}, TagCase{"13.0.2", "ubi10", false},
        TagCase{"11.7.0", "ubuntu22.04", true},  // ubuntu2204 first in 11.7.0
        TagCase{"11.6.2", "ubuntu22.04", false},
        TagCase{"12.8.0", "oraclelinux9", true},                                    // oraclelinux8/9 first in 12.8.0
        TagCase{"12.6.3", "oraclelinux9", false}, TagCase{"12.9.0", "azl3", true},  // azl3 first in 12.9.0
        TagCase{"12.8.1", "azl3", false}));

TEST(ExactTagsRules, APointReleaseDoesNotInheritANewerOsList)
{
    // 12.5.0 had no ubuntu24.04 images at all (dist/12.5.0 holds ubuntu2004/2204, rockylinux, ubi only).
    CheckRun run = check_profile("name: a\ncuda: \"12.5.0\"\nos: ubuntu24.04\n");
    EXPECT_TRUE(run.codes().contains("tag/no-such-os")) << run.dump();
    // 12.4.0 had no cudnn images: no runtime/cudnn* directory under dist/end-of-life/12.4.0.
    CheckRun cudnn = check_profile("name: a\ncuda: \"12.4.0\"\ncudnn: true\n");
    EXPECT_TRUE(cudnn.codes().contains("tag/no-cudnn-for-os")) << cudnn.dump();
}

TEST(ExactTagsRules, ArchitecturesAndCudnnPerRelease)
{
    // amzn2023: x86_64 only in 12.6.x/12.8.x, arm64 from 12.9.0 (cuda-platforms.json of each release).
    EXPECT_FALSE(tables().image(*Version::parse("12.8.1"))->has_arch("amzn2023", "arm64"));
    EXPECT_TRUE(tables().image(*Version::parse("12.9.0"))->has_arch("amzn2023", "arm64"));
    // NV_CUDNN_VERSION of 13.0.0's cudnn Dockerfiles is 9.12.0.46; 13.0.2's is 9.14.0.64.
    EXPECT_EQ(tables().image(*Version::parse("13.0.0"))->cudnn, "9.12.0.46");
    EXPECT_EQ(tables().image(*Version::parse("13.0.2"))->cudnn, "9.14.0.64");
    // GeForce brands leave NVIDIA_REQUIRE_CUDA with 12.5.0 (dist/12.5.0 base Dockerfiles).
    EXPECT_TRUE(tables().image(*Version::parse("12.4.1"))->fc_geforce);
    EXPECT_FALSE(tables().image(*Version::parse("12.5.0"))->fc_geforce);
}

}  // namespace
}  // namespace cudagen

namespace cudagen {
namespace {

// --- per platform: Jetson parts and linux/arm64 wheels ----------------------------------------

class PerPlatform : public ::testing::TestWithParam<HostCase> {};

TEST_P(PerPlatform, GetTheRightVerdict)
{
    const HostCase& c = GetParam();
    CheckRun run = check_profile(c.profile, c.host);
    EXPECT_EQ(run.diagnostics.has_errors(), c.expect_error) << c.fact << "\n" << run.dump();
    if (!c.code.empty()) {
        EXPECT_TRUE(run.codes().contains(c.code)) << c.fact << ": expected " << c.code << "\n" << run.dump();
    }
    if (!c.absent.empty()) {
        EXPECT_FALSE(run.codes().contains(c.absent)) << c.fact << ": did not expect " << c.absent << "\n" << run.dump();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PerPlatform,
    ::testing::Values(
        // Orin (sm_87, JetPack 6) is Tegra: Tegra and SBSA device code are not interchangeable
        // (conda-forge docs, 'How to build for ARM Tegra devices'); NVIDIA's L4T images are its base.
        HostCase{"Orin in gpu_archs", "name: a\ncuda: \"12.6\"\ngpu_archs: [orin]\n", "", true,
                 "platform/jetson-not-sbsa"},
        HostCase{"Orin as nvidia-smi names it", "name: a\ncuda: \"12.6\"\nplatforms: [linux/arm64]\n",
                 "--gpu \"Orin (nvgpu)\"", true, "platform/jetson-not-sbsa"},
        HostCase{"Xavier (sm_72, JetPack 5)", "name: a\ncuda: \"11.8\"\n", "--gpu xavier", true,
                 "platform/jetson-not-sbsa"},
        // Thor is SBSA-compliant from CUDA 13.0 / JetPack 7 (same page; pytorch/pytorch#159779 'Thor and SPARK now
        // both on SBSA platforms'); CUDA 12.8/12.9 called it sm_101 on the Tegra toolkit.
        HostCase{"Thor with CUDA 12.8", "name: a\ncuda: \"12.8\"\nplatforms: [linux/arm64]\n", "--gpu thor", true,
                 "platform/jetson-not-sbsa"},
        HostCase{"Thor with CUDA 13.0 on arm64",
                 "name: a\ncuda: \"13.0\"\nplatforms: [linux/arm64]\ngpu_archs: [thor]\n", "", false, "",
                 "platform/jetson-not-sbsa"},
        HostCase{"Thor without an arm64 image", "name: a\ncuda: \"13.0\"\ngpu_archs: [thor]\n", "", true,
                 "platform/jetson-needs-arm64"},
        // No aarch64 CUDA wheels before torch 2.7 (pytorch/builder#1856: nightly only; PyPI aarch64 is CPU-only,
        // pytorch/pytorch#160162).
        HostCase{"torch 2.3.1 on arm64",
                 "name: a\nframework: {name: pytorch, version: \"2.3.1\"}\nplatforms: [linux/arm64]\n", "", true,
                 "platform/no-arm64-wheel"},
        // torch 2.7 cu128 SBSA wheels: TORCH_CUDA_ARCH_LIST 9.0;10.0;12.0 (pytorch/pytorch#146378).
        HostCase{"torch 2.7.1 cu128 on arm64 for GH200",
                 "name: a\ncuda: \"12.8\"\nframework: {name: pytorch, version: \"2.7.1\"}\nplatforms: [linux/arm64]\n",
                 "--gpu \"NVIDIA GH200 480GB\"", false, "", "platform/no-arm64-wheel"},
        // AWS g5g (Graviton + T4G, CC 7.5: ollama/ollama#11999) is not in the aarch64 list.
        HostCase{"torch 2.7.1 cu128 on arm64 for a T4",
                 "name: a\ncuda: \"12.8\"\nframework: {name: pytorch, version: \"2.7.1\"}\nplatforms: [linux/arm64]\n",
                 "--gpu t4", true, "arch/not-in-wheel"},
        // The x86_64 list (cu126: 5.0-9.0) is not the aarch64 one (cu126: 8.0, 9.0; RELEASE.md 2.12 row).
        HostCase{"torch 2.12 cu126 on arm64 for a V100",
                 "name: a\ncuda: \"12.6\"\nframework: {name: pytorch, version: \"2.12\"}\nplatforms: [linux/arm64]\n",
                 "--gpu v100", true, "arch/not-in-wheel"},
        HostCase{"torch 2.12 cu126 on amd64 for a V100",
                 "name: a\ncuda: \"12.6\"\nframework: {name: pytorch, version: \"2.12\"}\n", "--gpu v100", false, "",
                 "arch/not-in-wheel"},
        // TensorFlow's aarch64 PyPI wheels are not built with CUDA (tensorflow/tensorflow#121157).
        HostCase{"tensorflow on arm64",
                 "name: a\nframework: {name: tensorflow, version: \"2.15\"}\nplatforms: [linux/arm64]\n", "", true,
                 "platform/no-arm64-wheel"},
        // JAX publishes Linux x86_64 and aarch64 CUDA wheels (jax docs/installation.md).
        HostCase{"jax on arm64", "name: a\nframework: {name: jax, version: \"0.8.0\"}\nplatforms: [linux/arm64]\n", "",
                 false, "", "platform/no-arm64-wheel"}));

}  // namespace
}  // namespace cudagen
