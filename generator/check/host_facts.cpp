// read_host_facts: --driver and --gpu as the user wrote them -> typed HostFacts.
// Bad values are usage errors, reported before any profile is checked.
#include "check/check.hpp"

#include "core/text.hpp"
#include "knowledge/gpu_arch.hpp"

namespace cudagen {

namespace {

// Driver releases are numbered from R304 on; CUDA versions stay below 100.
constexpr int k_first_driver_major = 100;

bool read_driver(std::string_view text, HostFacts& host, Diagnostics& diagnostics)
{
    if (text.empty()) {
        return true;
    }
    auto version = Version::parse(trim(text));
    if (version && version->major() >= k_first_driver_major) {
        host.driver = *version;
        return true;
    }
    if (version && version->size() == 2 && version->major() >= 9) {
        host.driver_cuda = *version;
        return true;
    }
    diagnostics.error(
        "usage/bad-driver",
        "--driver '" + std::string(text) + "' is neither a driver release nor the CUDA version nvidia-smi prints", {},
        "pass the 'Driver Version' nvidia-smi prints, e.g. --driver 535.104.05");
    return false;
}

bool read_gpu(const std::string& text, const KnowledgeTables& tables, HostFacts& host, Diagnostics& diagnostics)
{
    auto arch = parse_gpu_arch(trim(text), tables);
    if (!arch) {
        auto hint = closest_match(normalize_gpu_name(text), tables.gpu_names());
        diagnostics.error("usage/unknown-gpu",
                          "--gpu '" + text + "' is neither a compute capability, an sm_XX target nor a known GPU" +
                              (hint ? " (did you mean '" + *hint + "'?)" : ""),
                          {}, "pass a compute capability like 8.6 or a name `cudagen gpus` lists");
        return false;
    }
    arch->written = text;
    host.gpus.push_back({*arch, tables.gpu(text)});
    return true;
}

}  // namespace

std::optional<HostFacts> read_host_facts(std::string_view driver, const std::vector<std::string>& gpus,
                                         const KnowledgeTables& tables, Diagnostics& diagnostics)
{
    HostFacts host;
    bool ok = read_driver(driver, host, diagnostics);
    for (const auto& gpu : gpus) {
        ok = read_gpu(gpu, tables, host, diagnostics) && ok;
    }
    if (!ok) {
        return std::nullopt;
    }
    return host;
}

}  // namespace cudagen
