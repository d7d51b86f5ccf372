// render: ResolvedProfile(s) -> files in memory (Dockerfiles, the bake file).
#pragma once

#include "core/diagnostic.hpp"
#include "model/resolved_profile.hpp"
#include "render/contexts.hpp"
#include "render/template.hpp"

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

struct RenderedFile {
    std::string path;  // relative to the output folder: "Dockerfile", "fastapi/Dockerfile"
    std::string content;
    // Constant text that belongs in the file but is not in `content` (see
    // RenderOptions::constant_text_apart); empty for every file but a
    // Dockerfile rendered that way. The file is `content` with each inserted at its offset.
    std::vector<TextInsert> inserts{};
};

// The whole text of `file`, its inserts in place.
std::string whole_text(const RenderedFile& file);

struct RenderOptions {
    std::filesystem::path output_dir;     // absolute; used to make the bake file's paths relative
    bool one_folder_per_profile = false;  // several profiles: DIR/<name>/Dockerfile
    // The verify sample's block, the same in every Dockerfile, stays out of the
    // Dockerfile's `content` as an insert: the writer writes it from the one
    // copy in memory (generate over many profiles).
    bool constant_text_apart = false;
};

std::optional<std::vector<RenderedFile>> render_profiles(const std::vector<ResolvedProfile>& profiles,
                                                         const RenderOptions& options, Diagnostics& diagnostics);

// The same, one profile at a time, for generate over many profiles: each
// Dockerfile as soon as its profile is resolved (and then written), the bake
// file at the end; what is kept per profile is its bake target's rendered block.
class ProfileRenderer {
public:
    explicit ProfileRenderer(RenderOptions options);
    // False, with an error, when an earlier profile had this name.
    bool name_is_new(const ResolvedProfile& profile, Diagnostics& diagnostics);
    // Nothing on an error (it is in `diagnostics`).
    std::optional<RenderedFile> dockerfile(const ResolvedProfile& profile, Diagnostics& diagnostics);
    // dockerfile() in two halves, for profiles rendered on several threads:
    // render() may be called from any thread and keeps nothing; keep_target()
    // then records the profile's bake target, in the profiles' order.
    struct Rendered {
        RenderedFile file;
        RenderedBakeTarget target;
    };
    std::optional<Rendered> render(const ResolvedProfile& profile, Diagnostics& diagnostics) const;
    void keep_target(RenderedBakeTarget target) { m_targets.push_back(std::move(target)); }
    std::optional<RenderedFile> bake_file(Diagnostics& diagnostics);

private:
    RenderOptions m_options;
    std::set<std::string> m_names;
    std::vector<RenderedBakeTarget> m_targets;
};

// The verify sample's block of the Dockerfile (templates/verify_files.tmpl), the same
// for every profile. The build renders it with this function and embeds the text
// under k_rendered_verify_block, so cudagen does not render it at run time.
std::optional<std::string> render_verify_block(Diagnostics& diagnostics);
inline constexpr std::string_view k_rendered_verify_block = "templates/verify_files.rendered";

// `target` relative to `base` as std::filesystem's lexically_normal and then
// lexically_relative make it, "." for the same folder (bake contexts and
// Dockerfile paths). Exposed for tests.
std::string relative_or_dot(std::string_view target, std::string_view base);

// One Dockerfile; exposed for tests and for `cudagen build`'s single-stage comparison.
std::optional<std::string> render_dockerfile(const ResolvedProfile& profile, Diagnostics& diagnostics);

}  // namespace cudagen
