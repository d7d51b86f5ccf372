// GPU archs: parse what the profile lists (CCs, sm_/compute_ targets, GPU
// names) or pick a default, then spell them for nvcc, PyTorch and CMake.
//
// Default when gpu_archs is omitted:
// - PyTorch: the archs of the chosen wheel (extensions then run wherever torch
//   runs), minus those the image's nvcc cannot compile;
// - otherwise CMake's "all-major" for the image's CUDA: the oldest target nvcc
//   accepts plus every X.0 target (JAX: only those its wheels support).
// PTX is added for the newest plain arch unless the profile says ptx: false,
// so GPUs newer than the list still JIT-compile the kernels.
#include "resolve/resolve_versions_detail.hpp"

#include "core/text.hpp"
#include "knowledge/gpu_arch.hpp"

#include <algorithm>

namespace cudagen::detail {

namespace {

bool arch_less(const GpuArch& a, const GpuArch& b)
{
    return std::tie(a.major, a.minor, a.suffix) < std::tie(b.major, b.minor, b.suffix);
}

bool arch_same(const GpuArch& a, const GpuArch& b)
{
    return a.major == b.major && a.minor == b.minor && a.suffix == b.suffix;
}

void sort_unique(std::vector<GpuArch>& archs)
{
    std::stable_sort(archs.begin(), archs.end(), arch_less);
    archs.erase(std::unique(archs.begin(), archs.end(), arch_same), archs.end());
}

bool parse_listed_archs(VersionContext& context, std::vector<GpuArch>& archs)
{
    bool ok = true;
    for (const auto& written : context.raw.gpu_archs) {
        auto arch = parse_gpu_arch(written.value, context.tables);
        if (!arch) {
            auto hint = closest_match(normalize_gpu_name(written.value), context.tables.gpu_names());
            context.diagnostics.error(
                "arch/unknown-gpu",
                "'" + written.value + "' is neither a compute capability, an sm_XX target nor a known GPU" +
                    (hint ? " (did you mean '" + *hint + "'?)" : ""),
                written.where,
                "write a compute capability like \"8.6\", a target like sm_90, or a GPU name `cudagen gpus` lists");
            ok = false;
            continue;
        }
        arch->where = written.where;
        archs.push_back(*arch);
    }
    return ok;
}

std::vector<GpuArch> wheel_archs(const VersionContext& context, const Version& cuda)
{
    std::vector<GpuArch> archs;
    for (const auto& cc : context.out.framework->arch_list) {
        auto arch = parse_compute_capability(cc);
        const NvccTarget* target = arch ? context.tables.nvcc_target(arch->sm()) : nullptr;
        if (target && context.tables.compilable(*target, cuda)) {
            arch->written = cc;
            archs.push_back(*arch);
        }
    }
    return archs;
}

std::vector<GpuArch> all_major_archs(const VersionContext& context, const Version& cuda)
{
    Version min_cc = context.choice ? context.choice->min_compute_capability() : Version({0, 0});
    std::vector<GpuArch> archs;
    for (const NvccTarget* target : context.tables.compilable_targets(cuda)) {
        GpuArch arch{target->number / 10, target->number % 10, "", "", {}};
        bool plain = target->suffix.empty() && !target->unconfirmed;
        bool oldest = archs.empty();
        if (plain && (arch.minor == 0 || oldest) && Version({arch.major, arch.minor}) >= min_cc) {
            arch.written = arch.cc();
            archs.push_back(arch);
        }
    }
    return archs;
}

Resolved<std::vector<GpuArch>> default_archs(const VersionContext& context, const Version& cuda)
{
    const ResolvedFramework* framework = context.out.framework ? &*context.out.framework : nullptr;
    if (context.choice && framework) {
        auto archs = wheel_archs(context, cuda);
        if (!archs.empty()) {
            return resolved(archs, Origin::derived,
                            "the archs of the " + std::string(context.unit->package()) + " " +
                                framework->version.value + " " + framework->cuda_variant.value + " wheel that CUDA " +
                                cuda.str() + " can compile",
                            context.raw.framework->version.where);
        }
    }
    return resolved(all_major_archs(context, cuda), Origin::default_value,
                    "CMake's all-major for CUDA " + cuda.major_minor().str() + " (oldest target plus every X.0)");
}

const GpuArch* newest_plain(const std::vector<GpuArch>& archs)
{
    for (auto arch = archs.rbegin(); arch != archs.rend(); ++arch) {
        if (arch->suffix.empty()) {
            return &*arch;
        }
    }
    return nullptr;
}

void spell_archs(ResolvedProfile& out)
{
    const auto& archs = out.gpu_archs.value;
    const GpuArch* ptx = out.ptx ? newest_plain(archs) : nullptr;
    std::string torch;  // "8.0;9.0+PTX", appended in place (no list to join)
    std::string cmake;  // "80-real;90"
    for (const auto& arch : archs) {
        std::string sm = arch.sm();
        std::string gencode = "-gencode=arch=compute_";
        gencode.append(sm).append(",code=sm_").append(sm);
        out.nvcc_gencode.push_back(std::move(gencode));
        bool with_ptx = &arch == ptx;
        if (&arch != &archs.front()) {
            torch += ';';
            cmake += ';';
        }
        torch.append(arch.cc()).append(arch.suffix).append(with_ptx ? "+PTX" : "");
        cmake.append(sm).append(with_ptx ? "" : "-real");
    }
    if (ptx) {
        std::string sm = ptx->sm();
        std::string gencode = "-gencode=arch=compute_";
        gencode.append(sm).append(",code=compute_").append(sm);
        out.nvcc_gencode.push_back(std::move(gencode));
    }
    out.torch_cuda_arch_list = std::move(torch);
    out.cmake_cuda_architectures = std::move(cmake);
}

}  // namespace

bool resolve_gpu_archs(VersionContext& context)
{
    ResolvedProfile& out = context.out;
    Version cuda = *Version::parse(out.cuda.value);
    if (context.raw.gpu_archs.empty()) {
        out.gpu_archs = default_archs(context, cuda);
    } else {
        std::vector<GpuArch> archs;
        if (!parse_listed_archs(context, archs)) {
            return false;
        }
        out.gpu_archs =
            resolved(archs, Origin::profile, "as written in the profile", context.raw.gpu_archs.front().where);
    }
    sort_unique(out.gpu_archs.value);
    out.ptx = context.raw.ptx.present ? context.raw.ptx.value : true;
    spell_archs(out);
    return true;
}

}  // namespace cudagen::detail
