// Generated output must never land in an image: when the output folder lies
// inside a profile's build context, that context's .dockerignore gets a line
// excluding it (created if missing; the user's own lines are kept as they are).
#pragma once

#include "core/diagnostic.hpp"
#include "model/resolved_profile.hpp"

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace cudagen {

// What was changed: "profiles/x/.dockerignore: added build/cudagen" per file.
struct DockerignoreUpdate {
    std::filesystem::path file;
    std::string pattern;  // the line added
};

// The .dockerignore line that excludes `output` from `context`, or "" when
// the output folder is outside the context. Pure: for tests.
std::string dockerignore_pattern(const std::filesystem::path& context, const std::filesystem::path& output);

// True when `text` (a .dockerignore) already has `pattern` as a line ("/x" and "x/" count too).
bool dockerignore_has(std::string_view text, std::string_view pattern);

// Adds the pattern to each context's .dockerignore where needed (written via a
// temporary file and a rename). Problems are warnings: the output is written.
std::vector<DockerignoreUpdate> update_dockerignores(const std::vector<std::filesystem::path>& contexts,
                                                     const std::filesystem::path& output, Diagnostics& diagnostics);

// For generate and build: updates the .dockerignore of every profile's context
// that holds `output`, and says so on `out` ("cudagen: added ... to ...").
// Problems are printed as warnings.
void report_dockerignore_updates(const std::vector<ResolvedProfile>& profiles, const std::filesystem::path& output,
                                 std::ostream& out);
// The same for the profiles' build contexts.
void report_dockerignore_updates(const std::vector<std::filesystem::path>& contexts,
                                 const std::filesystem::path& output, std::ostream& out);

}  // namespace cudagen
