#include "ci/ci.hpp"

#include "core/embedded.hpp"
#include "render/template.hpp"

#include <yaml-cpp/yaml.h>

namespace cudagen {

namespace {

const char* const k_pins_file = "templates/ci/pins.yaml";

std::optional<std::string> load_template(std::string_view name)
{
    std::optional<std::string_view> text = embedded_file("templates/" + std::string(name) + ".tmpl");
    return text ? std::optional<std::string>(std::string(*text)) : std::nullopt;
}

// pins.yaml as a template context: {github_actions: {checkout: {ref, release}}, ...}.
std::optional<TemplateContext> load_pins(Diagnostics& diagnostics)
{
    std::optional<std::string_view> text = embedded_file(k_pins_file);
    if (!text) {
        diagnostics.error("internal/missing-template", std::string(k_pins_file) + " is not in this build", {},
                          "rebuild cudagen from a complete source tree");
        return std::nullopt;
    }
    YAML::Node root = YAML::Load(std::string(*text));
    TemplateContext pins = TemplateContext::object();
    for (const auto& table : root) {
        TemplateContext rows = TemplateContext::object();
        for (const auto& row : table.second["rows"]) {
            std::string key = row.first.as<std::string>();
            if (row.second.IsMap()) {
                rows[key] = {
                    {"ref", row.second["uses"].as<std::string>() + "@" + row.second["commit"].as<std::string>()},
                    {"release", row.second["release"].as<std::string>()}};
            } else {
                rows[key] = row.second.as<std::string>();
            }
        }
        pins[table.first.as<std::string>()] = rows;
    }
    return pins;
}

bool is_repository_path(const std::string& path)
{
    if (path.empty() || path.front() == '/' || !is_plain_token(path)) {
        return false;
    }
    return path != ".." && path.rfind("../", 0) != 0 && path.find("/../") == std::string::npos;
}

bool check_options(const CiOptions& options, Diagnostics& diagnostics)
{
    for (const auto& path : options.profiles) {
        if (!is_repository_path(path)) {
            diagnostics.error(
                "usage/ci-path", "profile path '" + path + "' cannot go into a CI file", {},
                "run cudagen ci from the repository root and name profiles by relative paths of letters, digits, "
                "'.', '_', '-' and '/'");
        }
    }
    if (!is_repository_path(options.generated_dir)) {
        diagnostics.error("usage/ci-path",
                          "--generated '" + options.generated_dir + "' is not a relative folder in the repository", {},
                          "use a folder such as docker");
    }
    if (options.gpu_runner.empty() || !is_plain_token(options.gpu_runner) ||
        options.gpu_runner.find(',') != std::string::npos) {
        diagnostics.error("usage/ci-label", "--gpu-runner '" + options.gpu_runner + "' is not a runner label", {},
                          "use one label of letters, digits, '.', '_' and '-', e.g. gpu");
    }
    if (!is_plain_token(options.default_branch)) {
        diagnostics.error("usage/ci-branch", "--default-branch '" + options.default_branch + "' is not a branch name",
                          {}, "use a branch name such as main");
    }
    return !diagnostics.has_errors();
}

std::string arch_of(const std::string& platform)
{
    std::size_t slash = platform.rfind('/');
    return slash == std::string::npos ? platform : platform.substr(slash + 1);
}

// One build job per profile and platform; arm64 on an amd64 runner under QEMU,
// or on an arm64 runner.
TemplateContext build_rows(const std::vector<ResolvedProfile>& profiles, const CiOptions& options,
                           const TemplateContext& runners)
{
    TemplateContext rows = TemplateContext::array();
    for (const auto& profile : profiles) {
        for (const auto& platform : profile.platforms.value) {
            std::string arch = arch_of(platform);
            bool qemu = arch != "amd64" && options.arm64 == "qemu";
            std::string runner = runners.value(qemu ? "amd64" : arch, runners.at("amd64").get<std::string>());
            rows.push_back(
                {{"target", profile.name}, {"platform", platform}, {"arch", arch}, {"runner", runner}, {"qemu", qemu}});
        }
    }
    return rows;
}

std::string join_words(const std::vector<std::string>& words)
{
    std::string out;
    for (const auto& word : words) {
        out += (out.empty() ? "" : " ") + word;
    }
    return out;
}

TemplateContext ci_context(const std::vector<ResolvedProfile>& profiles, const CiOptions& options,
                           const TemplateContext& pins)
{
    bool github = options.provider == "github";
    TemplateContext targets = TemplateContext::array();
    for (const auto& profile : profiles) {
        targets.push_back({{"name", profile.name}});
    }
    std::vector<std::string> generate = {"cudagen", "generate"};
    generate.insert(generate.end(), options.profiles.begin(), options.profiles.end());
    for (const char* word : {"-o", "", "-q"}) {
        generate.emplace_back(*word ? word : options.generated_dir);
    }
    std::vector<std::string> check = {"cudagen", "check"};
    check.insert(check.end(), options.profiles.begin(), options.profiles.end());
    TemplateContext rows = build_rows(profiles, options, pins.at(github ? "github_runners" : "gitlab_runners"));
    bool any_qemu = false;
    for (const auto& row : rows) {
        any_qemu = any_qemu || row.at("qemu").get<bool>();
    }
    return {{"cudagen_version", CUDAGEN_VERSION},
            {"ci_command", join_words(ci_command_words(options))},
            {"check_command", join_words(check)},
            {"generate_command", join_words(generate)},
            {"generated_dir", options.generated_dir},
            {"ci_file", ci_file_path(options.provider)},
            {"default_branch", options.default_branch},
            {"gpu_runner", options.gpu_runner},
            {"targets", targets},
            {"build_rows", rows},
            {"any_qemu", any_qemu},
            {"verify_docker", options.verify == "docker"},
            {"verify_rootfs", options.verify == "rootfs"},
            {"pins", pins}};
}

}  // namespace

std::string ci_file_path(const std::string& provider)
{
    return provider == "gitlab" ? ".gitlab-ci.yml" : ".github/workflows/cudagen.yml";
}

std::vector<std::string> ci_command_words(const CiOptions& options)
{
    std::vector<std::string> words = {"cudagen", "ci"};
    words.insert(words.end(), options.profiles.begin(), options.profiles.end());
    words.insert(words.end(), {"--provider", options.provider, "--gpu-runner", options.gpu_runner, "--arm64",
                               options.arm64, "--verify", options.verify, "--generated", options.generated_dir});
    if (options.default_branch != "main") {
        words.insert(words.end(), {"--default-branch", options.default_branch});
    }
    return words;
}

std::optional<RenderedFile> render_ci(const std::vector<ResolvedProfile>& profiles, const CiOptions& options,
                                      Diagnostics& diagnostics)
{
    if (!check_options(options, diagnostics)) {
        return std::nullopt;
    }
    std::optional<TemplateContext> pins = load_pins(diagnostics);
    if (!pins) {
        return std::nullopt;
    }
    std::string name = "ci/" + options.provider;
    std::optional<std::string> text = load_template(name);
    if (!text) {
        diagnostics.error("internal/missing-template", "template templates/" + name + ".tmpl is not in this build", {},
                          "rebuild cudagen from a complete source tree");
        return std::nullopt;
    }
    TemplateSource source{"templates/" + name + ".tmpl", *text};
    std::optional<std::string> content =
        render_template(source, ci_context(profiles, options, *pins), load_template, diagnostics);
    if (!content) {
        return std::nullopt;
    }
    return RenderedFile{ci_file_path(options.provider), *content};
}

}  // namespace cudagen
