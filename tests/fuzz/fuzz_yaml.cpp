// libFuzzer entry point for the fast YAML reader (load/yaml_plain.hpp), checked
// against yaml-cpp: whenever the fast reader returns a tree, yaml-cpp must accept
// the same text and build the same tree (kinds, values, quoting, every position);
// any difference aborts, so libFuzzer keeps the input. Seed it with the repository's
// YAML files: build/tests/cudagen_fuzz_yaml CORPUS/ profiles/ tests/
#include "core/diagnostic.hpp"
#include "load/yaml_plain.hpp"
#include "load/yaml_tree.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

// One line per node, indented by depth: what the two readers must agree on.
void describe(const cudagen::YamlNode& node, int depth, std::string& out)
{
    out.append(static_cast<std::size_t>(depth), ' ');
    out += std::to_string(static_cast<int>(node.kind)) + (node.plain ? " plain " : " quoted ") +
           std::to_string(node.where.line) + ":" + std::to_string(node.where.column) + " [" + node.value + "]\n";
    for (const auto& item : node.items) {
        describe(item, depth + 1, out);
    }
    for (const auto& entry : node.entries) {
        describe(entry.first, depth + 1, out);
        describe(entry.second, depth + 2, out);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::optional<cudagen::YamlNode> fast = cudagen::parse_plain_yaml(text, "fuzz.yaml");
    if (!fast) {
        return 0;
    }
    cudagen::Diagnostics diagnostics;
    std::optional<cudagen::YamlNode> full = cudagen::parse_yaml_with_yaml_cpp(text, "fuzz.yaml", diagnostics);
    if (!full || diagnostics.has_errors()) {
        std::fprintf(stderr, "the fast reader accepted a text that yaml-cpp rejects\n");
        std::abort();
    }
    std::string fast_tree;
    std::string full_tree;
    describe(*fast, 0, fast_tree);
    describe(*full, 0, full_tree);
    if (fast_tree != full_tree) {
        std::fprintf(stderr, "the readers disagree\nfast reader:\n%s\nyaml-cpp:\n%s\n", fast_tree.c_str(),
                     full_tree.c_str());
        std::abort();
    }
    return 0;
}
