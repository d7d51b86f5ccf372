// The runtime stage's base when the framework's wheels or the conda environment
// bring the CUDA runtime, cuBLAS and cuDNN. Every nvidia/cuda flavor, `base`
// included, carries the CUDA runtime (cuda-cudart, libcudart.so), so starting from
// any of them ships that library twice. The runtime stage then starts from the
// plain OS image nvidia/cuda is built from, and cudagen sets what nvidia/cuda's
// base would tell the NVIDIA Container Toolkit:
// - NVIDIA_VISIBLE_DEVICES=all, NVIDIA_DRIVER_CAPABILITIES=compute,utility (the
//   toolkit mounts libcuda and nvidia-smi only with these);
// - NVIDIA_REQUIRE_CUDA=cuda>=X.Y of the resolved CUDA (a too old driver is refused
//   at start with the toolkit's own message instead of failing inside the program);
// - /usr/local/nvidia/{bin,lib,lib64} on PATH and LD_LIBRARY_PATH (where hosts that
//   mount the driver as a folder, such as GKE's, put it).
// What such an image does not have is cuda-compat, NVIDIA's forward-compatibility
// libcuda: the host driver must support the packages' CUDA itself (R580 for CUDA 13),
// which torch's and JAX's wheels need anyway for their own CUDA major. Datacenter
// hosts on an older branch set runtime_flavor: base to get NVIDIA's base image back.
#include "resolve/resolve_runtime.hpp"

#include "core/version.hpp"

namespace cudagen::detail {

namespace {

bool build_matches(const CondaCudaPackage& package, const deps::PackageSpec& spec)
{
    return package.build_contains.empty() || spec.build.find(package.build_contains) != std::string::npos;
}

// "docker.io/nvidia" -> "docker.io/library"; "cudagen-standin" -> "cudagen-standin".
std::string os_registry_of(const std::string& base_registry)
{
    constexpr std::string_view k_nvidia = "nvidia";
    std::size_t slash = base_registry.rfind('/');
    std::string last = slash == std::string::npos ? base_registry : base_registry.substr(slash + 1);
    if (last != k_nvidia) {
        return base_registry;
    }
    return (slash == std::string::npos ? "" : base_registry.substr(0, slash + 1)) + "library";
}

}  // namespace

std::optional<CudaLibrariesSource> conda_env_brings_cuda(const deps::DependencySet& dependencies,
                                                         const KnowledgeTables& tables)
{
    if (!dependencies.conda) {
        return std::nullopt;
    }
    for (const auto& dependency : dependencies.conda->dependencies) {
        for (const auto& package : tables.conda_cuda_packages) {
            if (dependency.spec.key == package.name && build_matches(package, dependency.spec)) {
                return CudaLibrariesSource{dependency.text + " in the conda environment: " + package.brings,
                                           dependency.where};
            }
        }
    }
    return std::nullopt;
}

std::string plain_os_image(const std::string& base_registry, const std::string& os)
{
    constexpr std::string_view k_ubuntu = "ubuntu";
    if (!os.starts_with(k_ubuntu) || os.size() == k_ubuntu.size()) {
        return "";
    }
    return os_registry_of(base_registry) + "/ubuntu:" + os.substr(k_ubuntu.size());
}

void pick_runtime_without_cuda_libraries(const CudaLibrariesSource& brought, ResolvedProfile& out)
{
    std::string image = plain_os_image(out.base_registry.value, out.os.value);
    std::string why = "the CUDA runtime, cuBLAS and cuDNN come with " + brought.what;
    if (image.empty()) {
        out.runtime_flavor = "base";
        out.runtime_image = {out.base_registry.value + "/cuda:" + out.cuda.value + "-base-" + out.os.value,
                             Origin::derived,
                             "base flavor: " + why + "; cudagen knows no plain " + out.os.value +
                                 " image to start from, so the base flavor's libcudart is a second copy "
                                 "(runtime_flavor overrides)",
                             brought.where};
        return;
    }
    out.runtime_flavor = "os";
    out.runtime_image = {image, Origin::derived,
                         "plain " + out.os.value + ", the OS of the nvidia/cuda images: " + why +
                             ", and every nvidia/cuda flavor, base included, would ship a second copy (at least "
                             "libcudart); cudagen sets the NVIDIA Container Toolkit's variables itself",
                         brought.where};
}

void finish_runtime_base(ResolvedProfile& out)
{
    if (out.runtime_flavor != "os") {
        out.nvidia_require_cuda.clear();
        return;
    }
    // The resolved CUDA's X.Y, which the framework's wheels were matched to: what nvidia/cuda's
    // base image of that release requires, and what `check --driver` checks against.
    std::string cuda = Version::parse(out.cuda.value).value_or(Version()).major_minor().str();
    out.nvidia_require_cuda = "cuda>=" + cuda;
    out.runtime_image.reason += " (NVIDIA_REQUIRE_CUDA=" + out.nvidia_require_cuda +
                                "; no cuda-compat: the host driver must support CUDA " + cuda +
                                " itself, runtime_flavor: base brings NVIDIA's forward-compatibility libraries)";
}

}  // namespace cudagen::detail
