// What `cudagen doctor` learns about the host, gathered by the probes
// (probes.hpp) and judged by doctor.cpp. Plain data: tests build it by hand.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cudagen {

struct HostGpu {
    int index = 0;
    std::string name;  // as the driver names it: "NVIDIA H200"
    int cc_major = 0;  // compute capability 9.0 -> 9, 0
    int cc_minor = 0;
    std::uint64_t memory_mib = 0;

    std::string cc() const { return std::to_string(cc_major) + "." + std::to_string(cc_minor); }
};

struct DriverFacts {
    bool found = false;
    std::string source;         // "NVML", "nvidia-smi" or "/proc/driver/nvidia/version"
    std::string version;        // user-space driver: "580.95.05"
    std::string cuda;           // newest CUDA the driver supports: "13.0" ("" unknown)
    std::string kernel_module;  // from /proc/driver/nvidia/version ("" when absent)
    std::vector<HostGpu> gpus;
    std::string problem;  // why the driver could not be read (NVML error, nvidia-smi output)
};

struct BuildxBuilder {
    std::string name;
    std::string driver;  // docker, docker-container, kubernetes, remote
    bool current = false;
};

struct DockerFacts {
    bool client = false;  // `docker` on PATH
    std::string client_version;
    bool engine = false;  // the daemon answers
    std::string engine_version;
    std::string engine_problem;  // first line of the error when it does not answer
    bool buildx = false;
    std::string buildx_version;
    std::vector<BuildxBuilder> builders;
    std::vector<std::string> runtimes;  // names from `docker info`
    std::string default_runtime;
};

struct ToolkitFacts {
    std::string ctk;  // path of nvidia-ctk ("" absent)
    std::string ctk_version;
    std::string container_cli;  // path of nvidia-container-cli
    std::string container_cli_version;
    std::string runtime_binary;          // nvidia-container-runtime
    std::string hook;                    // nvidia-container-runtime-hook
    bool daemon_json_nvidia = false;     // "nvidia" under runtimes in /etc/docker/daemon.json
    bool daemon_json_default = false;    // "default-runtime": "nvidia"
    std::string daemon_json_problem;     // daemon.json exists but is not JSON
    std::vector<std::string> cdi_specs;  // spec files naming nvidia.com/gpu devices

    bool installed() const
    {
        return !ctk.empty() || !container_cli.empty() || !runtime_binary.empty() || !hook.empty();
    }
};

struct OtherRuntimes {
    std::string podman;  // path ("" absent)
    std::string podman_version;
    std::string apptainer;  // apptainer or singularity
    std::string enroot;
};

struct WslFacts {
    bool wsl2 = false;
    bool wsl1 = false;                 // WSL1: no GPU at all
    std::string kernel;                // /proc/sys/kernel/osrelease
    std::vector<std::string> libcuda;  // /usr/lib/wsl/lib/libcuda.so*
    bool dxg = false;                  // /dev/dxg
};

struct DoctorFacts {
    DriverFacts driver;
    DockerFacts docker;
    ToolkitFacts toolkit;
    OtherRuntimes others;
    WslFacts wsl;
    bool dev_nvidia = false;  // /dev/nvidia0 or /dev/nvidiactl
};

}  // namespace cudagen
