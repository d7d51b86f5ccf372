// What `cudagen build` needs from the host before it starts a build: the docker
// CLI, buildx, a reachable daemon and the builder. Each missing piece becomes one
// problem whose fix names the command that fixes it.
#pragma once

#include "core/exit_codes.hpp"
#include "core/process.hpp"
#include "core/report.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cudagen {

// Exit codes of `cudagen build` beyond the shared 0/1/2: 3 and 4 (core/exit_codes.hpp).

struct BuilderInfo {
    std::string name;    // as `docker buildx inspect` names it
    std::string driver;  // docker, docker-container, kubernetes, remote
};

// The `docker` driver is BuildKit inside dockerd: it cannot export a build cache
// and cannot load multi-platform images.
inline constexpr std::string_view k_docker_driver = "docker";

struct PreflightResult {
    std::optional<CommandFailure> problem;  // code "build/<exit name>"
    BuilderInfo builder;
};

// Checks in the order a user would fix things: CLI, buildx, daemon, builder.
// `need_daemon` is false only for a push through a non-default builder, which
// never touches the local engine.
PreflightResult check_build_environment(ProcessRunner& runner, const std::string& builder, bool need_daemon);

// "Name:"/"Driver:" lines of `docker buildx inspect`; empty fields when absent.
BuilderInfo parse_buildx_inspect(std::string_view text);

}  // namespace cudagen
