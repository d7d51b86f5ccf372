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

struct Target {
    GpuArch arch;
    SourceLocation where;
};

bool has_platform(const CheckContext& context, std::string_view platform)
{
    const auto& platforms = context.resolved.platforms.value;
    return std::find(platforms.begin(), platforms.end(), platform) != platforms.end();
}

SourceLocation platforms_where(const CheckContext& context)
{
    return context.raw.platforms.empty() ? context.cuda_where() : context.resolved.platforms.where;
}

// The GPUs the image must run on: gpu_archs the profile writes, and every --gpu.
std::vector<Target> gpu_targets(const CheckContext& context)
{
    std::vector<Target> out;
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

void check_jetson(const CheckContext& context, const Target& target, const JetsonBase& base)
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

void check_jetsons(const CheckContext& context, const std::vector<Target>& targets)
{
    std::set<std::string> reported;
    for (const auto& target : targets) {
        const JetsonBase* base = context.tables.jetson_base(target.arch.major, target.arch.minor);
        if (base && reported.insert(target.arch.cc()).second) {
            check_jetson(context, target, *base);
        }
    }
}

std::string first_arm64_torch(const CheckContext& context)
{
    auto oldest = std::min_element(context.tables.torch_arm64.begin(), context.tables.torch_arm64.end(),
                                   [](const TorchArm64Wheel& a, const TorchArm64Wheel& b) { return a.from < b.from; });
    return oldest == context.tables.torch_arm64.end() ? "" : oldest->from.str();
}

// Another CUDA variant of the same torch release that has an aarch64 wheel.
std::string arm64_variant_fix(const CheckContext& context)
{
    for (auto variant = context.torch->variants.rbegin(); variant != context.torch->variants.rend(); ++variant) {
        if (context.tables.torch_arm64_wheel(context.torch->version, variant->name)) {
            return "use the " + variant->name + " wheel (cuda: \"" + variant->cuda.str() + "\"), or drop linux/arm64";
        }
    }
    return "use torch " + first_arm64_torch(context) +
           " or newer (the first with aarch64 CUDA wheels), or drop linux/arm64";
}

void check_torch_arm64(const CheckContext& context, const std::vector<Target>& targets)
{
    const TorchArm64Wheel* wheel =
        context.tables.torch_arm64_wheel(context.torch->version, context.torch_variant->name);
    if (!wheel) {
        context.report("platform/no-arm64-wheel",
                       context.framework_label() + " has no " + context.torch_variant->name +
                           " CUDA wheel for linux/arm64 (PyPI's aarch64 torch is CPU-only)",
                       platforms_where(context), arm64_variant_fix(context));
        return;
    }
    std::vector<GpuArch> archs;
    for (const auto& cc : wheel->arch_list) {
        if (auto arch = parse_compute_capability(cc)) {
            archs.push_back(*arch);
        }
    }
    for (const auto& target : targets) {
        if (!runs_on(archs, wheel->ptx, target.arch.major, target.arch.minor) &&
            !context.tables.jetson_base(target.arch.major, target.arch.minor)) {
            context.report("arch/not-in-wheel",
                           context.framework_label() + " " + wheel->variant + " for linux/arm64 has no kernels for " +
                               gpu_label(target.arch) + ": its aarch64 wheel has " + join(wheel->arch_list, ";") +
                               (wheel->ptx ? "+PTX" : " without PTX"),
                           target.where, "build this GPU's image for linux/amd64 only");
        }
    }
}

void check_arm64_wheels(const CheckContext& context, const std::vector<Target>& targets)
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
    if (context.torch && context.torch_variant) {
        check_torch_arm64(context, targets);
    }
}

}  // namespace

void check_platform(const CheckContext& context)
{
    std::vector<Target> targets = gpu_targets(context);
    check_jetsons(context, targets);
    check_arm64_wheels(context, targets);
}

}  // namespace cudagen::checks
