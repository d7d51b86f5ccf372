#include "doctor/probes.hpp"

#include "core/text.hpp"

#include <nlohmann/json.hpp>

#include <cctype>

namespace cudagen {

namespace {

constexpr std::chrono::seconds k_probe_timeout{30};

ProcessResult probe(ProcessRunner& runner, std::vector<std::string> argv)
{
    ProcessSpec spec;
    spec.argv = std::move(argv);
    spec.timeout = k_probe_timeout;
    return runner.run(spec);
}

std::string first_line(std::string_view text)
{
    for (const std::string& line : split(text, '\n')) {
        if (std::string trimmed = trim(line); !trimmed.empty()) {
            return trimmed;
        }
    }
    return {};
}

// The last word of the first line: "podman version 4.3.1" -> "4.3.1".
std::string version_word(const ProcessResult& result)
{
    std::vector<std::string> words = split(first_line(result.out), ' ');
    return result.exit_code == 0 && !words.empty() ? words.back() : std::string();
}

bool is_version(std::string_view word)
{
    if (word.empty() || !std::isdigit(static_cast<unsigned char>(word.front()))) {
        return false;
    }
    for (char c : word) {
        if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') {
            return false;
        }
    }
    return word.find('.') != std::string_view::npos;
}

std::string why_failed(const ProcessResult& result, const std::string& program)
{
    std::string said = first_line(result.err).empty() ? first_line(result.out) : first_line(result.err);
    if (!result.started) {
        return program + " is not installed";
    }
    return program + " failed (exit " + std::to_string(result.exit_code) + ")" + (said.empty() ? "" : ": " + said);
}

DriverFacts driver_from_nvidia_smi(ProcessRunner& runner)
{
    DriverFacts facts;
    ProcessResult query = probe(runner, {"nvidia-smi", "--query-gpu=index,name,compute_cap,memory.total,driver_version",
                                         "--format=csv,noheader,nounits"});
    if (query.exit_code != 0) {
        facts.problem = why_failed(query, "nvidia-smi");
        return facts;
    }
    facts.gpus = parse_nvidia_smi_gpus(query.out, facts.version);
    facts.found = !facts.version.empty();
    facts.source = "nvidia-smi";
    facts.cuda = parse_nvidia_smi_cuda(probe(runner, {"nvidia-smi"}).out);
    return facts;
}

}  // namespace

std::vector<HostGpu> parse_nvidia_smi_gpus(std::string_view csv, std::string& driver)
{
    std::vector<HostGpu> gpus;
    for (const std::string& line : split(csv, '\n')) {
        std::vector<std::string> fields = split(line, ',');
        if (fields.size() < 5) {
            continue;
        }
        for (auto& field : fields) {
            field = trim(field);
        }
        HostGpu gpu;
        std::size_t n = fields.size();
        gpu.index = std::atoi(fields[0].c_str());
        // A name with a comma in it spans several fields.
        gpu.name = join(std::vector<std::string>(fields.begin() + 1, fields.end() - 3), ", ");
        std::vector<std::string> cc = split(fields[n - 3], '.');
        gpu.cc_major = cc.size() == 2 ? std::atoi(cc[0].c_str()) : 0;
        gpu.cc_minor = cc.size() == 2 ? std::atoi(cc[1].c_str()) : 0;
        gpu.memory_mib = std::strtoull(fields[n - 2].c_str(), nullptr, 10);
        driver = fields[n - 1];
        gpus.push_back(gpu);
    }
    return gpus;
}

std::string parse_nvidia_smi_cuda(std::string_view text)
{
    constexpr std::string_view k_label = "CUDA Version:";
    std::size_t at = text.find(k_label);
    if (at == std::string_view::npos) {
        return {};
    }
    std::vector<std::string> words = split(trim(text.substr(at + k_label.size(), 16)), ' ');
    return !words.empty() && is_version(words[0]) ? words[0] : std::string();
}

std::string parse_proc_driver_version(std::string_view text)
{
    std::string line = first_line(text);
    if (!starts_with(line, "NVRM version:")) {
        return {};
    }
    for (const std::string& word : split(line, ' ')) {
        if (is_version(word)) {
            return word;
        }
    }
    return {};
}

DriverFacts probe_driver(const DoctorProbes& probes)
{
    DriverFacts facts;
    if (probes.nvml) {
        facts = probes.nvml();
    }
    if (!facts.found) {
        std::string nvml_problem = facts.problem;
        facts = driver_from_nvidia_smi(probes.runner);
        if (!nvml_problem.empty()) {
            facts.problem = "NVML: " + nvml_problem + (facts.problem.empty() ? "" : "; " + facts.problem);
        }
    }
    facts.kernel_module = parse_proc_driver_version(probes.files.read("/proc/driver/nvidia/version").value_or(""));
    if (!facts.found && !facts.kernel_module.empty()) {
        facts.found = true;
        facts.source = "/proc/driver/nvidia/version";
        facts.version = facts.kernel_module;
    }
    return facts;
}

std::vector<BuildxBuilder> parse_buildx_ls(std::string_view text)
{
    std::vector<BuildxBuilder> builders;
    for (const std::string& line : split(text, '\n')) {
        // Node lines are indented (" \_ node" from buildx 0.13 on, spaces before); the header starts NAME/NODE.
        if (line.empty() || std::isspace(static_cast<unsigned char>(line[0])) || starts_with(line, "NAME/NODE")) {
            continue;
        }
        std::vector<std::string> words;
        for (const std::string& word : split(line, ' ')) {
            if (!word.empty()) {
                words.push_back(word);
            }
        }
        BuildxBuilder builder;
        builder.name = words[0];
        std::size_t next = 1;
        if (builder.name.back() == '*') {
            builder.name.pop_back();
            builder.current = true;
        } else if (words.size() > 1 && words[1] == "*") {
            builder.current = true;
            next = 2;
        }
        builder.driver = next < words.size() ? words[next] : "";
        builders.push_back(builder);
    }
    return builders;
}

DockerFacts probe_docker(ProcessRunner& runner)
{
    DockerFacts facts;
    facts.client = runner.find_program("docker").has_value();
    if (!facts.client) {
        return facts;
    }
    ProcessResult version = probe(runner, {"docker", "version", "--format", "{{json .}}"});
    nlohmann::json answer = nlohmann::json::parse(version.out, nullptr, false);
    if (answer.is_object() && answer["Client"].is_object()) {
        facts.client_version = answer["Client"].value("Version", "");
    }
    if (answer.is_object() && answer["Server"].is_object()) {
        facts.engine_version = answer["Server"].value("Version", "");
    }
    facts.engine = version.exit_code == 0 && !facts.engine_version.empty();
    if (!facts.engine) {
        facts.engine_problem =
            first_line(version.err).empty() ? why_failed(version, "docker version") : first_line(version.err);
    }
    ProcessResult buildx = probe(runner, {"docker", "buildx", "version"});
    facts.buildx = buildx.exit_code == 0;
    if (facts.buildx) {
        std::vector<std::string> words = split(first_line(buildx.out), ' ');
        facts.buildx_version = words.size() > 1 ? words[1] : "";
        facts.builders = parse_buildx_ls(probe(runner, {"docker", "buildx", "ls"}).out);
    }
    if (facts.engine) {
        ProcessResult info = probe(runner, {"docker", "info", "--format", "{{json .}}"});
        nlohmann::json details = nlohmann::json::parse(info.out, nullptr, false);
        if (details.is_object() && details["Runtimes"].is_object()) {
            for (const auto& [name, ignored] : details["Runtimes"].items()) {
                facts.runtimes.push_back(name);
            }
            facts.default_runtime = details.value("DefaultRuntime", "");
        }
    }
    return facts;
}

namespace {

void read_daemon_json(const HostFiles& files, ToolkitFacts& facts)
{
    std::optional<std::string> text = files.read("/etc/docker/daemon.json");
    if (!text) {
        return;
    }
    nlohmann::json config = nlohmann::json::parse(*text, nullptr, false);
    if (!config.is_object()) {
        facts.daemon_json_problem = "/etc/docker/daemon.json is not a JSON object";
        return;
    }
    facts.daemon_json_nvidia =
        config.contains("runtimes") && config["runtimes"].is_object() && config["runtimes"].contains("nvidia");
    facts.daemon_json_default = config.value("default-runtime", nlohmann::json()) == "nvidia";
}

void find_cdi_specs(const HostFiles& files, ToolkitFacts& facts)
{
    for (std::string folder : {"/etc/cdi", "/var/run/cdi"}) {
        for (const std::string& name : files.list(folder)) {
            bool spec_file = name.ends_with(".yaml") || name.ends_with(".json");
            std::string path = folder + "/" + name;
            if (spec_file && files.read(path).value_or("").find("nvidia.com/gpu") != std::string::npos) {
                facts.cdi_specs.push_back(path);
            }
        }
    }
}

std::string program_path(ProcessRunner& runner, std::string_view name)
{
    return runner.find_program(name).value_or("");
}

}  // namespace

ToolkitFacts probe_toolkit(ProcessRunner& runner, const HostFiles& files)
{
    ToolkitFacts facts;
    facts.ctk = program_path(runner, "nvidia-ctk");
    facts.container_cli = program_path(runner, "nvidia-container-cli");
    facts.runtime_binary = program_path(runner, "nvidia-container-runtime");
    facts.hook = program_path(runner, "nvidia-container-runtime-hook");
    if (!facts.ctk.empty()) {
        facts.ctk_version = version_word(probe(runner, {"nvidia-ctk", "--version"}));
    }
    if (!facts.container_cli.empty()) {
        facts.container_cli_version = version_word(probe(runner, {"nvidia-container-cli", "--version"}));
    }
    read_daemon_json(files, facts);
    find_cdi_specs(files, facts);
    return facts;
}

OtherRuntimes probe_other_runtimes(ProcessRunner& runner)
{
    OtherRuntimes facts;
    facts.podman = program_path(runner, "podman");
    if (!facts.podman.empty()) {
        facts.podman_version = version_word(probe(runner, {"podman", "--version"}));
    }
    facts.apptainer = program_path(runner, "apptainer");
    if (facts.apptainer.empty()) {
        facts.apptainer = program_path(runner, "singularity");
    }
    facts.enroot = program_path(runner, "enroot");
    return facts;
}

WslFacts probe_wsl(const HostFiles& files)
{
    WslFacts facts;
    facts.kernel = trim(files.read("/proc/sys/kernel/osrelease").value_or(""));
    std::string kernel = to_lower(facts.kernel.empty() ? files.read("/proc/version").value_or("") : facts.kernel);
    // WSL2 kernels: "5.15.153.1-microsoft-standard-WSL2", older "4.19.104-microsoft-standard";
    // WSL1 reports a made-up "4.4.0-19041-Microsoft" and has no GPU.
    facts.wsl2 = kernel.find("microsoft-standard") != std::string::npos || kernel.find("wsl2") != std::string::npos;
    facts.wsl1 = !facts.wsl2 && kernel.find("microsoft") != std::string::npos;
    for (const std::string& name : files.list("/usr/lib/wsl/lib")) {
        if (starts_with(name, "libcuda.so")) {
            facts.libcuda.push_back("/usr/lib/wsl/lib/" + name);
        }
    }
    facts.dxg = files.exists("/dev/dxg");
    return facts;
}

DoctorFacts gather_facts(const DoctorProbes& probes)
{
    DoctorFacts facts;
    facts.wsl = probe_wsl(probes.files);
    facts.driver = probe_driver(probes);
    facts.docker = probe_docker(probes.runner);
    facts.toolkit = probe_toolkit(probes.runner, probes.files);
    facts.others = probe_other_runtimes(probes.runner);
    facts.dev_nvidia = probes.files.exists("/dev/nvidiactl") || probes.files.exists("/dev/nvidia0");
    return facts;
}

}  // namespace cudagen
