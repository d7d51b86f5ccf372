// Python (version and how it gets into the image) and the conda settings.
//
// Default Python: the OS's own python3 when the framework supports it (no
// download, security updates from the distribution), else the newest Python
// the framework supports without the "experimental" mark (its minimum when the framework
// states only a minimum, as JAX does).
#include "resolve/resolve_versions_detail.hpp"

namespace cudagen::detail {

namespace {

bool python_needed(const RawProfile& raw)
{
    return raw.framework || raw.conda_environment.present || raw.pip_requirements.present ||
           !raw.pip_packages.empty() || raw.pip_project.present;
}

bool uses_conda(const RawProfile& raw, const ResolvedProfile& out)
{
    return raw.conda_environment.present || (out.framework && out.framework->channel == "conda");
}

Resolved<std::string> default_python(const VersionContext& context, const OsPython* system)
{
    auto range = context.choice ? std::optional<PythonRange>(context.choice->python_range()) : std::nullopt;
    const std::string& os = context.out.os.value;
    bool stable = system && (!range || (range->contains(system->python) && !range->experimental_only(system->python)));
    if (stable) {
        std::string why = range ? " (in " + context.out.framework->name + "'s range " + range->str() + ")" : "";
        return resolved(system->python.str(), Origin::default_value, "the python3 " + os + " ships" + why);
    }
    if (!range) {
        return resolved(std::string("3.12"), Origin::default_value, os + " ships no known python3; cudagen's default");
    }
    bool minimum_only = context.choice->python_minimum_only();
    Version pick = minimum_only ? range->min : range->max;
    std::string why = minimum_only ? "the oldest Python " + context.out.framework->name + " " +
                                         context.out.framework->version.value + " supports"
                                   : "the newest Python " + context.out.framework->name + " " +
                                         context.out.framework->version.value + " supports";
    if (system) {
        why += " (" + os + " ships " + system->python.str() + ", outside " + range->str() + ")";
    }
    return resolved(pick.str(), Origin::derived, why, context.raw.framework->version.where);
}

}  // namespace

void resolve_python(VersionContext& context)
{
    const RawProfile& raw = context.raw;
    ResolvedPython& python = context.out.python;
    python.needed = python_needed(raw);
    if (!python.needed && !raw.python.present) {
        python.version =
            resolved(std::string(), Origin::default_value, "no framework, pip or conda: the image needs no Python");
        return;
    }
    const OsPython* system = context.tables.os_python(context.out.os.value);
    if (raw.python.present) {
        python.version = resolved(raw.python.value, Origin::profile, "as written in the profile", raw.python.where);
    } else if (raw.pinned.python.value.present) {
        python.version = resolved(raw.pinned.python.value.value, Origin::derived, "pinned by " + raw.pinned.python.by,
                                  raw.pinned.python.value.where);
    } else {
        python.version = default_python(context, system);
    }
    auto wanted = Version::parse(python.version.value);
    bool system_matches = system && wanted && system->python == wanted->major_minor();
    python.source = !uses_conda(raw, context.out) && system_matches ? "system" : "micromamba";
}

void resolve_conda(VersionContext& context)
{
    ResolvedConda& conda = context.out.conda;
    conda.environment_file = context.raw.conda_environment.present ? context.raw.conda_environment.value : "";
    conda.cuda_override = Version::parse(context.out.cuda.value)->major_minor().str();
    if (context.tables.micromamba.empty()) {
        return;
    }
    const MicromambaRelease& release = context.tables.micromamba.front();
    conda.micromamba_version = release.version;
    conda.micromamba_sha256 = release.sha256;
}

}  // namespace cudagen::detail
