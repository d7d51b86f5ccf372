#include "frameworks/registry.hpp"

#include <algorithm>

namespace cudagen {

// Each unit's definition lives in its own file (frameworks/<name>.cpp).
const Framework& pytorch_framework();
const Framework& tensorflow_framework();
const Framework& jax_framework();

const FrameworkList& builtin_frameworks()
{
    static const FrameworkList k_frameworks = {&pytorch_framework(), &tensorflow_framework(), &jax_framework()};
    return k_frameworks;
}

const Framework* find_framework(const FrameworkList& frameworks, std::string_view name)
{
    auto found = std::find_if(frameworks.begin(), frameworks.end(),
                              [&](const Framework* framework) { return framework->name() == name; });
    return found == frameworks.end() ? nullptr : *found;
}

const Framework* framework_of_pip_package(const FrameworkList& frameworks, std::string_view package)
{
    auto found = std::find_if(frameworks.begin(), frameworks.end(),
                              [&](const Framework* framework) { return framework->package() == package; });
    return found == frameworks.end() ? nullptr : *found;
}

const Framework* framework_of_package(const FrameworkList& frameworks, std::string_view package)
{
    for (const Framework* framework : frameworks) {
        auto names = framework->package_names();
        if (std::find(names.begin(), names.end(), package) != names.end()) {
            return framework;
        }
    }
    return nullptr;
}

std::vector<std::string> framework_names(const FrameworkList& frameworks)
{
    std::vector<std::string> out;
    for (const Framework* framework : frameworks) {
        out.emplace_back(framework->name());
    }
    return out;
}

}  // namespace cudagen
