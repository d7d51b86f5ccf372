#include "doctor/report.hpp"

#include "core/report.hpp"

namespace cudagen {

namespace {

using json = nlohmann::ordered_json;

// null for "", so scripts can tell "absent" from a value.
json text_or_null(const std::string& text)
{
    return text.empty() ? json() : json(text);
}

json driver_json(const DriverFacts& driver)
{
    json gpus = json::array();
    for (const HostGpu& gpu : driver.gpus) {
        gpus.push_back({{"index", gpu.index},
                        {"name", gpu.name},
                        {"compute_capability", gpu.cc()},
                        {"sm", "sm_" + std::to_string(gpu.cc_major * 10 + gpu.cc_minor)},
                        {"memory_mib", gpu.memory_mib}});
    }
    return {{"found", driver.found},
            {"version", text_or_null(driver.version)},
            {"cuda", text_or_null(driver.cuda)},
            {"source", text_or_null(driver.source)},
            {"kernel_module", text_or_null(driver.kernel_module)},
            {"problem", text_or_null(driver.problem)},
            {"gpus", gpus}};
}

json docker_json(const DockerFacts& docker)
{
    json builders = json::array();
    for (const BuildxBuilder& builder : docker.builders) {
        builders.push_back({{"name", builder.name}, {"driver", builder.driver}, {"current", builder.current}});
    }
    return {{"installed", docker.client},
            {"client_version", text_or_null(docker.client_version)},
            {"engine", docker.engine},
            {"engine_version", text_or_null(docker.engine_version)},
            {"engine_problem", text_or_null(docker.engine_problem)},
            {"buildx", docker.buildx},
            {"buildx_version", text_or_null(docker.buildx_version)},
            {"builders", builders},
            {"runtimes", docker.runtimes},
            {"default_runtime", text_or_null(docker.default_runtime)}};
}

json toolkit_json(const ToolkitFacts& toolkit)
{
    return {{"installed", toolkit.installed()},
            {"nvidia_ctk", text_or_null(toolkit.ctk)},
            {"nvidia_ctk_version", text_or_null(toolkit.ctk_version)},
            {"nvidia_container_cli", text_or_null(toolkit.container_cli)},
            {"nvidia_container_cli_version", text_or_null(toolkit.container_cli_version)},
            {"nvidia_container_runtime", text_or_null(toolkit.runtime_binary)},
            {"nvidia_container_runtime_hook", text_or_null(toolkit.hook)},
            {"daemon_json_nvidia_runtime", toolkit.daemon_json_nvidia},
            {"daemon_json_default_nvidia", toolkit.daemon_json_default},
            {"cdi_specs", toolkit.cdi_specs}};
}

json finding_json(const Finding& finding)
{
    return {{"status", finding_status_name(finding.status)},
            {"code", finding.code},
            {"message", finding.message},
            {"fix", text_or_null(finding.fix)},
            {"profile", text_or_null(finding.profile)}};
}

std::string_view mark(FindingStatus status)
{
    switch (status) {
        case FindingStatus::ok:
            return "✓";
        case FindingStatus::problem:
            return "✗";
        case FindingStatus::note:
            return "·";
    }
    return "·";
}

}  // namespace

json facts_json(const DoctorFacts& facts)
{
    return {{"driver", driver_json(facts.driver)},
            {"docker", docker_json(facts.docker)},
            {"nvidia_container_toolkit", toolkit_json(facts.toolkit)},
            {"podman",
             {{"path", text_or_null(facts.others.podman)}, {"version", text_or_null(facts.others.podman_version)}}},
            {"apptainer", text_or_null(facts.others.apptainer)},
            {"enroot", text_or_null(facts.others.enroot)},
            {"wsl",
             {{"wsl2", facts.wsl.wsl2},
              {"wsl1", facts.wsl.wsl1},
              {"kernel", text_or_null(facts.wsl.kernel)},
              {"libcuda", facts.wsl.libcuda},
              {"dxg", facts.wsl.dxg}}},
            {"dev_nvidia", facts.dev_nvidia}};
}

json doctor_json(const DoctorReport& report)
{
    json findings = json::array();
    Diagnostics problems;
    for (const Finding& finding : report.findings) {
        findings.push_back(finding_json(finding));
        if (finding.status == FindingStatus::problem) {
            problems.error(finding.code, finding.message, {finding.profile, 0, 0}, finding.fix);
        }
    }
    json out = report_json("doctor", report.exit_code, problems);
    out["host"] = facts_json(report.facts);
    out["findings"] = findings;
    return out;
}

std::string doctor_text(const DoctorReport& report)
{
    std::string out = "host\n";
    std::string section;
    std::size_t problems = 0;
    for (const Finding& finding : report.findings) {
        if (finding.profile != section) {
            section = finding.profile;
            out += "profile " + section + "\n";
        }
        out += "  " + std::string(mark(finding.status)) + " " + finding.message + "\n";
        if (!finding.fix.empty()) {
            out += std::string(finding.status == FindingStatus::problem ? "      fix: " : "      tip: ") + finding.fix +
                   "\n";
        }
        problems += finding.status == FindingStatus::problem ? 1 : 0;
    }
    if (problems == 0) {
        return out + "ok: GPU containers can run on this host\n";
    }
    return out + std::to_string(problems) + " problem(s): fix them (each ✗ says how), then run cudagen doctor again\n";
}

}  // namespace cudagen
