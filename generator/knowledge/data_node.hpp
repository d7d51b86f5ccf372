// A read-only view of a knowledge table in its data form (nlohmann::json with
// maps as {"m": [[key, value], ...]} so key order survives, scalars as strings),
// with the small part of YAML::Node's interface the table loaders use. Tables
// given as YAML text are converted by yaml_to_data() (with positions, so a broken
// row is reported at its line); the built-in tables went through the same loaders
// at build time and arrive compiled (knowledge/table_archive.hpp).
#pragma once

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cudagen {

// With positions (how the loaders read YAML texts) scalars are {"s": text, "@":
// [line, column]} and lists {"l": [...], "@": ...}; without, plain strings and arrays.
inline nlohmann::json yaml_to_data(const YAML::Node& node, bool positions = false)
{
    nlohmann::json out;
    switch (node.Type()) {
        case YAML::NodeType::Sequence: {
            nlohmann::json items = nlohmann::json::array();
            for (const auto& item : node) {
                items.push_back(yaml_to_data(item, positions));
            }
            out = positions ? nlohmann::json{{"l", items}} : items;
            break;
        }
        case YAML::NodeType::Map: {
            nlohmann::json entries = nlohmann::json::array();
            for (const auto& entry : node) {
                entries.push_back({entry.first.as<std::string>(), yaml_to_data(entry.second, positions)});
            }
            out = nlohmann::json{{"m", entries}};
            break;
        }
        case YAML::NodeType::Scalar:
            out = positions ? nlohmann::json{{"s", node.as<std::string>()}} : nlohmann::json(node.as<std::string>());
            break;
        default:
            return nullptr;
    }
    if (positions) {
        out["@"] = {node.Mark().line, node.Mark().column};
    }
    return out;
}

struct DataMark {
    int line = -1;  // 0-based like YAML::Mark; -1 when the data form kept no position
    int column = -1;
};

class DataEntry;
class DataIterator;

class DataNode {
public:
    DataNode() = default;
    explicit DataNode(const nlohmann::json* value) : m_value(value) {}

    DataNode operator[](const std::string& key) const;
    explicit operator bool() const { return m_value != nullptr && !m_value->is_null(); }
    bool IsScalar() const { return value() != nullptr && value()->is_string(); }
    bool IsSequence() const { return value() != nullptr && value()->is_array(); }
    bool IsMap() const { return m_value != nullptr && m_value->is_object() && m_value->contains("m"); }
    std::size_t size() const;
    DataMark Mark() const;

    template <class T>
    T as() const;

    // Sequences yield their items; maps yield entries with .first and .second.
    DataIterator begin() const;
    DataIterator end() const;

private:
    const nlohmann::json* entries() const;  // the array iterated over, or null
    const nlohmann::json* value() const;    // a scalar's string or a list's array, positions unwrapped
    const nlohmann::json* m_value = nullptr;
};

class DataEntry : public DataNode {
public:
    DataEntry(DataNode item, DataNode key, DataNode value) : DataNode(item), first(key), second(value) {}
    DataNode first;
    DataNode second;
};

class DataIterator {
public:
    DataIterator(const nlohmann::json* array, std::size_t index, bool map) : m_array(array), m_index(index), m_map(map)
    {
    }
    DataEntry operator*() const;
    DataIterator& operator++()
    {
        ++m_index;
        return *this;
    }
    bool operator!=(const DataIterator& other) const { return m_index != other.m_index; }

private:
    const nlohmann::json* m_array;
    std::size_t m_index;
    bool m_map;
};

}  // namespace cudagen
