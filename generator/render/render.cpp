#include "render/render.hpp"

#include "core/embedded.hpp"
#include "render/contexts.hpp"

namespace cudagen {

namespace fs = std::filesystem;

namespace {

// The verify sample's block is the same in every Dockerfile: rendered at build time
// (generator/tools/render_verify_block.cpp) and embedded; a build without it renders
// it here, once per process.
const RenderedPartials* dockerfile_partials(Diagnostics& diagnostics)
{
    static const std::optional<RenderedPartials> k_rendered = []() -> std::optional<RenderedPartials> {
        if (std::optional<std::string_view> built = embedded_file(k_rendered_verify_block)) {
            return RenderedPartials{{"verify_files", std::string(*built)}};
        }
        Diagnostics ignored;
        std::optional<std::string> text = render_verify_block(ignored);
        return text ? std::optional<RenderedPartials>(RenderedPartials{{"verify_files", std::move(*text)}})
                    : std::nullopt;
    }();
    if (!k_rendered) {
        render_verify_block(diagnostics);  // says why, in this run's diagnostics
        return nullptr;
    }
    return &*k_rendered;
}

// An absolute path with nothing to normalize: no empty, "." or ".." part and no
// trailing '/'.
bool is_clean_absolute(std::string_view path)
{
    if (path.size() < 2 || path.front() != '/' || path.back() == '/') {
        return false;
    }
    for (std::size_t begin = 1; begin <= path.size();) {
        std::size_t end = std::min(path.find('/', begin), path.size());
        std::string_view part = path.substr(begin, end - begin);
        if (part.empty() || part == "." || part == "..") {
            return false;
        }
        begin = end + 1;
    }
    return true;
}

}  // namespace

std::string relative_or_dot(std::string_view target, std::string_view base)
{
    if (!is_clean_absolute(target) || !is_clean_absolute(base)) {
        std::string relative =
            fs::path(target).lexically_normal().lexically_relative(fs::path(base).lexically_normal()).generic_string();
        return relative.empty() ? "." : relative;
    }
    // The parts both share, then ".." for each part left in `base` and the parts left in `target`.
    std::size_t common = 0;  // offset in both after the last shared part
    for (std::size_t i = 1;; ++i) {
        bool target_ends = i == target.size() || target[i] == '/';
        bool base_ends = i == base.size() || base[i] == '/';
        if (target_ends && base_ends) {
            common = i;
        }
        if (i == target.size() || i == base.size() || target[i] != base[i]) {
            break;
        }
    }
    std::string relative;
    for (std::size_t i = common; i < base.size(); ++i) {
        if (base[i] == '/') {
            relative += relative.empty() ? ".." : "/..";
        }
    }
    if (common < target.size()) {
        relative += relative.empty() ? target.substr(common + 1) : target.substr(common);
    }
    return relative.empty() ? "." : relative;
}

std::optional<std::string> render_verify_block(Diagnostics& diagnostics)
{
    std::optional<TemplateContext> context = verify_files_context(diagnostics);
    if (!context) {
        return std::nullopt;
    }
    TemplateArena arena;
    return render_embedded_template("verify_files", template_data_from_json(*context, arena), diagnostics);
}

namespace {

std::optional<std::string> render_dockerfile(const ResolvedProfile& profile, Diagnostics& diagnostics,
                                             std::vector<TextInsert>* inserts)
{
    const RenderedPartials* rendered = nullptr;
    if (profile.verify) {
        rendered = dockerfile_partials(diagnostics);
        if (rendered == nullptr) {
            return std::nullopt;
        }
    }
    TemplateArena arena;
    TemplateValue data = dockerfile_data(profile, arena);
    if (rendered != nullptr && inserts != nullptr) {
        return render_embedded_template("Dockerfile", data, diagnostics, *rendered, *inserts);
    }
    return render_embedded_template("Dockerfile", data, diagnostics, rendered);
}

}  // namespace

std::optional<std::string> render_dockerfile(const ResolvedProfile& profile, Diagnostics& diagnostics)
{
    return render_dockerfile(profile, diagnostics, nullptr);
}

std::string whole_text(const RenderedFile& file)
{
    std::string text;
    std::size_t size = file.content.size();
    for (const auto& insert : file.inserts) {
        size += insert.text.size();
    }
    text.reserve(size);
    std::size_t done = 0;
    for (const auto& insert : file.inserts) {
        text.append(file.content, done, insert.at - done);
        text += insert.text;
        done = insert.at;
    }
    text.append(file.content, done);
    return text;
}

ProfileRenderer::ProfileRenderer(RenderOptions options) : m_options(std::move(options))
{
}

std::optional<ProfileRenderer::Rendered> ProfileRenderer::render(const ResolvedProfile& profile,
                                                                 Diagnostics& diagnostics) const
{
    std::vector<TextInsert> inserts;
    std::optional<std::string> dockerfile =
        render_dockerfile(profile, diagnostics, m_options.constant_text_apart ? &inserts : nullptr);
    if (!dockerfile) {
        return std::nullopt;
    }
    std::string relative = m_options.one_folder_per_profile ? profile.name + "/Dockerfile" : "Dockerfile";
    const std::string& output = m_options.output_dir.native();
    std::string written = output + (output.ends_with('/') ? "" : "/") + relative;
    BakeEntry entry = bake_entry(
        {&profile, relative_or_dot(profile.context_dir, output), relative_or_dot(written, profile.context_dir)});
    TemplateArena arena;
    std::optional<std::string> block =
        render_embedded_template("docker-bake-target.hcl", bake_target_data(entry, arena), diagnostics);
    if (!block) {
        return std::nullopt;
    }
    RenderedBakeTarget target{std::move(entry.name), std::move(entry.profile), entry.netrc_secret, std::move(*block)};
    return Rendered{RenderedFile{std::move(relative), std::move(*dockerfile), std::move(inserts)}, std::move(target)};
}

std::optional<RenderedFile> ProfileRenderer::dockerfile(const ResolvedProfile& profile, Diagnostics& diagnostics)
{
    std::optional<Rendered> rendered = render(profile, diagnostics);
    if (!rendered) {
        return std::nullopt;
    }
    keep_target(std::move(rendered->target));
    return std::move(rendered->file);
}

std::optional<RenderedFile> ProfileRenderer::bake_file(Diagnostics& diagnostics)
{
    TemplateArena arena;
    std::optional<std::string> bake =
        render_embedded_template("docker-bake.hcl", bake_data(m_targets, m_options.output_dir, arena), diagnostics);
    if (bake) {
        std::size_t size = bake->size();
        for (const auto& target : m_targets) {
            size += target.text.size();
        }
        bake->reserve(size);
        for (const auto& target : m_targets) {
            *bake += target.text;
        }
    }
    m_targets.clear();
    if (!bake) {
        return std::nullopt;
    }
    return RenderedFile{"docker-bake.hcl", std::move(*bake)};
}

bool ProfileRenderer::name_is_new(const ResolvedProfile& profile, Diagnostics& diagnostics)
{
    if (m_names.insert(profile.name).second) {
        return true;
    }
    diagnostics.error("generate/duplicate-name", "two profiles are named '" + profile.name + "'",
                      {profile.profile_file, 0, 0},
                      "give each profile its own name: it names its bake target and folder");
    return false;
}

std::optional<std::vector<RenderedFile>> render_profiles(const std::vector<ResolvedProfile>& profiles,
                                                         const RenderOptions& options, Diagnostics& diagnostics)
{
    ProfileRenderer renderer(options);
    bool unique = true;
    for (const auto& profile : profiles) {
        unique = renderer.name_is_new(profile, diagnostics) && unique;
    }
    if (!unique) {
        return std::nullopt;
    }
    std::vector<RenderedFile> files;
    for (const auto& profile : profiles) {
        std::optional<RenderedFile> dockerfile = renderer.dockerfile(profile, diagnostics);
        if (!dockerfile) {
            return std::nullopt;
        }
        files.push_back(std::move(*dockerfile));
    }
    std::optional<RenderedFile> bake = renderer.bake_file(diagnostics);
    if (!bake) {
        return std::nullopt;
    }
    files.push_back(std::move(*bake));
    return files;
}

}  // namespace cudagen
