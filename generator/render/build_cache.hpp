// The CMake build folder of a build step kept between builds in a BuildKit
// cache mount (templates/build_cache.tmpl writes the script that restores and
// saves it): a rebuild skips CMake's compiler checks and what has not changed.
#pragma once

#include "model/resolved_profile.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cudagen {

// The one absolute folder that the commands' cmake calls name with -B or
// --build; nothing when there is none, more than one, or one that is not a
// plain absolute path.
std::optional<std::string> cmake_build_dir(const std::string& commands);

struct CachedRun {
    std::string run;       // the commands between the script's restore and save
    std::string cache_id;  // the cache mount's id
};
// One RUN of the build: its shell text and the folders the build's COPYs put
// in place before it (what its compile reads from the context).
struct BuildRun {
    std::string commands;
    std::vector<std::string> sources;
};
// Each run's cached form, or nothing where it builds no CMake folder, where
// another run names the same folder (two caches of one folder would undo each
// other's work) or where a source was copied to / (all of it would be hashed).
std::vector<std::optional<CachedRun>> cached_runs(const ResolvedProfile& profile, const std::vector<BuildRun>& runs);

}  // namespace cudagen
