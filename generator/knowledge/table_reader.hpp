// Reads the rows of one knowledge file (generator/data/*.yaml) in its data form:
// each value checked and typed, each problem reported at file:line:column as
// knowledge/bad-data. Shared by the knowledge loader and the framework units,
// which load their own tables.
#pragma once

#include "core/diagnostic.hpp"
#include "knowledge/data_node.hpp"
#include "knowledge/tables.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cudagen {

class TableReader {
public:
    TableReader(std::string file, Diagnostics& diagnostics) : m_file(std::move(file)), m_diagnostics(diagnostics) {}

    const std::string& file() const { return m_file; }

    void fail(const DataNode& node, const std::string& message);
    std::string text(const DataNode& row, const char* key, bool required = true);
    Version version(const DataNode& row, const char* key);
    std::optional<Version> optional_version(const DataNode& row, const char* key);
    bool flag(const DataNode& row, const char* key);
    std::vector<std::string> strings(const DataNode& row, const char* key);
    // Every item of list `key` as a version (an item that is none is reported).
    std::vector<Version> versions(const DataNode& row, const char* key);
    // The rows of table `name`; records its source and read date in out.tables.
    DataNode table(const DataNode& root, const char* name, KnowledgeTables& out);

private:
    std::string m_file;
    Diagnostics& m_diagnostics;
};

// A text field that may be null (a generated row with nothing to say).
std::string optional_text(const DataNode& row, const char* key);
// {min, max, experimental: [...]}
PythonRange read_python_range(TableReader& reader, const DataNode& node);
// A generated `pypi` row's platform entry: {variant, cuda, cudnn}.
PypiWheel read_pypi_wheel(TableReader& reader, const DataNode& node);

}  // namespace cudagen
