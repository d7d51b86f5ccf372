// Internals of resolve_versions(), split by concern: CUDA/OS/images
// (resolve_versions.cpp), the framework (resolve_framework.cpp), Python and
// conda (resolve_python.cpp), GPU archs (resolve_archs.cpp).
#pragma once

#include "frameworks/framework.hpp"
#include "knowledge/tables.hpp"
#include "resolve/resolve.hpp"

#include <memory>

namespace cudagen::detail {

struct VersionContext {
    const RawProfile& raw;
    const KnowledgeTables& tables;
    ResolvedProfile& out;
    Diagnostics& diagnostics;

    // The image release chosen for out.cuda (null until resolve_cuda succeeded).
    const ImageRelease* image = nullptr;
    // The framework's unit and the rows it chose (null when none, or unchecked).
    const Framework* unit = nullptr;
    std::shared_ptr<FrameworkChoice> choice = nullptr;
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

// Shared by the framework units (frameworks/*.cpp), defined in resolve_framework.cpp.
std::string pip_pin(const std::string& name, const std::string& version);    // torch==2.3.1
std::string conda_pin(const std::string& name, const std::string& version);  // pytorch=2.3.1
// `wanted` has no rows in the unit's table: newer than the tables (accepted unchecked
// when the profile states cuda), else an error with the nearest known release.
bool report_unknown_version(VersionContext& context, const Version& wanted, const std::vector<Version>& known);
// framework.with for a framework without companions: each one is an error.
bool reject_companions(VersionContext& context);

}  // namespace cudagen::detail
