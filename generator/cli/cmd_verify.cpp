// cudagen verify IMAGE [--gpus SPEC | --cdi] [--runtime-arg ARG]... [--json] [--timeout S]
// cudagen verify --rootfs DIR|FILE.tar.gz [--driver-libs DIR]... [--no-gpu] [--json] (verify/rootfs_verify.hpp)
#include "cli/command.hpp"
#include "core/diagnostic.hpp"
#include "core/process.hpp"
#include "core/report.hpp"
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
    std::string format = "text";
    int timeout_seconds = 600;
};

// --format json: the shared report shape, the verdict under "verdict".
int print_verify_report(const VerifyVerdict& verdict)
{
    Diagnostics problems;
    if (verdict.exit_code != k_exit_ok) {
        problems.add(verdict_problem(verdict));
    }
    ReportJson out = report_json("verify", verdict.exit_code, problems);
    out["from_image"] = verdict.from_image;
    out["verdict"] = verdict.json;
    std::cout << out.dump(2) << "\n";
    return verdict.exit_code;
}

// --json: the verdict as the image printed it; text: the summary (format_verdict).
int print_verdict(const VerifyCommandOptions& options, const VerifyVerdict& verdict, const std::string& text)
{
    if (options.format == "json") {
        return print_verify_report(verdict);
    }
    std::cout << (options.json ? verdict.raw + "\n" : text);
    return verdict.exit_code;
}

int usage_error(const VerifyCommandOptions& options)
{
    Diagnostics problems;
    problems.error("usage/verify-needs-image", "give an IMAGE, or --rootfs DIR|FILE.tar.gz", {},
                   "cudagen verify IMAGE, or cudagen verify --rootfs DIR|FILE.tar.gz");
    if (options.format == "json") {
        std::cout << report_json("verify", k_exit_usage, problems).dump(2) << "\n";
    } else {
        print_problems(problems, std::cerr);
    }
    return k_exit_usage;
}

int verify(const VerifyCommandOptions& options, ProcessRunner& runner)
{
    if (!options.rootfs.rootfs.empty()) {
        RootfsVerifyOptions rootfs = options.rootfs;
        rootfs.no_gpu = options.no_gpu;
        rootfs.timeout = std::chrono::seconds(options.timeout_seconds);
        VerifyVerdict verdict = verify_rootfs(rootfs, runner);
        return print_verdict(options, verdict, format_rootfs_verdict(verdict, rootfs.rootfs));
    }
    if (options.image.image.empty()) {
        return usage_error(options);
    }
    VerifyImageOptions image = options.image;
    if (options.cdi) {
        image.access = GpuAccess::cdi;
    }
    if (options.no_gpu) {
        image.access = GpuAccess::none;
    }
    image.timeout = std::chrono::seconds(options.timeout_seconds);
    VerifyVerdict verdict = verify_image(image, runner);
    return print_verdict(options, verdict, format_verdict(verdict, image.image));
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
    CLI::Option* json =
        sub.add_flag("--json", options->json, "Print the image's verdict JSON as is instead of the summary");
    sub.add_option("--format", options->format, "text or json (the report shape every command shares)")
        ->check(CLI::IsMember({"text", "json"}))
        ->excludes(json);
    sub.add_option("--timeout", options->timeout_seconds, "Seconds before the check is stopped")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    sub.footer(
        "Exit codes: the table in cudagen --help; 10-15 are the verdict (docs/verify.md, docs/verify-rootfs.md).");
    return [options] { return verify(*options, default_process_runner()); };
}

}  // namespace cudagen
