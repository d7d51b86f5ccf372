// Carries out a MountPlan (verify/rootfs_plan.hpp) and runs one program in the
// root: a forked child enters a private mount namespace (so every mount vanishes
// with it, even on a crash), mounts and binds as planned, chroots and execs.
// Kept thin on purpose: the decisions are in the plan, which is unit-tested.
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
};

struct RootfsRunResult {
    bool ran = false;                // the program was exec'd
    bool permission_denied = false;  // unshare/mount refused: not root, or no CAP_SYS_ADMIN
    std::string setup_error;         // which step failed and why (when !ran)
    int exit_code = 0;               // the program's (128 + N when killed by signal N)
    bool timed_out = false;
    std::string out;  // its stdout; its stderr goes to ours
};

RootfsRunResult run_in_rootfs(const std::filesystem::path& root, const MountPlan& plan, const RootfsCommand& command);

}  // namespace cudagen
