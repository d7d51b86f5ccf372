// build: a written build folder -> images (docker buildx bake) -> cudagen-verify in
// each loaded image. The folder itself comes from the render and write stages.
#pragma once

#include "build/bake.hpp"
#include "build/docker_env.hpp"
#include "build/gpu_probe.hpp"
#include "core/diagnostic.hpp"
#include "core/process.hpp"

#include <chrono>
#include <filesystem>
#include <iosfwd>

namespace cudagen {

struct BuildRequest {
    std::filesystem::path folder;  // holds docker-bake.hcl; bake runs here
    BakeOptions bake;
    bool verify = true;
    std::chrono::seconds verify_timeout{600};
};

// The host's side of a build, so tests replace every piece.
struct BuildHost {
    ProcessRunner& runner;
    PathExists path_exists;
    std::ostream& out;      // progress notes and verdicts
    std::ostream& err;      // problems, printed as they happen (print_problems' format)
    Diagnostics& problems;  // the same problems, for the --format json report
};

// 0 built (and verified, or verification skipped with a reason); k_exit_build_environment
// when docker, buildx, the daemon or the builder is missing; k_exit_usage for a request
// the builder cannot serve; k_exit_build_failed when bake fails; a failed verification
// returns the verdict's exit code, as `cudagen verify` does. Each failure is one
// problem in host.problems, also printed on host.err.
int run_build(const BuildRequest& request, BuildHost& host);

}  // namespace cudagen
