// cudagen resolve [PROFILE...] [--format json]
#include "cli/command.hpp"
#include "cli/pipeline.hpp"
#include "cli/resolved_json.hpp"

#include <iostream>
#include <memory>

namespace cudagen {

namespace {

struct ResolveCommandOptions {
    std::vector<std::string> profiles;
    std::string format = "text";
    std::string base_registry;
};

int resolve_command(const ResolveCommandOptions& options)
{
    PipelineOptions pipeline;
    pipeline.profiles = options.profiles;
    pipeline.last_stage = Stage::resolve;
    pipeline.resolve.base_registry = options.base_registry;
    PipelineResult result = run_pipeline(pipeline);
    print_diagnostics(result.diagnostics, result.raw, std::cerr);
    if (result.exit_code != k_exit_ok) {
        return result.exit_code;
    }
    if (options.format == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& profile : result.resolved) {
            out.push_back(resolved_to_json(profile));
        }
        std::cout << (out.size() == 1 ? out[0] : out).dump(2) << "\n";
        return k_exit_ok;
    }
    for (const auto& profile : result.resolved) {
        std::cout << resolved_to_text(profile);
    }
    return k_exit_ok;
}

}  // namespace

CommandAction setup_resolve(CLI::App& sub)
{
    auto options = std::make_shared<ResolveCommandOptions>();
    sub.add_option("profiles", options->profiles, "Profile files (default: ./cudagen.yaml)");
    sub.add_option("--format", options->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    sub.add_option("--base-registry", options->base_registry, "Registry prefix for nvidia/cuda images");
    return [options] { return resolve_command(*options); };
}

}  // namespace cudagen
