#include "build/build.hpp"

#include "core/diagnostic.hpp"
#include "core/report.hpp"
#include "core/text.hpp"
#include "verify/verify_image.hpp"

#include <ostream>

namespace cudagen {

namespace {

constexpr std::chrono::seconds k_print_timeout{120};

// Records a failure as the command's problem, prints it, and returns its exit code.
int fail(BuildHost& host, const CommandFailure& failure)
{
    Diagnostics one;
    one.add(failure.problem);
    print_problems(one, host.err);
    host.problems.add(failure.problem);
    return failure.exit_code;
}

// The docker driver exports images straight into dockerd, which (20.10 to 24)
// cannot hold a multi-platform image.
std::optional<CommandFailure> check_request(const BuildRequest& request, const BuilderInfo& builder)
{
    if (builder.driver == k_docker_driver && is_multi_platform(request.bake.platform)) {
        return command_failure("build", k_exit_usage,
                               "builder '" + builder.name +
                                   "' uses the docker driver, which cannot build several platforms (" +
                                   request.bake.platform + ") at once",
                               "docker buildx create --name multi --driver docker-container --bootstrap, then "
                               "cudagen build --builder multi --push ... (see docs/build.md)");
    }
    return std::nullopt;
}

std::optional<std::vector<BakeImage>> list_images(const BuildRequest& request, const BuilderInfo& builder,
                                                  BuildHost& host)
{
    ProcessSpec spec;
    spec.argv = bake_print_argv(request.bake, builder);
    spec.cwd = request.folder.string();
    spec.timeout = k_print_timeout;
    ProcessResult result = host.runner.run(spec);
    if (result.exit_code != 0) {
        host.err << result.err;
        fail(host, command_failure("build", k_exit_usage,
                                   "docker buildx bake --print rejected the bake file in " + request.folder.string() +
                                       " (" + describe_outcome(result, spec) + ")",
                                   "check the arguments after --; the bake file is generated, do not edit it"));
        return std::nullopt;
    }
    auto images = images_from_bake_print(result.out);
    if (!images) {
        host.err << "cudagen: warning: cannot read `docker buildx bake --print`; nothing will be verified\n";
    }
    return images.value_or(std::vector<BakeImage>{});
}

int run_bake(const BuildRequest& request, const BuilderInfo& builder, BuildHost& host)
{
    ProcessSpec spec;
    spec.argv = bake_argv(request.bake, builder);
    spec.cwd = request.folder.string();
    spec.stream = true;  // BuildKit's progress goes straight to the user
    host.out << "cudagen: building in " << request.folder.string() << " with builder '" << builder.name << "' ("
             << builder.driver << " driver)\n  " << join(spec.argv, " ") << "\n"
             << std::flush;
    ProcessResult result = host.runner.run(spec);
    if (result.exit_code == 0) {
        return k_exit_ok;
    }
    return fail(host, command_failure("build", k_exit_build_failed,
                                      "docker buildx bake failed (" + describe_outcome(result, spec) + ")",
                                      "the BuildKit log above names the failing step; rerun with -- --progress plain "
                                      "for the full output"));
}

// Why verification cannot happen for this request, or "" when it can.
std::string skip_reason(const BuildRequest& request, const BuilderInfo& builder)
{
    if (!request.verify) {
        return "--no-verify";
    }
    bool loaded = request.bake.output == BakeOutput::load || builder.driver == k_docker_driver;
    if (!loaded) {
        return "the images were pushed, not loaded; run `cudagen verify IMAGE` on a GPU host";
    }
    if (is_multi_platform(request.bake.platform)) {
        return "multi-platform images are not loaded into the local engine";
    }
    return {};
}

int verify_images(const BuildRequest& request, const std::vector<BakeImage>& images, const BuilderInfo& builder,
                  BuildHost& host)
{
    std::string reason = skip_reason(request, builder);
    GpuRuntime gpu;
    if (reason.empty()) {
        gpu = detect_gpu_runtime(host.runner, host.path_exists);
        if (!gpu.present) {
            reason = gpu.reason;
        }
    }
    if (!reason.empty()) {
        host.out << "cudagen: verification skipped: " << reason << "\n";
        return k_exit_ok;
    }
    int worst = k_exit_ok;
    for (const BakeImage& image : images) {
        VerifyImageOptions options;
        options.image = image.tag;
        options.access = gpu.access;
        options.timeout = request.verify_timeout;
        VerifyVerdict verdict = verify_image(options, host.runner);
        host.out << format_verdict(verdict, image.tag);
        if (verdict.exit_code != k_exit_ok) {
            host.problems.add(
                command_problem("build", verdict.exit_code, image.tag + ": " + verdict.diagnosis, verdict.fix));
        }
        if (verdict.exit_code != k_exit_ok && worst == k_exit_ok) {
            worst = verdict.exit_code;
        }
    }
    return worst;
}

}  // namespace

int run_build(const BuildRequest& request, BuildHost& host)
{
    bool need_daemon = request.bake.output == BakeOutput::load || request.bake.builder.empty();
    PreflightResult preflight = check_build_environment(host.runner, request.bake.builder, need_daemon);
    if (!preflight.problem) {
        preflight.problem = check_request(request, preflight.builder);
    }
    if (preflight.problem) {
        return fail(host, *preflight.problem);
    }
    auto images = list_images(request, preflight.builder, host);
    if (!images) {
        return k_exit_usage;
    }
    if (int code = run_bake(request, preflight.builder, host); code != k_exit_ok) {
        return code;
    }
    host.out << "cudagen: built";
    for (const BakeImage& image : *images) {
        host.out << " " << image.tag;
    }
    host.out << "\n";
    return verify_images(request, *images, preflight.builder, host);
}

}  // namespace cudagen
