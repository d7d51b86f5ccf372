// Build-time tool: compile_templates OUT.cpp NAME=FILE...
// Parses each template with the parser cudagen has and writes its nodes as C++
// data (compiled_templates()), so that cudagen renders its Dockerfile and bake
// file without parsing their templates at every start. A template that does not
// parse fails the build, with its error at template:line:column.
#include "core/diagnostic.hpp"
#include "render/template_parse.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace {

using namespace cudagen::template_engine;

// A C++ string literal of `text`: octal escapes (never longer than three digits)
// for everything but printable ASCII.
std::string literal(std::string_view text)
{
    std::string out = "std::string_view(\"";
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte >= 0x20 && byte < 0x7f && c != '?') {
            out += c;
        } else {
            out += '\\';
            out += static_cast<char>('0' + ((byte >> 6) & 7));
            out += static_cast<char>('0' + ((byte >> 3) & 7));
            out += static_cast<char>('0' + (byte & 7));
        }
    }
    return out + "\", " + std::to_string(text.size()) + ")";
}

const char* kind_name(NodeKind kind)
{
    static const char* const k_names[] = {"text", "value", "section", "inverted", "partial"};
    return k_names[static_cast<int>(kind)];
}

const char* filter_name(Filter filter)
{
    static const char* const k_names[] = {"none", "json", "hcl", "sh", "env", "text"};
    return k_names[static_cast<int>(filter)];
}

const char* path_name(PathKind path)
{
    static const char* const k_names[] = {"name", "dot", "first", "last"};
    return k_names[static_cast<int>(path)];
}

void write_template(std::ostream& out, std::size_t index, const ParsedTemplate& parsed)
{
    out << "constexpr Node k_nodes_" << index << "[] = {\n";
    for (const auto& node : parsed.nodes) {
        out << "    {NodeKind::" << kind_name(node.kind) << ", Filter::" << filter_name(node.filter)
            << ", PathKind::" << path_name(node.path) << ", " << node.line << ", " << node.column << ", "
            << node.keys_begin << ", " << node.keys_end << ", " << node.end << ", " << literal(node.text) << ", "
            << literal(node.indent) << "},\n";
    }
    out << "};\n";
    out << "constexpr TemplateKey k_keys_" << index << "[] = {\n";
    for (const auto& key : parsed.keys) {
        out << "    TemplateKey::of(" << literal(key.name()) << "),\n";
    }
    out << "    TemplateKey::of(std::string_view()),  // so that no array is empty\n};\n";
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::cerr << "usage: compile_templates OUT.cpp NAME=FILE...\n";
        return 2;
    }
    std::ostringstream out;
    out << "// Generated at build time by generator/tools/compile_templates.cpp from templates/: do not edit.\n"
        << "#include \"render/template_parse.hpp\"\n\nnamespace cudagen::template_engine {\n\nnamespace {\n\n";
    std::vector<std::pair<std::string, std::unique_ptr<ParsedTemplate>>> templates;
    for (int i = 2; i < argc; ++i) {
        std::string argument = argv[i];
        std::size_t equals = argument.find('=');
        std::string name = argument.substr(0, equals);
        std::ifstream file(equals == std::string::npos ? "" : argument.substr(equals + 1), std::ios::binary);
        if (!file) {
            std::cerr << "compile_templates: cannot read " << argument << " (NAME=FILE)\n";
            return 1;
        }
        std::stringstream text;
        text << file.rdbuf();
        try {
            templates.emplace_back(name, parse_template("templates/" + name + ".tmpl", text.str(), true));
        } catch (const TemplateError& error) {
            std::cerr << error.where.file << ":" << error.where.line << ":" << error.where.column
                      << ": error: " << error.message << "\n";
            return 1;
        }
        write_template(out, templates.size() - 1, *templates.back().second);
    }
    out << "\nconstexpr CompiledTemplate k_templates[] = {\n";
    for (std::size_t i = 0; i < templates.size(); ++i) {
        const ParsedTemplate& parsed = *templates[i].second;
        out << "    {" << literal(templates[i].first) << ", {" << literal(parsed.name) << ", " << parsed.text.size()
            << ", std::span<const Node>(k_nodes_" << i << "), std::span<const TemplateKey>(k_keys_" << i << ", "
            << parsed.keys.size() << ")}},\n";
    }
    out << "};\n\n}  // namespace\n\nstd::span<const CompiledTemplate> compiled_templates()\n{\n"
        << "    return k_templates;\n}\n\n}  // namespace cudagen::template_engine\n";
    std::ofstream(argv[1], std::ios::binary) << out.str();
    return 0;
}
