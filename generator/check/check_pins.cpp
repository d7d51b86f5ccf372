// framework/pinned-*: what the user pins in pip.packages, in requirements files
// (includes followed, read by deps/) and in a conda environment's pip section
// must agree with what cudagen resolved. A framework pinned there without a
// framework block was never checked; a +cuXYZ local version or a .../whl/cuXYZ
// index names a CUDA build that must be the image's (and, for torch, the wheel
// cudagen installs). Every finding sits where the pin is written.
#include "check/check_context.hpp"

#include "deps/dependencies.hpp"

#include <cctype>
#include <filesystem>
#include <map>

namespace cudagen::checks {

namespace {

struct Pin {
    std::string text;    // "torch==1.13.1+cu117" or "--extra-index-url https://.../whl/cu117"
    std::string origin;  // "pip.packages", "requirements.txt", ...
    deps::PackageSpec spec;
    SourceLocation where;
    bool from_requirements = false;  // a requirements file (not pip.packages, not the conda pip section)
};

std::string file_name(const SourceLocation& where)
{
    return std::filesystem::path(where.file).filename().string();
}

std::vector<Pin> collect_pins(const CheckContext& context)
{
    std::vector<Pin> pins;
    for (const auto& package : context.raw.pip_packages) {
        pins.push_back({package.value, "pip.packages",
                        deps::parse_pip_spec(package.value).value_or(deps::PackageSpec{}), package.where});
    }
    for (const auto& url : context.raw.pip_extra_index_urls) {
        pins.push_back({url.value, "pip.extra_index_urls", {}, url.where});
    }
    const deps::DependencySet& set = context.raw.dependencies;
    for (const deps::PipEntry& entry : set.requirements.entries) {
        pins.push_back({entry.text, file_name(entry.where), entry.spec, entry.where, !entry.constraint});
    }
    for (const deps::PipOption* option : set.pip_options()) {
        if (option->kind == deps::PipOptionKind::index_url || option->kind == deps::PipOptionKind::extra_index_url) {
            pins.push_back({option->name + " " + option->value, file_name(option->where), {}, option->value_where});
        }
    }
    return pins;
}

std::optional<Version> cuda_of_digits(std::string_view digits)
{
    if (digits.size() == 3) {
        return Version({(digits[0] - '0') * 10 + (digits[1] - '0'), digits[2] - '0'});
    }
    if (digits.size() == 2) {
        return Version({digits[0] - '0', digits[1] - '0'});
    }
    return std::nullopt;
}

// "cu117" as a local version ("+cu117") or an index folder (".../whl/cu117") -> CUDA 11.7.
std::optional<Version> cuda_of_pin(const Pin& pin)
{
    std::string_view text = pin.spec.local.empty() ? std::string_view(pin.text) : std::string_view(pin.spec.local);
    std::string_view marker = pin.spec.local.empty() ? "/whl/cu" : "cu";
    std::size_t at = text.find(marker);
    if (at == std::string_view::npos || (!pin.spec.local.empty() && at != 0)) {
        return std::nullopt;
    }
    std::size_t start = at + marker.size();
    std::size_t end = start;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) {
        ++end;
    }
    return cuda_of_digits(text.substr(start, end - start));
}

const std::map<std::string, std::string> k_framework_packages = {
    {"torch", "pytorch"}, {"tensorflow", "tensorflow"}, {"jax", "jax"}};

void check_unframed_pin(const CheckContext& context, const Pin& pin)
{
    auto framework = k_framework_packages.find(pin.spec.key);
    if (context.resolved.framework || framework == k_framework_packages.end() || pin.spec.version.empty()) {
        return;
    }
    context.report("framework/pinned-without-framework",
                   pin.text + " in " + pin.origin + " is not checked: the profile has no framework, so CUDA " +
                       context.cuda.str() + " was picked without it",
                   pin.where,
                   "declare it: framework: {name: " + framework->second + ", version: \"" + pin.spec.version + "\"}");
}

// pip.packages pins are compared by check_framework, the conda pip section by check_conda.
void check_requirements_pin(const CheckContext& context, const Pin& pin)
{
    if (!pin.from_requirements || pin.spec.key.empty()) {
        return;
    }
    std::string pinned = pinned_version(context, pin.spec.key);
    if (pinned.empty() || pin_agrees(pin.spec.op, pin.spec.version, pinned, pin.spec.key)) {
        return;
    }
    context.report("framework/companion-mismatch",
                   pin.text + " in " + pin.origin + " conflicts with " + context.framework_label() +
                       ", which pairs with " + pin.spec.key + " " + pinned,
                   pin.where,
                   "remove the pin (cudagen pins " + pin.spec.key + "==" + pinned + ") or change framework.version");
}

void check_cuda_tag(const CheckContext& context, const Pin& pin)
{
    auto tagged = cuda_of_pin(pin);
    if (!tagged) {
        return;
    }
    std::string tag = "cu" + std::to_string(tagged->major()) + std::to_string(tagged->minor());
    const auto& framework = context.resolved.framework;
    if (framework && framework->name == "pytorch" && !framework->cuda_variant.value.empty()) {
        if (framework->cuda_variant.value != tag) {
            context.report("framework/pinned-cuda-mismatch",
                           pin.text + " in " + pin.origin + " is the " + tag + " build, but cudagen installs " +
                               context.framework_label() + " " + framework->cuda_variant.value + " for the CUDA " +
                               context.cuda.str() + " image",
                           pin.where, "use cuda: \"" + tagged->str() + "\", or drop the " + tag + " pin and index");
        }
        return;
    }
    if (tagged->major() != context.cuda.major()) {
        context.report("framework/pinned-cuda-mismatch",
                       pin.text + " in " + pin.origin + " is a CUDA " + tagged->str() +
                           " build, but the image has CUDA " + context.cuda.str(),
                       pin.where, "use cuda: \"" + tagged->str() + "\"");
    }
}

}  // namespace

void check_pins(const CheckContext& context)
{
    for (const Pin& pin : collect_pins(context)) {
        check_unframed_pin(context, pin);
        check_requirements_pin(context, pin);
        check_cuda_tag(context, pin);
    }
}

}  // namespace cudagen::checks
