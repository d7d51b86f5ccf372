// cudagen build [PROFILE...] [--platform P] [--load | --push] [--no-verify]
//               [--builder NAME] [--base-registry R] [-o DIR] [-- BAKE ARGS]
#include "build/build.hpp"
#include "cli/command.hpp"
#include "cli/pipeline.hpp"
#include "core/report.hpp"
#include "render/render.hpp"
#include "write/dockerignore.hpp"
#include "write/writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <set>

namespace cudagen {

namespace {

struct BuildCommandOptions {
    std::vector<std::string> profiles;
    std::vector<std::string> bake_args;
    std::string output = "build/cudagen";
    std::string base_registry;
    bool push = false;
    bool load = false;
    bool no_verify = false;
    std::string format = "text";
    BakeOptions bake;
};

constexpr int k_max_profiles = 4096;

constexpr const char* k_build_footer =
    "Arguments after -- go to docker buildx bake unchanged, e.g. -- --no-cache --set '*.args.X=1'.\n"
    "Exit codes: the table in cudagen --help (3-4 the build, 10-24 a failed verification as verify reports it).";

// Render and write as `cudagen generate` does; false (diagnostics printed) on an error.
bool write_build_folder(const PipelineResult& result, const std::filesystem::path& folder, int& exit_code,
                        Diagnostics& problems)
{
    RenderOptions render{folder, result.resolved.size() > 1};
    Diagnostics diagnostics;
    auto files = render_profiles(result.resolved, render, diagnostics);
    if (files && write_output(folder, *files, diagnostics).ok) {
        report_dockerignore_updates(result.resolved, folder, std::cerr);
        return true;
    }
    print_diagnostics(diagnostics, result.raw, std::cerr);
    problems.append(diagnostics);
    exit_code = exit_code_for(diagnostics) == k_exit_ok ? k_exit_usage : exit_code_for(diagnostics);
    return false;
}

// Anything CLI11 left over besides the `--` itself is an option we do not know.
bool reject_leftovers(const std::vector<std::string>& leftovers, Diagnostics& problems)
{
    std::vector<std::string> unknown;
    std::copy_if(leftovers.begin(), leftovers.end(), std::back_inserter(unknown),
                 [](const auto& a) { return a != "--"; });
    if (unknown.empty()) {
        return false;
    }
    Diagnostics one;
    one.error("usage/unknown-option", "unknown option '" + unknown.front() + "'", {},
              "options for docker buildx bake go after --, e.g. cudagen build profile.yaml -- " + unknown.front());
    print_problems(one, std::cerr);
    problems.append(one);
    return true;
}

// --format json: the shared report shape on stdout; everything else goes to stderr.
int print_build_report(int exit_code, const Diagnostics& diagnostics)
{
    Diagnostics problems = diagnostics;
    if (exit_code != k_exit_ok && !problems.has_errors()) {  // a failure that named no problem: a bug, but say it
        const ExitCode* row = find_exit_code(exit_code);
        problems.add(command_problem("build", exit_code, row ? std::string(row->meaning) : "the build failed",
                                     "see the messages on stderr"));
    }
    std::cout << report_json("build", exit_code, problems).dump(2) << "\n";
    return exit_code;
}

int build_and_verify(const BuildCommandOptions& options, const std::vector<std::string>& leftovers,
                     Diagnostics& diagnostics);

int build(const BuildCommandOptions& options, const std::vector<std::string>& leftovers)
{
    Diagnostics diagnostics;
    int exit_code = build_and_verify(options, leftovers, diagnostics);
    return options.format == "json" ? print_build_report(exit_code, diagnostics) : exit_code;
}

int build_and_verify(const BuildCommandOptions& options, const std::vector<std::string>& leftovers,
                     Diagnostics& diagnostics)
{
    if (reject_leftovers(leftovers, diagnostics)) {
        return k_exit_usage;
    }
    PipelineOptions pipeline;
    pipeline.profiles = options.profiles;
    pipeline.resolve.base_registry = options.base_registry;
    PipelineResult result = run_pipeline(pipeline);
    print_diagnostics(result.diagnostics, result.raw, std::cerr);
    diagnostics = result.diagnostics;
    if (result.exit_code != k_exit_ok) {
        std::cerr << "cudagen: nothing built (" << result.diagnostics.error_count() << " error(s))\n";
        return result.exit_code;
    }
    std::filesystem::path folder = std::filesystem::absolute(options.output).lexically_normal();
    int exit_code = k_exit_ok;
    if (!write_build_folder(result, folder, exit_code, diagnostics)) {
        return exit_code;
    }
    BuildRequest request;
    request.folder = folder;
    request.bake = options.bake;
    request.bake.output = options.push ? BakeOutput::push : BakeOutput::load;
    request.bake.plain_progress = ::isatty(STDOUT_FILENO) == 0;
    request.bake.extra_args = options.bake_args;
    request.verify = !options.no_verify;
    BuildHost host{default_process_runner(), real_path_exists(), options.format == "json" ? std::cerr : std::cout,
                   std::cerr, diagnostics};
    return run_build(request, host);
}

// CLI11 hands every positional to the first positional option, `--` or not. It does
// record the `--` among the leftovers as it passes it, so profiles reject a value
// once `--` was seen and CLI11 offers that value to bake_args instead. Values taken
// before the mark stay accepted when CLI11 validates them again at the end.
CLI::Validator before_separator(CLI::App& sub)
{
    auto accepted = std::make_shared<std::set<std::string>>();
    return CLI::Validator(
        [&sub, accepted](std::string& value) -> std::string {
            if (accepted->count(value) != 0) {
                return {};
            }
            std::vector<std::string> seen = sub.remaining();
            if (std::find(seen.begin(), seen.end(), "--") != seen.end()) {
                return "after --";
            }
            accepted->insert(value);
            return {};
        },
        "");
}

}  // namespace

CommandAction setup_build(CLI::App& sub)
{
    auto options = std::make_shared<BuildCommandOptions>();
    // A bound (not unlimited) count: CLI11 allows only one unlimited positional.
    sub.add_option("profiles", options->profiles, "Profile files (default: ./cudagen.yaml)")
        ->type_name("PROFILE")
        ->expected(0, k_max_profiles)
        ->check(before_separator(sub));
    sub.add_option("bake-args", options->bake_args, "Arguments for docker buildx bake, after --")
        ->type_name("BAKE_ARG");
    sub.validate_positionals();
    sub.allow_extras();  // keeps the `--` visible to before_separator; unknown options are refused in build()
    sub.add_option("-o,--output", options->output, "Build folder: the generated files (default: build/cudagen)");
    sub.add_option("--platform", options->bake.platform,
                   "Platform(s) to build, e.g. linux/arm64 (overrides the profiles')");
    CLI::Option* load = sub.add_flag("--load", options->load, "Load the images into the local Docker engine (default)");
    sub.add_flag("--push", options->push, "Push the images to their registry (image.registry) instead")->excludes(load);
    sub.add_flag("--no-verify", options->no_verify, "Do not run cudagen-verify in the built images");
    sub.add_option("--builder", options->bake.builder, "buildx builder to use (default: the current one)");
    sub.add_option("--base-registry", options->base_registry,
                   "Registry prefix for every nvidia/cuda FROM, e.g. a mirror (overrides image.base_registry)");
    sub.add_option("--format", options->format,
                   "text or json: the shared report on stdout (the build's output goes to stderr)")
        ->check(CLI::IsMember({"text", "json"}));
    sub.footer(k_build_footer);
    return [options, &sub] { return build(*options, sub.remaining()); };
}

}  // namespace cudagen
