#include "render/render.hpp"

#include "core/embedded.hpp"
#include "render/contexts.hpp"

#include <set>

namespace cudagen {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> load_template(std::string_view name)
{
    std::optional<std::string_view> text = embedded_file("templates/" + std::string(name) + ".tmpl");
    return text ? std::optional<std::string>(std::string(*text)) : std::nullopt;
}

std::optional<std::string> render_named(std::string_view name, const TemplateContext& context, Diagnostics& diagnostics,
                                        const TemplateContext* globals = nullptr)
{
    std::optional<std::string> text = load_template(name);
    if (!text) {
        diagnostics.error("internal/missing-template",
                          "template templates/" + std::string(name) + ".tmpl is not in this build", {},
                          "rebuild cudagen from a complete source tree");
        return std::nullopt;
    }
    TemplateSource source{"templates/" + std::string(name) + ".tmpl", *text};
    return render_template(source, context, load_template, diagnostics, globals);
}

std::string relative_or_dot(const fs::path& target, const fs::path& base)
{
    std::string relative = target.lexically_normal().lexically_relative(base.lexically_normal()).generic_string();
    return relative.empty() ? "." : relative;
}

bool has_unique_names(const std::vector<ResolvedProfile>& profiles, Diagnostics& diagnostics)
{
    std::set<std::string> names;
    for (const auto& profile : profiles) {
        if (!names.insert(profile.name).second) {
            diagnostics.error("generate/duplicate-name", "two profiles are named '" + profile.name + "'",
                              {profile.profile_file, 0, 0},
                              "give each profile its own name: it names its bake target and folder");
        }
    }
    return !diagnostics.has_errors();
}

}  // namespace

std::optional<std::string> render_dockerfile(const ResolvedProfile& profile, Diagnostics& diagnostics)
{
    std::optional<TemplateContext> context = dockerfile_context(profile, diagnostics);
    if (!context) {
        return std::nullopt;
    }
    return render_named("Dockerfile", *context, diagnostics,
                        profile.verify ? dockerfile_globals(diagnostics) : nullptr);
}

std::optional<std::vector<RenderedFile>> render_profiles(const std::vector<ResolvedProfile>& profiles,
                                                         const RenderOptions& options, Diagnostics& diagnostics)
{
    if (!has_unique_names(profiles, diagnostics)) {
        return std::nullopt;
    }
    std::vector<RenderedFile> files;
    std::vector<BakeTarget> targets;
    for (const auto& profile : profiles) {
        std::optional<std::string> dockerfile = render_dockerfile(profile, diagnostics);
        if (!dockerfile) {
            return std::nullopt;
        }
        std::string relative = options.one_folder_per_profile ? profile.name + "/Dockerfile" : "Dockerfile";
        files.push_back({relative, *dockerfile});
        fs::path context = profile.context_dir;
        targets.push_back({&profile, relative_or_dot(context, options.output_dir),
                           relative_or_dot(options.output_dir / relative, context)});
    }
    std::optional<std::string> bake =
        render_named("docker-bake.hcl", bake_context(targets, options.output_dir), diagnostics);
    if (!bake) {
        return std::nullopt;
    }
    files.push_back({"docker-bake.hcl", *bake});
    return files;
}

}  // namespace cudagen
