#include "resolve/resolve.hpp"
#include "resolve/resolve_runtime.hpp"

#include "core/text.hpp"
#include "resolve/resolve_deps.hpp"

namespace cudagen {

std::string_view origin_name(Origin origin)
{
    switch (origin) {
        case Origin::profile:
            return "profile";
        case Origin::default_value:
            return "default";
        case Origin::derived:
            return "derived";
    }
    return "default";
}

namespace {

constexpr std::string_view k_default_base_registry = "docker.io/nvidia";
constexpr std::string_view k_default_user = "app";
constexpr std::string_view k_default_workdir = "/app";
constexpr std::string_view k_verify_binary = "/opt/cudagen/bin/cudagen-verify";

template <class T>
Resolved<T> from_profile(const Located<T>& value, std::string reason = "set in the profile")
{
    return {value.value, Origin::profile, std::move(reason), value.where};
}

std::vector<std::string> values(const LocatedStrings& list)
{
    std::vector<std::string> out;
    for (const auto& item : list) {
        out.push_back(item.value);
    }
    return out;
}

std::vector<ResolvedCopy> copies(const std::vector<RawCopy>& list)
{
    std::vector<ResolvedCopy> out;
    for (const auto& copy : list) {
        out.push_back({copy.src.value, copy.dst.value});
    }
    return out;
}

Resolved<std::string> pick_base_registry(const RawProfile& raw, const ResolveOptions& options)
{
    if (!options.base_registry.empty()) {
        return {options.base_registry, Origin::derived, "--base-registry on the command line", {}};
    }
    if (raw.image.base_registry.present) {
        return from_profile(raw.image.base_registry);
    }
    return {std::string(k_default_base_registry), Origin::default_value, "NVIDIA's images on Docker Hub", {}};
}

// An index, find-links page or URL requirement in a dependency file may need the netrc
// secret as much as one in the profile does.
bool names_a_remote_source(const deps::DependencySet& dependencies)
{
    for (const deps::PipOption* option : dependencies.pip_options()) {
        using K = deps::PipOptionKind;
        if (option->kind == K::index_url || option->kind == K::extra_index_url ||
            (option->kind == K::find_links && option->path.empty())) {
            return true;
        }
    }
    for (const deps::PipEntry* entry : dependencies.pip_entries()) {
        if (entry->kind == deps::PipEntryKind::vcs || entry->kind == deps::PipEntryKind::url) {
            return true;
        }
    }
    return false;
}

void fill_stages(const RawProfile& raw, ResolvedProfile& out)
{
    out.pip_requirements = raw.pip_requirements.value;
    out.pip_packages = values(raw.pip_packages);
    out.pip_extra_index_urls = values(raw.pip_extra_index_urls);
    out.pip_index_url =
        raw.pip_index_url.present
            ? from_profile(raw.pip_index_url, "a PyPI mirror or private index set in the profile")
            : Resolved<std::string>{
                  std::string(), Origin::default_value, "PyPI, unless the PIP_INDEX_URL build arg names a mirror", {}};
    out.pip_secret = raw.pip_index_url.present || raw.pip_framework_index_url.present ||
                     !raw.pip_extra_index_urls.empty() || names_a_remote_source(raw.dependencies);
    out.apt = values(raw.apt);
    out.apt_build = values(raw.apt_build);
    out.build_copy = copies(raw.build.copy);
    out.build_run = values(raw.build.run);
    for (const auto& step : raw.build.steps) {
        ResolvedBuildStep resolved;
        resolved.run = step.run.value;
        if (step.copy) {
            resolved.copy = ResolvedCopy{step.copy->src.value, step.copy->dst.value};
        }
        out.build_steps.push_back(resolved);
    }
    out.artifacts = copies(raw.build.artifacts);
    out.app_copy = copies(raw.app.copy);
    out.workdir =
        raw.app.workdir.present
            ? from_profile(raw.app.workdir)
            : Resolved<std::string>{
                  std::string(k_default_workdir), Origin::default_value, "cudagen's default working directory", {}};
    for (const auto& [name, value] : raw.app.env) {
        out.env.emplace_back(name.value, value.value);
    }
    for (const auto& port : raw.app.expose) {
        out.expose.push_back(port.value);
    }
    out.cmd = values(raw.app.cmd);
    out.path_prepend = values(raw.app.path);
    out.library_path_prepend = values(raw.app.library_path);
    out.runtime_run = values(raw.app.run);
    out.entrypoint = values(raw.app.entrypoint);
    out.user = raw.app.user.present
                   ? from_profile(raw.app.user)
                   : Resolved<std::string>{std::string(k_default_user),
                                           Origin::default_value,
                                           "containers run as a non-root user unless the profile says otherwise",
                                           {}};
}

void fill_options(const RawProfile& raw, ResolvedProfile& out)
{
    out.verify = !raw.verify.present || raw.verify.value;
    out.ptx = !raw.ptx.present || raw.ptx.value;
    out.dockerfile_syntax = raw.dockerfile_syntax.value;
    if (out.cmd.empty() && out.entrypoint.empty() && out.verify) {
        out.cmd = {std::string(k_verify_binary)};
    }
    if (raw.platforms.empty()) {
        out.platforms = {{"linux/amd64"}, Origin::default_value, "the build machine's usual platform", {}};
    } else {
        out.platforms = {values(raw.platforms), Origin::profile, "set in the profile", raw.platforms.front().where};
    }
}

void prepare_python(const RawProfile& raw, ResolvedProfile& out)
{
    out.python.needed = raw.framework.has_value() || !raw.pip_packages.empty() || raw.pip_requirements.present ||
                        raw.conda_environment.present || raw.pip_project.present;
    out.conda.environment_file = raw.conda_environment.value;
}

// After version resolution: a conda environment always means micromamba;
// otherwise the resolver's choice stands, and plain pip uses the OS's python3.
void finish_python(const RawProfile& raw, ResolvedProfile& out)
{
    if (raw.conda_environment.present) {
        out.python.source = "micromamba";
    } else if (out.python.source.empty() && out.python.needed) {
        out.python.source = "system";
    }
    out.python.env_prefix = out.python.source == "micromamba" ? "/opt/env" : "/opt/venv";
}

// runtime_flavor in the profile replaces the resolver's choice of runtime base.
void apply_runtime_flavor(const RawProfile& raw, ResolvedProfile& out, Diagnostics& diagnostics)
{
    if (!raw.runtime_flavor.present) {
        return;
    }
    std::string flavor = raw.runtime_flavor.value;
    if (flavor == "cudnn-runtime") {
        if (out.cudnn_flavor.empty()) {
            diagnostics.error("schema/bad-value", "runtime_flavor cudnn-runtime needs cudnn: true",
                              raw.runtime_flavor.where, "set cudnn: true, or use runtime_flavor: runtime");
            return;
        }
        flavor = out.cudnn_flavor + "runtime";
    }
    out.runtime_flavor = flavor;
    out.runtime_image = {out.base_registry.value + "/cuda:" + out.cuda.value + "-" + flavor + "-" + out.os.value,
                         Origin::profile, "runtime_flavor " + raw.runtime_flavor.value + " set in the profile",
                         raw.runtime_flavor.where};
}

std::string expand_tag(const std::string& pattern, const ResolvedProfile& out)
{
    const std::vector<std::pair<std::string, std::string>> values = {
        {"{name}", out.name},
        {"{cuda}", out.cuda.value},
        {"{os}", out.os.value},
        {"{framework}", out.framework ? out.framework->name : "cuda"},
        {"{framework_version}", out.framework ? out.framework->version.value : out.cuda.value},
    };
    std::string text = pattern;
    for (const auto& [key, value] : values) {
        for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size())) {
            text.replace(at, key.size(), value);
        }
    }
    return text;
}

void fill_tags(const RawProfile& raw, ResolvedProfile& out)
{
    out.image_registry = raw.image.registry.value;
    std::vector<std::string> patterns = values(raw.image.tags);
    if (patterns.empty()) {
        patterns = {"{name}:{cuda}"};
    }
    std::string prefix = out.image_registry.empty() ? "" : out.image_registry + "/";
    for (const auto& pattern : patterns) {
        std::string tag = expand_tag(pattern, out);
        if (tag.find(':') == std::string::npos) {
            tag += ":latest";
        }
        out.image_tags.push_back(prefix + tag);
    }
}

}  // namespace

std::optional<ResolvedProfile> resolve(const RawProfile& raw, const Knowledge& knowledge, const ResolveOptions& options,
                                       Diagnostics& diagnostics)
{
    // Built in place and returned by name on every path: a ResolvedProfile is large to move.
    std::optional<ResolvedProfile> result(std::in_place);
    ResolvedProfile& out = *result;
    out.name = raw.name.value;
    out.profile_file = raw.file;
    out.context_dir = raw.context_dir.string();
    out.base_registry = pick_base_registry(raw, options);
    fill_stages(raw, out);
    fill_options(raw, out);
    resolve_dependencies(raw, knowledge, out);
    prepare_python(raw, out);
    std::size_t errors_before = diagnostics.error_count();
    resolve_versions(raw, knowledge, out, diagnostics);
    if (diagnostics.error_count() > errors_before) {
        result.reset();
        return result;
    }
    finish_python(raw, out);
    resolve_installer(raw, knowledge, out);
    apply_runtime_flavor(raw, out, diagnostics);
    if (diagnostics.error_count() > errors_before) {
        result.reset();
        return result;
    }
    detail::finish_runtime_base(out);
    fill_tags(raw, out);
    return result;
}

}  // namespace cudagen
