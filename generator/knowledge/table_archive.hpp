// The knowledge tables as compiled data. At build time generator/tools/
// compile_knowledge.cpp loads generator/data/*.yaml through the real loaders
// (the framework units' included) and writes the typed tables with
// write_table_archive(); the archive is embedded in cudagen, and at run time
// read_table_archive() rebuilds the same tables from it: lengths and numbers
// copied into place, no YAML or JSON parsed, no version or row checked again.
// The archive is only ever read by the build that wrote it (same layout, same
// byte order); its first bytes say which format it is.
#pragma once

#include "knowledge/tables.hpp"

#include <string>
#include <string_view>

namespace cudagen {

// Every row of `tables` (not `frameworks`, which are code, nor `framework_rows`,
// which only a test's unit fills) in one byte string.
std::string write_table_archive(const KnowledgeTables& tables);

// Fills `tables` from an archive written by write_table_archive(); false when the
// bytes are not one (wrong format, cut short, or left over).
bool read_table_archive(std::string_view archive, KnowledgeTables& tables);

}  // namespace cudagen
