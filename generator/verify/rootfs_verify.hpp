// `cudagen verify --rootfs DIR|FILE.tar.gz`: cudagen-verify in an image's root
// filesystem on a GPU host without Docker. The host's GPU device nodes and driver
// libraries are given to the root as the NVIDIA Container Toolkit gives them to a
// container (verify/rootfs_plan.hpp), then the root's own cudagen-verify runs.
#pragma once

#include "core/exit_codes.hpp"
#include "core/process.hpp"
#include "verify/rootfs_plan.hpp"
#include "verify/verify_image.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace cudagen {

// Exit codes: 0 and 10-15 are cudagen-verify's verdict, passed through; 23 as for
// `verify IMAGE` (no cudagen-verify in the root); 30-36 are failures before a verdict
// (all in core/exit_codes.hpp).

struct RootfsVerifyOptions {
    std::string rootfs;                        // a folder, or a .tar/.tar.gz of one
    std::vector<std::string> driver_lib_dirs;  // --driver-libs, searched first
    bool no_gpu = false;                       // inject nothing: the verdict must be 10
    std::chrono::seconds timeout{600};
};

// The environment cudagen-verify gets: the image's (saved by `cudagen export` in
// opt/cudagen/export/config.json), else a default PATH; HOME; and the host's
// CUDA_VISIBLE_DEVICES when set, so that a device can be hidden for a test.
std::vector<std::string> rootfs_environment(const std::string& export_config_text, const char* host_visible_devices);

VerifyVerdict verify_rootfs(const RootfsVerifyOptions& options, ProcessRunner& runner);

// The image's fix speaks of `docker run --gpus` and the Container Toolkit; under
// --rootfs the advice must fit a host without Docker, and after a deliberate
// --no-gpu there is nothing to fix (""). nullopt: the image's advice stands.
std::optional<std::string> rootfs_fix(const VerifyVerdict& verdict, bool no_gpu, HostGpuState state);

// format_verdict's summary, then what was given to the root ("injected: ...").
std::string format_rootfs_verdict(const VerifyVerdict& verdict, const std::string& rootfs);

}  // namespace cudagen
