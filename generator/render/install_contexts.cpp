#include "render/install_contexts.hpp"

#include "core/text.hpp"
#include "render/template.hpp"

#include <algorithm>

namespace cudagen {

namespace {

// A shell word: as is when it needs no quoting (most paths), else single-quoted.
std::string sh(std::string_view word)
{
    return is_plain_token(word) ? std::string(word) : escape_shell_word(word);
}

std::string in_deps(const std::string& path)
{
    return std::string(k_deps_dir) + (path == "." || path == "./" ? "" : path);
}

TemplateValue copies_of(const std::vector<std::string>& paths, TemplateArena& arena)
{
    TemplateListBuilder out = arena.list(paths.size());
    for (const auto& path : paths) {
        out.push(arena.object(2)
                     .set("src", path == "./" ? std::string_view(".") : std::string_view(path))
                     .set("dst", in_deps(path)));
    }
    return out.value();
}

// "sed -i -e '3d' -e '5,7d' /tmp/cudagen/deps/requirements.txt" for the files in `files`.
std::vector<std::string> edit_commands(const ResolvedProfile& p, const std::vector<std::string>& files)
{
    std::vector<std::string> out;
    for (const auto& edit : p.deps.edits) {
        if (std::find(files.begin(), files.end(), edit.file) == files.end()) {
            continue;
        }
        std::string command = "sed -i";
        for (const auto& [first, last] : edit.line_ranges) {
            std::string range =
                first == last ? std::to_string(first) : std::to_string(first) + "," + std::to_string(last);
            command += " -e " + sh(range + "d");
        }
        out.push_back(command + " " + sh(in_deps(edit.file)));
    }
    return out;
}

// The profile's own pip options: extra indexes and find-links pages.
std::vector<std::string> profile_pip_options(const ResolvedProfile& p)
{
    std::vector<std::string> out;
    for (const auto& url : p.pip_extra_index_urls) {
        out.push_back("--extra-index-url " + sh(url));
    }
    for (const auto& link : p.pip_find_links) {
        out.push_back("--find-links " + sh(link));
    }
    return out;
}

std::string with_options(std::string command, const std::vector<std::string>& options)
{
    for (const auto& option : options) {
        command += " " + option;
    }
    return command;
}

constexpr std::string_view k_uv_dir = "/opt/cudagen/uv";

std::string uv_pip_install(const ResolvedProfile& p)
{
    return std::string(k_uv_dir) + "/bin/uv pip install --python " + p.python.env_prefix +
           "/bin/python --system-certs --link-mode copy --compile-bytecode";
}

// The command that installs a dependency layer: uv when resolve chose it (with
// the options that keep pip's meaning: the PIP_INDEX_URL build arg, the system's
// certificates, bytecode compiled as pip does), else pip.
std::string install_command(const ResolvedProfile& p)
{
    const ResolvedDependencies& d = p.deps;
    if (d.uv_version.empty()) {
        return "pip install";
    }
    std::string command = uv_pip_install(p) + R"( ${PIP_INDEX_URL:+--index-url "$PIP_INDEX_URL"})";
    if (d.uv_best_match) {
        command += " --index-strategy unsafe-best-match";
    }
    if (d.uv_require_hashes) {
        command += " --require-hashes";
    }
    return command;
}

TemplateValue uv_block(const ResolvedProfile& p, TemplateArena& arena)
{
    if (p.deps.uv_version.empty()) {
        return TemplateValue::boolean(false);
    }
    return arena.object(3)
        .set("dir", k_uv_dir)
        .set("requirement", sh("uv==" + p.deps.uv_version))
        .set("env_prefix", p.python.env_prefix)
        .value();
}

TemplateValue requirements_block(const ResolvedProfile& p, TemplateArena& arena)
{
    if (p.pip_requirements.empty()) {
        return TemplateValue::boolean(false);
    }
    std::vector<std::string> commands = edit_commands(p, p.deps.files);
    commands.push_back(with_options(install_command(p), profile_pip_options(p)) + " -r " +
                       sh(in_deps(p.pip_requirements)));
    bool has_local = !p.deps.local_projects.empty();
    return arena.object(5)
        .set("file", p.pip_requirements)
        .set("has_local", has_local)
        .set("cache", install_cache(p))
        .set("copies", copies_of(p.deps.files, arena))
        .set("commands", commands)
        .value();
}

TemplateValue local_projects_block(const ResolvedProfile& p, TemplateArena& arena)
{
    if (p.deps.local_projects.empty()) {
        return TemplateValue::boolean(false);
    }
    std::vector<std::string> options = profile_pip_options(p);
    for (const auto& option : p.deps.local_install_options) {
        std::size_t space = option.find(' ');
        options.push_back(space == std::string::npos ? option
                                                     : option.substr(0, space) + " " + sh(option.substr(space + 1)));
    }
    std::vector<std::string> paths;
    for (const auto& path : p.deps.local_projects) {
        paths.push_back(sh(in_deps(path)));
    }
    return arena.object(3)
        .set("copies", copies_of(p.deps.local_projects, arena))
        .set("options", options)
        .set("paths", paths)
        .value();
}

constexpr std::string_view k_project_dir = "/tmp/cudagen/project";

std::string tool(const ResolvedProject& project, const std::string& name)
{
    auto found = project.tools.find(name);
    return found == project.tools.end() ? "" : found->second;
}

std::vector<std::string> lock_commands(const ResolvedProfile& p)
{
    const ResolvedProject& project = p.project;
    std::string dir(k_project_dir);
    std::string exported = dir + "/requirements.lock.txt";
    std::vector<std::string> out;
    std::string tools = "/tmp/cudagen/tools";
    if (project.lock == "uv.lock") {
        out.push_back("pip install --target " + tools + " " + sh("uv==" + tool(project, "uv")));
        std::string command =
            tools + "/bin/uv export --project " + dir + " --frozen --no-dev --no-hashes --no-emit-project";
        for (const auto& extra : project.extras) {
            command += " --extra " + sh(extra);
        }
        out.push_back(command + " -o " + exported);
    } else if (project.lock == "poetry.lock") {
        out.push_back("pip install --target " + tools + " " + sh("poetry==" + tool(project, "poetry")) + " " +
                      sh("poetry-plugin-export==" + tool(project, "poetry-plugin-export")));
        std::string command =
            "PYTHONPATH=" + tools + " " + tools + "/bin/poetry export --directory " + dir + " --without-hashes";
        for (const auto& extra : project.extras) {
            command += " --extras " + sh(extra);
        }
        out.push_back(command + " -o " + exported);
    } else {
        return out;
    }
    out.push_back(with_options("pip install", profile_pip_options(p)) + " -r " + exported);
    out.push_back("rm -rf " + tools);
    return out;
}

TemplateValue project_block(const ResolvedProfile& p, TemplateArena& arena)
{
    const ResolvedProject& project = p.project;
    if (project.path.empty()) {
        return TemplateValue::boolean(false);
    }
    std::string dir(k_project_dir);
    TemplateListBuilder metadata = arena.list(project.metadata_files.size());
    for (const auto& file : project.metadata_files) {
        std::string name = file.substr(file.rfind('/') == std::string::npos ? 0 : file.rfind('/') + 1);
        metadata.push(arena.object(2).set("src", file).set("dst", dir + "/" + name));
    }
    std::string target = dir + (project.extras.empty() ? "" : "[" + join(project.extras, ",") + "]");
    return arena.object(9)
        .set("path", project.path)
        .set("lock",
             project.lock.empty() ? TemplateValue::boolean(false) : TemplateValue::string(arena.text(project.lock)))
        .set("metadata", metadata.value())
        .set("lock_commands", lock_commands(p))
        .set("src", project.path)
        .set("dst", dir + "/")
        .set("no_deps", !project.lock.empty())
        .set("options", profile_pip_options(p))
        .set("target", sh(target))
        .value();
}

TemplateValue pip_packages_block(const ResolvedProfile& p, TemplateArena& arena)
{
    if (p.pip_packages.empty()) {
        return TemplateValue::boolean(false);
    }
    return arena.object(4)
        .set("packages", p.pip_packages)
        .set("install", install_command(p))
        .set("cache", install_cache(p))
        .set("options", profile_pip_options(p))
        .value();
}

}  // namespace

void add_install_blocks(const ResolvedProfile& p, TemplateObject& c, TemplateObject* conda)
{
    TemplateArena& arena = c.arena();
    c.set("pip_requirements", requirements_block(p, arena));
    c.set("uv_install", uv_block(p, arena));
    c.set("pip_packages", pip_packages_block(p, arena));
    c.set("local_projects", local_projects_block(p, arena));
    c.set("project", project_block(p, arena));
    if (conda != nullptr) {
        const std::vector<std::string>& files = p.deps.environment_files;
        conda->set("environment_copies", copies_of(files, arena));
        conda->set("environment_commands", edit_commands(p, files));
        conda->set("environment_path", files.empty() ? std::string() : sh(in_deps(files.front())));
    }
}

std::string install_cache(const ResolvedProfile& p)
{
    return p.deps.uv_version.empty() ? "/root/.cache/pip" : "/root/.cache/uv";
}

std::string framework_install_command(const ResolvedProfile& p)
{
    if (p.deps.uv_version.empty()) {
        return "pip install";
    }
    bool own_index = p.framework && !p.framework->index_url.value.empty();
    return own_index ? uv_pip_install(p) : uv_pip_install(p) + R"( ${PIP_INDEX_URL:+--index-url "$PIP_INDEX_URL"})";
}

}  // namespace cudagen
