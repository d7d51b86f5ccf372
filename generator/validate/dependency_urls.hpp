// The URLs inside the dependency files a profile names (requirements files with
// their includes, a conda environment's channels and pip section): no secret in
// any of them (those files are copied into the image, and their index options
// reach the pip command line), and a warning for what weakens where packages
// come from: plain http://, --trusted-host, an index chosen inside a file.
#pragma once

#include "core/diagnostic.hpp"
#include "deps/dependencies.hpp"

namespace cudagen {

void check_dependency_urls(const deps::DependencySet& dependencies, Diagnostics& diagnostics);

}  // namespace cudagen
