// The compatibility tables, typed, as loaded from generator/data/*.yaml.
// Rows keep `unconfirmed` where the reference marks them; each table keeps its
// source and the date it was read (TableInfo). Query helpers live here too so
// resolve/ and check/ ask questions instead of walking rows.
#pragma once

#include "core/version.hpp"
#include "knowledge/user_pin_tables.hpp"

#include <any>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

struct TableInfo {
    std::string file;  // "pytorch.yaml"
    std::string name;  // "releases"
    std::string source;
    std::string read;  // date the source was read, YYYY-MM-DD
    std::size_t rows = 0;
};

// --- cuda_releases.yaml -------------------------------------------------------------
struct MvcFloor {
    int major = 0;
    Version min_driver;
};

struct ToolkitDriver {
    Version cuda;    // X.Y.Z (Z = update)
    Version driver;  // minimum Linux driver
    bool unconfirmed = false;
};

// --- nvcc_targets.yaml --------------------------------------------------------------
struct NvccTarget {
    std::string sm;      // "90a"
    int number = 0;      // 90
    std::string suffix;  // "", "a", "f"
    Version min_cuda;
    std::optional<Version> max_cuda;
    bool unconfirmed = false;
};

// --- cuda_images.yaml ---------------------------------------------------------------
// One OS of an image release and the architectures built for it.
struct ImageOs {
    std::string token;                // ubuntu22.04
    std::vector<std::string> arches;  // amd64, arm64 (Docker TARGETARCH names)
};

struct ImageRelease {
    Version cuda;  // 12.4.1
    bool unconfirmed = false;
    bool eol = false;
    bool inherited = false;                       // os/cudnn fields copied from the newest confirmed row of its X.Y
    std::string cudnn_flavor;                     // "cudnn-", "cudnn9-", "cudnn8-" or "" (no cudnn images)
    std::string cudnn;                            // 9.1.0.70
    std::optional<std::vector<int>> fc_branches;  // forward-compat driver branches; nullopt = unknown
    bool fc_geforce = false;  // NVIDIA_REQUIRE_CUDA lists GeForce/TITAN on those branches (up to 12.4.1)
    // Ordered by token; a flat list, not a map: every run reads some 500 of them at start-up.
    std::vector<ImageOs> os;
    std::set<std::string> no_cudnn_os;
    std::string note;

    const ImageOs* find_os(std::string_view os_token) const;
    bool has_os(std::string_view os_token) const { return find_os(os_token) != nullptr; }
    // The architectures built for an OS; empty when the release has none for it.
    const std::vector<std::string>& arches(std::string_view os_token) const;
    bool has_arch(std::string_view os_token, std::string_view arch) const;
    bool has_cudnn(std::string_view os_token) const;
};

// --- gpus.yaml ----------------------------------------------------------------------
// The product line a GPU is sold in; it decides forward compatibility.
enum class GpuBrand { datacenter, professional, geforce, jetson };
std::string_view gpu_brand_name(GpuBrand brand);

struct GpuModel {
    int major = 0;
    int minor = 0;
    std::string arch;  // Hopper
    GpuBrand brand = GpuBrand::datacenter;
    std::vector<std::string> names;  // normalized: h100, rtx4090
    bool unconfirmed = false;

    std::string cc() const { return std::to_string(major) + "." + std::to_string(minor); }
};

// The oldest driver branch that knows a compute capability.
struct DriverFloor {
    Version cc;          // 10.0
    Version min_driver;  // 570
    bool unconfirmed = false;
    std::string note;
};

// What a Jetson part (a Tegra SoC) needs instead of an SBSA nvidia/cuda image.
struct JetsonBase {
    Version cc;                             // 8.7
    std::string base;                       // "nvcr.io/nvidia/l4t-jetpack (JetPack 6, L4T r36)"
    std::optional<Version> sbsa_from_cuda;  // Thor: SBSA images from CUDA 13.0 on
};

// --- os_python.yaml -----------------------------------------------------------------
struct OsPython {
    std::string os;
    Version python;  // 3.10
    std::string family;
    bool unconfirmed = false;
};

// --- conda_cuda.yaml ----------------------------------------------------------------
// A conda package that installs CUDA libraries into the environment.
struct CondaCudaPackage {
    std::string name;            // normalised conda name: "cuda-runtime"
    std::string build_contains;  // counts only with a build string holding this ("cuda"); "" = always
    std::string brings;          // what it installs, for `resolve`
};

// --- micromamba.yaml ----------------------------------------------------------------
struct MicromambaRelease {
    std::string version;                        // 2.9.0-0
    std::map<std::string, std::string> file;    // TARGETARCH -> asset file name
    std::map<std::string, std::string> sha256;  // TARGETARCH -> sha256
};

// --- frameworks ---------------------------------------------------------------------
struct PythonRange {
    Version min;
    Version max;
    std::vector<Version> experimental;

    bool contains(const Version& python) const;
    bool experimental_only(const Version& python) const;
    std::string str() const;  // "3.8-3.11 (3.12 experimental)"
};

struct TorchVariant {
    std::string name;  // cu121
    Version cuda;      // 12.1
    bool experimental = false;
    std::vector<std::string> arch_list;  // "8.0", "9.0"
    bool ptx = false;
    bool unconfirmed = false;
};

// What plain `pip install <framework>==X.Y.Z` from PyPI gets on one platform
// (generated from PyPI by scripts/refresh_knowledge.py; see the `pypi` tables).
struct PypiWheel {
    std::string variant;          // torch: "cu128" or "cpu"; tensorflow: "and-cuda" or ""
    std::optional<Version> cuda;  // the CUDA X.Y the wheel is built with or pulls in; nullopt: none
    std::string cudnn;            // the nvidia-cudnn wheel it pins ("9.10.2.21"); "" when none
};

// Linux platforms as cudagen writes them: "linux/amd64" or "amd64" -> "amd64".
std::string pypi_platform(std::string_view platform);

struct TorchPatch {
    Version version;  // 2.3.1
    std::string torchvision;
    std::string torchaudio;
    bool unconfirmed = false;
    std::vector<Version> python;            // CPython versions with Linux wheels on PyPI (empty: not read)
    std::map<std::string, PypiWheel> pypi;  // "amd64"/"arm64" -> PyPI's wheel; no entry: no wheel there

    // PyPI's wheel for a platform ("linux/arm64" or "arm64"); null when PyPI has none.
    const PypiWheel* pypi_wheel(std::string_view platform) const;
};

// Every release a framework has on PyPI in the covered range, as last read.
struct PypiReleases {
    std::string read;               // YYYY-MM-DD; empty when the table has no pypi rows
    std::vector<Version> versions;  // oldest first

    bool contains(const Version& version) const;
    const Version* newest() const;
};

struct TorchRelease {
    Version version;  // 2.3
    PythonRange python;
    std::string pypi_default;  // PyPI's linux/amd64 variant of the newest patch (see TorchPatch::pypi)
    bool pypi_default_unconfirmed = false;
    std::vector<TorchVariant> variants;  // oldest CUDA first
    std::vector<TorchPatch> patches;     // oldest first
    std::string note;

    const TorchVariant* variant(std::string_view name) const;
    const TorchPatch* patch(const Version& version) const;
};

struct TensorflowRelease {
    Version version;  // 2.15.0
    PythonRange python;
    Version cuda;  // 12.2
    std::string cudnn;
    bool pip_cuda = false;                  // tensorflow[and-cuda] exists
    std::map<std::string, PypiWheel> pypi;  // "amd64"/"arm64" -> variant "and-cuda" or ""; no entry: no wheel
};

struct JaxExtra {
    std::string name;  // cuda12
    int cuda_major = 0;
    Version built_with;
    Version min_cuda;
    Version min_driver;
    Version min_cc;
    Version since;
};

struct JaxRelease {
    Version version;  // applies from this version up to the next row
    Version python_min;
    std::vector<std::string> extras;
    // extra -> the platforms ("amd64", "arm64") its jax-cudaNN-plugin has wheels for on PyPI
    // (empty for the hand-kept requirement rows)
    std::map<std::string, std::vector<std::string>> plugin_platforms;
};

// --- platform_wheels.yaml -------------------------------------------------------------
// A torch X.Y range and CUDA variant that has linux/arm64 (aarch64) CUDA wheels.
struct TorchArm64Wheel {
    Version from;                        // 2.7
    Version to;                          // 2.8 (inclusive)
    std::string variant;                 // cu128
    std::vector<std::string> arch_list;  // "9.0", "10.0", "12.0"
    bool ptx = false;
    bool unconfirmed = false;
};

// --- python_tools.yaml ----------------------------------------------------------------
// A Python tool cudagen runs in the devel stage (never shipped in the image), pinned.
struct PythonTool {
    std::string name;     // uv
    std::string version;  // 0.13.9
};

class Framework;  // frameworks/framework.hpp

struct KnowledgeTables {
    std::vector<TableInfo> tables;
    // The framework units these tables were loaded for (frameworks/registry.cpp); each
    // loads its own file into the rows below, or (a unit without fields here) into framework_rows.
    std::vector<const Framework*> frameworks;
    std::map<std::string, std::any> framework_rows;  // framework name -> its unit's own table type

    std::vector<MvcFloor> mvc_floors;
    std::vector<ToolkitDriver> toolkit_drivers;
    std::vector<NvccTarget> nvcc_targets;
    std::set<std::string> nvcc_unconfirmed_cuda;  // "13.1"
    std::vector<ImageRelease> images;             // newest first
    std::vector<GpuModel> gpus;
    std::vector<DriverFloor> driver_floors;
    std::vector<JetsonBase> jetson_bases;
    std::vector<OsPython> os_pythons;
    std::vector<MicromambaRelease> micromamba;
    std::vector<CondaCudaPackage> conda_cuda_packages;
    std::vector<TorchRelease> torch;            // oldest first
    PypiReleases torch_pypi;                    // includes releases newer than the `releases` rows
    std::vector<TensorflowRelease> tensorflow;  // newest first, one per release on PyPI
    PypiReleases tensorflow_pypi;
    std::vector<JaxExtra> jax_extras;
    std::vector<JaxRelease> jax;                   // oldest first: one per release on PyPI up to jax_newest_known
    std::vector<JaxRelease> jax_requirement_rows;  // the hand-kept rows where requirements change (cross-check)
    PypiReleases jax_pypi;
    std::vector<TorchArm64Wheel> torch_arm64;
    std::set<std::string> cpu_only_arm64;  // frameworks whose arm64 wheels have no CUDA
    Version jax_newest_known;
    UserPinTables user_pins;  // user_pins.yaml
    std::vector<PythonTool> python_tools;

    // --- CUDA releases and images ---
    const ImageRelease* image(const Version& cuda) const;  // exact X.Y.Z
    // Newest confirmed point release of X.Y, else newest unconfirmed; null when none.
    const ImageRelease* current_image(int major, int minor) const;
    bool superseded(const ImageRelease& release) const;
    const ImageRelease* newest_confirmed_image() const;
    std::vector<std::string> image_versions() const;  // "12.4.1", ... for "did you mean"
    std::optional<Version> mvc_floor(int major) const;
    // The toolkit driver for a tag: exact row, else the newest row of X.Y.
    const ToolkitDriver* toolkit_driver(const Version& cuda) const;

    // --- nvcc ---
    const NvccTarget* nvcc_target(std::string_view sm) const;
    bool compilable(const NvccTarget& target, const Version& cuda) const;
    std::vector<const NvccTarget*> compilable_targets(const Version& cuda) const;

    // The pinned release of a Python tool ("uv"); "" when the table has none.
    std::string python_tool_version(std::string_view name) const;

    // --- GPUs, OS ---
    const GpuModel* gpu(std::string_view name) const;  // any spelling, see normalize_gpu_name
    const DriverFloor* driver_floor(int major, int minor) const;
    const JetsonBase* jetson_base(int major, int minor) const;  // null: not a Jetson CC
    std::vector<std::string> gpu_names() const;
    const OsPython* os_python(std::string_view os) const;
    std::vector<std::string> os_tokens() const;

    // --- frameworks ---
    const TorchRelease* torch_release(const Version& version) const;            // by X.Y
    std::vector<std::string> torch_versions() const;                            // "2.3.1", ...
    std::vector<Version> torch_patch_versions() const;                          // every patch, oldest first
    const TensorflowRelease* tensorflow_release(const Version& version) const;  // X.Y or X.Y.Z
    std::vector<std::string> tensorflow_versions() const;
    const JaxRelease* jax_release(const Version& version) const;
    const JaxExtra* jax_extra(std::string_view name) const;
    // The aarch64 wheel of torch `release` (X.Y) in `variant`; null when none exists.
    const TorchArm64Wheel* torch_arm64_wheel(const Version& release, std::string_view variant) const;
};

// The known release nearest to `wanted` by version distance, not by spelling: the
// nearest patch of the same X.Y, else the nearest minor of the same major (its patch
// nearest to the wanted one), else the nearest major. Ties go to the older release.
std::optional<Version> nearest_version(const Version& wanted, const std::vector<Version>& known);

// "GeForce RTX 4090" -> "rtx4090"; "NVIDIA H100 80GB HBM3" -> "h100"; "NVIDIA A100-SXM4-40GB" -> "a100"
std::string normalize_gpu_name(std::string_view name);

}  // namespace cudagen
