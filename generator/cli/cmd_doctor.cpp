// cudagen doctor [PROFILE...] [--format json] [--root DIR]
#include "cli/command.hpp"
#include "cli/pipeline.hpp"
#include "core/report.hpp"
#include "doctor/nvml.hpp"
#include "doctor/probes.hpp"
#include "doctor/report.hpp"

#include <iostream>
#include <memory>

namespace cudagen {

namespace {

struct DoctorOptions {
    std::vector<std::string> profiles;
    std::string format = "text";
    std::string root;
};

const RawProfile* raw_of(const PipelineResult& pipeline, const ResolvedProfile& resolved)
{
    for (const auto& raw : pipeline.raw) {
        if (raw.file == resolved.profile_file) {
            return &raw;
        }
    }
    return nullptr;
}

// Profile errors found before the checks (resolve) become the profile's findings.
void add_pipeline_errors(const Diagnostics& diagnostics, std::vector<Finding>& findings)
{
    for (const auto& diagnostic : diagnostics.items()) {
        if (diagnostic.severity == Severity::error) {
            findings.push_back(
                {FindingStatus::problem, diagnostic.code, diagnostic.message, diagnostic.fix, diagnostic.where.file});
        }
    }
}

int bad_input(const PipelineResult& pipeline, const DoctorOptions& options)
{
    if (options.format == "json") {
        std::cout << report_json("doctor", pipeline.exit_code, pipeline.diagnostics).dump(2) << "\n";
    } else {
        print_diagnostics(pipeline.diagnostics, pipeline.raw, std::cerr);
    }
    return pipeline.exit_code;
}

int doctor(const DoctorOptions& options)
{
    PipelineResult pipeline;
    if (!options.profiles.empty()) {
        PipelineOptions request;
        request.profiles = options.profiles;
        request.last_stage = Stage::resolve;
        pipeline = run_pipeline(request);
        if (pipeline.exit_code == k_exit_usage) {
            return bad_input(pipeline, options);
        }
    }
    HostFiles files(options.root);
    DriverQuery nvml;
    if (files.real()) {
        nvml = [] { return query_nvml(nvml_library_names()); };
    }
    DoctorReport report;
    report.facts = gather_facts({default_process_runner(), files, nvml});
    report.findings = judge_host(report.facts);
    add_pipeline_errors(pipeline.diagnostics, report.findings);
    for (const auto& resolved : pipeline.resolved) {
        if (const RawProfile* raw = raw_of(pipeline, resolved)) {
            auto findings = judge_profile(*raw, resolved, Knowledge::builtin(), report.facts.driver);
            report.findings.insert(report.findings.end(), findings.begin(), findings.end());
        }
    }
    report.exit_code = has_problems(report.findings) ? k_exit_incompatible : k_exit_ok;
    if (options.format == "json") {
        std::cout << doctor_json(report).dump(2) << "\n";
    } else {
        std::cout << doctor_text(report);
    }
    return report.exit_code;
}

}  // namespace

CommandAction setup_doctor(CLI::App& sub)
{
    auto options = std::make_shared<DoctorOptions>();
    sub.add_option("profiles", options->profiles, "Profiles to judge against this host (optional)");
    sub.add_option("--format", options->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    sub.add_option("--root", options->root,
                   "Read /proc, /etc, /dev and /usr/lib/wsl under DIR instead of / (tests; a mounted system); "
                   "NVML is not asked then");
    return [options] { return doctor(*options); };
}

}  // namespace cudagen
