// libFuzzer entry point: any bytes as a profile through load, validate,
// resolve and render. Build with clang: cmake -DCUDAGEN_FUZZ=ON
// -DCMAKE_CXX_COMPILER=clang++, then run build/tests/cudagen_fuzz_profile
// profiles/ (the shipped profiles are a good seed corpus). The unit test
// LoadRobustness runs a deterministic mutation of the same kind in every build.
#include "knowledge/knowledge.hpp"
#include "load/load_profile.hpp"
#include "render/render.hpp"
#include "resolve/resolve.hpp"
#include "validate/validate.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace cudagen;
    std::string text(reinterpret_cast<const char*>(data), size);
    Diagnostics diagnostics;
    auto raw = load_profile_from_string(text, "fuzz.yaml", std::filesystem::temp_directory_path(), diagnostics);
    if (!raw) {
        return 0;
    }
    validate_profile(*raw, diagnostics);
    read_profile_dependencies(*raw, diagnostics);
    if (diagnostics.has_errors()) {
        return 0;
    }
    auto resolved = resolve(*raw, Knowledge::builtin(), {}, diagnostics);
    if (resolved) {
        render_profiles({*resolved}, {std::filesystem::temp_directory_path() / "cudagen-fuzz", false}, diagnostics);
    }
    return 0;
}
