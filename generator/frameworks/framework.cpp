// What a framework does when its unit says nothing else.
#include "frameworks/framework.hpp"

namespace cudagen {

void FrameworkChoice::check_gpu(const checks::CheckContext& /*context*/, const GpuArch& /*gpu*/,
                                const SourceLocation& /*where*/) const
{
}

void FrameworkChoice::check_arm64(const checks::CheckContext& /*context*/,
                                  const std::vector<checks::GpuTarget>& /*targets*/) const
{
}

std::string FrameworkChoice::companion_version(std::string_view /*package*/) const
{
    return {};
}

std::string Framework::pypi_install_note(const ResolvedFramework& framework) const
{
    const std::string& variant = framework.cuda_variant.value;
    return variant.empty()
               ? "From PyPI, pinned exactly; it uses the image's CUDA libraries."
               : "From PyPI, pinned exactly; the [" + variant + "] extra brings the CUDA libraries it is built with.";
}

}  // namespace cudagen
