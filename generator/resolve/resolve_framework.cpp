// The framework: its unit (frameworks/registry.cpp) by name, the pinned version and
// the rows the unit chose for it, then (once CUDA is known) what the unit resolves
// from those rows. Nothing here knows one framework from another.
#include "resolve/resolve_versions_detail.hpp"

#include "core/text.hpp"
#include "frameworks/registry.hpp"

#include <algorithm>

namespace cudagen::detail {

namespace {

constexpr const char* k_unknown_version = "framework/unknown-version";

bool on_pypi(const PypiReleases& pypi, const Version& wanted)
{
    return std::any_of(pypi.versions.begin(), pypi.versions.end(),
                       [&](const Version& v) { return wanted.size() == 2 ? v.starts_with(wanted) : v == wanted; });
}

// A release newer than the tables: on PyPI but without rows, or newer than every
// release read. With `cuda` stated the profile goes on, the framework rows unchecked.
bool newer_than_tables(VersionContext& context, const Version& wanted, const std::vector<Version>& known)
{
    const RawFramework& raw = *context.raw.framework;
    const PypiReleases& pypi = context.unit->pypi(context.tables);
    const std::string label(context.unit->package());
    const std::string newest = known.back().str();
    const std::string read = pypi.read.empty() ? "unknown" : pypi.read;
    std::string what = on_pypi(pypi, wanted)
                           ? label + " " + raw.version.value + " is on PyPI (read " + read +
                                 ") but not in cudagen's tables (newest known: " + newest + ")"
                           : label + " " + raw.version.value + " is newer than cudagen's tables (PyPI read " + read +
                                 "; newest known: " + newest + ")";
    if (context.raw.cuda.present) {
        ResolvedFramework& framework = *context.out.framework;
        framework.version = resolved(raw.version.value, Origin::profile,
                                     what + ": its wheel, Python range and GPU archs are unchecked", raw.version.where);
        framework.pinned = wanted;
        framework.unchecked = true;
        return true;
    }
    context.diagnostics.error(k_unknown_version, what, raw.version.where,
                              "update cudagen (newer tables), or state cuda: in the profile to build " + label + " " +
                                  raw.version.value + " with unchecked framework rows, or use " + label + " " + newest);
    return false;
}

// "pytorch, tensorflow or jax"
std::string names_text(const std::vector<std::string>& names)
{
    if (names.size() < 2) {
        return join(names, "");
    }
    std::vector<std::string> head(names.begin(), names.end() - 1);
    return join(head, ", ") + " or " + names.back();
}

}  // namespace

std::string pip_pin(const std::string& name, const std::string& version)
{
    return name + "==" + version;
}

std::string conda_pin(const std::string& name, const std::string& version)
{
    return name + "=" + version;
}

bool report_unknown_version(VersionContext& context, const Version& wanted, const std::vector<Version>& known)
{
    if (wanted > known.back() || on_pypi(context.unit->pypi(context.tables), wanted)) {
        return newer_than_tables(context, wanted, known);
    }
    const RawFramework& raw = *context.raw.framework;
    const std::string label(context.unit->package());
    std::string newest = known.back().str();
    auto hint = nearest_version(wanted, known);
    std::string fix = hint ? "did you mean '" + hint->str() + "'? " : "";
    fix += "use a version cudagen knows (e.g. " + newest + ")";
    context.diagnostics.error(k_unknown_version,
                              label + " " + raw.version.value + " is not in the " + std::string(context.unit->title()) +
                                  " table (known: " + known.front().str() + " to " + newest + ")",
                              raw.version.where, fix);
    return false;
}

bool reject_companions(VersionContext& context)
{
    for (const auto& companion : context.raw.framework->with) {
        context.diagnostics.error(
            "framework/unknown-companion",
            "'" + companion.value + "' is not a companion cudagen pins for " + context.out.framework->name,
            companion.where, "list it under pip.packages with a version");
    }
    return context.raw.framework->with.empty();
}

bool resolve_framework_version(VersionContext& context)
{
    if (!context.raw.framework) {
        return true;
    }
    const RawFramework& raw = *context.raw.framework;
    std::string name = to_lower(raw.name.value);
    context.unit = find_framework(context.tables.frameworks, name);
    if (!context.unit) {
        std::vector<std::string> names = framework_names(context.tables.frameworks);
        context.diagnostics.error("framework/unknown-name",
                                  "unknown framework '" + raw.name.value + "'" + did_you_mean(name, names),
                                  raw.name.where, "use " + names_text(names));
        return false;
    }
    ResolvedFramework& framework = context.out.framework.emplace();
    framework.name = name;
    framework.unit = context.unit;
    framework.channel = raw.channel.present ? raw.channel.value : "pip";
    framework.where = raw.where;
    std::string text = raw.version.present ? raw.version.value : context.unit->default_version(context.tables).str();
    auto wanted = Version::parse(text);
    if (!wanted || wanted->size() < 2 || wanted->size() > 3) {
        context.diagnostics.error(k_unknown_version, "'" + text + "' is not a " + name + " version (X.Y or X.Y.Z)",
                                  raw.version.where, "write the version as X.Y or X.Y.Z, e.g. \"2.3.1\"");
        return false;
    }
    bool ok = context.unit->choose(context, *wanted);
    framework.rows = context.choice;
    if (ok && !raw.pinned_by.empty()) {
        const std::string& why = framework.version.reason;
        framework.version.reason =
            "pinned by " + raw.pinned_by + (why == "as written in the profile" ? "" : "; " + why);
    }
    if (ok && !raw.version.present) {
        framework.version.origin = Origin::default_value;
        framework.version.reason = "newest " + name + " release in the tables";
        framework.version.where = raw.where;
    }
    return ok;
}

const ImageRelease* framework_cuda(const VersionContext& context, std::string& reason)
{
    return context.choice ? context.choice->pick_cuda(context, reason) : nullptr;
}

// A release newer than the tables, with `cuda` stated: the wheel for that CUDA,
// nothing else known.
bool resolve_unchecked_details(VersionContext& context)
{
    ResolvedFramework& framework = *context.out.framework;
    Version cuda = Version::parse(context.out.cuda.value)->major_minor();
    framework.cuda_version = cuda.str();
    framework.index_url = resolved(std::string(), Origin::default_value, framework.name + " comes from PyPI");
    context.unit->resolve_unchecked(context, cuda);
    return reject_companions(context);
}

bool resolve_framework_details(VersionContext& context)
{
    if (!context.out.framework) {
        return true;
    }
    if (context.out.framework->unchecked) {
        return resolve_unchecked_details(context);
    }
    return context.choice->resolve_details(context);
}

}  // namespace cudagen::detail
