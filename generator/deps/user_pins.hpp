// The pins a user writes in their own files, gathered in one list: pip.packages
// and pip.extra_index_urls of the profile, the requirements files (includes
// followed), the conda environment's dependencies and its pip section. Each
// pin keeps the file:line:column it was written at, so resolve can adopt what
// it pins (framework, CUDA, Python) and check can report at the pin itself.
#pragma once

#include "core/version.hpp"
#include "deps/dependencies.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cudagen::deps {

enum class PinSource {
    profile_packages,  // pip.packages
    profile_index,     // pip.extra_index_urls
    requirements,      // a requirements file (an entry or an index option)
    constraints,       // a constraints file (-c): limits versions, installs nothing
    conda,             // a conda dependency of the environment file
    conda_pip,         // the environment's pip section
};

struct UserPin {
    PinSource source = PinSource::requirements;
    std::string text;   // as written: "torch==1.13.1+cu117", "--extra-index-url https://.../whl/cu117"
    std::string shown;  // where, for messages: "pip.packages", "requirements.txt:3"
    PackageSpec spec;   // no name for an index option
    std::string index;  // the URL of an index option
    SourceLocation where;

    bool conda() const { return source == PinSource::conda; }
    bool installs() const { return source != PinSource::constraints && source != PinSource::profile_index; }
};

// Every pin, in the order the install reads them: the environment, then
// pip.packages, pip.extra_index_urls and the requirements files.
// What the profile itself pins: pip.packages and pip.extra_index_urls.
struct ProfilePins {
    const std::vector<Located<std::string>>* packages = nullptr;
    const std::vector<Located<std::string>>* extra_index_urls = nullptr;
};

std::vector<UserPin> collect_user_pins(const DependencySet& set, const ProfilePins& profile);

// Whether the spec admits `version`: true/false, nothing when it cannot tell
// (a version that is not numeric, a conda "|" or bracket spec). No specifier admits all.
std::optional<bool> spec_admits(const PackageSpec& spec, const Version& version, bool conda);

// The one release an exact pin names: "==1.13.1", "===1.13.1", conda "=1.13.1",
// "1.13.1", "1.13.*" (-> 1.13: the newest patch). Nothing for a range or no version.
std::optional<Version> exact_release(const PackageSpec& spec, bool conda);

// The CUDA X.Y a pin names: a "+cu117" local version, a ".../whl/cu117" index,
// a conda build string "py3.9_cuda11.7_cudnn8.5.0_0". Nothing when it names none.
std::optional<Version> cuda_of_pin(const UserPin& pin);
// "cu117" -> 11.7, "cu92" -> 9.2, "cu1210" is not a tag.
std::optional<Version> cuda_of_tag(std::string_view digits);
// The Python of a conda build string: "py3.9_cuda11.7_0" -> 3.9, "py310h1234_0" -> 3.10.
std::optional<Version> python_of_build(std::string_view build);

}  // namespace cudagen::deps
