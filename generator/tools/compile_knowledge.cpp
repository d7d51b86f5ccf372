// Build-time tool: compile_knowledge OUT IN.yaml...
// Loads the knowledge tables (generator/data/*.yaml) through the same loaders
// cudagen has (the framework units' own included) and writes the typed tables
// as an archive (knowledge/table_archive.hpp) that cudagen embeds and reads at
// start-up without parsing. A broken table fails the build here, with its
// file:line:column, instead of every run of cudagen.
#include "core/diagnostic.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/table_archive.hpp"
#include "knowledge/tables.hpp"

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

std::string read_all(const char* path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(std::string("cannot read ") + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int compile(const char* out_path, const std::map<std::string, std::string>& texts)
{
    cudagen::Diagnostics diagnostics;
    std::unique_ptr<cudagen::Knowledge> knowledge = cudagen::Knowledge::from_texts(texts, diagnostics);
    for (const auto& diagnostic : diagnostics.items()) {
        std::cerr << cudagen::format_diagnostic(diagnostic) << "\n";
    }
    if (diagnostics.has_errors() || !knowledge) {
        return 1;
    }
    if (!knowledge->tables().framework_rows.empty()) {
        std::cerr << "compile_knowledge: a framework unit keeps rows outside KnowledgeTables' fields\n";
        return 1;
    }
    std::string archive = cudagen::write_table_archive(knowledge->tables());
    cudagen::KnowledgeTables again;
    if (!cudagen::read_table_archive(archive, again) || cudagen::write_table_archive(again) != archive) {
        std::cerr << "compile_knowledge: the archive does not read back as written\n";
        return 1;
    }
    std::ofstream(out_path, std::ios::binary) << archive;
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::cerr << "usage: compile_knowledge OUT IN.yaml...\n";
        return 2;
    }
    try {
        std::map<std::string, std::string> texts;
        for (int i = 2; i < argc; ++i) {
            texts[argv[i]] = read_all(argv[i]);
        }
        return compile(argv[1], texts);
    } catch (const std::exception& error) {
        std::cerr << "compile_knowledge: " << error.what() << "\n";
        return 1;
    }
}
