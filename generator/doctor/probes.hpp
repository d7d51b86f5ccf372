// The probes of `cudagen doctor`: commands through the process-runner seam,
// host files through HostFiles, NVML through a function a test can replace.
#pragma once

#include "core/process.hpp"
#include "doctor/host_facts.hpp"
#include "doctor/host_files.hpp"

#include <functional>
#include <string_view>

namespace cudagen {

using DriverQuery = std::function<DriverFacts()>;

struct DoctorProbes {
    ProcessRunner& runner;
    const HostFiles& files;
    DriverQuery nvml;  // empty: NVML is not asked (a fake --root, tests)
};

DoctorFacts gather_facts(const DoctorProbes& probes);

DriverFacts probe_driver(const DoctorProbes& probes);
DockerFacts probe_docker(ProcessRunner& runner);
ToolkitFacts probe_toolkit(ProcessRunner& runner, const HostFiles& files);
OtherRuntimes probe_other_runtimes(ProcessRunner& runner);
WslFacts probe_wsl(const HostFiles& files);

// `nvidia-smi --query-gpu=index,name,compute_cap,memory.total,driver_version
// --format=csv,noheader,nounits` lines -> GPUs (driver version into `driver`).
std::vector<HostGpu> parse_nvidia_smi_gpus(std::string_view csv, std::string& driver);
// "CUDA Version: 13.0" in nvidia-smi's header -> "13.0".
std::string parse_nvidia_smi_cuda(std::string_view text);
// "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.95.05  ..." -> "580.95.05".
std::string parse_proc_driver_version(std::string_view text);
// `docker buildx ls` (the table of buildx 0.10 to 0.2x) -> builders and their drivers.
std::vector<BuildxBuilder> parse_buildx_ls(std::string_view text);

}  // namespace cudagen
