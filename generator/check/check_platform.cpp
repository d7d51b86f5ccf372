// platform/*: where the image can run. Jetson (Tegra) GPUs cannot run SBSA
// nvidia/cuda images (Thor can from CUDA 13.0 on), and framework wheels for
// linux/arm64 exist only for some releases, each with its own arch list.
#include "check/check_context.hpp"

#include "core/text.hpp"
#include "knowledge/gpu_arch.hpp"

#include <algorithm>
#include <set>

namespace cudagen::checks {

namespace {

bool has_platform(const CheckContext& context, std::string_view platform)
{
    const auto& platforms = context.resolved.platforms.value;
    return std::find(platforms.begin(), platforms.end(), platform) != platforms.end();
}

// The GPUs the image must run on: gpu_archs the profile writes, and every --gpu.
std::vector<GpuTarget> gpu_targets(const CheckContext& context)
{
    std::vector<GpuTarget> out;
    if (context.resolved.gpu_archs.origin == Origin::profile) {
        for (const auto& arch : context.resolved.gpu_archs.value) {
            out.push_back({arch, arch.where.known() ? arch.where : context.resolved.gpu_archs.where});
        }
    }
    for (const auto& gpu : context.host.gpus) {
        out.push_back({gpu.arch, {}});
    }
    return out;
}

void check_jetson(const CheckContext& context, const GpuTarget& target, const JetsonBase& base)
{
    std::string label = gpu_label(target.arch);
    if (!base.sbsa_from_cuda) {
        context.report(
            "platform/jetson-not-sbsa",
            label +
                " is a Jetson (Tegra) GPU: nvidia/cuda images are built for x86_64 and SBSA Arm servers and do "
                "not run on it",
            target.where, "build on " + base.base + "; cudagen generates nvidia/cuda-based images only");
        return;
    }
    if (context.cuda.major_minor() < *base.sbsa_from_cuda) {
        context.report("platform/jetson-not-sbsa",
                       label + " runs SBSA nvidia/cuda images only from CUDA " + base.sbsa_from_cuda->str() +
                           " (JetPack 7); the image has CUDA " + context.cuda.str(),
                       target.where, "use cuda: \"" + base.sbsa_from_cuda->str() + "\" or newer");
        return;
    }
    if (!has_platform(context, "linux/arm64")) {
        context.report("platform/jetson-needs-arm64", label + " is an arm64 device, but platforms has no linux/arm64",
                       platforms_where(context), "add linux/arm64 to platforms");
    }
}

void check_jetsons(const CheckContext& context, const std::vector<GpuTarget>& targets)
{
    std::set<std::string> reported;
    for (const auto& target : targets) {
        const JetsonBase* base = context.tables.jetson_base(target.arch.major, target.arch.minor);
        if (base && reported.insert(target.arch.cc()).second) {
            check_jetson(context, target, *base);
        }
    }
}

void check_arm64_wheels(const CheckContext& context, const std::vector<GpuTarget>& targets)
{
    if (!has_platform(context, "linux/arm64") || !context.resolved.framework) {
        return;
    }
    const std::string& name = context.resolved.framework->name;
    if (context.tables.cpu_only_arm64.contains(name)) {
        context.report(
            "platform/no-arm64-wheel",
            context.framework_label() + " has no CUDA wheels for linux/arm64: its aarch64 wheels on PyPI are CPU-only",
            platforms_where(context), "drop linux/arm64 from platforms");
        return;
    }
    if (context.rows) {
        context.rows->check_arm64(context, targets);
    }
}

}  // namespace

SourceLocation platforms_where(const CheckContext& context)
{
    return context.raw.platforms.empty() ? context.cuda_where() : context.resolved.platforms.where;
}

void check_platform(const CheckContext& context)
{
    std::vector<GpuTarget> targets = gpu_targets(context);
    check_jetsons(context, targets);
    check_arm64_wheels(context, targets);
}

}  // namespace cudagen::checks
