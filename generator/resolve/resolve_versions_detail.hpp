// Internals of resolve_versions(), split by concern: CUDA/OS/images
// (resolve_versions.cpp), the framework (resolve_framework.cpp), Python and
// conda (resolve_python.cpp), GPU archs (resolve_archs.cpp).
#pragma once

#include "knowledge/tables.hpp"
#include "resolve/resolve.hpp"

namespace cudagen::detail {

struct VersionContext {
    const RawProfile& raw;
    const KnowledgeTables& tables;
    ResolvedProfile& out;
    Diagnostics& diagnostics;

    // The image release chosen for out.cuda (null until resolve_cuda succeeded).
    const ImageRelease* image = nullptr;
    // Framework rows (at most one set).
    const TorchRelease* torch = nullptr;
    const TorchPatch* torch_patch = nullptr;
    const TensorflowRelease* tensorflow = nullptr;
    const JaxRelease* jax = nullptr;
};

template <class T>
Resolved<T> resolved(T value, Origin origin, std::string reason, SourceLocation where = {})
{
    return Resolved<T>{std::move(value), origin, std::move(reason), std::move(where)};
}

// "linux/arm64/v8" -> "arm64".
std::string arch_of_platform(const std::string& platform);

// Framework name and pinned version (before CUDA is known). False on an error.
bool resolve_framework_version(VersionContext& context);
// What CUDA the framework wants when the profile leaves `cuda` out: image release + reason.
const ImageRelease* framework_cuda(const VersionContext& context, std::string& reason);
// Wheel variant, index, companions, requirements, arch list (after CUDA is known).
bool resolve_framework_details(VersionContext& context);

void resolve_python(VersionContext& context);
void resolve_conda(VersionContext& context);
bool resolve_gpu_archs(VersionContext& context);

// The framework's supported Python range, when there is a framework.

}  // namespace cudagen::detail
