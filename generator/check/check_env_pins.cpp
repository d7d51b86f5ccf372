// conda/* rules over what the user's own files pin (deps/user_pins.hpp), each
// finding at the pin:
// - the environment's python (or a conda build string's pyX.Y) must admit the
//   profile's Python;
// - a CUDA selected in the environment (pytorch-cuda, cudatoolkit, cuda-version,
//   a build string's cudaX.Y) must be the image's CUDA;
// - the pytorch channel must have a build of the pinned pytorch for that CUDA
//   (its own list: it pairs versions differently from pip in places);
// - the framework installed by conda and again by pip;
// - known breakages (user_pins.yaml `breakages`), e.g. old pytorch-channel builds
//   with MKL 2024.1 (pytorch/pytorch#123097).
#include "check/check_context.hpp"

#include "core/text.hpp"
#include "deps/user_pins.hpp"

#include <algorithm>

namespace cudagen::checks {

namespace {

using deps::UserPin;

struct EnvPins {
    const std::vector<UserPin>& all;    // raw.user_pins
    std::vector<std::string> channels;  // the environment's channels, in order
};

std::string file_of(const UserPin& pin)
{
    return pin.shown.substr(0, pin.shown.rfind(':'));
}

const UserPin* find_conda(const EnvPins& pins, std::string_view key)
{
    for (const UserPin& pin : pins.all) {
        if (pin.conda() && pin.spec.key == key) {
            return &pin;
        }
    }
    return nullptr;
}

// The channel a conda package comes from: its "channel::" prefix, else the first of the
// environment's channels that carries it (the pytorch channel before conda-forge and defaults).
bool from_channel(const EnvPins& pins, const UserPin& pin, std::string_view channel)
{
    if (!pin.spec.channel.empty()) {
        return pin.spec.channel == channel;
    }
    for (const std::string& name : pins.channels) {
        if (name == channel) {
            return true;
        }
        if (name == "conda-forge" || name == "defaults") {
            return false;
        }
    }
    return false;
}

void check_python_pins(const CheckContext& context, const EnvPins& pins)
{
    auto python = Version::parse(context.resolved.python.version.value);
    if (!python) {
        return;
    }
    std::string why = context.raw.python.present ? "the profile's python" : context.resolved.python.version.reason;
    for (const UserPin& pin : pins.all) {
        if (!pin.conda()) {
            continue;
        }
        std::optional<bool> admitted;
        std::string what;
        if (pin.spec.key == "python") {
            admitted = deps::spec_admits(pin.spec, *python, true);
            what = "does not admit";
        } else if (auto built = deps::python_of_build(pin.spec.build)) {
            admitted = python->major_minor() == *built;
            what = "is a build for Python " + built->str() + ", not";
        }
        if (admitted.value_or(true)) {
            continue;
        }
        std::string message = pin.text + " in " + file_of(pin) + " " + what;
        message += " Python " + python->str() + " (" + why + ")";
        context.report("conda/python-mismatch", message, pin.where,
                       "pin python=" + python->major_minor().str() + " in " + file_of(pin) +
                           ", or set python: in the profile to the environment's Python");
    }
}

// A CUDA X.Y the environment selects: a CUDA package pinned exactly, or a build string.
std::optional<Version> env_cuda(const CheckContext& context, const UserPin& pin)
{
    if (!pin.conda()) {
        return std::nullopt;
    }
    if (context.tables.user_pins.selects_cuda(pin.spec.key)) {
        auto version = deps::exact_release(pin.spec, true);
        return version ? std::optional<Version>(version->major_minor()) : std::nullopt;
    }
    return deps::cuda_of_pin(pin);
}

void check_cuda_pins(const CheckContext& context, const EnvPins& pins)
{
    Version image = context.cuda.major_minor();
    for (const UserPin& pin : pins.all) {
        auto cuda = env_cuda(context, pin);
        if (!cuda || *cuda == image) {
            continue;
        }
        bool other_major = cuda->major() != image.major();
        std::string message = pin.text + " in " + file_of(pin) + " selects CUDA " + cuda->str() +
                              ", but the image has CUDA " + context.cuda.str();
        message += other_major ? ": two CUDA runtimes of different majors in one process"
                               : ": extensions built with the image's nvcc target another CUDA than the environment's";
        context.report(other_major ? "conda/cuda-pin-mismatch" : "conda/cuda-pin-minor-differs", message, pin.where,
                       "use cuda: \"" + cuda->str() + "\" (or leave cuda out: the pin decides it), or pin " +
                           pin.spec.name + " to " + image.str());
    }
}

std::string versions_text(const std::vector<Version>& versions)
{
    std::vector<std::string> out;
    out.reserve(versions.size());
    for (const auto& version : versions) {
        out.push_back(version.str());
    }
    return join(out, ", ");
}

// The pytorch channel's builds of the pinned pytorch: a CUDA it never built makes the
// solver fail or fall back to a CPU-only build.
void check_channel_builds(const CheckContext& context, const EnvPins& pins)
{
    const UserPin* pytorch = find_conda(pins, "pytorch");
    auto version = pytorch ? deps::exact_release(pytorch->spec, true) : std::nullopt;
    if (!version || !from_channel(pins, *pytorch, "pytorch")) {
        return;
    }
    const CondaTorchBuilds* builds = context.tables.user_pins.pytorch_channel_builds(*version);
    if (!builds || builds->unconfirmed) {
        return;
    }
    for (const char* selector : {"pytorch-cuda", "cudatoolkit"}) {
        const UserPin* pin = find_conda(pins, selector);
        auto cuda = pin ? deps::exact_release(pin->spec, true) : std::nullopt;
        if (!cuda || std::any_of(builds->cuda.begin(), builds->cuda.end(),
                                 [&](const Version& v) { return v == cuda->major_minor(); })) {
            continue;
        }
        context.report("conda/no-such-build",
                       "the pytorch channel has no CUDA " + cuda->major_minor().str() + " build of pytorch " +
                           version->str() + " (its CUDA builds: " + versions_text(builds->cuda) +
                           "): the solver fails or installs a CPU-only pytorch",
                       pin->where,
                       "pin " + std::string(selector) + "=" + builds->cuda.back().str() +
                           " (and the image's cuda to match), or another pytorch release");
    }
}

void check_installed_twice(const CheckContext& context, const EnvPins& pins)
{
    const auto& tables = context.tables.user_pins;
    for (const UserPin& conda : pins.all) {
        const FrameworkPackages* framework = conda.conda() ? tables.framework_of(conda.spec.key, true) : nullptr;
        if (!framework) {
            continue;
        }
        for (const UserPin& pip : pins.all) {
            if (pip.conda() || !pip.installs() || tables.framework_of(pip.spec.key, false) != framework) {
                continue;
            }
            context.report("conda/framework-installed-twice",
                           pip.text + " in " + pip.shown + " installs " + framework->label + " again with pip over " +
                               conda.text + " from conda (" + conda.shown +
                               "): pip replaces conda's files and the two builds' libraries mix",
                           pip.where,
                           "install " + framework->label + " once: remove " + pip.text + ", or remove " + conda.text +
                               " from the conda dependencies");
        }
    }
}

// The framework block installs with pip (channel pip) what the environment already installs with conda.
void check_framework_over_conda(const CheckContext& context, const EnvPins& pins)
{
    const auto& framework = context.resolved.framework;
    if (!framework || framework->channel != "pip") {
        return;
    }
    const FrameworkPackages* packages = context.tables.user_pins.framework(framework->name);
    for (const UserPin& conda : pins.all) {
        if (!packages || !conda.conda() || context.tables.user_pins.framework_of(conda.spec.key, true) != packages) {
            continue;
        }
        context.report("conda/framework-installed-twice",
                       conda.text + " in " + file_of(conda) + " installs " + packages->label +
                           " with conda, and the framework block installs " + context.framework_label() +
                           " again with pip: pip replaces conda's files and the two builds' libraries mix",
                       conda.where,
                       "set framework.channel: conda (the environment installs it), or remove " + conda.text +
                           " from the conda dependencies");
    }
}

void check_breakages(const CheckContext& context, const EnvPins& pins)
{
    for (const KnownBreakage& breakage : context.tables.user_pins.breakages) {
        const UserPin* package = find_conda(pins, breakage.package);
        auto version = package ? deps::exact_release(package->spec, true) : std::nullopt;
        if (!version || !from_channel(pins, *package, breakage.channel) || !(*version < breakage.below)) {
            continue;
        }
        const UserPin* needs = find_conda(pins, breakage.needs);
        if (needs && !deps::spec_admits(needs->spec, breakage.broken_from, true).value_or(true)) {
            continue;  // pinned below the broken release
        }
        std::string how =
            needs ? needs->text + " (" + needs->shown + ") admits " + breakage.needs + " " +
                        breakage.broken_from.str() + " or newer"
                  : breakage.needs + " is not pinned, so the solver picks " + breakage.broken_from.str() + " or newer";
        context.report("conda/known-breakage",
                       package->text + " from the " + breakage.channel + " channel with " + how + ": " +
                           breakage.symptom + " (" + breakage.reference + ")",
                       needs ? needs->where : package->where,
                       "pin " + breakage.fixed_pin + " in the conda dependencies of " + file_of(*package));
    }
}

}  // namespace

void check_env_pins(const CheckContext& context)
{
    const deps::DependencySet& set = context.raw.dependencies;
    EnvPins pins{context.raw.user_pins, {}};
    if (set.conda) {
        for (const auto& channel : set.conda->channels) {
            pins.channels.push_back(channel.value);
        }
    }
    check_python_pins(context, pins);
    check_cuda_pins(context, pins);
    check_channel_builds(context, pins);
    check_installed_twice(context, pins);
    check_framework_over_conda(context, pins);
    check_breakages(context, pins);
}

}  // namespace cudagen::checks
