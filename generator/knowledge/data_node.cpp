#include "knowledge/data_node.hpp"

#include <stdexcept>

namespace cudagen {

DataNode DataNode::operator[](const std::string& key) const
{
    if (!IsMap()) {
        return DataNode();
    }
    for (const auto& entry : m_value->at("m")) {
        if (entry[0].get_ref<const std::string&>() == key) {
            return DataNode(&entry[1]);
        }
    }
    return DataNode();
}

const nlohmann::json* DataNode::value() const
{
    if (m_value != nullptr && m_value->is_object()) {
        if (auto found = m_value->find("s"); found != m_value->end()) {
            return &*found;
        }
        if (auto found = m_value->find("l"); found != m_value->end()) {
            return &*found;
        }
    }
    return m_value;
}

DataMark DataNode::Mark() const
{
    if (m_value != nullptr && m_value->is_object() && m_value->contains("@")) {
        const auto& at = (*m_value)["@"];
        return {at[0].get<int>(), at[1].get<int>()};
    }
    return {};
}

const nlohmann::json* DataNode::entries() const
{
    if (IsSequence()) {
        return value();
    }
    if (IsMap()) {
        return &m_value->at("m");
    }
    return nullptr;
}

std::size_t DataNode::size() const
{
    const nlohmann::json* list = entries();
    return list ? list->size() : 0;
}

DataIterator DataNode::begin() const
{
    return DataIterator(entries(), 0, IsMap());
}

DataIterator DataNode::end() const
{
    return DataIterator(entries(), size(), IsMap());
}

DataEntry DataIterator::operator*() const
{
    const nlohmann::json& item = (*m_array)[m_index];
    if (m_map) {
        return DataEntry(DataNode(&item[1]), DataNode(&item[0]), DataNode(&item[1]));
    }
    return DataEntry(DataNode(&item), DataNode(), DataNode());
}

template <>
std::string DataNode::as<std::string>() const
{
    if (!IsScalar()) {
        throw std::runtime_error("expected a single value");
    }
    return value()->get<std::string>();
}

template <>
int DataNode::as<int>() const
{
    return std::stoi(as<std::string>());
}

template <>
bool DataNode::as<bool>() const
{
    std::string text = as<std::string>();
    if (text == "true") {
        return true;
    }
    if (text == "false") {
        return false;
    }
    throw std::runtime_error("expected true or false, got '" + text + "'");
}

template <>
std::vector<std::string> DataNode::as<std::vector<std::string>>() const
{
    std::vector<std::string> out;
    if (!IsSequence()) {
        throw std::runtime_error("expected a list");
    }
    for (const auto& item : *value()) {
        out.push_back(DataNode(&item).as<std::string>());
    }
    return out;
}

}  // namespace cudagen

namespace cudagen {

template <>
std::vector<int> DataNode::as<std::vector<int>>() const
{
    std::vector<int> out;
    for (const auto& text : as<std::vector<std::string>>()) {
        out.push_back(std::stoi(text));
    }
    return out;
}

}  // namespace cudagen
