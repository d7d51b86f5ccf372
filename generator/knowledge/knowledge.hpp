// The compatibility knowledge: tables loaded from generator/data/*.yaml
// (embedded in the binary). Each table row keeps its source; adding a CUDA
// release or a framework version is a data change, not a code change.
#pragma once

#include "core/diagnostic.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cudagen {

struct KnowledgeTables;  // defined in knowledge/tables.hpp
class Framework;         // frameworks/framework.hpp

class Knowledge {
public:
    // The tables compiled into cudagen. Loaded once; aborts with a message if
    // the embedded data is broken (a test guards against that).
    static const Knowledge& builtin();
    // Loads tables from texts keyed by file name ("cuda.yaml"); errors go to `diagnostics`.
    static std::unique_ptr<Knowledge> from_texts(const std::map<std::string, std::string>& texts,
                                                 Diagnostics& diagnostics);
    // The same for another list of framework units (a test adds one; each loads its own file).
    static std::unique_ptr<Knowledge> from_texts(const std::map<std::string, std::string>& texts,
                                                 Diagnostics& diagnostics,
                                                 const std::vector<const Framework*>& frameworks);

    explicit Knowledge(std::shared_ptr<const KnowledgeTables> tables);
    const KnowledgeTables& tables() const { return *m_tables; }

private:
    std::shared_ptr<const KnowledgeTables> m_tables;
};

}  // namespace cudagen
