#include "build/docker_env.hpp"

#include "core/text.hpp"

namespace cudagen {

namespace {

constexpr std::chrono::seconds k_probe_timeout{60};
constexpr std::string_view k_install_docker =
    "apt-get install docker.io (Debian/Ubuntu), or in a cudagen checkout: scripts/setup_docker.sh";
constexpr std::string_view k_install_buildx =
    "apt-get install docker-buildx (Debian 13, Ubuntu 24.04), or in a cudagen checkout: scripts/setup_docker.sh "
    "(installs the Debian 13 package on Debian 12)";

CommandFailure environment_problem(std::string message, std::string fix)
{
    return command_failure("build", k_exit_build_environment, std::move(message), std::move(fix));
}

ProcessResult probe(ProcessRunner& runner, std::vector<std::string> argv)
{
    ProcessSpec spec;
    spec.argv = std::move(argv);
    spec.timeout = k_probe_timeout;
    return runner.run(spec);
}

// The first non-empty line of what docker said, without its "ERROR: " prefix.
std::string first_line(const ProcessResult& result)
{
    for (const std::string& text : {result.err, result.out}) {
        for (const std::string& line : split(text, '\n')) {
            std::string trimmed = trim(line);
            if (starts_with(trimmed, "ERROR: ")) {
                trimmed = trimmed.substr(7);
            }
            if (!trimmed.empty()) {
                return trimmed;
            }
        }
    }
    return "no output, exit " + std::to_string(result.exit_code);
}

bool mentions(const ProcessResult& result, std::string_view needle)
{
    return result.err.find(needle) != std::string::npos || result.out.find(needle) != std::string::npos;
}

std::optional<CommandFailure> check_buildx(ProcessRunner& runner)
{
    ProcessResult result = probe(runner, {"docker", "buildx", "version"});
    if (result.exit_code == 0) {
        return std::nullopt;
    }
    return environment_problem("docker buildx is not installed (" + first_line(result) + ")",
                               std::string(k_install_buildx));
}

std::optional<CommandFailure> check_daemon(ProcessRunner& runner)
{
    ProcessResult result = probe(runner, {"docker", "info", "--format", "{{.ServerVersion}}"});
    if (result.exit_code == 0 && !trim(result.out).empty()) {
        return std::nullopt;
    }
    std::string fix =
        mentions(result, "permission denied")
            ? "add yourself to the docker group (usermod -aG docker $USER, then log in again) or run as root"
            : "start it: systemctl start docker (or: dockerd &, or scripts/setup_docker.sh); "
              "check DOCKER_HOST and `docker context ls`";
    return environment_problem("the Docker daemon is not reachable (" + first_line(result) + ")", fix);
}

CommandFailure missing_builder(const std::string& builder, const ProcessResult& result)
{
    if (builder.empty()) {
        return environment_problem("docker buildx has no usable default builder (" + first_line(result) + ")",
                                   "docker buildx use default (see the builders: docker buildx ls)");
    }
    return environment_problem(
        "buildx builder '" + builder + "' does not exist (" + first_line(result) + ")",
        "docker buildx create --name " + builder +
            " --driver docker-container --bootstrap "
            "(see docs/build.md for remote and multi-node builders; list them: docker buildx ls)");
}

}  // namespace

BuilderInfo parse_buildx_inspect(std::string_view text)
{
    BuilderInfo info;
    for (const std::string& line : split(text, '\n')) {
        std::string trimmed = trim(line);
        // Only the first Name: (the builder's; node names follow under "Nodes:").
        if (starts_with(trimmed, "Name:") && info.name.empty()) {
            info.name = trim(trimmed.substr(5));
        }
        if (starts_with(trimmed, "Driver:") && info.driver.empty()) {
            info.driver = trim(trimmed.substr(7));
        }
    }
    return info;
}

PreflightResult check_build_environment(ProcessRunner& runner, const std::string& builder, bool need_daemon)
{
    PreflightResult result;
    if (!runner.find_program("docker")) {
        result.problem =
            environment_problem("docker is not installed (no 'docker' on PATH)", std::string(k_install_docker));
        return result;
    }
    result.problem = check_buildx(runner);
    if (!result.problem && need_daemon) {
        result.problem = check_daemon(runner);
    }
    if (result.problem) {
        return result;
    }
    std::vector<std::string> inspect = {"docker", "buildx", "inspect"};
    if (!builder.empty()) {
        inspect.push_back(builder);
    }
    ProcessResult answer = probe(runner, inspect);
    if (answer.exit_code != 0) {
        result.problem = missing_builder(builder, answer);
        return result;
    }
    result.builder = parse_buildx_inspect(answer.out);
    if (result.builder.name.empty()) {
        result.builder.name = builder.empty() ? "default" : builder;
    }
    return result;
}

}  // namespace cudagen
