// Carries out a MountPlan (verify/rootfs_plan.hpp) and runs one program of an
// image in its root filesystem, isolated from the host as a container runtime
// would (rootless, as enroot and Apptainer can):
//
//   cudagen ─ fork ─ A: new user namespace (the caller is uid 0 inside; the maps are
//                     │  written by cudagen from outside), then new mount, PID,
//                     │  network, IPC and UTS namespaces
//                     └ fork ─ B: PID 1 of the new PID namespace: a tmpfs layer over
//                              the root (overlayfs: the root itself is never written),
//                              the plan's mounts, pivot_root (the host's tree is
//                              detached), then no_new_privs, no capabilities, exec.
//
// Every program of the image (its ldconfig, then cudagen-verify) runs without
// capabilities, with stdin /dev/null and no controlling terminal. When B exits, the
// kernel kills whatever the image left running in its PID namespace.
#pragma once

#include "verify/rootfs_plan.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace cudagen {

struct RootfsCommand {
    std::vector<std::string> argv;  // argv[0] absolute, inside the root
    std::vector<std::string> env;   // "KEY=value", the whole environment
    std::chrono::seconds timeout{600};
    // The root is cudagen's own temporary copy (an unpacked archive): where the kernel
    // refuses an overlay, the run may write into the copy itself.
    bool root_is_private_copy = false;
};

struct RootfsRunResult {
    bool ran = false;                     // the program was exec'd
    bool permission_denied = false;       // the kernel refused a namespace or a mount (EPERM, EACCES, ENOSPC)
    bool user_namespace_refused = false;  // creating the user namespace itself was refused
    std::string setup_error;              // which step failed and why (when !ran)
    int setup_errno = 0;                  // the errno of that failure
    std::string isolation;                // how the program was isolated, for the report
    int exit_code = 0;                    // the program's (128 + N when killed by signal N)
    bool timed_out = false;
    std::string out;  // its stdout; its stderr goes to ours
};

RootfsRunResult run_in_rootfs(const std::filesystem::path& root, const MountPlan& plan, const RootfsCommand& command);

}  // namespace cudagen
