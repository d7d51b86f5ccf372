// GPU architectures as users write them ("8.0", "sm_90a", "compute_90", "h100",
// "RTX 4090") and the rules for which compiled code runs on which GPU.
#pragma once

#include "knowledge/tables.hpp"
#include "model/resolved_profile.hpp"

#include <optional>
#include <string_view>

namespace cudagen {

// Nothing when the text is neither a CC, an sm_/compute_ target nor a known GPU name.
std::optional<GpuArch> parse_gpu_arch(std::string_view text, const KnowledgeTables& tables);

// "8.0" -> {8, 0}; "9.0+PTX" -> {9, 0}; nothing when not a CC.
std::optional<GpuArch> parse_compute_capability(std::string_view text);

// SASS built for `target` runs on a GPU of compute capability major.minor:
// plain targets on the same major with an equal or higher minor, "f" targets the
// same, "a" targets only on exactly that CC.
bool sass_runs_on(const GpuArch& target, int major, int minor);
// PTX for `target` JIT-compiles on any GPU of the same or a higher CC.
bool ptx_runs_on(const GpuArch& target, int major, int minor);

// Code with SASS for `sass` (and PTX for the newest plain one when `ptx`) runs on the GPU.
bool runs_on(const std::vector<GpuArch>& sass, bool ptx, int major, int minor);

// The nvcc table's sm name of an arch: "90a".
inline std::string nvcc_name(const GpuArch& arch)
{
    return arch.sm();
}

}  // namespace cudagen
