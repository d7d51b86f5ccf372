#include "knowledge/table_reader.hpp"

#include <nlohmann/json.hpp>

namespace cudagen {

namespace {

constexpr const char* k_bad_data = "knowledge/bad-data";
const nlohmann::json k_empty_list = nlohmann::json::array();

}  // namespace

void TableReader::fail(const DataNode& node, const std::string& message)
{
    SourceLocation where{m_file, node.Mark().line + 1, node.Mark().column + 1};
    m_diagnostics.error(k_bad_data, message, where, "fix the knowledge table (see docs/knowledge.md)");
}

std::string TableReader::text(const DataNode& row, const char* key, bool required)
{
    const DataNode value = row[key];
    if (!value) {
        if (required) {
            fail(row, std::string("missing '") + key + "'");
        }
        return {};
    }
    if (!value.IsScalar()) {
        fail(value, std::string("'") + key + "' must be a scalar");
        return {};
    }
    return value.as<std::string>();
}

Version TableReader::version(const DataNode& row, const char* key)
{
    std::string value = text(row, key);
    if (value.empty()) {
        return {};
    }
    auto parsed = Version::parse(value);
    if (!parsed) {
        fail(row[key], std::string("'") + key + "' is not a version: " + value);
        return {};
    }
    return *parsed;
}

std::optional<Version> TableReader::optional_version(const DataNode& row, const char* key)
{
    if (!row[key]) {
        return std::nullopt;
    }
    return version(row, key);
}

bool TableReader::flag(const DataNode& row, const char* key)
{
    const DataNode value = row[key];
    return value && value.IsScalar() && value.as<bool>();
}

std::vector<std::string> TableReader::strings(const DataNode& row, const char* key)
{
    std::vector<std::string> out;
    const DataNode list = row[key];
    if (!list) {
        return out;
    }
    if (!list.IsSequence()) {
        fail(list, std::string("'") + key + "' must be a list");
        return out;
    }
    for (const auto& item : list) {
        out.push_back(item.as<std::string>());
    }
    return out;
}

std::vector<Version> TableReader::versions(const DataNode& row, const char* key)
{
    std::vector<Version> out;
    for (const auto& text : strings(row, key)) {
        if (auto parsed = Version::parse(text)) {
            out.push_back(*parsed);
        } else {
            fail(row[key], "'" + text + "' is not a version");
        }
    }
    return out;
}

DataNode TableReader::table(const DataNode& root, const char* name, KnowledgeTables& out)
{
    const DataNode table = root[name];
    if (!table || !table.IsMap()) {
        fail(root, std::string("missing table '") + name + "'");
        return DataNode(&k_empty_list);
    }
    TableInfo info{m_file, name, text(table, "source"), text(table, "read"), 0};
    const DataNode rows = table["rows"];
    if (!rows || !rows.IsSequence()) {
        fail(table, std::string("table '") + name + "' has no 'rows' list");
        return DataNode(&k_empty_list);
    }
    info.rows = rows.size();
    out.tables.push_back(std::move(info));
    return rows;
}

std::string optional_text(const DataNode& row, const char* key)
{
    const DataNode value = row[key];
    return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

PythonRange read_python_range(TableReader& reader, const DataNode& node)
{
    PythonRange range;
    range.min = reader.version(node, "min");
    range.max = reader.version(node, "max");
    for (const auto& text : reader.strings(node, "experimental")) {
        if (auto parsed = Version::parse(text)) {
            range.experimental.push_back(*parsed);
        }
    }
    return range;
}

PypiWheel read_pypi_wheel(TableReader& reader, const DataNode& node)
{
    PypiWheel wheel;
    wheel.variant = optional_text(node, "variant");
    if (!optional_text(node, "cuda").empty()) {
        wheel.cuda = reader.version(node, "cuda");
    }
    wheel.cudnn = optional_text(node, "cudnn");
    return wheel;
}

}  // namespace cudagen
