// cudagen generate [PROFILE...] [-o DIR] [--base-registry R]
#include "cli/command.hpp"
#include "cli/pipeline.hpp"
#include "render/render.hpp"
#include "write/dockerignore.hpp"
#include "write/writer.hpp"

#include <iostream>
#include <memory>

namespace cudagen {

namespace {

struct GenerateOptions {
    std::vector<std::string> profiles;
    std::string output = "build/cudagen";
    std::string base_registry;
    HostFlags host;
    bool quiet = false;
    bool force = false;
};

int generate(const GenerateOptions& options)
{
    if (options.output == "-") {
        std::cerr
            << "cudagen: error: -o - would write to a folder named '-'; cudagen writes a folder of files, not one "
               "stream [usage/output-dash]\n  fix: pass a folder, e.g. -o build/cudagen, then read "
               "build/cudagen/Dockerfile\n";
        return k_exit_usage;
    }
    PipelineOptions pipeline;
    pipeline.profiles = options.profiles;
    pipeline.resolve.base_registry = options.base_registry;
    pipeline.host = options.host;
    PipelineResult result = run_pipeline(pipeline);
    print_diagnostics(result.diagnostics, result.raw, std::cerr);
    if (result.exit_code != k_exit_ok) {
        std::cerr << "cudagen: nothing written (" << result.diagnostics.error_count() << " error(s))\n";
        return result.exit_code;
    }
    std::filesystem::path output = std::filesystem::absolute(options.output).lexically_normal();
    RenderOptions render{output, result.resolved.size() > 1};
    Diagnostics diagnostics;
    auto files = render_profiles(result.resolved, render, diagnostics);
    WriteOutcome outcome;
    if (files) {
        outcome = write_output(output, *files, diagnostics, {options.force});
    }
    if (!outcome.ok) {
        print_diagnostics(diagnostics, result.raw, std::cerr);
        if (outcome.replaced == 0) {
            std::cerr << "cudagen: nothing written\n";
        }
        return exit_code_for(diagnostics) == k_exit_ok ? k_exit_usage : exit_code_for(diagnostics);
    }
    report_dockerignore_updates(result.resolved, output, options.quiet ? std::cerr : std::cout);
    if (!options.quiet) {
        print_diagnostics(diagnostics, result.raw, std::cerr);
        for (const auto& file : *files) {
            std::cout << "wrote " << (std::filesystem::path(options.output) / file.path).string() << "\n";
        }
    }
    return k_exit_ok;
}

}  // namespace

CommandAction setup_generate(CLI::App& sub)
{
    auto options = std::make_shared<GenerateOptions>();
    sub.add_option("profiles", options->profiles, "Profile files (default: ./cudagen.yaml)");
    sub.add_option("-o,--output", options->output, "Output folder (default: build/cudagen)");
    sub.add_option("--base-registry", options->base_registry,
                   "Registry prefix for every nvidia/cuda FROM, e.g. a mirror (overrides image.base_registry)");
    add_host_options(sub, options->host);
    sub.add_flag("-q,--quiet", options->quiet, "Do not list the written files");
    sub.add_flag("--force", options->force, "Replace files in the output folder that cudagen did not write");
    return [options] { return generate(*options); };
}

}  // namespace cudagen
