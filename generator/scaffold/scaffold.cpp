#include "scaffold/scaffold.hpp"

#include "cli/pipeline.hpp"
#include "core/embedded.hpp"
#include "frameworks/registry.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/tables.hpp"
#include "load/grammar.hpp"
#include "load/json_schema.hpp"
#include "render/template.hpp"
#include "write/writer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace cudagen {

namespace fs = std::filesystem;

namespace {

const char* const k_profile = "cudagen.yaml";

std::optional<std::string> load_template(std::string_view name)
{
    std::optional<std::string_view> text = embedded_file("templates/" + std::string(name) + ".tmpl");
    return text ? std::optional<std::string>(std::string(*text)) : std::nullopt;
}

std::optional<std::string> render_init(std::string_view name, const TemplateContext& context, Diagnostics& diagnostics)
{
    std::optional<std::string> text = load_template("init/" + std::string(name));
    if (!text) {
        diagnostics.error("internal/missing-template",
                          "template templates/init/" + std::string(name) + ".tmpl is not in this build", {},
                          "rebuild cudagen from a complete source tree");
        return std::nullopt;
    }
    return render_template({"templates/init/" + std::string(name) + ".tmpl", *text}, context, load_template,
                           diagnostics);
}

// The releases cudagen's tables know for a framework, newest first.
std::vector<Version> framework_versions(const KnowledgeTables& tables, const std::string& framework)
{
    const Framework* unit = find_framework(tables.frameworks, framework);
    std::vector<Version> versions = unit ? unit->init_versions(tables) : std::vector<Version>{};
    std::sort(versions.begin(), versions.end(), [](const Version& a, const Version& b) { return a > b; });
    return versions;
}

// The newest release a profile can name (X.Y or X.Y.Z: post releases such as
// 0.4.1.post1 or four-part versions are left to users who ask for them).
std::string newest_framework_version(const KnowledgeTables& tables, const std::string& framework)
{
    for (const auto& version : framework_versions(tables, framework)) {
        if (version.size() > 0 && !check_grammar("version", "framework.version", version.str())) {
            return version.str();
        }
    }
    return "";
}

struct Choices {
    std::string name;
    std::string framework_version;  // "" without a framework
    std::string cuda;
    std::string os;
    std::string python;
    bool pinned = false;
};

TemplateContext profile_context(const InitOptions& options, const Choices& choices, bool conda)
{
    TemplateContext framework = nullptr;
    if (options.framework != "none") {
        framework = {{"name", options.framework}, {"version", choices.framework_version}};
    }
    return {{"cudagen_version", CUDAGEN_VERSION},
            {"generated_dir", options.ci_options.generated_dir},
            {"pinned", choices.pinned},
            {"name", choices.name},
            {"cuda", choices.cuda},
            {"os", choices.os},
            {"python", choices.python},
            {"framework", framework},
            {"conda", conda},
            {"platforms", options.platforms}};
}

// The app's files: one flag per framework (the templates' sections), the chosen one true.
TemplateContext app_context(const InitOptions& options)
{
    const std::string& f = options.framework;
    const Framework* unit = find_framework(builtin_frameworks(), f);
    TemplateContext context = {{"probe_subject", unit ? std::string(unit->title()) : "the CUDA driver"},
                               {"no_framework", f == "none"},
                               {"python", ""},
                               {"generated_dir", options.ci_options.generated_dir}};
    for (const Framework* each : builtin_frameworks()) {
        context[std::string(each->name())] = each == unit;
    }
    return context;
}

// Every file but the CI file, for the given choices.
std::optional<std::vector<RenderedFile>> render_files(const InitOptions& options, const Choices& choices, bool conda,
                                                      Diagnostics& diagnostics)
{
    TemplateContext app = app_context(options);
    app["python"] = choices.python;
    std::vector<std::pair<std::string, std::string>> plan = {
        {k_profile, "cudagen.yaml"},
        {"app/main.py", "main.py"},
        {".dockerignore", "dockerignore"},
        {conda ? "environment.yml" : "requirements.txt", conda ? "environment.yml" : "requirements.txt"}};
    std::vector<RenderedFile> files;
    for (const auto& [path, name] : plan) {
        std::optional<std::string> text =
            render_init(name, path == k_profile ? profile_context(options, choices, conda) : app, diagnostics);
        if (!text) {
            return std::nullopt;
        }
        files.push_back({path, *text});
    }
    files.push_back({".cudagen/profile.schema.json", render_profile_json_schema()});
    return files;
}

// A temporary folder, removed when this goes out of scope.
class TempFolder {
public:
    TempFolder()
    {
        std::string pattern = (fs::temp_directory_path() / "cudagen-init-XXXXXX").string();
        if (::mkdtemp(pattern.data()) != nullptr) {
            m_path = pattern;
        }
    }
    ~TempFolder()
    {
        std::error_code error;
        if (!m_path.empty()) {
            fs::remove_all(m_path, error);
        }
    }
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

// Diagnostics about the staged copy name the file the user will have.
void rename_files(Diagnostics& from, const std::string& staged, const std::string& shown, Diagnostics& to)
{
    for (Diagnostic diagnostic : from.items()) {
        if (diagnostic.where.file.rfind(staged, 0) == 0) {
            diagnostic.where.file = shown + diagnostic.where.file.substr(staged.size());
        }
        to.add(diagnostic);
    }
}

// Stages the files and runs load -> validate -> resolve -> check on them.
std::optional<ResolvedProfile> resolve_staged(const std::vector<RenderedFile>& files, const InitOptions& options,
                                              Diagnostics& diagnostics, int& exit_code)
{
    TempFolder temp;
    Diagnostics staged;
    if (temp.path().empty() || !write_output(temp.path() / "repo", files, staged).ok) {
        diagnostics.error("io/cannot-write", "cannot stage the new files in " + fs::temp_directory_path().string(), {},
                          "check that the temporary folder is writable (TMPDIR)");
        exit_code = k_exit_usage;
        return std::nullopt;
    }
    PipelineOptions pipeline;
    pipeline.profiles = {(temp.path() / "repo" / k_profile).string()};
    PipelineResult result = run_pipeline(pipeline);
    rename_files(result.diagnostics, (temp.path() / "repo").string(), options.dir.string(), diagnostics);
    exit_code = result.exit_code;
    if (result.exit_code != k_exit_ok || result.resolved.empty()) {
        return std::nullopt;
    }
    return result.resolved.front();
}

Choices draft_choices(const InitOptions& options)
{
    Choices choices;
    choices.name = options.name.empty() ? image_name_from_folder(options.dir) : options.name;
    choices.framework_version = newest_framework_version(Knowledge::builtin().tables(), options.framework);
    choices.cuda = options.cuda;
    choices.python = options.python;
    return choices;
}

}  // namespace

std::string image_name_from_folder(const fs::path& dir)
{
    std::string folder = fs::absolute(dir).lexically_normal().filename().string();
    if (folder.empty()) {
        folder = fs::absolute(dir).lexically_normal().parent_path().filename().string();
    }
    std::string name;
    for (unsigned char c : folder) {
        bool keep = std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-';
        char out = keep ? static_cast<char>(std::tolower(c)) : '-';
        if (!(out == '-' && (name.empty() || name.back() == '-'))) {
            name += out;
        }
    }
    while (!name.empty() && !std::isalnum(static_cast<unsigned char>(name.front()))) {
        name.erase(0, 1);
    }
    name = name.substr(0, 128);
    return name.empty() ? "app" : name;
}

std::optional<Scaffold> render_scaffold(const InitOptions& options, Diagnostics& diagnostics, int& exit_code)
{
    Choices choices = draft_choices(options);
    // Pass 1: the draft, with only what the user chose; the pipeline picks the rest.
    // Its warnings are left out: pass 2 reports them for the profile as written.
    Diagnostics draft_diagnostics;
    auto draft = render_files(options, choices, false, draft_diagnostics);
    std::optional<ResolvedProfile> resolved =
        draft ? resolve_staged(*draft, options, draft_diagnostics, exit_code) : std::nullopt;
    if (!resolved) {
        for (const auto& diagnostic : draft_diagnostics.items()) {
            diagnostics.add(diagnostic);
        }
        exit_code = exit_code == k_exit_ok ? k_exit_usage : exit_code;
        return std::nullopt;
    }
    // Pass 2: every version pinned as resolved, checked again as it will be written.
    choices.cuda = resolved->cuda.value;
    choices.os = resolved->os.value;
    choices.python = resolved->python.version.value;
    choices.framework_version = resolved->framework ? resolved->framework->version.value : "";
    choices.pinned = true;
    auto files = render_files(options, choices, options.conda, diagnostics);
    std::optional<ResolvedProfile> final_profile =
        files ? resolve_staged(*files, options, diagnostics, exit_code) : std::nullopt;
    if (!final_profile) {
        exit_code = exit_code == k_exit_ok ? k_exit_usage : exit_code;
        return std::nullopt;
    }
    if (options.ci != "none") {
        CiOptions ci = options.ci_options;
        ci.provider = options.ci;
        ci.profiles = {k_profile};
        std::optional<RenderedFile> ci_file = render_ci({*final_profile}, ci, diagnostics);
        if (!ci_file) {
            exit_code = k_exit_usage;
            return std::nullopt;
        }
        files->push_back(*ci_file);
    }
    Scaffold scaffold{*files, {}};
    scaffold.notes.push_back(
        "CUDA " + choices.cuda + " on " + choices.os + (choices.python.empty() ? "" : ", Python " + choices.python) +
        (final_profile->framework ? ", " + options.framework + " " + choices.framework_version : ""));
    exit_code = k_exit_ok;
    return scaffold;
}

}  // namespace cudagen
