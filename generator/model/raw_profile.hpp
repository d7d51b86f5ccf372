// The profile as written: every value with its file:line:column.
// Produced by load/, checked by validate/, read only by resolve/.
#pragma once

#include "core/located.hpp"
#include "deps/dependencies.hpp"
#include "deps/user_pins.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cudagen {

using LocatedString = Located<std::string>;
using LocatedStrings = std::vector<LocatedString>;

struct RawCopy {
    LocatedString src;
    LocatedString dst;
    SourceLocation where;
};

struct RawFramework {
    LocatedString name;     // pytorch | tensorflow | jax
    LocatedString version;  // "2.3.1" or "2.3"
    LocatedStrings with;    // companions: torchvision, torchaudio
    LocatedString channel;  // pip (default) | conda
    SourceLocation where;
    // Set when there is no framework block and the framework comes from a pin in the
    // user's files (resolve/adopt_pins.cpp): "torch==1.13.1 (requirements.txt:3)".
    std::string pinned_by;
};

// A value the profile leaves out that the user's dependency files pin, located at the pin.
struct PinnedValue {
    LocatedString value;  // "11.7"
    std::string by;       // "torch==1.13.1+cu117 (requirements.txt:3)"
};

struct RawPinned {
    PinnedValue cuda;    // pytorch-cuda/cudatoolkit/cuda-version, a conda build string, +cuXYZ, /whl/cuXYZ
    PinnedValue python;  // the environment's python, or a conda build string's pyX.Y
};

// One ordered build step: exactly one of `run` and `copy`.
struct RawBuildStep {
    LocatedString run;
    std::optional<RawCopy> copy;
    SourceLocation where;
};

struct RawBuild {
    std::vector<RawCopy> copy;
    LocatedStrings run;
    std::vector<RawBuildStep> steps;  // in the declared order, each its own layer
    std::vector<RawCopy> artifacts;
};

struct RawApp {
    std::vector<RawCopy> copy;
    LocatedString workdir;
    std::vector<std::pair<LocatedString, LocatedString>> env;  // in file order
    std::vector<Located<int>> expose;
    LocatedStrings cmd;
    LocatedStrings entrypoint;
    LocatedString user;
    LocatedStrings path;          // folders put before $PATH
    LocatedStrings library_path;  // folders put before $LD_LIBRARY_PATH
    LocatedStrings run;           // shell commands run in the runtime stage (as root, before USER)
};

struct RawImage {
    LocatedString registry;
    LocatedStrings tags;
    LocatedString base_registry;
};

struct RawProfile {
    std::string file;                   // the path as the user gave it (used in diagnostics)
    std::filesystem::path context_dir;  // the profile's folder: the build context
    std::string text;                   // the file's text, for carets in diagnostics

    LocatedString name;
    LocatedString cuda;
    LocatedString os;
    Located<bool> cudnn;
    LocatedString python;
    std::optional<RawFramework> framework;
    LocatedString conda_environment;
    LocatedString pip_requirements;
    LocatedStrings pip_packages;
    LocatedStrings pip_extra_index_urls;
    LocatedStrings pip_find_links;  // URLs of find-links pages, or folders in the context
    LocatedString pip_project;      // a folder with pyproject.toml, installed from its source
    LocatedStrings pip_project_extras;
    LocatedString pip_index_url;            // replaces PyPI
    LocatedString pip_framework_index_url;  // mirror of the framework's own index root
    LocatedStrings apt;                     // installed in the devel and the runtime stage
    LocatedStrings apt_build;               // devel stage only
    LocatedStrings gpu_archs;
    Located<bool> ptx;  // PTX for the newest arch (default true)
    LocatedStrings platforms;
    LocatedString runtime_flavor;  // base | runtime | cudnn-runtime
    RawBuild build;
    RawApp app;
    RawImage image;
    Located<bool> verify;             // build cudagen-verify into the image (default true)
    LocatedString dockerfile_syntax;  // emit "# syntax=<value>" (off by default)

    // What the dependency files named above hold (requirements with their
    // includes, the conda environment); filled after validation.
    deps::DependencySet dependencies;
    // Every pin of those files and of pip.packages / pip.extra_index_urls, gathered
    // once with them (deps::collect_user_pins) for resolve and check to share.
    std::vector<deps::UserPin> user_pins;
    // What those files pin where the profile says nothing (adopt_user_pins).
    RawPinned pinned;
};

}  // namespace cudagen
