// The knowledge tables: they load, every table names its source, and the
// tables agree with each other (a CUDA a wheel needs exists, a GPU's CC is a
// target nvcc knows, ...).
#include "knowledge/knowledge.hpp"
#include "core/embedded.hpp"
#include "knowledge/tables.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace cudagen {
namespace {

const KnowledgeTables& tables()
{
    return Knowledge::builtin().tables();
}

std::string sm_of(int major, int minor)
{
    return std::to_string(major * 10 + minor);
}

TEST(Knowledge, BuiltinTablesLoadWithoutErrors)
{
    std::map<std::string, std::string> texts;
    for (std::string_view name : embedded_names()) {
        if (name.starts_with("generator/data/")) {
            texts[std::string(name)] = std::string(*embedded_file(name));
        }
    }
    Diagnostics diagnostics;
    auto knowledge = Knowledge::from_texts(texts, diagnostics);
    for (const auto& d : diagnostics.items()) {
        ADD_FAILURE() << format_diagnostic(d);
    }
    EXPECT_FALSE(knowledge->tables().images.empty());
}

TEST(Knowledge, EveryTableHasASourceAndAReadDate)
{
    const std::regex date(R"(\d{4}-\d{2}-\d{2})");
    ASSERT_GE(tables().tables.size(), 12u);
    for (const auto& table : tables().tables) {
        EXPECT_FALSE(table.source.empty()) << table.file << ":" << table.name;
        EXPECT_TRUE(std::regex_match(table.read, date)) << table.file << ":" << table.name << " read=" << table.read;
        EXPECT_GT(table.rows, 0u) << table.file << ":" << table.name;
    }
}

TEST(Knowledge, BrokenTableIsReportedAtItsLine)
{
    std::map<std::string, std::string> texts;
    for (std::string_view name : embedded_names()) {
        if (name.starts_with("generator/data/")) {
            texts[std::string(name)] = std::string(*embedded_file(name));
        }
    }
    texts["generator/data/gpus.yaml"] =
        "gpus:\n  source: x\n  read: 2026-01-01\n  rows:\n    - {cc: \"eight\", arch: A, brand: datacenter, names: "
        "[x]}\n"
        "driver_floors:\n  source: x\n  read: 2026-01-01\n  rows: [{cc: \"8.0\", min_driver: \"450\"}]\n"
        "jetson:\n  source: x\n  read: 2026-01-01\n  rows: [{cc: \"8.7\", base: l4t}]\n";
    Diagnostics diagnostics;
    Knowledge::from_texts(texts, diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 1u);
    EXPECT_EQ(diagnostics.items()[0].code, "knowledge/bad-data");
    EXPECT_EQ(diagnostics.items()[0].where.file, "gpus.yaml");
    EXPECT_EQ(diagnostics.items()[0].where.line, 5);
    EXPECT_EQ(diagnostics.items()[0].message, "'cc' is not a version: eight");
}

TEST(KnowledgeConsistency, EveryTorchVariantCudaHasAnImageAndADriverRow)
{
    for (const auto& release : tables().torch) {
        for (const auto& variant : release.variants) {
            EXPECT_NE(tables().current_image(variant.cuda.major(), variant.cuda.minor()), nullptr)
                << "torch " << release.version.str() << " " << variant.name;
            EXPECT_NE(tables().toolkit_driver(variant.cuda), nullptr) << variant.name;
            EXPECT_EQ(variant.name, "cu" + std::to_string(variant.cuda.major()) + std::to_string(variant.cuda.minor()));
        }
    }
}

TEST(KnowledgeConsistency, EveryTorchPatchBelongsToItsRelease)
{
    for (const auto& release : tables().torch) {
        for (const auto& patch : release.patches) {
            EXPECT_TRUE(patch.version.starts_with(release.version)) << patch.version.str();
            EXPECT_EQ(patch.version.size(), 3u) << patch.version.str();
        }
        // PyPI's default is one of PyTorch's variants, except cu10x (no CUDA 10 images: see pytorch.yaml)
        if (!release.pypi_default.empty() && release.pypi_default.rfind("cu10", 0) != 0) {
            EXPECT_NE(release.variant(release.pypi_default), nullptr) << release.version.str();
        }
    }
}

// Every release PyPI has in the covered range (up to the newest X.Y row) is a patch row,
// with the facts of its generated pypi row (scripts/refresh_knowledge.py check ties
// those rows to the recorded snapshot).
TEST(KnowledgePypi, EveryPypiTorchReleaseUpToTheNewestRowIsAPatch)
{
    const Version& newest = tables().torch.back().version;
    ASSERT_FALSE(tables().torch_pypi.versions.empty());
    ASSERT_FALSE(tables().torch_pypi.read.empty());
    for (const auto& version : tables().torch_pypi.versions) {
        if (version.major_minor() > newest) {
            continue;
        }
        const TorchRelease* release = tables().torch_release(version);
        ASSERT_NE(release, nullptr) << version.str();
        const TorchPatch* patch = release->patch(version);
        ASSERT_NE(patch, nullptr) << version.str();
        EXPECT_FALSE(patch->python.empty()) << version.str();
        EXPECT_NE(patch->pypi_wheel("linux/amd64"), nullptr) << version.str();
        EXPECT_FALSE(patch->torchvision.empty()) << version.str();
        EXPECT_FALSE(patch->torchaudio.empty()) << version.str();
    }
}

TEST(KnowledgePypi, TorchPythonRangesCoverThePypiWheels)
{
    for (const auto& release : tables().torch) {
        std::set<Version> tags;
        for (const auto& patch : release.patches) {
            tags.insert(patch.python.begin(), patch.python.end());
        }
        for (const auto& python : tags) {
            EXPECT_TRUE(release.python.contains(python) || release.python.experimental_only(python))
                << "torch " << release.version.str() << " has PyPI wheels for Python " << python.str();
        }
        EXPECT_TRUE(tags.contains(release.python.min)) << release.version.str();
        EXPECT_TRUE(tags.contains(release.python.max)) << release.version.str();
    }
}

TEST(KnowledgePypi, PypiDefaultsPerPlatformAsReadFromPypi)
{
    // torch 2.15.0's Linux wheels require nvidia-cudnn-cu13==9.26.0.51 and ship torch/version.py cuda='13.2'
    const TorchPatch* patch = tables().torch_release(*Version::parse("2.15"))->patch(*Version::parse("2.15.0"));
    ASSERT_NE(patch, nullptr);
    ASSERT_NE(patch->pypi_wheel("linux/arm64"), nullptr);
    EXPECT_EQ(patch->pypi_wheel("linux/arm64")->variant, "cu132");
    EXPECT_EQ(patch->pypi_wheel("amd64")->cudnn, "9.26.0.51");
    // torch 1.9.1 has no aarch64 wheel on PyPI; 2.10.0's aarch64 wheel is CPU-only
    EXPECT_EQ(tables().torch_release(*Version::parse("1.9"))->patch(*Version::parse("1.9.1"))->pypi_wheel("arm64"),
              nullptr);
    EXPECT_EQ(tables().torch_release(*Version::parse("2.10"))->patches.back().pypi_wheel("arm64")->variant, "cpu");
    EXPECT_EQ(tables().torch_release(*Version::parse("2.14"))->pypi_default, "cu130");
}

TEST(KnowledgeConsistency, EveryTorchArchIsAGpuTargetOfItsCuda)
{
    for (const auto& release : tables().torch) {
        for (const auto& variant : release.variants) {
            for (const auto& cc : variant.arch_list) {
                auto version = Version::parse(cc);
                ASSERT_TRUE(version) << cc;
                const NvccTarget* target = tables().nvcc_target(sm_of(version->major(), version->minor()));
                ASSERT_NE(target, nullptr) << cc;
                EXPECT_TRUE(tables().compilable(*target, variant.cuda))
                    << "torch " << release.version.str() << " " << variant.name << " lists " << cc;
            }
        }
    }
}

TEST(KnowledgeConsistency, EveryImageTagHasADriverRow)
{
    for (const auto& image : tables().images) {
        EXPECT_NE(tables().toolkit_driver(image.cuda), nullptr) << image.cuda.str();
        EXPECT_TRUE(tables().mvc_floor(image.cuda.major())) << image.cuda.str();
        EXPECT_FALSE(image.os.empty()) << image.cuda.str();
    }
}

TEST(KnowledgeConsistency, CudnnFlavorSpellingFollowsTheRename)
{
    // cudnn8- up to 12.2, cudnn9- for 12.3, cudnn- from 12.4 on (pytorch/builder#1811).
    for (const auto& image : tables().images) {
        if (image.cudnn_flavor.empty()) {
            continue;
        }
        Version v = image.cuda.major_minor();
        std::string expected = v < Version({12, 3}) ? "cudnn8-" : v < Version({12, 4}) ? "cudnn9-" : "cudnn-";
        EXPECT_EQ(image.cudnn_flavor, expected) << image.cuda.str();
    }
}

TEST(KnowledgeConsistency, EveryGpuComputeCapabilityIsAKnownNvccTarget)
{
    for (const auto& gpu : tables().gpus) {
        EXPECT_NE(tables().nvcc_target(sm_of(gpu.major, gpu.minor)), nullptr) << gpu.names.front();
    }
}

TEST(KnowledgeConsistency, GpuNamesAreUnique)
{
    std::set<std::string> seen;
    for (const auto& name : tables().gpu_names()) {
        EXPECT_TRUE(seen.insert(name).second) << name;
    }
}

TEST(KnowledgeConsistency, EveryTensorflowCudaHasAnImage)
{
    for (const auto& release : tables().tensorflow) {
        EXPECT_NE(tables().current_image(release.cuda.major(), release.cuda.minor()), nullptr)
            << "tensorflow " << release.version.str() << " cuda " << release.cuda.str();
    }
}

TEST(KnowledgeConsistency, EveryJaxExtraHasImagesAndADriverFloor)
{
    for (const auto& extra : tables().jax_extras) {
        EXPECT_NE(tables().current_image(extra.min_cuda.major(), extra.min_cuda.minor()), nullptr) << extra.name;
        EXPECT_TRUE(tables().mvc_floor(extra.cuda_major)) << extra.name;
    }
    for (const auto& release : tables().jax) {
        for (const auto& name : release.extras) {
            EXPECT_NE(tables().jax_extra(name), nullptr) << name;
        }
    }
}

TEST(KnowledgeConsistency, EveryOsWithAPythonRowHasImages)
{
    auto tokens = tables().os_tokens();
    for (const auto& row : tables().os_pythons) {
        EXPECT_NE(std::find(tokens.begin(), tokens.end(), row.os), tokens.end()) << row.os;
    }
}

TEST(KnowledgeConsistency, MicromambaHasAChecksumPerArchitecture)
{
    ASSERT_FALSE(tables().micromamba.empty());
    const std::regex sha(R"([0-9a-f]{64})");
    for (const char* arch : {"amd64", "arm64"}) {
        EXPECT_TRUE(std::regex_match(tables().micromamba.front().sha256.at(arch), sha)) << arch;
    }
}

TEST(KnowledgeQueries, CurrentImagePrefersTheNewestConfirmedPointRelease)
{
    EXPECT_EQ(tables().current_image(12, 4)->cuda.str(), "12.4.1");
    EXPECT_EQ(tables().current_image(13, 0)->cuda.str(), "13.0.2");  // 13.0.3 is only observed
    EXPECT_EQ(tables().current_image(13, 4)->cuda.str(), "13.4.2");  // nothing confirmed: newest seen
    EXPECT_EQ(tables().current_image(12, 7), nullptr);               // there is no CUDA 12.7
    EXPECT_TRUE(tables().superseded(*tables().image(*Version::parse("12.4.0"))));
    EXPECT_FALSE(tables().superseded(*tables().image(*Version::parse("12.4.1"))));
}

// NVIDIA's repository history: dist/end-of-life/12.4.0 still has centos7 and ubi7 (gone
// in 12.4.1) and no runtime/cudnn* directory: an older point release has its own list.
TEST(KnowledgeQueries, OlderPointReleasesHaveTheirOwnOsList)
{
    const ImageRelease* old = tables().image(*Version::parse("12.4.0"));
    ASSERT_NE(old, nullptr);
    EXPECT_FALSE(old->inherited);
    EXPECT_EQ(old->cudnn_flavor, "");
    EXPECT_TRUE(old->has_os("centos7"));
    EXPECT_FALSE(tables().image(*Version::parse("12.4.1"))->has_os("centos7"));
    EXPECT_TRUE(old->has_arch("ubuntu22.04", "arm64"));
}

TEST(KnowledgeQueries, GpuNamesMatchInAnySpelling)
{
    for (const char* name : {"H100", "h100", "NVIDIA H100", "rtx 4090", "GeForce RTX-4090", "Tesla T4"}) {
        EXPECT_NE(tables().gpu(name), nullptr) << name;
    }
    EXPECT_EQ(tables().gpu("rtx 5090")->major, 12);
    EXPECT_EQ(tables().gpu("A10G")->minor, 6);
    EXPECT_EQ(tables().gpu("a1000"), nullptr);
}

TEST(KnowledgeQueries, ToolkitDriverFallsBackToTheNewestRowOfItsMinor)
{
    EXPECT_EQ(tables().toolkit_driver(*Version::parse("12.4.1"))->driver.str(), "550.54.15");
    EXPECT_EQ(tables().toolkit_driver(*Version::parse("13.0.3"))->driver.str(), "580.95.05");
    EXPECT_EQ(tables().toolkit_driver(*Version::parse("12.7.0")), nullptr);
}

TEST(KnowledgeQueries, NvccDropsVoltaInCuda13)
{
    const NvccTarget* volta = tables().nvcc_target("70");
    ASSERT_NE(volta, nullptr);
    EXPECT_TRUE(tables().compilable(*volta, *Version::parse("12.9.1")));
    EXPECT_FALSE(tables().compilable(*volta, *Version::parse("13.0.2")));
    EXPECT_FALSE(tables().compilable(*tables().nvcc_target("120"), *Version::parse("12.6.3")));
}

// Every TensorFlow release on PyPI from 2.4 to the newest X.Y row is a release row; its
// Python range is that of its wheels, its CUDA that of its tested configuration.
TEST(KnowledgePypi, EveryPypiTensorflowReleaseIsARelease)
{
    const Version newest = tables().tensorflow.front().version.major_minor();
    for (const auto& version : tables().tensorflow_pypi.versions) {
        if (version.major_minor() > newest) {
            continue;
        }
        const TensorflowRelease* release = tables().tensorflow_release(version);
        ASSERT_NE(release, nullptr) << version.str();
        EXPECT_EQ(release->version, version);
        ASSERT_TRUE(release->pypi.contains("amd64")) << version.str();
        // tensorflow[and-cuda] pulls the CUDA of the tested configuration
        if (release->pip_cuda) {
            ASSERT_TRUE(release->pypi.at("amd64").cuda) << version.str();
            EXPECT_EQ(*release->pypi.at("amd64").cuda, release->cuda) << version.str();
        }
    }
    // tensorflow 2.13.1: no and-cuda extra, wheels for 3.8-3.11 on amd64 and arm64
    const TensorflowRelease* tf = tables().tensorflow_release(*Version::parse("2.13.1"));
    ASSERT_NE(tf, nullptr);
    EXPECT_FALSE(tf->pip_cuda);
    EXPECT_EQ(tf->python.str(), "3.8-3.11");
    EXPECT_TRUE(tf->pypi.contains("arm64"));
}

// The hand-kept JAX rows (where requirements change) agree with what PyPI says of each release.
TEST(KnowledgePypi, JaxRequirementRowsAgreeWithPypi)
{
    ASSERT_FALSE(tables().jax_requirement_rows.empty());
    for (const auto& release : tables().jax) {
        const JaxRelease* rule = nullptr;
        for (const auto& row : tables().jax_requirement_rows) {
            rule = row.version <= release.version ? &row : rule;
        }
        ASSERT_NE(rule, nullptr) << release.version.str();
        EXPECT_EQ(release.python_min, rule->python_min) << "jax " << release.version.str();
        EXPECT_EQ(release.extras, rule->extras) << "jax " << release.version.str();
    }
    EXPECT_EQ(tables().jax.back().version, tables().jax_newest_known);
    // PyPI: jax-cuda12-plugin 0.4.26 has manylinux x86_64 wheels only; jax 0.7.0 declares the
    // cuda13 extra but jax-cuda13-plugin starts at 0.7.2
    const JaxRelease& first = tables().jax.front();
    EXPECT_EQ(first.plugin_platforms.at("cuda12"), (std::vector<std::string>{"amd64"}));
    EXPECT_EQ(tables().jax.back().plugin_platforms.at("cuda13"), (std::vector<std::string>{"amd64", "arm64"}));
    const JaxRelease* jax070 = nullptr;
    for (const auto& release : tables().jax) {
        jax070 = release.version == *Version::parse("0.7.0") ? &release : jax070;
    }
    ASSERT_NE(jax070, nullptr);
    EXPECT_EQ(jax070->extras, (std::vector<std::string>{"cuda12"}));
}

TEST(KnowledgePypi, NearestVersionGoesByVersionDistance)
{
    std::vector<Version> known;
    for (const char* text : {"2.13.0", "2.14.0", "2.14.1", "2.3.1"}) {
        known.push_back(*Version::parse(text));
    }
    EXPECT_EQ(nearest_version(*Version::parse("2.15.0"), known)->str(), "2.14.0");
    EXPECT_EQ(nearest_version(*Version::parse("2.14.3"), known)->str(), "2.14.1");
    EXPECT_EQ(nearest_version(*Version::parse("2.3.0"), known)->str(), "2.3.1");
    EXPECT_FALSE(nearest_version(*Version::parse("2.3.0"), {}));
}

}  // namespace
}  // namespace cudagen
