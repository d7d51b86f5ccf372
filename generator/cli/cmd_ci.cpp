// cudagen ci [PROFILE...] [--provider github|gitlab] [--gpu-runner LABEL] [--arm64 qemu|native]
//            [--verify docker|rootfs|none] [--generated DIR] [--default-branch B] [--stdout]
#include "ci/ci.hpp"
#include "cli/command.hpp"
#include "cli/pipeline.hpp"
#include "write/writer.hpp"

#include <iostream>
#include <memory>

namespace cudagen {

namespace {

struct CiCommandOptions {
    CiOptions ci;
    bool to_stdout = false;
};

int write_ci(CiCommandOptions options)
{
    if (options.ci.profiles.empty()) {
        options.ci.profiles = {"cudagen.yaml"};
    }
    PipelineOptions pipeline;
    pipeline.profiles = options.ci.profiles;
    pipeline.last_stage = Stage::resolve;
    PipelineResult result = run_pipeline(pipeline);
    print_diagnostics(result.diagnostics, result.raw, std::cerr);
    if (result.exit_code != k_exit_ok) {
        std::cerr << "cudagen: nothing written (" << result.diagnostics.error_count() << " error(s))\n";
        return result.exit_code;
    }
    Diagnostics diagnostics;
    std::optional<RenderedFile> file = render_ci(result.resolved, options.ci, diagnostics);
    if (file && options.to_stdout) {
        std::cout << file->content;
        return k_exit_ok;
    }
    WriteOptions write;
    write.keep_other_files = true;
    if (!file || !write_output(std::filesystem::current_path(), {*file}, diagnostics, write).ok) {
        print_diagnostics(diagnostics, result.raw, std::cerr);
        std::cerr << "cudagen: nothing written\n";
        return k_exit_usage;
    }
    std::cout << "wrote " << file->path << "\n";
    return k_exit_ok;
}

}  // namespace

CommandAction setup_ci(CLI::App& sub)
{
    auto options = std::make_shared<CiCommandOptions>();
    CiOptions& ci = options->ci;
    sub.add_option("profiles", ci.profiles, "Profile files, relative to the repository root (default: cudagen.yaml)");
    sub.add_option("--provider", ci.provider, "github (.github/workflows/cudagen.yml) or gitlab (.gitlab-ci.yml)")
        ->check(CLI::IsMember({"github", "gitlab"}));
    sub.add_option("--gpu-runner", ci.gpu_runner,
                   "Label (GitLab: tag) of the self-hosted GPU runner that verifies (default: gpu)");
    sub.add_option("--arm64", ci.arm64, "Build linux/arm64 under QEMU on amd64 runners, or on native arm64 runners")
        ->check(CLI::IsMember({"qemu", "native"}));
    sub.add_option("--verify", ci.verify,
                   "docker: cudagen verify IMAGE on the GPU runner; rootfs: cudagen export, then verify --rootfs on a "
                   "Docker-less GPU runner; none")
        ->check(CLI::IsMember({"docker", "rootfs", "none"}));
    sub.add_option("--generated", ci.generated_dir, "Folder of the committed generated files (default: docker)");
    sub.add_option("--default-branch", ci.default_branch, "Branch whose pushes publish images (default: main)");
    sub.add_flag("--stdout", options->to_stdout, "Print the file instead of writing it");
    sub.footer(
        "Run it in the repository root. The check job runs `cudagen generate` and this command again\n"
        "and fails when the committed files differ, so commit what they write.");
    return [options] { return write_ci(*options); };
}

}  // namespace cudagen
