// Template data: the only place that decides what a template can see.
#pragma once

#include "core/diagnostic.hpp"
#include "model/resolved_profile.hpp"
#include "render/template.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cudagen {

// What templates/Dockerfile.tmpl sees for `profile`, in `arena`.
TemplateValue dockerfile_data(const ResolvedProfile& profile, TemplateArena& arena);
// What every Dockerfile shares: the verify sample as templates/verify_files.tmpl
// writes it (the digest and base64 lines made at build time).
std::optional<TemplateContext> verify_files_context(Diagnostics& diagnostics);

struct BakeTarget {
    const ResolvedProfile* profile;
    std::string context;     // relative to the bake file's folder
    std::string dockerfile;  // relative to the context
};
// One profile's target in the bake file, kept (without the profile) until the
// bake file is rendered after the last profile.
struct BakeEntry {
    std::string name;
    std::string context;
    std::string dockerfile;
    std::vector<std::string> platforms;
    std::vector<std::string> tags;
    std::string cache_from;
    std::string cache_to;
    std::string profile;  // the profile file, as the bake file's label names it
    std::string cuda;
    bool netrc_secret = false;
};
BakeEntry bake_entry(const BakeTarget& target);
// What templates/docker-bake-target.hcl.tmpl sees: one target's block.
TemplateValue bake_target_data(const BakeEntry& entry, TemplateArena& arena);
// A target's block rendered with its profile (on the thread that rendered the
// profile), and what the bake file's head needs of it.
struct RenderedBakeTarget {
    std::string name;
    std::string profile;  // the profile file, for the head's `cudagen build` hint
    bool netrc_secret = false;
    std::string text;  // the target's block, appended after the head in order
};
// What templates/docker-bake.hcl.tmpl (the head: comments, variables, the
// default group) sees; `output_dir` (absolute) names the folder in the bake
// file's build command.
TemplateValue bake_data(const std::vector<RenderedBakeTarget>& targets, const std::filesystem::path& output_dir,
                        TemplateArena& arena);

}  // namespace cudagen
