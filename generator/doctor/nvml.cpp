#include "doctor/nvml.hpp"

#include <dlfcn.h>

#include <array>

namespace cudagen {

namespace {

// The few NVML entry points doctor needs, with their C signatures from nvml.h.
// nvmlReturn_t is an int-sized enum whose 0 means success.
using NvmlReturn = int;
using NvmlDevice = void*;
struct NvmlMemory {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
};

struct NvmlApi {
    NvmlReturn (*init)();
    NvmlReturn (*shutdown)();
    const char* (*error_string)(NvmlReturn);
    NvmlReturn (*driver_version)(char*, unsigned);
    NvmlReturn (*cuda_version)(int*);
    NvmlReturn (*device_count)(unsigned*);
    NvmlReturn (*device_by_index)(unsigned, NvmlDevice*);
    NvmlReturn (*device_name)(NvmlDevice, char*, unsigned);
    NvmlReturn (*device_cc)(NvmlDevice, int*, int*);
    NvmlReturn (*device_memory)(NvmlDevice, NvmlMemory*);
};

template <class Function>
bool bind(void* library, const char* name, Function& function)
{
    function = reinterpret_cast<Function>(dlsym(library, name));
    return function != nullptr;
}

bool bind_api(void* library, NvmlApi& api)
{
    bool cuda = bind(library, "nvmlSystemGetCudaDriverVersion_v2", api.cuda_version) ||
                bind(library, "nvmlSystemGetCudaDriverVersion", api.cuda_version);
    return cuda && bind(library, "nvmlInit_v2", api.init) && bind(library, "nvmlShutdown", api.shutdown) &&
           bind(library, "nvmlErrorString", api.error_string) &&
           bind(library, "nvmlSystemGetDriverVersion", api.driver_version) &&
           bind(library, "nvmlDeviceGetCount_v2", api.device_count) &&
           bind(library, "nvmlDeviceGetHandleByIndex_v2", api.device_by_index) &&
           bind(library, "nvmlDeviceGetName", api.device_name) &&
           bind(library, "nvmlDeviceGetCudaComputeCapability", api.device_cc) &&
           bind(library, "nvmlDeviceGetMemoryInfo", api.device_memory);
}

std::string nvml_error(const NvmlApi& api, const char* call, NvmlReturn code)
{
    return std::string(call) + " failed: " + api.error_string(code) + " (NVML error " + std::to_string(code) + ")";
}

// 13000 -> "13.0"
std::string cuda_text(int version)
{
    return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

HostGpu read_gpu(const NvmlApi& api, unsigned index, NvmlDevice device)
{
    HostGpu gpu;
    gpu.index = static_cast<int>(index);
    std::array<char, 96> name{};  // NVML_DEVICE_NAME_V2_BUFFER_SIZE
    if (api.device_name(device, name.data(), name.size()) == 0) {
        gpu.name = name.data();
    }
    api.device_cc(device, &gpu.cc_major, &gpu.cc_minor);
    NvmlMemory memory{};
    if (api.device_memory(device, &memory) == 0) {
        gpu.memory_mib = memory.total / (1024 * 1024);
    }
    return gpu;
}

void read_driver(const NvmlApi& api, DriverFacts& facts)
{
    std::array<char, 80> version{};  // NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE
    if (NvmlReturn code = api.driver_version(version.data(), version.size()); code != 0) {
        facts.problem = nvml_error(api, "nvmlSystemGetDriverVersion", code);
        return;
    }
    facts.found = true;
    facts.source = "NVML";
    facts.version = version.data();
    int cuda = 0;
    if (api.cuda_version(&cuda) == 0 && cuda > 0) {
        facts.cuda = cuda_text(cuda);
    }
    unsigned count = 0;
    if (NvmlReturn code = api.device_count(&count); code != 0) {
        facts.problem = nvml_error(api, "nvmlDeviceGetCount", code);
        return;
    }
    for (unsigned index = 0; index < count; ++index) {
        NvmlDevice device = nullptr;
        if (api.device_by_index(index, &device) == 0) {
            facts.gpus.push_back(read_gpu(api, index, device));
        }
    }
}

DriverFacts query_library(void* library)
{
    DriverFacts facts;
    NvmlApi api{};
    if (!bind_api(library, api)) {
        facts.problem = "libnvidia-ml.so.1 lacks an NVML function cudagen needs (a driver older than R450?)";
        return facts;
    }
    if (NvmlReturn code = api.init(); code != 0) {
        facts.problem = nvml_error(api, "nvmlInit", code);
        return facts;
    }
    read_driver(api, facts);
    api.shutdown();
    return facts;
}

}  // namespace

const std::vector<std::string>& nvml_library_names()
{
    static const std::vector<std::string> names = {"libnvidia-ml.so.1", "/usr/lib/wsl/lib/libnvidia-ml.so.1"};
    return names;
}

DriverFacts query_nvml(const std::vector<std::string>& libraries)
{
    std::string errors;
    for (const auto& name : libraries) {
        void* library = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!library) {
            // "No such file" is the common case (no driver) and says nothing new; other errors do.
            const char* error = dlerror();
            std::string text = error ? error : name + ": cannot load";
            if (text.find("No such file") == std::string::npos) {
                errors += (errors.empty() ? "" : "; ") + text;
            }
            continue;
        }
        DriverFacts facts = query_library(library);
        dlclose(library);
        return facts;
    }
    DriverFacts facts;
    facts.problem = errors.empty() ? "libnvidia-ml.so.1 not found" : errors;
    return facts;
}

}  // namespace cudagen
