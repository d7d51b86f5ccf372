// ci: ResolvedProfile(s) -> the CI pipeline file (GitHub Actions or GitLab CI),
// rendered from templates/ci/ with the pins in templates/ci/pins.yaml.
//
// The pipeline: check (cudagen check on every profile; the generated files and
// this file are current) -> build (docker buildx bake from the generated bake
// file, one job per profile and platform, registry cache, push by digest outside
// pull/merge requests, load on them) -> merge (one multi-arch manifest per
// profile) -> verify (cudagen verify on a self-hosted GPU runner; or export on a
// Docker host + verify --rootfs on a Docker-less GPU host).
#pragma once

#include "core/diagnostic.hpp"
#include "model/resolved_profile.hpp"
#include "render/render.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cudagen {

struct CiOptions {
    std::string provider = "github";       // github | gitlab
    std::string gpu_runner = "gpu";        // the self-hosted runner label (GitLab: runner tag)
    std::string arm64 = "qemu";            // qemu | native
    std::string verify = "docker";         // docker | rootfs | none
    std::string generated_dir = "docker";  // where `cudagen generate` writes, relative to the repository
    std::string default_branch = "main";
    std::vector<std::string> profiles;  // profile files as given, relative to the repository root
};

// The file's path in the repository: .github/workflows/cudagen.yml or .gitlab-ci.yml.
std::string ci_file_path(const std::string& provider);

// The `cudagen ci ...` command line that writes this file again (the check job runs it).
std::vector<std::string> ci_command_words(const CiOptions& options);

// Bad options (a profile path that is not a plain relative path, a label with
// spaces) are reported in `diagnostics` as usage errors.
std::optional<RenderedFile> render_ci(const std::vector<ResolvedProfile>& profiles, const CiOptions& options,
                                      Diagnostics& diagnostics);

}  // namespace cudagen
