// compat/* and framework/* and python/*: the framework build must match the
// image's CUDA, the Python must be one the framework ships wheels for, and
// pinned companions must be the ones paired with the framework release.
#include "check/check_context.hpp"

#include "core/text.hpp"

#include <filesystem>

namespace cudagen::checks {

namespace {

std::string variant_names(const TorchRelease& release)
{
    std::vector<std::string> names;
    for (const auto& variant : release.variants) {
        names.push_back(variant.name);
    }
    return join(names, ", ");
}

// Oldest torch release with a wheel of CUDA `major`.
const TorchRelease* first_torch_with_major(const CheckContext& context, int major)
{
    for (const auto& release : context.tables.torch) {
        for (const auto& variant : release.variants) {
            if (variant.cuda.major() == major) {
                return &release;
            }
        }
    }
    return nullptr;
}

void check_torch_wheel(const CheckContext& context)
{
    const TorchVariant& variant = *context.torch_variant;
    std::string image_xy = context.cuda.major_minor().str();
    if (variant.cuda.major() != context.cuda.major()) {
        const TorchRelease* newer = first_torch_with_major(context, context.cuda.major());
        std::string fix = "use cuda: \"" + variant.cuda.str() + "\" (" + variant.name + ")";
        if (newer) {
            fix += ", or torch " + newer->patches.back().version.str() + " or newer for CUDA " +
                   std::to_string(context.cuda.major());
        }
        context.report("compat/torch-no-wheel-for-cuda",
                       context.framework_label() + " has no wheel for CUDA " + image_xy +
                           " (its wheels: " + variant_names(*context.torch) + ")",
                       context.cuda_where(), fix);
        return;
    }
    if (variant.cuda != context.cuda.major_minor() && context.raw.cuda.present) {
        context.report(
            "compat/torch-cuda-minor-differs",
            context.framework_label() + " has no cu" + std::to_string(context.cuda.major()) +
                std::to_string(context.cuda.minor()) + " wheel; its " + variant.name + " wheel (CUDA " +
                variant.cuda.str() + ") will run on the CUDA " + context.cuda.str() + " image",
            context.cuda_where(),
            "set cuda: \"" + variant.cuda.str() + "\" so extensions build with torch's CUDA, or leave cuda out");
    }
}

void check_tensorflow_cuda(const CheckContext& context)
{
    const TensorflowRelease& release = *context.tensorflow;
    bool same_major = release.cuda.major() == context.cuda.major();
    std::string label = context.framework_label();
    if (release.pip_cuda) {
        if (!same_major) {
            context.report("framework/two-cuda-runtimes",
                           label + " brings CUDA " + release.cuda.str() + " pip libraries into a CUDA " +
                               context.cuda.str() + " image: two CUDA runtimes in one process",
                           context.cuda_where(), "use cuda: \"" + release.cuda.str() + "\" or leave cuda out");
        }
        return;
    }
    if (!same_major || context.cuda.major_minor() < release.cuda) {
        context.report("compat/tensorflow-cuda-mismatch",
                       label + " is built for CUDA " + release.cuda.str() +
                           " and loads the image's libraries, but the image has CUDA " + context.cuda.str(),
                       context.cuda_where(), "use cuda: \"" + release.cuda.str() + "\" or leave cuda out");
    }
    if (!context.resolved.cudnn.value) {
        context.report("compat/tensorflow-needs-cudnn",
                       label + " needs cuDNN " + release.cudnn + " from the image, but cudnn is false",
                       context.resolved.cudnn.where.known() ? context.resolved.cudnn.where : context.framework_where(),
                       "set cudnn: true, or use tensorflow 2.14 or newer (tensorflow[and-cuda])");
    }
}

void check_jax_cuda(const CheckContext& context)
{
    const JaxExtra* extra = context.jax_extra;
    std::string label = context.framework_label();
    if (!extra || extra->cuda_major != context.cuda.major()) {
        context.report("compat/jax-no-wheel-for-cuda",
                       label + " has no CUDA " + std::to_string(context.cuda.major()) +
                           " wheels (extras: " + join(context.jax->extras, ", ") + ")",
                       context.cuda_where(),
                       extra ? "use a CUDA " + std::to_string(extra->cuda_major) + " image (leave cuda out)"
                             : "use jax 0.4.26 or newer");
        return;
    }
    if (context.cuda.major_minor() < extra->min_cuda) {
        context.report("compat/jax-no-wheel-for-cuda",
                       "jax[" + extra->name + "] needs CUDA " + extra->min_cuda.str() + " or newer; the image has " +
                           context.cuda.str(),
                       context.cuda_where(), "use cuda: \"" + extra->min_cuda.str() + "\" or newer");
    }
}

// Where the Python is written: the profile's python, or the conda environment's pin it was adopted from.
std::string python_fix(const CheckContext& context, const std::string& python)
{
    const PinnedValue& pinned = context.raw.pinned.python;
    if (context.raw.python.present || !pinned.value.present) {
        return "use python: \"" + python + "\", or leave python out";
    }
    std::string file = std::filesystem::path(pinned.value.where.file).filename().string();
    return "pin python=" + python + " in " + file + " (or set python: in the profile)";
}

void check_python(const CheckContext& context)
{
    const TorchPatch* patch =
        context.torch ? context.torch->patch(*Version::parse(context.resolved.framework->version.value)) : nullptr;
    auto range = framework_python_range(context.torch, context.tensorflow, context.jax, patch);
    auto python = Version::parse(context.resolved.python.version.value);
    if (!range || !python) {
        return;
    }
    std::string label = context.framework_label();
    SourceLocation where =
        context.raw.python.present ? context.raw.python.where : context.resolved.python.version.where;
    bool jax = context.jax != nullptr;
    std::string range_text = jax ? ">= " + range->min.str() : range->str();
    if (!range->contains(*python)) {
        context.report("python/out-of-range",
                       "Python " + python->str() + " is outside " + label + "'s range " + range_text, where,
                       python_fix(context, jax ? range->min.str() : range->max.str()));
    } else if (range->experimental_only(*python)) {
        context.report("python/experimental",
                       label + " supports Python " + python->str() +
                           " only experimentally (stable: " + range->min.str() + "-" + range->max.str() + ")",
                       where, "use python: \"" + range->max.str() + "\"");
    }
}

void check_pip_pins(const CheckContext& context)
{
    for (const auto& package : context.raw.pip_packages) {
        Requirement requirement = parse_pip_requirement(package.value);
        std::string pinned = pinned_version(context, requirement.name);
        if (pinned.empty() || pin_agrees(requirement.op, requirement.version, pinned, requirement.name)) {
            continue;
        }
        context.report(
            "framework/companion-mismatch",
            package.value + " in pip.packages conflicts with " + context.framework_label() + ", which pairs with " +
                requirement.name + " " + pinned,
            package.where,
            "remove the pin (cudagen pins " + requirement.name + "==" + pinned + ") or change framework.version");
    }
}

std::string newest_known(const CheckContext& context, const std::string& name)
{
    const KnowledgeTables& tables = context.tables;
    if (name == "pytorch") {
        return tables.torch.back().patches.back().version.str();
    }
    if (name == "tensorflow") {
        return tables.tensorflow.front().version.str();
    }
    return tables.jax.back().version.str();
}

const PypiReleases& pypi_releases(const CheckContext& context, const std::string& name)
{
    return name == "pytorch"      ? context.tables.torch_pypi
           : name == "tensorflow" ? context.tables.tensorflow_pypi
                                  : context.tables.jax_pypi;
}

void report_unchecked(const CheckContext& context)
{
    const ResolvedFramework& framework = *context.resolved.framework;
    context.report(
        "framework/unchecked",
        context.framework_label() + " is not in cudagen's tables (PyPI read " +
            pypi_releases(context, framework.name).read + ", newest known " + newest_known(context, framework.name) +
            "): its wheel, Python range and GPU archs are not checked",
        framework.version.where,
        "update cudagen to check it, or use " + (framework.name == "pytorch" ? std::string("torch") : framework.name) +
            " " + newest_known(context, framework.name));
}

}  // namespace

void check_framework(const CheckContext& context)
{
    if (!context.resolved.framework) {
        return;
    }
    if (context.resolved.framework->unchecked) {
        report_unchecked(context);
        return;
    }
    if (context.torch_variant) {
        check_torch_wheel(context);
    }
    if (context.tensorflow) {
        check_tensorflow_cuda(context);
    }
    if (context.jax) {
        check_jax_cuda(context);
    }
    check_python(context);
    check_pip_pins(context);
}

}  // namespace cudagen::checks
