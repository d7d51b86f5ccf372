// The NVIDIA driver read through NVML. libnvidia-ml.so.1 is loaded with dlopen
// when doctor runs, never linked: cudagen runs the same where there is no driver.
#pragma once

#include "doctor/host_facts.hpp"

#include <string>
#include <vector>

namespace cudagen {

// The driver version, the newest CUDA it supports and every GPU; `found` false
// and `problem` set when the library is missing or NVML fails (a driver/library
// version mismatch, no kernel module). `libraries` are tried in order.
DriverFacts query_nvml(const std::vector<std::string>& libraries);

// libnvidia-ml.so.1 on the loader path, then WSL2's copy in /usr/lib/wsl/lib.
const std::vector<std::string>& nvml_library_names();

}  // namespace cudagen
