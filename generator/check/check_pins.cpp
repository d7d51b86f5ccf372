// framework/pinned-*: what the user pins in pip.packages, in requirements files
// (includes followed, read by deps/) and in a conda environment must agree
// with what cudagen resolved. An exact framework pin is adopted as the
// framework before resolve (resolve/adopt_pins.cpp); a range pin without a
// framework block is reported. A +cuXYZ local version or a .../whl/cuXYZ index
// names a CUDA build that must be the image's (and, for torch, the wheel cudagen
// installs). Every finding sits where the pin is written.
#include "check/check_context.hpp"

#include "deps/user_pins.hpp"
#include "frameworks/registry.hpp"

namespace cudagen::checks {

namespace {

using deps::PinSource;
using deps::UserPin;

std::string file_label(const UserPin& pin)
{
    return pin.shown.substr(0, pin.shown.rfind(':'));
}

// The newest release the tables know that a range admits: what an exact pin would say.
std::string newest_admitted(const CheckContext& context, const FrameworkPackages& framework, const UserPin& pin)
{
    const Framework* unit = find_framework(context.tables.frameworks, framework.framework);
    if (!unit) {
        return {};
    }
    std::vector<Version> known = unit->known_versions(context.tables);
    for (auto version = known.rbegin(); version != known.rend(); ++version) {
        if (deps::spec_admits(pin.spec, *version, pin.conda()).value_or(false)) {
            return version->str();
        }
    }
    return {};
}

// A range pin (an exact one is adopted as the framework before resolve).
void check_unframed_pin(const CheckContext& context, const UserPin& pin)
{
    const FrameworkPackages* framework = context.tables.user_pins.framework_of(pin.spec.key, pin.conda());
    if (context.resolved.framework || !framework || pin.spec.specifier.empty()) {
        return;
    }
    std::string newest = newest_admitted(context, *framework, pin);
    std::string version = newest.empty() ? "X.Y.Z" : newest;
    context.report("framework/pinned-without-framework",
                   pin.text + " in " + file_label(pin) + " is not checked: the profile has no framework, so CUDA " +
                       context.cuda.str() + " was picked without it",
                   pin.where,
                   "pin one release (" + framework->label + (pin.conda() ? "=" : "==") + version +
                       " is adopted as the framework), or declare it: framework: {name: " + framework->framework +
                       ", version: \"" + version + "\"}");
}

// pip.packages pins are compared by check_framework, the conda environment by check_conda.
void check_requirements_pin(const CheckContext& context, const UserPin& pin)
{
    if (pin.source != PinSource::requirements && pin.source != PinSource::constraints) {
        return;
    }
    if (pin.spec.key.empty()) {
        return;
    }
    std::string pinned = pinned_version(context, pin.spec.key);
    if (pinned.empty() || pin_agrees(pin.spec.op, pin.spec.version, pinned, pin.spec.key)) {
        return;
    }
    context.report("framework/companion-mismatch",
                   pin.text + " in " + file_label(pin) + " conflicts with " + context.framework_label() +
                       ", which pairs with " + pin.spec.key + " " + pinned,
                   pin.where,
                   "remove the pin (cudagen pins " + pin.spec.key + "==" + pinned + ") or change framework.version");
}

// A CPU-only build ("+cpu", ".../whl/cpu", conda's cpuonly or a "cpu" build string) in a CUDA image.
bool cpu_only(const UserPin& pin)
{
    if (!pin.index.empty()) {
        return pin.index.ends_with("/whl/cpu") || pin.index.ends_with("/whl/cpu/");
    }
    if (pin.conda()) {
        return pin.spec.key == "cpuonly" || pin.spec.build.find("_cpu") != std::string::npos ||
               pin.spec.build.starts_with("cpu");
    }
    return pin.spec.local == "cpu";
}

void check_cpu_pin(const CheckContext& context, const UserPin& pin)
{
    if (!cpu_only(pin)) {
        return;
    }
    context.report("framework/pinned-cpu-build",
                   pin.text + " in " + file_label(pin) + " installs a CPU-only build into the CUDA " +
                       context.cuda.str() + " image: torch.cuda.is_available() is False",
                   pin.where,
                   pin.conda() ? "remove it; pytorch-cuda=X.Y selects the CUDA build"
                               : "use the CUDA build (drop +cpu and the /whl/cpu index; cudagen picks the wheel)");
}

void check_cuda_tag(const CheckContext& context, const UserPin& pin)
{
    auto tagged = pin.conda() ? std::nullopt : deps::cuda_of_pin(pin);
    if (!tagged) {
        return;
    }
    std::string tag = "cu" + std::to_string(tagged->major()) + std::to_string(tagged->minor());
    if (tagged->major() != context.cuda.major()) {
        context.report("framework/pinned-cuda-mismatch",
                       pin.text + " in " + file_label(pin) + " is a CUDA " + tagged->str() +
                           " build, but the image has CUDA " + context.cuda.str(),
                       pin.where, "use cuda: \"" + tagged->str() + "\" (or leave cuda out: the pin decides it)");
        return;
    }
    const auto& framework = context.resolved.framework;
    bool local_tag = framework && framework->unit->variant_is_local_tag() && !framework->cuda_variant.value.empty();
    if (local_tag && framework->cuda_variant.value != tag) {
        context.report("framework/pinned-cuda-mismatch",
                       pin.text + " in " + file_label(pin) + " is the " + tag + " build, but cudagen installs " +
                           context.framework_label() + " " + framework->cuda_variant.value + " for the CUDA " +
                           context.cuda.str() + " image",
                       pin.where, "use cuda: \"" + tagged->str() + "\", or drop the " + tag + " pin and index");
    }
}

}  // namespace

void check_pins(const CheckContext& context)
{
    const RawProfile& raw = context.raw;
    for (const UserPin& pin : raw.user_pins) {
        check_unframed_pin(context, pin);
        check_requirements_pin(context, pin);
        check_cuda_tag(context, pin);
        check_cpu_pin(context, pin);
    }
}

}  // namespace cudagen::checks
