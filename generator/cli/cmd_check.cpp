// cudagen check [PROFILE...] [--driver V] [--gpu NAME|CC]... [--format json]
#include "cli/command.hpp"
#include "cli/pipeline.hpp"
#include "core/report.hpp"

#include <iostream>
#include <memory>

namespace cudagen {

namespace {

struct CheckOptions {
    std::vector<std::string> profiles;
    HostFlags host;
    std::string format = "text";
    std::string base_registry;
};

int check(const CheckOptions& options)
{
    PipelineOptions pipeline;
    pipeline.profiles = options.profiles;
    pipeline.host = options.host;
    pipeline.resolve.base_registry = options.base_registry;
    PipelineResult result = run_pipeline(pipeline);
    if (options.format == "json") {
        std::cout << report_json("check", result.exit_code, result.diagnostics).dump(2) << "\n";
        return result.exit_code;
    }
    print_diagnostics(result.diagnostics, result.raw, std::cout);
    std::size_t errors = result.diagnostics.error_count();
    std::size_t warnings = result.diagnostics.items().size() - errors;
    if (result.exit_code == k_exit_ok) {
        std::cout << "ok: " << result.resolved.size() << " profile(s) checked, " << warnings << " warning(s)\n";
    } else {
        std::cout << errors << " error(s), " << warnings << " warning(s)\n";
    }
    return result.exit_code;
}

}  // namespace

CommandAction setup_check(CLI::App& sub)
{
    auto options = std::make_shared<CheckOptions>();
    sub.add_option("profiles", options->profiles, "Profile files (default: ./cudagen.yaml)");
    add_host_options(sub, options->host);
    sub.add_option("--format", options->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    sub.add_option("--base-registry", options->base_registry, "Registry prefix for nvidia/cuda images");
    return [options] { return check(*options); };
}

}  // namespace cudagen
