#include "validate/validate.hpp"

#include "core/context_path.hpp"

#include "core/text.hpp"
#include "validate/dependency_urls.hpp"
#include "validate/url_secrets.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace cudagen {

namespace fs = std::filesystem;

namespace {

bool is_inside(const fs::path& root, const fs::path& candidate)
{
    auto [root_end, candidate_it] = std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
    return root_end == root.end();
}

ContextFileFinding examine_context_file(const fs::path& context, const std::string& relative)
{
    ContextFileFinding finding;
    std::error_code error;
    fs::path target = context / relative;
    finding.exists = fs::exists(target, error);
    if (!finding.exists || !may_leave_context(context, relative)) {
        return finding;
    }
    fs::path root = fs::weakly_canonical(context, error);
    fs::path resolved = fs::weakly_canonical(target, error);
    finding.outside = !is_inside(root, resolved);
    finding.resolved = resolved.string();
    return finding;
}

// The file must exist and, once symbolic links are followed, still be inside
// the context: Docker would refuse it otherwise, at build time.
void check_context_file(const RawProfile& profile, const LocatedString& path, std::string_view field,
                        Diagnostics& diagnostics, ContextFileCache* files)
{
    if (!path.present) {
        return;
    }
    ContextFileCache own;  // no cache: this look only
    const ContextFileFinding& finding = (files ? *files : own).examine(profile.context_dir, path.value);
    if (!finding.exists) {
        diagnostics.error("path/not-found",
                          std::string(field) + " '" + path.value + "' does not exist in the profile's folder " +
                              profile.context_dir.string(),
                          path.where, "create it, or fix the path (it is relative to the profile's folder)");
        return;
    }
    if (finding.outside) {
        diagnostics.error("path/outside-context",
                          std::string(field) + " '" + path.value + "' resolves to " + finding.resolved +
                              ", outside the build context",
                          path.where, "copy the file into the profile's folder instead of linking to it");
    }
}

const std::vector<std::string>& tag_placeholders()
{
    static const std::vector<std::string> names = {"name", "cuda", "os", "framework", "framework_version"};
    return names;
}

void check_tag_template(const LocatedString& tag, Diagnostics& diagnostics)
{
    std::string_view text = tag.value;
    std::size_t open = text.find('{');
    while (open != std::string_view::npos) {
        std::size_t close = text.find('}', open);
        if (close == std::string_view::npos) {
            diagnostics.error("schema/bad-value", "tag '" + tag.value + "' has a '{' without its '}'", tag.where,
                              "write placeholders as {name}");
            return;
        }
        std::string name(text.substr(open + 1, close - open - 1));
        const auto& known = tag_placeholders();
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            diagnostics.error(
                "schema/bad-value",
                "tag '" + tag.value + "' uses unknown placeholder {" + name + "}" + did_you_mean(name, known),
                tag.where, "use one of {" + join(known, "}, {") + "}");
        }
        open = text.find('{', close);
    }
    std::size_t last_slash = text.rfind('/');
    if (text.find(':', last_slash == std::string_view::npos ? 0 : last_slash) == std::string_view::npos) {
        diagnostics.error("schema/bad-value",
                          "tag '" + tag.value + "' has no ':tag' part, so Docker would tag it :latest", tag.where,
                          "add a tag part, e.g. \"" + tag.value + ":{cuda}\"");
    }
}

// A frontend named by tag can change under the same name; a digest cannot.
void check_syntax_pinned(const LocatedString& syntax, Diagnostics& diagnostics)
{
    if (syntax.present && syntax.value.find("@sha256:") == std::string::npos) {
        diagnostics.warning(
            "schema/unpinned-frontend",
            "dockerfile_syntax '" + syntax.value +
                "' names the Dockerfile frontend by tag; whoever controls that tag controls how the image is built",
            syntax.where, "pin it by digest: " + syntax.value + "@sha256:<digest of that frontend image>");
    }
}

// The project folder must hold a pyproject.toml (pip installs from it).
void check_project(const RawProfile& profile, Diagnostics& diagnostics, ContextFileCache* files)
{
    if (!profile.pip_project.present) {
        return;
    }
    check_context_file(profile, profile.pip_project, "pip.project", diagnostics, files);
    std::error_code error;
    fs::path folder = profile.context_dir / profile.pip_project.value;
    if (fs::is_directory(folder, error) && !fs::exists(folder / "pyproject.toml", error)) {
        diagnostics.error("path/not-found", "pip.project '" + profile.pip_project.value + "' has no pyproject.toml",
                          profile.pip_project.where, "point pip.project at the folder that holds pyproject.toml");
    }
}

// app.env values are taken literally: "$PATH" would become those five characters.
void check_env_dollars(const RawProfile& profile, Diagnostics& diagnostics)
{
    for (const auto& [name, value] : profile.app.env) {
        if (value.value.find('$') == std::string::npos) {
            continue;
        }
        bool search_path = name.value == "PATH" || name.value == "LD_LIBRARY_PATH";
        diagnostics.warning(
            "schema/literal-dollar",
            "app.env " + name.value + " contains '$', which the image keeps literally (it is not expanded)",
            value.where,
            search_path
                ? "list the folders in app.path or app.library_path: cudagen puts them before the image's own value"
                : "write the value without '$', or set it at run time (docker run -e)");
    }
}

void check_duplicates(const LocatedStrings& values, std::string_view field, Diagnostics& diagnostics)
{
    std::set<std::string> seen;
    for (const auto& value : values) {
        if (!seen.insert(value.value).second) {
            diagnostics.warning("schema/duplicate-entry", std::string(field) + " lists '" + value.value + "' twice",
                                value.where, "remove the second entry");
        }
    }
}

// Every URL the profile itself names: no secret in it, and no plain http://.
void check_profile_url(const LocatedString& url, std::string_view field, Diagnostics& diagnostics)
{
    if (url.present && check_url_secret(url.value, field, url.where, diagnostics)) {
        check_plain_http_url(url.value, field, url.where, diagnostics);
    }
}

void check_index_urls(const RawProfile& profile, Diagnostics& diagnostics)
{
    check_profile_url(profile.pip_index_url, "pip.index_url", diagnostics);
    check_profile_url(profile.pip_framework_index_url, "pip.framework_index_url", diagnostics);
    for (const auto& url : profile.pip_extra_index_urls) {
        check_profile_url(url, "pip.extra_index_urls", diagnostics);
    }
    for (const auto& link : profile.pip_find_links) {
        if (starts_with(link.value, "http://") || starts_with(link.value, "https://")) {
            check_profile_url(link, "pip.find_links", diagnostics);
        }
    }
}

}  // namespace

void read_profile_dependencies(RawProfile& profile, Diagnostics& diagnostics, const deps::FileReader& reader)
{
    deps::DependencyInputs inputs;
    inputs.context_dir = profile.context_dir;
    inputs.display_dir = fs::path(profile.file).parent_path();
    if (profile.pip_requirements.present) {
        inputs.requirements.push_back(profile.pip_requirements);
    }
    inputs.conda_environment = profile.conda_environment;
    profile.dependencies = deps::read_dependencies(inputs, diagnostics, reader);
    profile.user_pins =
        deps::collect_user_pins(profile.dependencies, {&profile.pip_packages, &profile.pip_extra_index_urls});
    check_dependency_urls(profile.dependencies, diagnostics);
}

const ContextFileFinding& ContextFileCache::examine(const std::filesystem::path& context, const std::string& relative)
{
    {
        std::lock_guard lock(m_mutex);
        if (const ContextFileFinding* known = find(context, relative)) {
            return *known;
        }
    }
    // Looked at outside the lock; two threads asking at once both look and the first answer is kept (the same).
    ContextFileFinding finding = examine_context_file(context, relative);
    std::lock_guard lock(m_mutex);
    auto folder = m_findings.find(context.native());
    if (folder == m_findings.end()) {
        folder = m_findings.emplace(context.native(), std::map<std::string, ContextFileFinding, std::less<>>{}).first;
    }
    return folder->second.emplace(relative, std::move(finding)).first->second;
}

const ContextFileFinding* ContextFileCache::find(const std::filesystem::path& context,
                                                 const std::string& relative) const
{
    auto folder = m_findings.find(context.native());
    if (folder == m_findings.end()) {
        return nullptr;
    }
    auto found = folder->second.find(relative);
    return found == folder->second.end() ? nullptr : &found->second;
}

void validate_profile(const RawProfile& profile, Diagnostics& diagnostics, ContextFileCache* files)
{
    // conda.environment and pip.requirements: read_profile_dependencies checks them with their includes.
    for (const auto& copy : profile.build.copy) {
        check_context_file(profile, copy.src, "build.copy src", diagnostics, files);
    }
    for (const auto& copy : profile.app.copy) {
        check_context_file(profile, copy.src, "app.copy src", diagnostics, files);
    }
    for (const auto& step : profile.build.steps) {
        if (step.copy) {
            check_context_file(profile, step.copy->src, "build.steps copy src", diagnostics, files);
        }
    }
    for (const auto& link : profile.pip_find_links) {
        if (!starts_with(link.value, "http://") && !starts_with(link.value, "https://")) {
            check_context_file(profile, link, "pip.find_links", diagnostics, files);
        }
    }
    check_project(profile, diagnostics, files);
    check_env_dollars(profile, diagnostics);
    for (const auto& tag : profile.image.tags) {
        check_tag_template(tag, diagnostics);
    }
    check_index_urls(profile, diagnostics);
    check_syntax_pinned(profile.dockerfile_syntax, diagnostics);
    check_duplicates(profile.platforms, "platforms", diagnostics);
    check_duplicates(profile.apt, "apt", diagnostics);
    check_duplicates(profile.gpu_archs, "gpu_archs", diagnostics);
    if (profile.framework && profile.framework->channel.present && profile.framework->channel.value == "conda" &&
        !profile.conda_environment.present) {
        diagnostics.error("schema/missing-key", "framework.channel is conda but the profile has no conda.environment",
                          profile.framework->channel.where,
                          "add conda: {environment: environment.yml}, or use channel: pip");
    }
}

}  // namespace cudagen
