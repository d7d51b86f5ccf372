// validate: the checks that need more than one field or the file system:
// referenced files exist and stay inside the build context, tag templates
// use known placeholders. Collects every finding.
#pragma once

#include "core/diagnostic.hpp"
#include "model/raw_profile.hpp"

#include <filesystem>
#include <map>
#include <mutex>
#include <string>

namespace cudagen {

// What validation found about one file of a build context.
struct ContextFileFinding {
    bool exists = false;
    bool outside = false;  // resolves, through a symbolic link, outside the context
    std::string resolved;  // where it resolves to, when outside
};

// Findings about build-context files, kept for the profiles of one run that
// share a context (and its folders), so that each file is looked at on disk once.
// Profiles validated on several threads share one: examine() may be called
// from any thread, and a finding, once made, stays where it is until the cache goes.
class ContextFileCache {
public:
    const ContextFileFinding& examine(const std::filesystem::path& context, const std::string& relative);

private:
    const ContextFileFinding* find(const std::filesystem::path& context, const std::string& relative) const;

    std::mutex m_mutex;
    std::map<std::string, std::map<std::string, ContextFileFinding, std::less<>>, std::less<>> m_findings;
};

void validate_profile(const RawProfile& profile, Diagnostics& diagnostics, ContextFileCache* files = nullptr);

// Reads the dependency files the profile names (pip.requirements, conda.environment)
// with their includes and local references into profile.dependencies; reports
// missing files and paths leaving the build context at their places.
void read_profile_dependencies(RawProfile& profile, Diagnostics& diagnostics,
                               const deps::FileReader& reader = deps::read_dependency_file);

}  // namespace cudagen
