// Whether a container started here can reach an NVIDIA GPU, decided before
// `cudagen build` runs cudagen-verify in each image: without a GPU runtime the
// verdict would only say "no driver", which is no news, so verification is skipped.
#pragma once

#include "core/process.hpp"
#include "verify/verify_image.hpp"

#include <functional>
#include <string>

namespace cudagen {

struct GpuRuntime {
    bool present = false;
    GpuAccess access = GpuAccess::gpus;  // how to attach it when present
    std::string reason;                  // why it is (or is not) present, for the log
};

// The file-system seam: tests answer from a list.
using PathExists = std::function<bool(const std::string&)>;
PathExists real_path_exists();

// In order: an `nvidia` runtime in `docker info` (NVIDIA Container Toolkit for
// docker), the toolkit's hook on PATH (docker's --gpus uses it), a CDI spec for
// nvidia.com/gpu; else absent, with /dev/nvidia0 telling "GPU but no toolkit"
// apart from "no GPU".
GpuRuntime detect_gpu_runtime(ProcessRunner& runner, const PathExists& exists);

}  // namespace cudagen
