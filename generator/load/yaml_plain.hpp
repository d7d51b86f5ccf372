// A fast reader for the plain shape most cudagen YAML files have (see
// yaml_plain.cpp); parse_yaml() tries it first and falls back to yaml-cpp.
#pragma once

#include "load/yaml_tree.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cudagen {

// The tree yaml-cpp would build for `text`, or nothing when the text is not in the
// plain shape (or has anything to report): then only yaml-cpp may read it.
std::optional<YamlNode> parse_plain_yaml(std::string_view text, const std::string& file);

}  // namespace cudagen
