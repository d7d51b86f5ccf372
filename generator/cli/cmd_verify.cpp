// cudagen verify IMAGE [--gpus SPEC | --cdi] [--runtime-arg ARG]... [--json] [--timeout S]
// cudagen verify --rootfs DIR|FILE.tar.gz [--driver-libs DIR]... [--no-gpu] [--json] (verify/rootfs_verify.hpp)
#include "cli/command.hpp"
#include "core/diagnostic.hpp"
#include "core/process.hpp"
#include "verify/rootfs_verify.hpp"
#include "verify/verify_image.hpp"

#include <iostream>
#include <memory>

namespace cudagen {

namespace {

struct VerifyCommandOptions {
    VerifyImageOptions image;
    RootfsVerifyOptions rootfs;
    bool cdi = false;
    bool no_gpu = false;
    bool json = false;
    int timeout_seconds = 600;
};

constexpr const char* k_verify_footer =
    "Exit codes: 0 the GPU works in the image; 10-15 cudagen-verify's verdict (10 also when docker\n"
    "cannot attach a GPU: no NVIDIA Container Toolkit); 2 docker rejected an option; 20 no docker\n"
    "command; 21 Docker daemon not reachable; 22 image not found; 23 image has no\n"
    "/opt/cudagen/bin/cudagen-verify; 24 docker failed otherwise or printed no verdict.\n"
    "With --rootfs: 30 user namespaces refused; 31 no GPU device nodes; 32 no driver libraries; 34 cannot read the\n"
    "root; 35 setting it up failed; 36 no verdict (docs/verify-rootfs.md).";

int verify(const VerifyCommandOptions& options, ProcessRunner& runner)
{
    if (!options.rootfs.rootfs.empty()) {
        RootfsVerifyOptions rootfs = options.rootfs;
        rootfs.no_gpu = options.no_gpu;
        rootfs.timeout = std::chrono::seconds(options.timeout_seconds);
        return run_verify_rootfs(rootfs, options.json, runner);
    }
    if (options.image.image.empty()) {
        std::cerr << "cudagen verify: error: give an IMAGE, or --rootfs DIR|FILE.tar.gz\n";
        return k_exit_usage;
    }
    VerifyImageOptions image = options.image;
    if (options.cdi)
        image.access = GpuAccess::cdi;
    if (options.no_gpu)
        image.access = GpuAccess::none;
    image.timeout = std::chrono::seconds(options.timeout_seconds);
    VerifyVerdict verdict = verify_image(image, runner);
    if (options.json) {
        std::cout << verdict.raw << "\n";
    } else {
        std::cout << format_verdict(verdict, image.image);
    }
    return verdict.exit_code;
}

}  // namespace

CommandAction setup_verify(CLI::App& sub)
{
    auto options = std::make_shared<VerifyCommandOptions>();
    CLI::Option* image = sub.add_option("image", options->image.image,
                                        "Image built by cudagen (it carries " + std::string(k_verifier_path) + ")");
    CLI::Option* gpus = sub.add_option("--gpus", options->image.gpus, "GPUs to attach, as docker run --gpus takes them")
                            ->capture_default_str();
    CLI::Option* cdi =
        sub.add_flag("--cdi", options->cdi, "Attach GPUs through CDI (--device nvidia.com/gpu=all) instead of --gpus")
            ->excludes(gpus);
    sub.add_flag("--no-gpu", options->no_gpu,
                 "Attach no GPU: the verdict must be 'no driver' (10); proves the verifier on a CPU-only host")
        ->excludes(gpus)
        ->excludes(cdi);
    sub.add_option("--runtime-arg", options->image.runtime_args,
                   "One more docker run option, repeatable; write it joined: --runtime-arg=--shm-size=1g")
        ->allow_extra_args(false);
    CLI::Option* rootfs =
        sub.add_option("--rootfs", options->rootfs.rootfs,
                       "Verify a root filesystem (folder or `cudagen export` .tar.gz) without docker; no root needed")
            ->excludes(image)
            ->excludes(gpus)
            ->excludes(cdi);
    sub.add_option("--driver-libs", options->rootfs.driver_lib_dirs,
                   "With --rootfs: a folder holding the host's libcuda.so.1, searched first; repeatable")
        ->needs(rootfs)
        ->allow_extra_args(false);
    sub.add_flag("--json", options->json, "Print the verdict JSON instead of the summary");
    sub.add_option("--timeout", options->timeout_seconds, "Seconds before the check is stopped")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    sub.footer(k_verify_footer);
    return [options] { return verify(*options, default_process_runner()); };
}

}  // namespace cudagen
