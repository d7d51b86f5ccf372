// arch/*: every GPU arch must be compilable by the image's nvcc, and every GPU
// the profile or the host names must have kernels: in the framework's wheels
// and in what the image compiles ("no kernel image is available for execution
// on the device" otherwise).
#include "check/check_context.hpp"

#include "core/text.hpp"
#include "knowledge/gpu_arch.hpp"

#include <algorithm>

namespace cudagen::checks {

namespace {

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

// The x86_64 wheels' arch lists speak for linux/amd64 only (linux/arm64 has its own,
// checked with the platform rules), and a Jetson GPU never runs an amd64 image.
bool x86_wheel_applies(const CheckContext& context, const GpuArch& gpu)
{
    const auto& platforms = context.resolved.platforms.value;
    bool amd64 = platforms.empty() || std::find(platforms.begin(), platforms.end(), "linux/amd64") != platforms.end();
    return amd64 && !context.tables.jetson_base(gpu.major, gpu.minor);
}

void check_wheel_covers(const CheckContext& context, const GpuArch& gpu, const SourceLocation& where)
{
    if (!x86_wheel_applies(context, gpu)) {
        return;
    }
    if (context.rows) {
        context.rows->check_gpu(context, gpu, where);
    }
}

void check_image_covers(const CheckContext& context, const GpuArch& gpu)
{
    const auto& archs = context.resolved.gpu_archs;
    if (archs.value.empty() || runs_on(archs.value, context.resolved.ptx, gpu.major, gpu.minor)) {
        return;
    }
    context.report("arch/gpu-not-targeted",
                   "the image compiles for " + context.resolved.torch_cuda_arch_list + ", which cannot run on " +
                       gpu_label(gpu) + " ('no kernel image is available for execution on the device')",
                   archs.where, "add \"" + gpu.cc() + "\" to gpu_archs");
}

}  // namespace

std::string gpu_label(const GpuArch& arch)
{
    std::string sm = "sm_" + arch.sm();
    bool named = !arch.written.empty() && arch.written != arch.cc() && arch.written != sm &&
                 arch.written != arch.cc() + arch.suffix;
    return named ? arch.written + " (" + sm + ")" : sm;
}

void check_archs(const CheckContext& context)
{
    check_compilable(context);
    if (context.resolved.gpu_archs.origin == Origin::profile) {
        for (const auto& arch : context.resolved.gpu_archs.value) {
            check_wheel_covers(context, arch, arch.where);
        }
    }
    for (const auto& gpu : context.host.gpus) {
        check_wheel_covers(context, gpu.arch, {});
        check_image_covers(context, gpu.arch);
    }
}

}  // namespace cudagen::checks
