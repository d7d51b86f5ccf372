// scaffold (`cudagen init`): choices -> the files of a new repository, in memory.
// The profile is resolved by the real pipeline before it is written: a draft is
// staged in a temporary folder, loaded, validated, resolved and checked; the
// versions cudagen picked are then pinned in the profile, which goes through the
// pipeline once more. Any error: no files.
#pragma once

#include "ci/ci.hpp"
#include "core/diagnostic.hpp"
#include "render/render.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cudagen {

struct InitOptions {
    std::filesystem::path dir;          // the repository folder
    std::string name;                   // image name; "" = from the folder's name
    std::string framework = "pytorch";  // pytorch | tensorflow | jax | none
    std::string cuda;                   // "" = resolved
    std::string python;                 // "" = resolved
    bool conda = false;
    std::vector<std::string> platforms = {"linux/amd64"};
    std::string ci = "github";  // github | gitlab | none
    CiOptions ci_options;       // provider and profiles are set by init
};

struct Scaffold {
    std::vector<RenderedFile> files;  // paths relative to the repository folder
    std::vector<std::string> notes;   // what was resolved, in words
};

// An image name from a folder name ("My Project" -> "my-project").
std::string image_name_from_folder(const std::filesystem::path& dir);

// The files, or nothing with the reasons in `diagnostics` (`exit_code` set: 1 when
// the choices cannot work together, 2 for bad input).
std::optional<Scaffold> render_scaffold(const InitOptions& options, Diagnostics& diagnostics, int& exit_code);

}  // namespace cudagen
