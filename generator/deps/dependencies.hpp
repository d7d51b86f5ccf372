// deps: reads the dependency files a profile names (pip requirements files
// and conda environment files), follows their includes and local references,
// and returns typed entries, each with the file:line:column it was written at,
// plus the exact set of files the install step needs.
//
// Paths, as pip and conda resolve them:
// - `-r`/`-c` includes and `--find-links` directories are relative to the file
//   that names them;
// - local requirements (`-e .`, `./pkg`, `wheels/x.whl`) are relative to the
//   directory pip runs in: the build context's root for requirements files,
//   the environment file's folder for a conda `pip:` section (conda and
//   micromamba run pip there).
// Every path is kept relative to the build context ("." is its root) in
// generic form; one that leaves the context is a located error.
#pragma once

#include "core/diagnostic.hpp"
#include "core/located.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cudagen::deps {

// One package as a requirement line or a conda match spec writes it.
// pip:   "torch[opt]==2.4.1+cu121 ; python_version<'3.12'"
// conda: "pytorch::pytorch=2.4.1=py3.11_cuda12.1_cudnn9_0", "cudatoolkit 11.8.*"
struct PackageSpec {
    std::string name;       // as written
    std::string key;        // normalised for comparison: lower case, runs of "-_." as "-"
    std::string extras;     // "opt,dev" (pip; without brackets)
    std::string specifier;  // everything about the version as written: ">=1.0,<2", "==2.4.1+cu121", "2.4.1"
    std::string op;         // the operator when the specifier is one clause: "==", ">=", "~=", conda "=" / "=="
    std::string version;    // that clause's version without its local part: "2.4.1", "11.8.*"
    std::string local;      // pip local version label: "cu121" from "+cu121"
    std::string build;      // conda build string: "py3.11_cuda12.1_cudnn9_0"
    std::string channel;    // conda channel prefix: "pytorch" from "pytorch::pytorch"
    std::string marker;     // pip environment marker, without the ";"
    std::string url;        // pip "name @ URL", or the URL of a VCS/URL requirement
};

// Parses one pip requirement ("name[extras] spec ; marker" or "name @ url").
// Nothing when the text does not start with a valid project name.
std::optional<PackageSpec> parse_pip_spec(std::string_view text);
// Parses one conda match spec. Nothing when there is no package name.
std::optional<PackageSpec> parse_conda_spec(std::string_view text);
// "Foo_Bar.baz" -> "foo-bar-baz" (PEP 503).
std::string normalize_name(std::string_view name);

enum class PipEntryKind {
    package,  // a name with a specifier, from an index
    vcs,      // git+https://..., hg+..., svn+..., bzr+... (also "name @ git+...")
    url,      // an archive or wheel URL (also "name @ https://...")
    local,    // a local directory or archive: "." "./libs/x" "wheels/x.whl" "file:..."
};

std::string_view pip_entry_kind_name(PipEntryKind kind);

// One requirement of a requirements file or of a conda `pip:` section.
struct PipEntry {
    PipEntryKind kind = PipEntryKind::package;
    bool editable = false;            // -e / --editable
    bool constraint = false;          // read from a constraints file (-c): limits versions, installs nothing
    std::string text;                 // as written, per-requirement options and comment removed
    PackageSpec spec;                 // name (empty for a local path or a URL without #egg=), version, marker, url
    std::string path;                 // local: relative to the build context, "." for its root
    std::vector<std::string> hashes;  // --hash values
    std::string file;                 // the file it was read from, relative to the build context
    SourceLocation where;             // the first character of the requirement (or of -e)
    SourceLocation url_where;         // the first character of spec.url (where when there is none)
    int first_line = 0;               // physical lines it spans in `file` (continuations included)
    int last_line = 0;
};

enum class PipOptionKind {
    requirement,      // -r, --requirement
    constraint,       // -c, --constraint
    index_url,        // -i, --index-url
    extra_index_url,  // --extra-index-url
    find_links,       // -f, --find-links
    no_index,         // --no-index
    trusted_host,     // --trusted-host
    pre,              // --pre
    prefer_binary,    // --prefer-binary
    only_binary,      // --only-binary
    no_binary,        // --no-binary
    require_hashes,   // --require-hashes
    use_feature,      // --use-feature
};

std::string_view pip_option_kind_name(PipOptionKind kind);

// A global option line of a requirements file or pip section.
struct PipOption {
    PipOptionKind kind = PipOptionKind::requirement;
    std::string name;            // as written: "-f", "--find-links"
    std::string value;           // as written; empty for a flag
    std::string path;            // -r/-c, and --find-links to a local folder: relative to the build context
    std::string file;            // the file it was read from, relative to the build context
    SourceLocation where;        // the option
    SourceLocation value_where;  // its value (the option's place for a flag)
    int first_line = 0;
    int last_line = 0;
};

// Requirements, in the order pip would read them: an include's lines where it is included.
struct PipSection {
    std::vector<PipEntry> entries;
    std::vector<PipOption> options;
};

enum class DependencyFileKind { requirements, constraints, conda_environment };

// Every file read, once, in the order it was first reached.
struct DependencyFile {
    DependencyFileKind kind = DependencyFileKind::requirements;
    std::string path;              // relative to the build context
    std::string display;           // the path as diagnostics name it (relative to the working directory)
    std::string text;              // its text, for carets and for line-exact edits
    SourceLocation referenced_at;  // the profile line, or the -r/-c that named it
};

struct CondaDependency {
    PackageSpec spec;
    std::string text;  // as written
    SourceLocation where;
};

// A scalar of the environment's `dependencies` or of its pip section, as written.
struct CondaListItem {
    std::string text;
    SourceLocation where;
    bool pip = false;  // from the pip section
};

struct CondaEnvironment {
    std::string path;  // relative to the build context
    Located<std::string> name;
    std::vector<Located<std::string>> channels;
    std::vector<CondaDependency> dependencies;  // conda packages, without the pip section
    bool has_pip_section = false;
    SourceLocation pip_where;  // the "pip:" key
    PipSection pip;            // the pip section, includes followed
    // Every scalar of `dependencies` and of the pip section, in file order (check/check_conda.cpp).
    std::vector<CondaListItem> written;
};

// A local project installed from source (needs its folder, not just files).
struct LocalProject {
    std::string path;  // relative to the build context, "." for its root
    bool editable = false;
    bool archive = false;  // a local .whl/.tar.gz/.zip: a file, no source tree
    SourceLocation where;
};

struct DependencySet {
    std::vector<DependencyFile> files_read;
    PipSection requirements;  // the profile's requirements files, includes followed
    std::optional<CondaEnvironment> conda;
    std::vector<LocalProject> local_projects;  // from both, in order, each path once

    // The files the dependency install step needs before the source is copied:
    // every file read, local archives and the files of local --find-links folders'
    // paths (folders end in "/"). Relative to the build context, in order, unique.
    std::vector<std::string> install_inputs;

    // Every pip entry and option of the requirements files and the conda pip section.
    std::vector<const PipEntry*> pip_entries() const;
    std::vector<const PipOption*> pip_options() const;
    // The first package entry (pip or conda) with that normalised name.
    const PipEntry* find_pip(std::string_view name) const;
    const CondaDependency* find_conda(std::string_view name) const;
    const DependencyFile* file(std::string_view path) const;
};

// The files the reader reads go through this seam; tests pass their own.
// Nothing when the file cannot be read, and then the reader has reported why
// at `named_at` (the profile key, the -r line). `shown_as` names the file in messages.
using FileReader =
    std::function<std::optional<std::string>(const std::filesystem::path& path, const std::string& shown_as,
                                             const SourceLocation& named_at, Diagnostics& diagnostics)>;
// The default: core/input_file's bounded read of a regular file.
std::optional<std::string> read_dependency_file(const std::filesystem::path& path, const std::string& shown_as,
                                                const SourceLocation& named_at, Diagnostics& diagnostics);

struct DependencyInputs {
    std::filesystem::path context_dir;               // the build context on disk
    std::filesystem::path display_dir;               // how diagnostics name the context ("" or the profile's folder)
    std::vector<Located<std::string>> requirements;  // files the profile names, relative to the context
    Located<std::string> conda_environment;
};

// Reads every file, follows includes, reports each problem at its place
// (path/not-found, path/outside-context, deps/*) and returns what was read.
DependencySet read_dependencies(const DependencyInputs& inputs, Diagnostics& diagnostics,
                                const FileReader& reader = read_dependency_file);

// Parses the text of one requirements file (no includes followed, no file
// system): for tests and for the conda pip section. `file` names it in locations.
PipSection parse_requirements_text(std::string_view text, const std::string& file, Diagnostics& diagnostics);

}  // namespace cudagen::deps
