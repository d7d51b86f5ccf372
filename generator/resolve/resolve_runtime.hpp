// The runtime stage's base image when the installed packages bring the CUDA
// libraries themselves (resolve_runtime.cpp).
#pragma once

#include "deps/dependencies.hpp"
#include "knowledge/tables.hpp"
#include "model/resolved_profile.hpp"

#include <optional>
#include <string>

namespace cudagen::detail {

// What brings the CUDA libraries into the image, and the line that asks for it.
struct CudaLibrariesSource {
    std::string what;  // "torch's wheels (nvidia-* pip packages)", "cuda-runtime=12.4 in environment.yml"
    SourceLocation where;
};

// The first package of the profile's conda environment that installs CUDA
// libraries (generator/data/conda_cuda.yaml); nothing when there is none.
std::optional<CudaLibrariesSource> conda_env_brings_cuda(const deps::DependencySet& dependencies,
                                                         const KnowledgeTables& tables);

// The plain OS image the nvidia/cuda images of `os` are built from, in the registry
// that serves the profile's nvidia/cuda mirror: docker.io/nvidia -> docker.io/library/
// ubuntu:24.04, R/nvidia -> R/library/ubuntu:24.04, any other R -> R/ubuntu:24.04.
// "" for an OS without a plain image cudagen knows (only Ubuntu's are known).
std::string plain_os_image(const std::string& base_registry, const std::string& os);

// Runtime stage without a second copy of the CUDA libraries: the plain OS image
// (or the base flavor where no plain image is known).
void pick_runtime_without_cuda_libraries(const CudaLibrariesSource& brought, ResolvedProfile& out);

// After the framework and any runtime_flavor of the profile: the NVIDIA Container
// Toolkit's CUDA requirement for a plain OS runtime (nvidia/cuda images set their own).
void finish_runtime_base(ResolvedProfile& out);

}  // namespace cudagen::detail
