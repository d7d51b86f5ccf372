// The profile after resolution: every default filled in, every version
// picked, each value with where it came from. Immutable once built; templates
// and check rules see only this type.
#pragma once

#include "core/diagnostic.hpp"
#include "core/version.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cudagen {

class Framework;
class FrameworkChoice;

enum class Origin { profile, default_value, derived };

std::string_view origin_name(Origin origin);

template <class T>
struct Resolved {
    T value{};
    Origin origin = Origin::default_value;
    std::string reason;    // why this value: "newest CUDA with a cu124 wheel for torch 2.5.1"
    SourceLocation where;  // the profile line it comes from (when origin is profile or derived from a line)
};

struct ResolvedCopy {
    std::string src;
    std::string dst;
};

struct GpuArch {
    int major = 0;
    int minor = 0;
    std::string suffix;   // "", "a" or "f"
    std::string written;  // as the user wrote it: "8.0", "sm_90", "h100"
    SourceLocation where;

    std::string sm() const { return std::to_string(major * 10 + minor) + suffix; }          // "90a"
    std::string cc() const { return std::to_string(major) + "." + std::to_string(minor); }  // "9.0"
};

struct ResolvedFramework {
    std::string name;                 // pytorch | tensorflow | jax
    const Framework* unit = nullptr;  // its unit (frameworks/registry.cpp)
    // The table rows resolve chose, typed by the unit; check reads them. Null when unchecked.
    std::shared_ptr<const FrameworkChoice> rows;
    Resolved<std::string> version;       // full version to pin, "2.3.1"
    Version pinned;                      // the same, as a version
    std::string channel;                 // pip | conda
    Resolved<std::string> cuda_variant;  // "cu121" (pytorch), "cuda12" (jax extra), "and-cuda" (tensorflow)
    std::string cuda_version;            // the CUDA X.Y the framework build targets, "12.1"
    Resolved<std::string> index_url;     // PyTorch: https://download.pytorch.org/whl/cu121; empty for PyPI
    std::map<std::string, Resolved<std::string>> companions;  // torchvision -> 0.18.1
    std::vector<std::string> requirements;                    // pip requirement strings, in order: torch==2.3.1, ...
    std::vector<std::string> arch_list;                       // the wheel's compiled archs: "5.0", ..., "9.0"
    bool arch_list_has_ptx = false;
    // A release newer than the knowledge tables, accepted because the profile states
    // its CUDA: wheel, Python range and GPU archs are not checked (check warns).
    bool unchecked = false;
    SourceLocation where;
};

struct ResolvedPython {
    Resolved<std::string> version;  // "3.11"; empty when the image needs no Python
    bool needed = false;            // framework, pip or conda present
    // How Python gets into the image: "system" (the OS's python3 from apt, in a venv)
    // or "micromamba" (a conda env; used for conda profiles and when the OS's python differs).
    std::string source;
    std::string env_prefix;  // /opt/venv or /opt/conda/envs/app
};

struct ResolvedConda {
    std::string environment_file;  // relative to the context, "" when none
    std::string micromamba_version;
    std::map<std::string, std::string> micromamba_sha256;  // TARGETARCH (amd64, arm64) -> sha256
    std::string cuda_override;                             // CONDA_OVERRIDE_CUDA, "12.4"
};

// One ordered build step of the devel stage: a shell command or a copy.
struct ResolvedBuildStep {
    std::string run;
    std::optional<ResolvedCopy> copy;
};

// A dependency file's lines that the dependency layer leaves out (local
// projects, installed once their source is copied).
struct DependencyFileEdit {
    std::string file;                              // relative to the context
    std::vector<std::pair<int, int>> line_ranges;  // 1-based, inclusive
    SourceLocation where;                          // the first entry removed
};

struct ResolvedDependencies {
    std::vector<std::string>
        files;  // requirements files and local archives/folders, relative to the context (folders end in "/")
    std::vector<std::string> environment_files;  // the conda environment and the files its pip section includes
    std::vector<DependencyFileEdit> edits;
    std::vector<std::string> local_projects;         // folders installed from source, relative to the context
    std::vector<std::string> local_install_options;  // the files' global pip options, for that install
    bool needs_git = false;                          // a VCS requirement
    // Who installs the dependency layers (requirements files, pip.packages) into a
    // venv: uv at this pinned release (it reinstalls a changed list from its cache
    // mount in seconds), or pip when empty (conda envs, and files with pip options
    // that uv reads differently: --trusted-host, --pre, --prefer-binary, --use-feature).
    std::string uv_version;
    bool uv_require_hashes = false;  // a requirement has --hash: pip's hash-checking mode, which uv needs asked for
    bool uv_best_match = false;      // extra indexes: every index's versions compared, as pip does
};

// A Python project installed from its pyproject.toml.
struct ResolvedProject {
    std::string path;  // relative to the context, "" when none
    std::string lock;  // "uv.lock", "poetry.lock" or ""
    std::vector<std::string> extras;
    std::vector<std::string> metadata_files;   // copied before the source: pyproject.toml and the lock
    std::map<std::string, std::string> tools;  // what exports the lock, pinned: uv -> 0.13.9, poetry -> ...
};

struct ResolvedProfile {
    std::string name;
    std::string profile_file;  // as given by the user
    std::string context_dir;   // the build context (profile's folder), absolute

    Resolved<std::string> cuda;  // X.Y.Z of the nvidia/cuda image
    Resolved<std::string> os;    // ubuntu22.04
    Resolved<bool> cudnn;
    std::string cudnn_flavor;             // tag spelling: "cudnn-", "cudnn9-", "cudnn8-" or "" (no cuDNN)
    Resolved<std::string> base_registry;  // docker.io/nvidia
    Resolved<std::string> devel_image;    // docker.io/nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04
    Resolved<std::string> runtime_image;  // docker.io/nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04
    std::string runtime_flavor;           // os (plain OS image) | base | runtime | cudnn-runtime
    std::string nvidia_require_cuda;      // "cuda>=13.0" for an os runtime (nvidia/cuda sets its own); else ""

    std::optional<ResolvedFramework> framework;
    ResolvedPython python;
    ResolvedConda conda;

    std::string pip_requirements;  // file relative to the context, "" when none
    std::vector<std::string> pip_packages;
    std::vector<std::string> pip_extra_index_urls;
    std::vector<std::string> pip_find_links;  // URLs, or context folders (copied, see deps.files)
    ResolvedDependencies deps;
    ResolvedProject project;
    Resolved<std::string> pip_index_url;  // replaces PyPI; "" = PyPI (a PIP_INDEX_URL build arg may still set one)
    bool pip_secret = false;              // pip installs mount the netrc BuildKit secret: the profile names an index
    std::vector<std::string> apt;         // devel + runtime
    std::vector<std::string> apt_build;   // devel only

    Resolved<std::vector<GpuArch>> gpu_archs;
    bool ptx = true;                        // PTX for the newest arch
    std::vector<std::string> nvcc_gencode;  // -gencode=arch=compute_90,code=sm_90 ...
    std::string torch_cuda_arch_list;       // "8.0;9.0+PTX"
    std::string cmake_cuda_architectures;   // "80-real;90"

    Resolved<std::vector<std::string>> platforms;  // linux/amd64, ...

    std::vector<ResolvedCopy> build_copy;
    std::vector<std::string> build_run;
    std::vector<ResolvedBuildStep> build_steps;
    std::vector<ResolvedCopy> artifacts;

    std::vector<ResolvedCopy> app_copy;
    Resolved<std::string> workdir;
    std::vector<std::pair<std::string, std::string>> env;
    std::vector<int> expose;
    std::vector<std::string> cmd;
    std::vector<std::string> entrypoint;
    Resolved<std::string> user;
    std::vector<std::string> path_prepend;          // before $PATH in the runtime stage
    std::vector<std::string> library_path_prepend;  // before $LD_LIBRARY_PATH
    std::vector<std::string> runtime_run;           // RUN steps of the runtime stage

    std::string image_registry;           // "" or ghcr.io/acme
    std::vector<std::string> image_tags;  // expanded: ghcr.io/acme/fastapi-torch:12.4.1

    bool verify = true;
    std::string dockerfile_syntax;  // "" = no "# syntax=" line
};

}  // namespace cudagen
