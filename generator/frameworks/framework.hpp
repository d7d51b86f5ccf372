// A framework (PyTorch, TensorFlow, JAX) is one unit: its data table
// (generator/data/<name>.yaml, each row with its source) and one class that owns
// everything cudagen does differently for it, registered in the one list of
// frameworks/registry.cpp. resolve/, check/ and render/ ask the unit and the rows
// it chose; they never branch on a framework's name. Adding a framework is a data
// file, a unit and a line in the registry (tests/unit/framework_unit_test.cpp adds
// a fake one that way).
#pragma once

#include "knowledge/tables.hpp"
#include "model/resolved_profile.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

class DataNode;
class TableReader;
namespace detail {
struct VersionContext;
}
namespace checks {
struct CheckContext;
struct GpuTarget;
}  // namespace checks

// The table rows a unit chose for one profile. Resolve makes it, the resolved model
// keeps it (ResolvedFramework::rows), check reads it: nothing is looked up or parsed twice.
class FrameworkChoice {
public:
    virtual ~FrameworkChoice() = default;

    // --- resolve ---
    // The image release for the framework when the profile leaves cuda out (with why); null: none.
    virtual const ImageRelease* pick_cuda(const detail::VersionContext& context, std::string& reason) const = 0;
    // Why the image needs cuDNN when the framework uses the image's; nullopt when it brings its own.
    virtual std::optional<std::string> needs_image_cudnn() const { return std::nullopt; }
    // What its packages bring of the CUDA libraries ("torch's wheels (nvidia-* pip packages)"); "" when none.
    virtual std::string brings_cuda(const ResolvedFramework& framework) const = 0;
    // Wheel variant, index, companions, requirements and arch list, once CUDA is known (the
    // one step that completes the choice, e.g. with the wheel variant). False on an error.
    virtual bool resolve_details(detail::VersionContext& context) = 0;
    // The Python versions it has wheels for.
    virtual PythonRange python_range() const = 0;
    // True when the range is only a minimum (the default Python is then that minimum).
    virtual bool python_minimum_only() const { return false; }
    // The oldest compute capability its CUDA wheels run on: the default gpu_archs start there.
    virtual Version min_compute_capability() const { return Version({0, 0}); }

    // --- check ---
    // The framework build against the image's CUDA (and cuDNN).
    virtual void check_cuda(const checks::CheckContext& context) const = 0;
    // A GPU the image must run on, against the amd64 wheel's kernels.
    virtual void check_gpu(const checks::CheckContext& context, const GpuArch& gpu, const SourceLocation& where) const;
    // linux/arm64 is a platform: its aarch64 wheel and that wheel's kernels.
    virtual void check_arm64(const checks::CheckContext& context, const std::vector<checks::GpuTarget>& targets) const;
    // The CUDA major of the libraries its packages bundle; 0 when it uses the image's.
    virtual int bundled_cuda_major() const = 0;
    // The version cudagen pins for a companion package ("torchvision"); "" when it pins none.
    virtual std::string companion_version(std::string_view package) const;
};

class Framework {
public:
    virtual ~Framework() = default;

    virtual std::string_view name() const = 0;     // framework.name in a profile: "pytorch"
    virtual std::string_view package() const = 0;  // its pip package, as messages name it: "torch"
    virtual std::string_view title() const = 0;    // its table in messages: "PyTorch"
    // Package names a pin of the framework itself is written with (pip and conda): torch, pytorch.
    virtual std::vector<std::string_view> package_names() const { return {package()}; }
    // Its package names on conda channels (pytorch channel, conda-forge): pytorch, pytorch-gpu.
    virtual std::vector<std::string_view> conda_packages() const { return {package()}; }

    // --- knowledge ---
    virtual std::string_view data_file() const = 0;  // "pytorch.yaml" (generator/data/)
    virtual void load(TableReader& reader, const DataNode& root, KnowledgeTables& out) const = 0;
    // Every release PyPI has in the covered range, as last read.
    virtual const PypiReleases& pypi(const KnowledgeTables& tables) const = 0;
    // The release with rows, oldest first (version suggestions, "known: A to B").
    virtual std::vector<Version> known_versions(const KnowledgeTables& tables) const = 0;
    // The version a profile gets when it names none.
    virtual Version default_version(const KnowledgeTables& tables) const = 0;
    // The releases `cudagen init` may offer (any order).
    virtual std::vector<Version> init_versions(const KnowledgeTables& tables) const = 0;

    // --- resolve ---
    // The rows for `wanted` (X.Y or X.Y.Z): sets context.choice and the pinned version;
    // else reports why (or accepts a release newer than the tables as unchecked).
    virtual bool choose(detail::VersionContext& context, const Version& wanted) const = 0;
    // A release newer than the tables, with the profile's CUDA: variant, index and requirements.
    virtual void resolve_unchecked(detail::VersionContext& context, const Version& cuda) const = 0;

    // --- check and render ---
    // True when the wheel variant is the +local tag of its wheels (cu121), so a
    // +cuXYZ pin or a .../whl/cuXYZ index must name exactly that variant.
    virtual bool variant_is_local_tag() const { return false; }
    // The comment above `pip install` when the framework comes from PyPI without an index.
    virtual std::string pypi_install_note(const ResolvedFramework& framework) const;
};

}  // namespace cudagen
