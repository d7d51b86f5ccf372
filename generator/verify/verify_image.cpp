#include "verify/verify_image.hpp"

#include "core/report.hpp"

#include <array>
#include <cstdio>
#include <sstream>

namespace cudagen {

namespace {

using nlohmann::json;

// How docker says it could not run the check, and what that means. First match
// wins, so the specific GPU messages come before the generic ones. Messages are
// those of Docker 20.10 to 28 (with and without the NVIDIA Container Toolkit).
struct DockerFailure {
    std::string_view needle;  // in docker's stderr
    int exit_code;
    std::string_view diagnosis;
    std::string_view fix;
};

constexpr std::array k_docker_failures{
    DockerFailure{"could not select device driver \"\" with capabilities: [[gpu]]", k_exit_verdict_no_driver,
                  "docker cannot attach a GPU: this host has no NVIDIA Container Toolkit (docker knows no "
                  "device driver for --gpus)",
                  "on a GPU host install the NVIDIA Container Toolkit, run `nvidia-ctk runtime configure "
                  "--runtime=docker` and restart dockerd; a host without an NVIDIA GPU cannot run this check"},
    DockerFailure{"could not select device driver \"cdi\"", k_exit_verdict_no_driver,
                  "this Docker engine cannot inject CDI devices (--cdi needs Docker 25 or newer with CDI enabled)",
                  "use --gpus instead of --cdi, or upgrade Docker and enable the \"cdi\" feature in daemon.json"},
    DockerFailure{"unresolvable CDI devices", k_exit_verdict_no_driver,
                  "no CDI specification describes nvidia.com/gpu on this host",
                  "run `nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`, or use --gpus instead of --cdi"},
    DockerFailure{"Unknown runtime specified nvidia", k_exit_verdict_no_driver,
                  "docker has no 'nvidia' runtime: the NVIDIA Container Toolkit is not installed or not configured",
                  "install the NVIDIA Container Toolkit and run `nvidia-ctk runtime configure --runtime=docker`"},
    DockerFailure{"nvidia-container-cli", k_exit_verdict_no_driver,
                  "the NVIDIA Container Toolkit could not set up the GPU (no working driver on this host?)",
                  "check `nvidia-smi` on the host; install or reload the NVIDIA driver"},
    DockerFailure{"Cannot connect to the Docker daemon", k_exit_daemon_unreachable,
                  "the docker CLI cannot reach a Docker daemon",
                  "start it (`sudo systemctl start docker`, or `sudo dockerd &`), or point DOCKER_HOST or "
                  "`docker context use` at a running one"},
    DockerFailure{"permission denied while trying to connect to the Docker daemon", k_exit_daemon_unreachable,
                  "this user may not talk to the Docker daemon",
                  "add the user to the 'docker' group (then log in again), or run with sudo"},
    DockerFailure{"Unable to find image", k_exit_image_missing,
                  "the image is not on this host and docker could not pull it",
                  "build it first (`cudagen build PROFILE`), or check the image name and registry login"},
    DockerFailure{"No such image", k_exit_image_missing, "the image is not on this host",
                  "build it first (`cudagen build PROFILE`), or check the image name"},
    DockerFailure{"pull access denied", k_exit_image_missing, "docker could not pull the image",
                  "build it first (`cudagen build PROFILE`), or `docker login` to its registry"},
    DockerFailure{"unknown flag", 2, "docker rejected an option passed with --runtime-arg",
                  "write each docker option as one argument: --runtime-arg=--shm-size=1g"},
    DockerFailure{"unknown shorthand flag", 2, "docker rejected an option passed with --runtime-arg",
                  "write each docker option as one argument: --runtime-arg=--shm-size=1g"},
    DockerFailure{"invalid argument", 2, "docker rejected an option passed with --runtime-arg or --gpus",
                  "check the values of --gpus and --runtime-arg against `docker run --help`"},
};

std::string trim(std::string_view text)
{
    std::size_t begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) {
        return {};
    }
    std::size_t end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(begin, end - begin + 1));
}

// Docker's own words, one line, without "docker: Error response from daemon: ".
std::string docker_message(std::string_view err)
{
    std::istringstream lines{std::string(err)};
    std::string line, first;
    while (std::getline(lines, line)) {
        line = trim(line);
        if (line.empty() || line.rfind("Run 'docker", 0) == 0 || line.rfind("See 'docker", 0) == 0) {
            continue;
        }
        if (first.empty()) {
            first = line;
        }
        if (line.rfind("docker: ", 0) == 0) {
            first = line.substr(8);
            break;
        }
    }
    constexpr std::string_view k_daemon_prefix = "Error response from daemon: ";
    if (first.rfind(k_daemon_prefix, 0) == 0) {
        first.erase(0, k_daemon_prefix.size());
    }
    return first;
}

// A verdict is a JSON object with at least an integer exit_code and a bool ok.
bool is_verdict(const json& value)
{
    return value.is_object() && value.contains("exit_code") && value["exit_code"].is_number_integer() &&
           value.contains("ok") && value["ok"].is_boolean();
}

}  // namespace

std::optional<std::pair<json, std::string>> find_verdict(const std::string& out)
{
    std::string whole = trim(out);
    json parsed = json::parse(whole, nullptr, false);
    if (!parsed.is_discarded() && is_verdict(parsed)) {
        return std::make_pair(parsed, whole);
    }
    std::size_t at = whole.rfind("\n{");
    if (at == std::string::npos) {
        return std::nullopt;
    }
    std::string last = trim(std::string_view(whole).substr(at + 1));
    parsed = json::parse(last, nullptr, false);
    if (!parsed.is_discarded() && is_verdict(parsed)) {
        return std::make_pair(parsed, last);
    }
    return std::nullopt;
}

namespace {

std::string text_field(const json& object, const char* key)
{
    auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

VerifyVerdict from_image(json parsed, std::string raw)
{
    VerifyVerdict verdict;
    verdict.exit_code = parsed["exit_code"].get<int>();
    verdict.diagnosis = text_field(parsed, "diagnosis");
    verdict.fix = text_field(parsed, "fix");
    verdict.from_image = true;
    verdict.json = std::move(parsed);
    verdict.raw = std::move(raw);
    return verdict;
}

// verdict_before_run with what docker said.
VerifyVerdict harness_verdict(int exit_code, std::string diagnosis, std::string fix, const ProcessResult& docker)
{
    VerifyVerdict verdict = verdict_before_run(exit_code, std::move(diagnosis), std::move(fix), "cudagen verify");
    verdict.json["docker_exit_code"] = docker.exit_code;
    verdict.json["docker_stderr"] = trim(docker.err);
    verdict.raw = verdict.json.dump();
    return verdict;
}

std::string with_docker_words(std::string_view diagnosis, const ProcessResult& docker)
{
    std::string words = docker_message(docker.err);
    return words.empty() ? std::string(diagnosis) : std::string(diagnosis) + " (docker: " + words + ")";
}

// docker run exits 127/126 when the command in the image is missing/not executable.
bool verifier_missing(const ProcessResult& docker)
{
    bool code = docker.exit_code == k_process_not_found || docker.exit_code == k_process_not_executable;
    return code && docker.err.find(k_verifier_path) != std::string::npos;
}

VerifyVerdict diagnose_docker(const VerifyImageOptions& options, const ProcessResult& docker, const ProcessSpec& spec)
{
    if (!docker.started) {
        return harness_verdict(k_exit_docker_missing,
                               "no '" + options.docker + "' command on PATH (" + docker.err + ")",
                               "install Docker (Debian/Ubuntu: `apt-get install docker.io`; elsewhere "
                               "https://docs.docker.com/engine/install/)",
                               docker);
    }
    if (docker.timed_out) {
        return harness_verdict(k_exit_docker_failed, "the check " + describe_outcome(docker, spec),
                               "run it by hand to see where it hangs: " + options.docker + " run --rm -it ... " +
                                   options.image + " " + std::string(k_verifier_path),
                               docker);
    }
    if (verifier_missing(docker)) {
        return harness_verdict(k_exit_no_verifier,
                               "the image has no runnable " + std::string(k_verifier_path) +
                                   ": it was not built by cudagen, or with verification disabled",
                               "build it with `cudagen build PROFILE` (verification is on by default)", docker);
    }
    for (const DockerFailure& failure : k_docker_failures) {
        if (docker.err.find(failure.needle) == std::string::npos) {
            continue;
        }
        return harness_verdict(failure.exit_code, with_docker_words(failure.diagnosis, docker),
                               std::string(failure.fix), docker);
    }
    return harness_verdict(
        k_exit_docker_failed,
        with_docker_words("docker run " + describe_outcome(docker, spec) + " without a readable cudagen-verify verdict",
                          docker),
        "run the command by hand: " + options.docker + " run --rm " + options.image + " " +
            std::string(k_verifier_path) + " --json",
        docker);
}

int int_field(const json& object, const char* key)
{
    auto found = object.find(key);
    return found != object.end() && found->is_number_integer() ? found->get<int>() : 0;
}

std::string device_line(const json& device)
{
    std::string line = "  GPU " + std::to_string(int_field(device, "index")) + ": " + text_field(device, "name");
    if (std::string arch = text_field(device, "arch"); !arch.empty()) {
        line += ", " + arch;
    }
    std::string source = text_field(device, "kernel_source");
    if (!source.empty()) {
        line += ", kernel from " + source;
    }
    // Without a kernel image (exit 13) saxpy never ran: say nothing of its result.
    if (auto saxpy = device.find("saxpy_ok"); !source.empty() && saxpy != device.end() && saxpy->is_boolean()) {
        line += saxpy->get<bool>() ? ", saxpy ok" : ", saxpy WRONG";
    }
    if (auto d2d = device.find("d2d_gbps"); d2d != device.end() && d2d->is_number()) {
        std::array<char, 32> number{};
        std::snprintf(number.data(), number.size(), "%.0f", d2d->get<double>());
        line += std::string(", device-to-device ") + number.data() + " GB/s";
    }
    return line + "\n";
}

}  // namespace

std::vector<std::string> verify_image_argv(const VerifyImageOptions& options)
{
    std::vector<std::string> argv{options.docker, "run", "--rm"};
    switch (options.access) {
        case GpuAccess::gpus:
            argv.insert(argv.end(), {"--gpus", options.gpus});
            break;
        case GpuAccess::cdi:
            argv.insert(argv.end(), {"--device", "nvidia.com/gpu=all"});
            break;
        case GpuAccess::none:
            break;
    }
    argv.insert(argv.end(), options.runtime_args.begin(), options.runtime_args.end());
    // --entrypoint: the image's own ENTRYPOINT (the user's app) must not run instead.
    argv.insert(argv.end(), {"--entrypoint", std::string(k_verifier_path), options.image, "--json"});
    return argv;
}

VerifyVerdict verify_image(const VerifyImageOptions& options, ProcessRunner& runner)
{
    ProcessSpec spec;
    spec.argv = verify_image_argv(options);
    spec.timeout = options.timeout;
    ProcessResult docker = runner.run(spec);
    if (docker.started && !docker.timed_out) {
        if (auto found = find_verdict(docker.out)) {
            return from_image(std::move(found->first), std::move(found->second));
        }
    }
    return diagnose_docker(options, docker, spec);
}

Diagnostic verdict_problem(const VerifyVerdict& verdict)
{
    return command_problem("verify", verdict.exit_code, verdict.diagnosis, verdict.fix);
}

std::string format_verdict(const VerifyVerdict& verdict, std::string_view image)
{
    std::string text = "cudagen verify " + std::string(image) + ": " +
                       (verdict.exit_code == k_exit_ok ? "OK" : "FAILED") + " (exit " +
                       std::to_string(verdict.exit_code) + ")\n";
    const json& v = verdict.json;
    if (std::string driver = text_field(v, "driver_version"); !driver.empty()) {
        std::string release = text_field(v, "driver_release");
        text += "  driver: CUDA " + driver + (release.empty() ? "" : " (" + release + ")") + ", runtime: CUDA " +
                text_field(v, "runtime_version") + "\n";
    }
    if (auto devices = v.find("devices"); devices != v.end() && devices->is_array()) {
        for (const json& device : *devices) {
            if (device.is_object()) {
                text += device_line(device);
            }
        }
    }
    if (verdict.exit_code == k_exit_ok) {
        text += "  result: " + verdict.diagnosis + "\n";
        return text;
    }
    return text + format_diagnostic(verdict_problem(verdict));
}

VerifyVerdict verdict_before_run(int exit_code, std::string diagnosis, std::string fix, std::string_view source)
{
    VerifyVerdict verdict;
    verdict.exit_code = exit_code;
    verdict.diagnosis = std::move(diagnosis);
    verdict.fix = std::move(fix);
    verdict.json = json{{"ok", false},
                        {"exit_code", exit_code},
                        {"diagnosis", verdict.diagnosis},
                        {"fix", verdict.fix},
                        {"binary", nullptr},  // not read: cudagen-verify never ran
                        {"devices", json::array()},
                        {"source", source}};
    verdict.raw = verdict.json.dump();
    return verdict;
}

}  // namespace cudagen
