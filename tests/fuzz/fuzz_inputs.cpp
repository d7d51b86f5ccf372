// libFuzzer entry point for the dependency files a profile names: the conda
// environment file and requirements files with their -r/-c includes. The
// first byte picks the reader; the rest is split at "\n--8<--\n" into files
// (environment.yml or requirements.txt first, then r1.txt, r2.txt, ... that
// the first can include), read from memory through the reader seam.
// Build with clang: cmake -DCUDAGEN_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++, then
// run build/tests/cudagen_fuzz_inputs tests/fuzz/inputs-seed/.
#include "core/diagnostic.hpp"
#include "load/yaml_tree.hpp"

#if __has_include("deps/dependencies.hpp")
#include "deps/dependencies.hpp"
#define CUDAGEN_FUZZ_DEPS 1
#endif

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace {

std::map<std::string, std::string> split_files(std::string_view text, const std::string& first)
{
    std::map<std::string, std::string> files;
    constexpr std::string_view k_cut = "\n--8<--\n";
    int index = 0;
    while (true) {
        std::size_t cut = text.find(k_cut);
        std::string name = index == 0 ? first : "r" + std::to_string(index) + ".txt";
        files[name] = std::string(text.substr(0, cut));
        if (cut == std::string_view::npos || index == 8) {
            return files;
        }
        text.remove_prefix(cut + k_cut.size());
        ++index;
    }
}

#ifdef CUDAGEN_FUZZ_DEPS
void read_from_memory(const std::map<std::string, std::string>& files, bool environment)
{
    using namespace cudagen;
    deps::DependencyInputs inputs;
    inputs.context_dir = "/nonexistent-fuzz-context";
    if (environment) {
        inputs.conda_environment = {"environment.yml", {"p.yaml", 1, 1}, true};
    } else {
        inputs.requirements.push_back({"requirements.txt", {"p.yaml", 1, 1}, true});
    }
    deps::FileReader reader = [&files](const std::filesystem::path& path, const std::string&,
                                       const SourceLocation& named_at,
                                       Diagnostics& diagnostics) -> std::optional<std::string> {
        auto found = files.find(path.filename().string());
        if (found == files.end()) {
            diagnostics.error("io/not-found", "no such file", named_at, "");
            return std::nullopt;
        }
        return found->second;
    };
    Diagnostics diagnostics;
    deps::DependencySet set = deps::read_dependencies(inputs, diagnostics, reader);
    (void)set.pip_entries();
    (void)set.find_pip("torch");
    for (const auto& diagnostic : diagnostics.items()) {
        (void)format_diagnostic(diagnostic, files.begin()->second);
    }
}
#endif

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace cudagen;
    if (size == 0) {
        return 0;
    }
    std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    bool environment = (data[0] & 1) == 0;
    auto files = split_files(text, environment ? "environment.yml" : "requirements.txt");
    if (environment) {
        // The bounded tree every YAML input goes through first.
        Diagnostics diagnostics;
        (void)parse_yaml(files["environment.yml"], "environment.yml", diagnostics);
    }
#ifdef CUDAGEN_FUZZ_DEPS
    if ((data[0] & 2) != 0 && !environment) {
        Diagnostics diagnostics;
        (void)deps::parse_requirements_text(files["requirements.txt"], "requirements.txt", diagnostics);
    } else {
        read_from_memory(files, environment);
    }
#endif
    return 0;
}
