// `cudagen verify IMAGE`: runs the image's own cudagen-verify under `docker run`
// with the GPU attached and turns whatever happens into one verdict: the image's
// verdict when cudagen-verify ran, else a diagnosis of why docker could not run it.
#pragma once

#include "core/diagnostic.hpp"
#include "core/exit_codes.hpp"
#include "core/process.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cudagen {

// Exit codes. 0 and 10-15 are cudagen-verify's own (samples/verify/verify.cu), passed
// through; 10 is also ours when docker cannot attach a GPU at all, since the meaning
// is the same: no NVIDIA driver reaches the container. 2 is a docker option that
// docker rejected. 20-24 are failures around the check, before any verdict exists
// (all in core/exit_codes.hpp).

inline constexpr std::string_view k_verifier_path = "/opt/cudagen/bin/cudagen-verify";

// How the container gets the GPU. `none` runs the check with no GPU attached: the
// verdict must then be "no driver" (10), which proves the image's verifier works on
// a host without a GPU.
enum class GpuAccess { gpus, cdi, none };

struct VerifyImageOptions {
    std::string image;
    GpuAccess access = GpuAccess::gpus;
    std::string gpus = "all";               // docker run --gpus SPEC (GpuAccess::gpus)
    std::vector<std::string> runtime_args;  // passed to docker run before the image
    std::string docker = "docker";
    std::chrono::seconds timeout{600};  // framework checks can take minutes
};

struct VerifyVerdict {
    int exit_code = 0;
    std::string diagnosis;
    std::string fix;
    bool from_image = false;  // true: cudagen-verify ran in the image and printed it
    nlohmann::json json;      // the image's verdict, or one of the same shape made here
    std::string raw;          // the verdict text exactly as printed (or json.dump())
};

// docker run --rm [--gpus SPEC | --device nvidia.com/gpu=all] <runtime args> IMAGE
//     /opt/cudagen/bin/cudagen-verify --json
std::vector<std::string> verify_image_argv(const VerifyImageOptions& options);

VerifyVerdict verify_image(const VerifyImageOptions& options, ProcessRunner& runner);

// cudagen-verify prints one JSON object (integer exit_code, bool ok); anything
// around it (a banner from an entrypoint, say) is skipped by trying the last line
// that starts with '{'. Returns the object and its text as printed.
std::optional<std::pair<nlohmann::json, std::string>> find_verdict(const std::string& out);

// A failed verdict of cudagen-verify's shape for a failure before it ran (binary
// null, no devices); `source` names the command that made it.
VerifyVerdict verdict_before_run(int exit_code, std::string diagnosis, std::string fix, std::string_view source);

// A failed verdict as the command's problem (code "verify/<exit name>").
Diagnostic verdict_problem(const VerifyVerdict& verdict);

// A few lines for people: the outcome and devices, then the result, or the
// problem as every command prints one (print_problems' format).
std::string format_verdict(const VerifyVerdict& verdict, std::string_view image);

}  // namespace cudagen
