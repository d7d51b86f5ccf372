#include "build/gpu_probe.hpp"

#include <array>
#include <filesystem>
#include <string_view>

namespace cudagen {

namespace {

constexpr std::array<std::string_view, 4> k_cdi_specs = {"/etc/cdi/nvidia.yaml", "/etc/cdi/nvidia.json",
                                                         "/var/run/cdi/nvidia.yaml", "/var/run/cdi/nvidia.json"};
constexpr std::array<std::string_view, 2> k_toolkit_programs = {"nvidia-container-runtime-hook",
                                                                "nvidia-container-cli"};
constexpr std::string_view k_gpu_device = "/dev/nvidia0";

bool docker_has_nvidia_runtime(ProcessRunner& runner)
{
    ProcessSpec spec;
    spec.argv = {"docker", "info", "--format", "{{json .Runtimes}}"};
    spec.timeout = std::chrono::seconds(30);
    ProcessResult result = runner.run(spec);
    return result.exit_code == 0 && result.out.find("\"nvidia\"") != std::string::npos;
}

}  // namespace

PathExists real_path_exists()
{
    return [](const std::string& path) {
        std::error_code ignored;
        return std::filesystem::exists(path, ignored);
    };
}

GpuRuntime detect_gpu_runtime(ProcessRunner& runner, const PathExists& exists)
{
    if (docker_has_nvidia_runtime(runner)) {
        return {true, GpuAccess::gpus, "docker lists the 'nvidia' runtime"};
    }
    for (std::string_view program : k_toolkit_programs) {
        if (runner.find_program(program)) {
            return {true, GpuAccess::gpus, std::string(program) + " is installed (NVIDIA Container Toolkit)"};
        }
    }
    for (std::string_view spec : k_cdi_specs) {
        if (exists(std::string(spec))) {
            return {true, GpuAccess::cdi, "CDI spec " + std::string(spec)};
        }
    }
    if (exists(std::string(k_gpu_device))) {
        return {false, GpuAccess::none,
                "this host has a GPU (/dev/nvidia0) but Docker cannot attach it: install the NVIDIA Container "
                "Toolkit and run `nvidia-ctk runtime configure --runtime=docker`, then `cudagen verify IMAGE`"};
    }
    return {false, GpuAccess::none,
            "no NVIDIA GPU runtime on this host (no 'nvidia' runtime in docker info, no NVIDIA Container Toolkit, "
            "no CDI spec, no /dev/nvidia0); run `cudagen verify IMAGE` on a GPU host"};
}

}  // namespace cudagen
