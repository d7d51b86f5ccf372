// arch/*: every GPU arch must be compilable by the image's nvcc, and every GPU
// the profile or the host names must have kernels: in the framework's wheels
// and in what the image compiles ("no kernel image is available for execution
// on the device" otherwise).
#include "check/check_context.hpp"

#include "core/text.hpp"
#include "knowledge/gpu_arch.hpp"

namespace cudagen::checks {

namespace {

std::string gpu_label(const GpuArch& arch)
{
    std::string sm = "sm_" + arch.sm();
    bool named = !arch.written.empty() && arch.written != arch.cc() && arch.written != sm && arch.written != arch.cc() + arch.suffix;
    return named ? arch.written + " (" + sm + ")" : sm;
}

void check_compilable(const CheckContext& context)
{
    for (const auto& arch : context.resolved.gpu_archs.value) {
        const NvccTarget* target = context.tables.nvcc_target(arch.sm());
        if (target && context.tables.compilable(*target, context.cuda)) {
            continue;
        }
        std::string message = "CUDA " + context.cuda.str() + " cannot compile sm_" + arch.sm();
        std::string fix = "drop " + arch.written + " from gpu_archs";
        if (target) {
            std::string range = target->min_cuda.str() + (target->max_cuda ? " to " + target->max_cuda->str() : " on");
            message += " (nvcc supports it from CUDA " + range + ")";
            fix = "use a CUDA release from " + range + ", or " + fix;
        } else {
            message += " (no such nvcc target)";
        }
        SourceLocation where = arch.where.known() ? arch.where : context.resolved.gpu_archs.where;
        context.report("arch/not-compilable", message, where, fix);
    }
}

std::vector<GpuArch> wheel_archs(const TorchVariant& variant)
{
    std::vector<GpuArch> archs;
    for (const auto& cc : variant.arch_list) {
        if (auto arch = parse_compute_capability(cc)) {
            archs.push_back(*arch);
        }
    }
    return archs;
}

bool variant_runs_on(const TorchVariant& variant, const GpuArch& gpu)
{
    return runs_on(wheel_archs(variant), variant.ptx, gpu.major, gpu.minor);
}

std::string torch_fix(const CheckContext& context, const GpuArch& gpu)
{
    const auto& variants = context.torch->variants;
    for (auto variant = variants.rbegin(); variant != variants.rend(); ++variant) {
        if (variant_runs_on(*variant, gpu)) {
            return "use the " + variant->name + " wheel: cuda: \"" + variant->cuda.str() + "\"";
        }
    }
    for (const auto& release : context.tables.torch) {
        if (release.version <= context.torch->version) {
            continue;
        }
        for (auto variant = release.variants.rbegin(); variant != release.variants.rend(); ++variant) {
            if (variant_runs_on(*variant, gpu)) {
                return "use torch " + release.patches.back().version.str() + " or newer with " + variant->name +
                       " (cuda: \"" + variant->cuda.str() + "\")";
            }
        }
    }
    return "no torch release in the tables has kernels for sm_" + gpu.sm();
}

std::string arch_list_text(const TorchVariant& variant)
{
    return join(variant.arch_list, ";") + (variant.ptx ? "+PTX" : " without PTX");
}

void check_wheel_covers(const CheckContext& context, const GpuArch& gpu, const SourceLocation& where)
{
    if (context.torch_variant && !variant_runs_on(*context.torch_variant, gpu)) {
        context.report("arch/not-in-wheel",
                       context.framework_label() + " " + context.torch_variant->name + " has no kernels for " + gpu_label(gpu) +
                           ": its wheel has " + arch_list_text(*context.torch_variant),
                       where, torch_fix(context, gpu));
    }
    if (context.jax_extra && Version({gpu.major, gpu.minor}) < context.jax_extra->min_cc) {
        context.report("arch/not-in-wheel",
                       "jax[" + context.jax_extra->name + "] needs compute capability " + context.jax_extra->min_cc.str() +
                           " or newer; " + gpu_label(gpu) + " is " + gpu.cc(),
                       where, context.jax_extra->cuda_major > 12 ? "use jax[cuda12]: a CUDA 12 image (cuda: \"12.9\")" : "use another GPU");
    }
}

std::vector<GpuArch> host_gpus(const CheckContext& context)
{
    std::vector<GpuArch> gpus;
    for (const auto& text : context.host.gpus) {
        auto gpu = parse_gpu_arch(text, context.tables);
        if (!gpu) {
            auto hint = closest_match(normalize_gpu_name(text), context.tables.gpu_names());
            context.report("arch/unknown-gpu",
                           "--gpu '" + text + "' is neither a compute capability, an sm_XX target nor a known GPU" +
                               (hint ? " (did you mean '" + *hint + "'?)" : ""),
                           {}, "pass a compute capability like 8.6 or a GPU name from generator/data/gpus.yaml");
            continue;
        }
        gpus.push_back(*gpu);
    }
    return gpus;
}

void check_image_covers(const CheckContext& context, const GpuArch& gpu)
{
    const auto& archs = context.resolved.gpu_archs;
    if (archs.value.empty() || runs_on(archs.value, context.resolved.ptx, gpu.major, gpu.minor)) {
        return;
    }
    context.report("arch/gpu-not-targeted",
                   "the image compiles for " + context.resolved.torch_cuda_arch_list + ", which cannot run on " + gpu_label(gpu) +
                       " ('no kernel image is available for execution on the device')",
                   archs.where, "add \"" + gpu.cc() + "\" to gpu_archs");
}

}  // namespace

void check_archs(const CheckContext& context)
{
    check_compilable(context);
    if (context.resolved.gpu_archs.origin == Origin::profile) {
        for (const auto& arch : context.resolved.gpu_archs.value) {
            check_wheel_covers(context, arch, arch.where);
        }
    }
    for (const auto& gpu : host_gpus(context)) {
        check_wheel_covers(context, gpu, {});
        check_image_covers(context, gpu);
    }
}

}  // namespace cudagen::checks
