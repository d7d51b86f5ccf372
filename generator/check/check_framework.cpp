// compat/* and framework/* and python/*: the framework build must match the
// image's CUDA, the Python must be one the framework ships wheels for, and
// pinned companions must be the ones paired with the framework release.
#include "check/check_context.hpp"

#include "core/text.hpp"

#include <filesystem>

namespace cudagen::checks {

namespace {

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
    auto python = Version::parse(context.resolved.python.version.value);
    if (!context.rows || !python) {
        return;
    }
    const PythonRange range = context.rows->python_range();
    std::string label = context.framework_label();
    SourceLocation where =
        context.raw.python.present ? context.raw.python.where : context.resolved.python.version.where;
    bool minimum_only = context.rows->python_minimum_only();
    std::string range_text = minimum_only ? ">= " + range.min.str() : range.str();
    if (!range.contains(*python)) {
        context.report("python/out-of-range",
                       "Python " + python->str() + " is outside " + label + "'s range " + range_text, where,
                       python_fix(context, minimum_only ? range.min.str() : range.max.str()));
    } else if (range.experimental_only(*python)) {
        context.report("python/experimental",
                       label + " supports Python " + python->str() +
                           " only experimentally (stable: " + range.min.str() + "-" + range.max.str() + ")",
                       where, "use python: \"" + range.max.str() + "\"");
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

void report_unchecked(const CheckContext& context)
{
    const ResolvedFramework& framework = *context.resolved.framework;
    const Framework& unit = *framework.unit;
    const std::string newest = unit.known_versions(context.tables).back().str();
    context.report(
        "framework/unchecked",
        context.framework_label() + " is not in cudagen's tables (PyPI read " + unit.pypi(context.tables).read +
            ", newest known " + newest + "): its wheel, Python range and GPU archs are not checked",
        framework.version.where, "update cudagen to check it, or use " + std::string(unit.package()) + " " + newest);
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
    if (context.rows) {
        context.rows->check_cuda(context);
    }
    check_python(context);
    check_pip_pins(context);
}

}  // namespace cudagen::checks
