// Follows the profile's dependency files: requirements files with their -r/-c
// includes, and a conda environment with its pip section.
#include "deps/dependencies.hpp"

#include "core/context_path.hpp"
#include "core/input_file.hpp"
#include "core/text.hpp"
#include "deps/pip_lines.hpp"
#include "load/yaml_tree.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace cudagen::deps {

namespace fs = std::filesystem;
using detail::PipItem;
using detail::PipSite;

std::optional<std::string> read_dependency_file(const fs::path& path, const std::string& shown_as,
                                                const SourceLocation& named_at, Diagnostics& diagnostics)
{
    return read_input_file(path, shown_as, named_at, diagnostics);
}

std::string_view pip_entry_kind_name(PipEntryKind kind)
{
    switch (kind) {
        case PipEntryKind::package:
            return "package";
        case PipEntryKind::vcs:
            return "vcs";
        case PipEntryKind::url:
            return "url";
        case PipEntryKind::local:
            return "local";
    }
    return "package";
}

std::string_view pip_option_kind_name(PipOptionKind kind)
{
    switch (kind) {
        case PipOptionKind::requirement:
            return "requirement";
        case PipOptionKind::constraint:
            return "constraint";
        case PipOptionKind::index_url:
            return "index-url";
        case PipOptionKind::extra_index_url:
            return "extra-index-url";
        case PipOptionKind::find_links:
            return "find-links";
        case PipOptionKind::no_index:
            return "no-index";
        case PipOptionKind::trusted_host:
            return "trusted-host";
        case PipOptionKind::pre:
            return "pre";
        case PipOptionKind::prefer_binary:
            return "prefer-binary";
        case PipOptionKind::only_binary:
            return "only-binary";
        case PipOptionKind::no_binary:
            return "no-binary";
        case PipOptionKind::require_hashes:
            return "require-hashes";
        case PipOptionKind::use_feature:
            return "use-feature";
    }
    return "requirement";
}

PipSection parse_requirements_text(std::string_view text, const std::string& file, Diagnostics& diagnostics)
{
    PipSite site{file, file, "", "", false};
    std::vector<PipItem> items;
    for (const auto& line : detail::logical_lines(text, file)) {
        detail::parse_pip_line(line, site, items, diagnostics);
    }
    PipSection section;
    for (auto& item : items) {
        if (auto* entry = std::get_if<PipEntry>(&item)) {
            section.entries.push_back(std::move(*entry));
        } else {
            section.options.push_back(std::move(std::get<PipOption>(item)));
        }
    }
    return section;
}

namespace {

std::string parent_of(const std::string& path)
{
    std::string parent = fs::path(path).parent_path().generic_string();
    return parent.empty() ? "" : parent;
}

bool is_inside(const fs::path& root, const fs::path& candidate)
{
    auto [root_end, candidate_it] = std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
    return root_end == root.end();
}

class Reader {
public:
    Reader(const DependencyInputs& inputs, Diagnostics& diagnostics, const FileReader& reader)
        : m_inputs(inputs), m_diagnostics(diagnostics), m_reader(reader)
    {
    }

    DependencySet read()
    {
        for (const auto& file : m_inputs.requirements) {
            std::optional<std::string> path = detail::context_path("", file.value);
            if (!path) {
                report_outside(file.value, file.where);
                continue;
            }
            read_pip_file(*path, DependencyFileKind::requirements, file.where, m_set.requirements);
        }
        if (m_inputs.conda_environment.present) {
            read_environment(m_inputs.conda_environment);
        }
        collect_local_projects();
        collect_install_inputs();
        return std::move(m_set);
    }

private:
    const DependencyInputs& m_inputs;
    Diagnostics& m_diagnostics;
    const FileReader& m_reader;
    std::optional<fs::path> m_root;  // the context with links resolved, when a path passes one
    DependencySet m_set;
    std::vector<std::string> m_stack;  // files being read, for include cycles
    std::vector<std::string> m_find_links_dirs;

    std::string display(const std::string& path) const
    {
        if (m_inputs.display_dir.empty()) {
            return path;
        }
        return (m_inputs.display_dir / path).lexically_normal().generic_string();
    }

    void report_outside(const std::string& value, const SourceLocation& where)
    {
        m_diagnostics.error("path/outside-context", "'" + value + "' leaves the build context (the profile's folder)",
                            where,
                            "keep dependency files and local projects inside the profile's folder, and refer to them "
                            "by relative paths");
    }

    // Exists, and stays inside the context once symbolic links are followed.
    bool check_on_disk(const std::string& path, const SourceLocation& where, std::string_view what)
    {
        std::error_code error;
        fs::path target = m_inputs.context_dir / path;
        if (!fs::exists(target, error)) {
            m_diagnostics.error("path/not-found",
                                std::string(what) + " '" + path + "' does not exist in the build context", where,
                                "create it, or fix the path (relative to the profile's folder)");
            return false;
        }
        if (!may_leave_context(m_inputs.context_dir, path)) {
            return true;
        }
        if (!m_root) {
            m_root = fs::weakly_canonical(m_inputs.context_dir, error);
        }
        fs::path resolved = fs::weakly_canonical(target, error);
        if (!is_inside(*m_root, resolved)) {
            m_diagnostics.error(
                "path/outside-context",
                std::string(what) + " '" + path + "' resolves to " + resolved.string() + ", outside the build context",
                where, "copy it into the profile's folder instead of linking to it");
            return false;
        }
        return true;
    }

    std::optional<std::string> load(const std::string& path, DependencyFileKind kind, const SourceLocation& where)
    {
        std::string_view what = kind == DependencyFileKind::constraints         ? "constraints file"
                                : kind == DependencyFileKind::conda_environment ? "conda environment"
                                                                                : "requirements file";
        if (!check_on_disk(path, where, what)) {
            return std::nullopt;
        }
        std::optional<std::string> text = m_reader(m_inputs.context_dir / path, display(path), where, m_diagnostics);
        if (!text) {
            return std::nullopt;  // the reader said why, at `where`
        }
        if (m_set.file(path) == nullptr) {
            m_set.files_read.push_back({kind, path, display(path), *text, where});
        }
        return text;
    }

    void read_pip_file(const std::string& path, DependencyFileKind kind, const SourceLocation& where, PipSection& out)
    {
        if (std::find(m_stack.begin(), m_stack.end(), path) != m_stack.end()) {
            m_diagnostics.error("deps/include-cycle",
                                "'" + path + "' includes itself (" + join(m_stack, " -> ") + " -> " + path + ")", where,
                                "remove the include that closes the cycle");
            return;
        }
        std::optional<std::string> text = load(path, kind, where);
        if (!text) {
            return;
        }
        m_stack.push_back(path);
        PipSite site{path, display(path), parent_of(path), "", kind == DependencyFileKind::constraints};
        for (const auto& line : detail::logical_lines(*text, site.display)) {
            std::vector<PipItem> items;
            detail::parse_pip_line(line, site, items, m_diagnostics);
            take(items, out);
        }
        m_stack.pop_back();
    }

    // Adds parsed items to `out`, following includes where they stand.
    void take(std::vector<PipItem>& items, PipSection& out)
    {
        for (auto& item : items) {
            if (auto* entry = std::get_if<PipEntry>(&item)) {
                out.entries.push_back(std::move(*entry));
                continue;
            }
            PipOption& option = std::get<PipOption>(item);
            bool include = option.kind == PipOptionKind::requirement || option.kind == PipOptionKind::constraint;
            if (option.kind == PipOptionKind::find_links && !option.path.empty()) {
                if (check_on_disk(option.path, option.value_where, "--find-links folder")) {
                    m_find_links_dirs.push_back(option.path);
                }
            }
            std::string path = option.path;
            SourceLocation where = option.value_where;
            DependencyFileKind kind = option.kind == PipOptionKind::constraint ? DependencyFileKind::constraints
                                                                               : DependencyFileKind::requirements;
            out.options.push_back(std::move(option));
            if (include) {
                read_pip_file(path, kind, where, out);
            }
        }
    }

    void bad_environment(const std::string& message, const SourceLocation& where, const std::string& fix)
    {
        m_diagnostics.error("deps/bad-environment", message, where, fix);
    }

    void read_environment(const Located<std::string>& file)
    {
        std::optional<std::string> path = detail::context_path("", file.value);
        if (!path) {
            report_outside(file.value, file.where);
            return;
        }
        std::optional<std::string> text = load(*path, DependencyFileKind::conda_environment, file.where);
        if (!text) {
            return;
        }
        std::optional<YamlNode> root = parse_yaml(*text, display(*path), m_diagnostics);
        if (!root) {
            return;
        }
        CondaEnvironment env;
        env.path = *path;
        if (!root->is_map()) {
            bad_environment("a conda environment file is a mapping (name, channels, dependencies)", root->where,
                            "start the file with 'name:', 'channels:' and 'dependencies:'");
            return;
        }
        m_stack.push_back(*path);
        for (const auto& [key, value] : root->entries) {
            read_environment_key(key, value, env);
        }
        m_stack.pop_back();
        m_set.conda = std::move(env);
    }

    void read_environment_key(const YamlNode& key, const YamlNode& value, CondaEnvironment& env)
    {
        if (key.value == "name" && value.is_scalar()) {
            env.name = {value.value, value.where, true};
        } else if (key.value == "channels") {
            for (const auto& item : scalar_items(value, "channels")) {
                env.channels.push_back({item->value, item->where, true});
            }
        } else if (key.value == "dependencies") {
            read_conda_dependencies(value, env);
        }
    }

    std::vector<const YamlNode*> scalar_items(const YamlNode& list, std::string_view key)
    {
        std::vector<const YamlNode*> out;
        if (list.is_null()) {
            return out;
        }
        if (!list.is_sequence()) {
            bad_environment(std::string(key) + " is a list", list.where,
                            "write one '- item' per line under '" + std::string(key) + ":'");
            return out;
        }
        for (const auto& item : list.items) {
            if (item.is_scalar()) {
                out.push_back(&item);
            } else {
                bad_environment(std::string(key) + " holds a " + std::string(yaml_kind_name(item.kind)) +
                                    " where a text is expected",
                                item.where, "write one package per item");
            }
        }
        return out;
    }

    void read_conda_dependencies(const YamlNode& list, CondaEnvironment& env)
    {
        if (!list.is_sequence()) {
            bad_environment("dependencies is a list", list.where,
                            "write one '- package' per line under 'dependencies:'");
            return;
        }
        for (const auto& item : list.items) {
            if (item.is_map() && item.entries.size() == 1 && item.entries[0].first.value == "pip") {
                env.has_pip_section = true;
                env.pip_where = item.entries[0].first.where;
                read_pip_section(item.entries[0].second, env);
            } else if (item.is_scalar()) {
                env.written.push_back({item.value, item.where, false});
                std::optional<PackageSpec> spec = parse_conda_spec(item.value);
                if (!spec) {
                    bad_environment("'" + item.value + "' is not a conda package spec", item.where,
                                    "write 'name', 'name=version' or 'name=version=build'");
                    continue;
                }
                env.dependencies.push_back({*spec, item.value, item.where});
            } else {
                bad_environment("a dependency is a package spec or a 'pip:' list", item.where,
                                "write '- name=version', or '- pip:' followed by pip requirements");
            }
        }
    }

    // Conda and micromamba run pip in the environment file's folder.
    void read_pip_section(const YamlNode& list, CondaEnvironment& env)
    {
        std::string dir = parent_of(env.path);
        PipSite site{env.path, display(env.path), dir, dir, false};
        for (const YamlNode* item : scalar_items(list, "pip")) {
            env.written.push_back({item->value, item->where, true});
            detail::PipLine line;
            line.first_line = line.last_line = item->where.line;
            int column = item->where.column + (item->plain ? 0 : 1);
            for (std::size_t i = 0; i < item->value.size(); ++i) {
                line.text.push_back(item->value[i] == '\n' ? ' ' : item->value[i]);
                line.places.push_back({site.display, item->where.line, column + static_cast<int>(i)});
            }
            std::vector<PipItem> items;
            detail::parse_pip_line(line, site, items, m_diagnostics);
            take(items, env.pip);
        }
    }

    void add_local(const PipEntry& entry)
    {
        for (const auto& project : m_set.local_projects) {
            if (project.path == entry.path) {
                return;
            }
        }
        bool archive = detail::is_archive_name(entry.path);
        if (check_on_disk(entry.path, entry.where, archive ? "local archive" : "local project")) {
            m_set.local_projects.push_back({entry.path, entry.editable, archive, entry.where});
        }
    }

    void collect_local_projects()
    {
        for (const PipEntry* entry : m_set.pip_entries()) {
            if (entry->kind == PipEntryKind::local && !entry->constraint) {
                add_local(*entry);
            }
        }
    }

    void collect_install_inputs()
    {
        std::vector<std::string>& out = m_set.install_inputs;
        auto add = [&](const std::string& path) {
            if (std::find(out.begin(), out.end(), path) == out.end()) {
                out.push_back(path);
            }
        };
        for (const auto& file : m_set.files_read) {
            add(file.path);
        }
        for (const auto& project : m_set.local_projects) {
            if (project.archive) {
                add(project.path);
            }
        }
        for (const auto& dir : m_find_links_dirs) {
            add(dir == "." ? "./" : dir + "/");
        }
    }
};

}  // namespace

std::vector<const PipEntry*> DependencySet::pip_entries() const
{
    std::vector<const PipEntry*> out;
    for (const auto& entry : requirements.entries) {
        out.push_back(&entry);
    }
    if (conda) {
        for (const auto& entry : conda->pip.entries) {
            out.push_back(&entry);
        }
    }
    return out;
}

std::vector<const PipOption*> DependencySet::pip_options() const
{
    std::vector<const PipOption*> out;
    for (const auto& option : requirements.options) {
        out.push_back(&option);
    }
    if (conda) {
        for (const auto& option : conda->pip.options) {
            out.push_back(&option);
        }
    }
    return out;
}

const PipEntry* DependencySet::find_pip(std::string_view name) const
{
    std::string key = normalize_name(name);
    for (const PipEntry* entry : pip_entries()) {
        if (entry->spec.key == key) {
            return entry;
        }
    }
    return nullptr;
}

const CondaDependency* DependencySet::find_conda(std::string_view name) const
{
    if (!conda) {
        return nullptr;
    }
    std::string key = normalize_name(name);
    for (const auto& dependency : conda->dependencies) {
        if (dependency.spec.key == key) {
            return &dependency;
        }
    }
    return nullptr;
}

const DependencyFile* DependencySet::file(std::string_view path) const
{
    for (const auto& file : files_read) {
        if (file.path == path) {
            return &file;
        }
    }
    return nullptr;
}

DependencySet read_dependencies(const DependencyInputs& inputs, Diagnostics& diagnostics, const FileReader& reader)
{
    return Reader(inputs, diagnostics, reader).read();
}

}  // namespace cudagen::deps
