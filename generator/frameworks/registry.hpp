// The frameworks cudagen knows: one list (registry.cpp). The knowledge tables are
// loaded for a list of units (KnowledgeTables::frameworks); everything else finds
// a unit there by the name a profile or a pin uses.
#pragma once

#include "frameworks/framework.hpp"

#include <string_view>
#include <vector>

namespace cudagen {

using FrameworkList = std::vector<const Framework*>;

// The built-in units, in the order their tables load.
const FrameworkList& builtin_frameworks();

// The unit named `name` (framework.name: "pytorch"), null when none.
const Framework* find_framework(const FrameworkList& frameworks, std::string_view name);
// The unit whose pip package is `package` ("torch"), null when none.
const Framework* framework_of_pip_package(const FrameworkList& frameworks, std::string_view package);
// The unit whose own package a pip or conda pin names ("torch", conda's "pytorch"), null when none.
const Framework* framework_of_package(const FrameworkList& frameworks, std::string_view package);
// "pytorch", "tensorflow", "jax"
std::vector<std::string> framework_names(const FrameworkList& frameworks);

}  // namespace cudagen
