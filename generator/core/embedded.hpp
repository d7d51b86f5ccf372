// Files compiled into cudagen: templates/, generator/data/ and the verify
// sample's sources, named by their path in the repository ("templates/Dockerfile.tmpl").
// cudagen therefore runs from any folder and on hosts without the repository.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace cudagen {

std::optional<std::string_view> embedded_file(std::string_view name);
std::vector<std::string_view> embedded_names();

}  // namespace cudagen
