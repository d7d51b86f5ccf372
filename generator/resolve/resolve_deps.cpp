// What the devel stage needs to install the profile's dependency files: the
// files themselves (with their includes, at their relative paths), the lines
// that name local projects (left out of the dependency layer, installed once
// their source is copied), and a pyproject.toml project with its lock.
#include "resolve/resolve_deps.hpp"

#include "core/text.hpp"
#include "knowledge/tables.hpp"

#include <algorithm>
#include <filesystem>

namespace cudagen {

namespace {

namespace fs = std::filesystem;

void add_unique(std::vector<std::string>& list, const std::string& value)
{
    if (std::find(list.begin(), list.end(), value) == list.end()) {
        list.push_back(value);
    }
}

// The files reached from the conda environment (the file and what its pip section includes).
std::vector<std::string> environment_files(const deps::DependencySet& set)
{
    std::vector<std::string> out;
    std::vector<std::string> displays;
    if (!set.conda) {
        return out;
    }
    for (const auto& file : set.files_read) {
        bool reached = file.path == set.conda->path ||
                       std::find(displays.begin(), displays.end(), file.referenced_at.file) != displays.end();
        if (reached) {
            out.push_back(file.path);
            displays.push_back(file.display);
        }
    }
    return out;
}

DependencyFileEdit& edit_for(std::vector<DependencyFileEdit>& edits, const deps::PipEntry& entry)
{
    for (auto& edit : edits) {
        if (edit.file == entry.file) {
            return edit;
        }
    }
    edits.push_back({entry.file, {}, entry.where});
    return edits.back();
}

// A conda pip item can be removed by line only when it has the line to itself ("    - -e .").
bool alone_on_its_line(const deps::DependencySet& set, const deps::PipEntry& entry)
{
    const deps::DependencyFile* file = set.file(entry.file);
    if (file == nullptr) {
        return false;
    }
    std::vector<std::string> lines = split(file->text, '\n');
    if (entry.first_line < 1 || static_cast<std::size_t>(entry.first_line) > lines.size()) {
        return false;
    }
    std::string line = trim(lines[static_cast<std::size_t>(entry.first_line) - 1]);
    return starts_with(line, "- ") && line.find(',') == std::string::npos;
}

void add_options(const deps::PipSection& section, std::vector<std::string>& out)
{
    for (const auto& option : section.options) {
        using K = deps::PipOptionKind;
        switch (option.kind) {
            case K::index_url:
                add_unique(out, "--index-url " + option.value);
                break;
            case K::extra_index_url:
                add_unique(out, "--extra-index-url " + option.value);
                break;
            case K::find_links:
                add_unique(out,
                           "--find-links " + (option.path.empty() ? option.value : "/tmp/cudagen/deps/" + option.path));
                break;
            case K::constraint:
                add_unique(out, "--constraint /tmp/cudagen/deps/" + option.path);
                break;
            case K::trusted_host:
                add_unique(out, "--trusted-host " + option.value);
                break;
            case K::no_index:
                add_unique(out, "--no-index");
                break;
            case K::pre:
                add_unique(out, "--pre");
                break;
            case K::prefer_binary:
                add_unique(out, "--prefer-binary");
                break;
            default:
                break;
        }
    }
}

bool is_source_project(const deps::DependencySet& set, const std::string& path)
{
    for (const auto& project : set.local_projects) {
        if (project.path == path) {
            return !project.archive;
        }
    }
    return false;  // not found on disk: already reported
}

void plan_local_projects(const deps::DependencySet& set, ResolvedDependencies& d)
{
    const std::string env_path = set.conda ? set.conda->path : "";
    std::size_t yaml_items = 0;    // items written in the environment's pip list
    std::size_t yaml_removed = 0;  // of those, local projects left out by line
    for (const deps::PipEntry* entry : set.pip_entries()) {
        bool yaml_item = set.conda && entry->file == env_path;
        yaml_items += yaml_item ? 1 : 0;
        bool source =
            entry->kind == deps::PipEntryKind::local && !entry->constraint && is_source_project(set, entry->path);
        if (!source || (yaml_item && !alone_on_its_line(set, *entry))) {
            continue;
        }
        yaml_removed += yaml_item ? 1 : 0;
        add_unique(d.local_projects, entry->path);
        edit_for(d.edits, *entry).line_ranges.emplace_back(entry->first_line, entry->last_line);
    }
    if (set.conda) {
        for (const auto& option : set.conda->pip.options) {
            yaml_items += option.file == env_path ? 1 : 0;
        }
    }
    if (yaml_items > 0 && yaml_removed == yaml_items) {
        // An empty "pip:" would be a null that micromamba rejects: the key goes too.
        for (auto& edit : d.edits) {
            if (edit.file == env_path) {
                edit.line_ranges.emplace_back(set.conda->pip_where.line, set.conda->pip_where.line);
            }
        }
    }
    add_options(set.requirements, d.local_install_options);
    if (set.conda) {
        add_options(set.conda->pip, d.local_install_options);
    }
}

// A file inside a folder that is copied anyway needs no COPY of its own.
std::vector<std::string> without_covered(const std::vector<std::string>& paths)
{
    std::vector<std::string> out;
    for (const auto& path : paths) {
        bool covered = false;
        for (const auto& other : paths) {
            covered = covered || (other != path && other.back() == '/' && (other == "./" || starts_with(path, other)));
        }
        if (!covered) {
            out.push_back(path);
        }
    }
    return out;
}

void resolve_project(const RawProfile& raw, const KnowledgeTables& tables, ResolvedProject& project)
{
    if (!raw.pip_project.present) {
        return;
    }
    std::string path = fs::path(raw.pip_project.value).lexically_normal().generic_string();
    drop_trailing_slashes(path);
    project.path = path.empty() ? "." : path;
    for (const auto& extra : raw.pip_project_extras) {
        project.extras.push_back(extra.value);
    }
    std::string prefix = project.path == "." ? "" : project.path + "/";
    fs::path folder = raw.context_dir / project.path;
    project.metadata_files.push_back(prefix + "pyproject.toml");
    std::error_code error;
    for (std::string lock : {"uv.lock", "poetry.lock"}) {
        if (fs::exists(folder / lock, error)) {
            project.lock = lock;
            project.metadata_files.push_back(prefix + lock);
            break;
        }
    }
    std::vector<std::string> tools = project.lock == "uv.lock" ? std::vector<std::string>{"uv"}
                                     : project.lock == "poetry.lock"
                                         ? std::vector<std::string>{"poetry", "poetry-plugin-export"}
                                         : std::vector<std::string>{};
    for (const auto& tool : tools) {
        project.tools[tool] = tables.python_tool_version(tool);
    }
}

}  // namespace

void resolve_dependencies(const RawProfile& raw, const Knowledge& knowledge, ResolvedProfile& out)
{
    const deps::DependencySet& set = raw.dependencies;
    ResolvedDependencies& d = out.deps;
    d.environment_files = environment_files(set);
    for (const auto& path : set.install_inputs) {
        if (std::find(d.environment_files.begin(), d.environment_files.end(), path) == d.environment_files.end()) {
            d.files.push_back(path);
        }
    }
    for (const auto& link : raw.pip_find_links) {
        bool url = starts_with(link.value, "http://") || starts_with(link.value, "https://");
        std::string folder = url ? "" : fs::path(link.value).lexically_normal().generic_string();
        while (!folder.empty() && folder.back() == '/') {
            folder.pop_back();
        }
        out.pip_find_links.push_back(url ? link.value : "/tmp/cudagen/deps/" + folder);
        if (!url) {
            add_unique(d.files, folder + "/");
        }
    }
    d.files = without_covered(d.files);
    plan_local_projects(set, d);
    resolve_project(raw, knowledge.tables(), out.project);
    for (const deps::PipEntry* entry : set.pip_entries()) {
        d.needs_git = d.needs_git || entry->kind == deps::PipEntryKind::vcs;
    }
}

namespace {

// Requirements-file options that uv takes differently from pip or not at all.
bool uv_reads_like_pip(deps::PipOptionKind kind)
{
    using K = deps::PipOptionKind;
    return kind != K::trusted_host && kind != K::pre && kind != K::prefer_binary && kind != K::use_feature;
}

}  // namespace

void resolve_installer(const RawProfile& raw, const Knowledge& knowledge, ResolvedProfile& out)
{
    ResolvedDependencies& d = out.deps;
    // The framework's wheels too: uv downloads and unpacks torch and its CUDA
    // wheels in parallel (a third faster than pip for torch 2.13.0 here).
    bool framework_wheels = out.framework && out.framework->channel != "conda" && !out.framework->requirements.empty();
    bool layers = !out.pip_requirements.empty() || !out.pip_packages.empty() || framework_wheels;
    if (!layers || out.python.source != "system") {
        return;
    }
    const deps::PipSection& section = raw.dependencies.requirements;
    bool extra_index = !out.pip_extra_index_urls.empty();
    for (const auto& option : section.options) {
        if (!uv_reads_like_pip(option.kind)) {
            return;
        }
        extra_index = extra_index || option.kind == deps::PipOptionKind::extra_index_url;
    }
    for (const auto& entry : section.entries) {
        d.uv_require_hashes = d.uv_require_hashes || !entry.hashes.empty();
    }
    d.uv_best_match = extra_index;
    d.uv_version = knowledge.tables().python_tool_version("uv");
}

}  // namespace cudagen
