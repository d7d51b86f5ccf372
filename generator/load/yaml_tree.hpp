// A YAML document as a tree that remembers where every node was written.
// Built from yaml-cpp's parser events (not YAML::Node) because the loader
// needs what YAML::Node hides: duplicate keys, whether a scalar was quoted,
// and the position of every key.
#pragma once

#include "core/diagnostic.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cudagen {

struct YamlEntry;

struct YamlNode {
    enum class Kind { null, scalar, sequence, map };

    Kind kind = Kind::null;
    std::string value;  // scalars only: the text as written (no type conversion)
    bool plain = true;  // scalars only: false when quoted or a block scalar
    SourceLocation where;
    std::vector<YamlNode> items;     // sequences
    std::vector<YamlEntry> entries;  // maps, in file order

    bool is_scalar() const { return kind == Kind::scalar; }
    bool is_null() const { return kind == Kind::null; }
    bool is_sequence() const { return kind == Kind::sequence; }
    bool is_map() const { return kind == Kind::map; }
};

// A key and its value. A struct rather than std::pair: a pair of the type being
// defined is not allowed (clang rejects it; GCC happens to accept it).
struct YamlEntry {
    YamlNode first;   // the key
    YamlNode second;  // the value
};

std::string_view yaml_kind_name(YamlNode::Kind kind);

// Parses exactly one YAML document. Syntax errors, duplicate keys, non-scalar
// keys and several documents are reported (all of them where parsing can go
// on) and nothing is returned. An empty document gives a null node.
std::optional<YamlNode> parse_yaml(std::string_view text, const std::string& file, Diagnostics& diagnostics);

// The same with yaml-cpp only (parse_yaml first tries the fast reader of yaml_plain.hpp).
std::optional<YamlNode> parse_yaml_with_yaml_cpp(std::string_view text, const std::string& file,
                                                 Diagnostics& diagnostics);

}  // namespace cudagen
