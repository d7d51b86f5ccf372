// cudagen resolve [PROFILE...] [--format json]
#include "cli/command.hpp"
#include "cli/pipeline.hpp"
#include "cli/resolved_json.hpp"
#include "core/report.hpp"

#include <iostream>
#include <memory>

namespace cudagen {

namespace {

struct ResolveCommandOptions {
    std::vector<std::string> profiles;
    std::string format = "text";
    std::string base_registry;
};

// The shared report shape; one profile's values sit at the top level next to it
// ("cuda", "base_images", ...), several profiles' under "profiles".
void print_resolve_json(const PipelineResult& result)
{
    ReportJson out = report_json("resolve", result.exit_code, result.diagnostics);
    if (result.exit_code == k_exit_ok && result.resolved.size() == 1) {
        nlohmann::json values = resolved_to_json(result.resolved[0]);
        for (const auto& [key, value] : values.items()) {
            out[key] = ReportJson(value);
        }
    } else if (result.exit_code == k_exit_ok) {
        out["profiles"] = ReportJson::array();
        for (const auto& profile : result.resolved) {
            out["profiles"].push_back(ReportJson(resolved_to_json(profile)));
        }
    }
    std::cout << out.dump(2) << "\n";
}

int resolve_command(const ResolveCommandOptions& options)
{
    PipelineOptions pipeline;
    pipeline.profiles = options.profiles;
    pipeline.last_stage = Stage::resolve;
    pipeline.resolve.base_registry = options.base_registry;
    PipelineResult result = run_pipeline(pipeline);
    if (options.format == "json") {
        print_resolve_json(result);
        return result.exit_code;
    }
    print_diagnostics(result.diagnostics, result.raw, std::cerr);
    if (result.exit_code != k_exit_ok) {
        return result.exit_code;
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
