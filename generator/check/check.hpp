// check: compatibility rules over a ResolvedProfile (+ host facts).
#pragma once

#include "core/diagnostic.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/tables.hpp"
#include "model/raw_profile.hpp"
#include "model/resolved_profile.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cudagen {

// One GPU of the host, as --gpu named it.
struct TargetGpu {
    GpuArch arch;                     // its compute capability; arch.written is what the user wrote
    const GpuModel* model = nullptr;  // its row when named ("a100"); null for a bare "8.0" or "sm_80"
};

// What `check --driver --gpu` (and `doctor`) know about the machine that will run the image.
struct HostFacts {
    std::optional<Version> driver;       // --driver 535.104.05: a driver release
    std::optional<Version> driver_cuda;  // --driver 12.2: the "CUDA Version" nvidia-smi prints
    std::vector<TargetGpu> gpus;
};

// Reads --driver and --gpu values as written. A value that is neither a driver
// release, a CUDA version, a compute capability, an sm_XX target nor a known GPU
// name is a usage error (usage/bad-driver, usage/unknown-gpu: exit 2).
std::optional<HostFacts> read_host_facts(std::string_view driver, const std::vector<std::string>& gpus,
                                         const KnowledgeTables& tables, Diagnostics& diagnostics);

// Adds every finding of every rule to `diagnostics` (errors: the profile cannot
// work; warnings: it works but is risky).
void run_checks(const RawProfile& raw, const ResolvedProfile& resolved, const Knowledge& knowledge,
                const HostFacts& host, Diagnostics& diagnostics);

}  // namespace cudagen
