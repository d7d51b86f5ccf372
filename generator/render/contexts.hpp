// Template contexts: the only place that decides what a template can see.
#pragma once

#include "core/diagnostic.hpp"
#include "model/resolved_profile.hpp"
#include "render/template.hpp"

#include <filesystem>
#include <optional>

namespace cudagen {

std::optional<TemplateContext> dockerfile_context(const ResolvedProfile& profile, Diagnostics& diagnostics);
// What every Dockerfile shares: the verify sample as templates/verify_files.tmpl
// writes it (the digest and base64 lines made at build time).
std::optional<TemplateContext> verify_files_context(Diagnostics& diagnostics);

struct BakeTarget {
    const ResolvedProfile* profile;
    std::string context;     // relative to the bake file's folder
    std::string dockerfile;  // relative to the context
};
// `output_dir` (absolute) names the folder in the bake file's build command.
TemplateContext bake_context(const std::vector<BakeTarget>& targets, const std::filesystem::path& output_dir);
// The same in two steps, for profiles rendered one at a time: each target's
// entry while its profile is at hand, then the context from the entries.
TemplateContext bake_target(const BakeTarget& target);
TemplateContext bake_context(std::vector<TemplateContext> targets, const std::filesystem::path& output_dir);

}  // namespace cudagen
