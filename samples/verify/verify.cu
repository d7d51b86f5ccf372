// cudagen-verify: proves inside a container that the GPU works, or says why not
// and what to do. One file on purpose: every generated image builds it with
//   nvcc -O2 -std=c++17 --cudart static <gencode flags> -o cudagen-verify verify.cu -ldl
// Checks run in order and stop at the first failure (docs/verify.md).
#include <cuda_runtime.h>
#include <dlfcn.h>
#include <elf.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

extern char** environ;

namespace {

constexpr int k_exit_usage = 2, k_exit_no_driver = 10, k_exit_old_driver = 11, k_exit_no_device = 12,
              k_exit_no_kernel_image = 13, k_exit_wrong_result = 14, k_exit_framework = 15;
constexpr size_t k_host_bytes = 32u << 20;    // pinned buffer for H2D/D2H
constexpr size_t k_device_bytes = 512u << 20; // large enough to reach the HBM peak
constexpr int k_framework_timeout_ms = 300000; // TensorFlow imports are slow

struct Options {
    bool json = false;
    std::string framework = "none", python = "python3";
    std::string script = "/opt/cudagen/share/framework_check.py";
};

struct Verdict {
    int exit_code = 0;
    std::string diagnosis = "the GPU works in this container", fix;
};

// NaN and -1 mean "not measured" and print as null.
struct DeviceReport {
    int index = 0, cc = 0, binary_version = -1, ptx_version = -1, clock_mhz = -1, bus_bits = -1;
    std::string name, compute_capability, kernel_source;
    size_t memory_bytes = 0;
    bool saxpy_ok = false;
    double h2d = NAN, d2h = NAN, d2d = NAN, peak = NAN;
};

// What this binary carries, from its own .nv_fatbin section.
struct FatbinArchs {
    std::set<int> sass, ptx;
    bool read = false;
};

struct Report {
    Verdict verdict;
    int driver_version = 0, runtime_version = CUDART_VERSION;
    std::string driver_release, framework_json;
    FatbinArchs archs;
    std::vector<DeviceReport> devices;
    double elapsed_ms = 0;
};

std::string fmt(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* format, ...) {
    va_list args, again;
    va_start(args, format);
    va_copy(again, args);
    std::string out(size_t(std::max(0, vsnprintf(nullptr, 0, format, args))), '\0');
    vsnprintf(out.data(), out.size() + 1, format, again);
    va_end(again);
    va_end(args);
    return out;
}

Verdict fail(int code, std::string diagnosis, std::string fix) { return {code, std::move(diagnosis), std::move(fix)}; }

std::string cuda_text(int v) { return fmt("%d.%d", v / 1000, v % 1000 / 10); }

std::string error_text(cudaError_t e) { return fmt("%s: %s", cudaGetErrorName(e), cudaGetErrorString(e)); }

std::string env_text(const char* name) {
    const char* v = std::getenv(name);
    return v ? fmt("'%s'", v) : "unset";
}

// Minimum driver of each CUDA major release under minor version compatibility
// (NVIDIA's CUDA Compatibility guide, Linux x86_64).
std::string minimum_driver(int runtime) {
    switch (runtime / 1000) {
    case 11: return "450.80.02";
    case 12: return "525.60.13";
    case 13: return "580.65.06";
    default: return "the driver of CUDA " + cuda_text(runtime);
    }
}

const char* const k_usage =
    "usage: cudagen-verify [--json] [--framework pytorch|tensorflow|jax|none]\n"
    "                      [--python PATH] [--framework-script PATH]\n"
    "Checks that the GPU works in this container. Exit 0 ok, 10 no driver library,\n"
    "11 driver too old, 12 no device, 13 no kernel image, 14 wrong result,\n"
    "15 framework check failed. Env: CUDAGEN_VERIFY_FRAMEWORK, CUDAGEN_VERIFY_PYTHON.\n";

int usage_error(const std::string& what) {
    std::fprintf(stderr, "cudagen-verify: %s\n%s", what.c_str(), k_usage);
    return k_exit_usage;
}

// Returns -1 to go on, else the exit code (help or a usage error).
int parse_args(int argc, char** argv, Options& opt) {
    if (const char* f = std::getenv("CUDAGEN_VERIFY_FRAMEWORK"); f && *f) opt.framework = f;
    if (const char* p = std::getenv("CUDAGEN_VERIFY_PYTHON"); p && *p) opt.python = p;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        bool more = i + 1 < argc;
        if (a == "--json") opt.json = true;
        else if (a == "--help" || a == "-h") return std::fputs(k_usage, stdout), 0;
        else if (a == "--framework" && more) opt.framework = argv[++i];
        else if (a == "--python" && more) opt.python = argv[++i];
        else if (a == "--framework-script" && more) opt.script = argv[++i];
        else return usage_error("bad argument '" + a + "'");
    }
    const std::string& f = opt.framework;
    if (f != "pytorch" && f != "tensorflow" && f != "jax" && f != "none") return usage_error("unknown framework '" + f + "'");
    return -1;
}

// -- 10, 11, 12: driver and devices

// Loading libcuda ourselves is the only reliable sign of a missing driver: with
// none, the CUDA runtime says "insufficient driver", which misleads.
Verdict check_driver_library() {
    if (dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL)) return {};
    const char* why = dlerror();
    return fail(k_exit_no_driver,
                fmt("no NVIDIA driver library: libcuda.so.1 cannot be loaded (%s); the container was started "
                    "without GPU access", why ? why : "?"),
                "run it with `docker run --gpus all ...` (or CDI: `--device nvidia.com/gpu=all`) on a host with the "
                "NVIDIA driver and the NVIDIA Container Toolkit (`nvidia-ctk runtime configure --runtime=docker`)");
}

// "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.159.04 ..." -> "580.159.04"
std::string read_driver_release() {
    std::ifstream in("/proc/driver/nvidia/version");
    std::string w;
    while (in >> w)
        if (w.find('.') != std::string::npos && w.find_first_not_of("0123456789.") == std::string::npos) return w;
    return {};
}

Verdict old_driver(const Report& r, const std::string& detail) {
    std::string driver = r.driver_version ? "CUDA " + cuda_text(r.driver_version) : "an unknown CUDA";
    if (!r.driver_release.empty()) driver += " (driver " + r.driver_release + ")";
    return fail(k_exit_old_driver,
                "the host's driver supports " + driver + " but this image's CUDA runtime is " +
                    cuda_text(r.runtime_version) + detail,
                "upgrade the host driver to " + minimum_driver(r.runtime_version) +
                    " or newer, or choose an older `cuda` in the profile");
}

Verdict check_driver_version(Report& r) {
    r.driver_release = read_driver_release();
    if (cudaError_t e = cudaDriverGetVersion(&r.driver_version); e != cudaSuccess) return old_driver(r, " (" + error_text(e) + ")");
    // A newer runtime of the same major release runs on an older driver (minor
    // version compatibility); across major releases it cannot.
    if (r.driver_version / 1000 < r.runtime_version / 1000) return old_driver(r, "");
    return {};
}

Verdict count_devices(Report& r, int& count) {
    cudaError_t e = cudaGetDeviceCount(&count);
    if (e == cudaErrorInsufficientDriver) return old_driver(r, " (" + error_text(e) + ")");
    if (e == cudaErrorSystemDriverMismatch)
        return fail(k_exit_old_driver, "libcuda.so.1 does not match the host's kernel module (" + error_text(e) + ")",
                    "remove any cuda-compat libcuda from the image; let the Container Toolkit mount the host's");
    if (e == cudaErrorSystemNotReady)
        return fail(k_exit_no_device, "the GPUs are not ready (" + error_text(e) + ")",
                    "on NVSwitch systems start nvidia-fabricmanager on the host");
    if (e == cudaSuccess && count > 0) return {};
    return fail(k_exit_no_device,
                "no CUDA device is visible (" + (e ? error_text(e) : "0 devices") + "); NVIDIA_VISIBLE_DEVICES=" +
                    env_text("NVIDIA_VISIBLE_DEVICES") + ", CUDA_VISIBLE_DEVICES=" + env_text("CUDA_VISIBLE_DEVICES"),
                "run with `--gpus all` (or `--gpus device=N`); NVIDIA_VISIBLE_DEVICES must name GPUs (not empty, "
                "void or none) and CUDA_VISIBLE_DEVICES must be unset or list valid indices or UUIDs");
}

// -- 13: which targets this binary carries

template <class T> T load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Fatbinary layout (unchanged since CUDA 4): a 16-byte header {u32 magic, u16
// version, u16 header size, u64 payload size}, then entries with u16 kind
// (1 PTX, 2 ELF=SASS) at 0, u32 header size at 4, u64 payload at 8, u32 arch at 28.
void read_fatbins(const char* p, size_t n, FatbinArchs& out) {
    for (size_t off = 0; off + 16 <= n;) {
        if (load<uint32_t>(p + off) != 0xBA55ED50u) { off += 8; continue; }  // 8-byte aligned
        size_t entry = off + load<uint16_t>(p + off + 6), end = std::min(n, entry + load<uint64_t>(p + off + 8));
        for (uint32_t header; entry + 32 <= end && (header = load<uint32_t>(p + entry + 4)) != 0;) {
            int kind = load<uint16_t>(p + entry), arch = int(load<uint32_t>(p + entry + 28));
            (kind == 1 ? out.ptx : out.sass).insert(arch);
            entry += header + load<uint64_t>(p + entry + 8);
        }
        off = end;
        out.read = true;
    }
}

// On any surprise the sets stay empty and kernel_source() falls back to the
// runtime's attributes alone.
FatbinArchs read_fatbin_archs() {
    FatbinArchs out;
    std::ifstream in("/proc/self/exe", std::ios::binary);
    std::string f((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (f.size() < sizeof(Elf64_Ehdr) || f.compare(0, 4, ELFMAG) != 0) return out;
    auto eh = load<Elf64_Ehdr>(f.data());
    if (eh.e_shoff + eh.e_shnum * sizeof(Elf64_Shdr) > f.size() || eh.e_shstrndx >= eh.e_shnum) return out;
    auto section = [&](int i) { return load<Elf64_Shdr>(f.data() + eh.e_shoff + i * sizeof(Elf64_Shdr)); };
    Elf64_Shdr names = section(eh.e_shstrndx);
    for (int i = 0; i < eh.e_shnum; ++i) {
        Elf64_Shdr s = section(i);
        if (names.sh_offset + s.sh_name >= f.size() || s.sh_offset + s.sh_size > f.size()) continue;
        if (std::strcmp(f.c_str() + names.sh_offset + s.sh_name, ".nv_fatbin") == 0)
            read_fatbins(f.data() + s.sh_offset, s.sh_size, out);
    }
    return out;
}

std::string arch_list(const std::set<int>& archs, const char* prefix, const char* sep) {
    std::string s;
    for (int a : archs) s += (s.empty() ? "" : sep) + fmt("%s%d", prefix, a);
    return s;
}

// A kernel JIT'd from PTX is compiled for the device itself, so binaryVersion
// alone cannot tell it from SASS for that arch; the fatbin's contents can.
std::string kernel_source(const cudaFuncAttributes& a, const FatbinArchs& archs) {
    if (archs.read) return archs.sass.count(a.binaryVersion) ? "SASS" : "PTX-JIT";
    return a.ptxVersion < a.binaryVersion ? "PTX-JIT" : "SASS";
}

__global__ void saxpy(int n, float a, const float* x, float* y) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) y[i] = a * x[i] + y[i];
}

bool is_kernel_image_error(cudaError_t e) {
    return e == cudaErrorNoKernelImageForDevice || e == cudaErrorInvalidDeviceFunction ||
           e == cudaErrorUnsupportedPtxVersion || e == cudaErrorInvalidPtx || e == cudaErrorJitCompilerNotFound;
}

Verdict no_kernel_image(const DeviceReport& d, const FatbinArchs& archs, cudaError_t e) {
    std::string sass = arch_list(archs.sass, "sm_", ", "), ptx = arch_list(archs.ptx, "compute_", ", ");
    return fail(k_exit_no_kernel_image,
                fmt("no kernel image for sm_%d (GPU %d, %s): this binary holds SASS for %s and PTX for %s (%s)", d.cc,
                    d.index, d.name.c_str(), sass.empty() ? "none" : sass.c_str(), ptx.empty() ? "none" : ptx.c_str(),
                    error_text(e).c_str()),
                fmt("add \"%s\" (sm_%d) to the profile's `gpu_archs`, or keep `ptx: true` so that PTX the driver "
                    "can JIT for sm_%d is embedded", d.compute_capability.c_str(), d.cc, d.cc));
}

Verdict check_kernel_image(DeviceReport& d, const FatbinArchs& archs) {
    cudaFuncAttributes attr{};
    cudaError_t e = cudaFuncGetAttributes(&attr, saxpy);
    cudaGetLastError();
    if (is_kernel_image_error(e)) return no_kernel_image(d, archs, e);
    if (e != cudaSuccess)
        return fail(k_exit_no_device, fmt("GPU %d (%s) cannot be used: %s", d.index, d.name.c_str(), error_text(e).c_str()),
                    "check with `nvidia-smi -q` that it is healthy and not held in exclusive mode");
    d.binary_version = attr.binaryVersion;
    d.ptx_version = attr.ptxVersion;
    d.kernel_source = kernel_source(attr, archs);
    return {};
}

// -- 14: results and copies

Verdict wrong_result(const DeviceReport& d, const std::string& what) {
    return fail(k_exit_wrong_result, fmt("GPU %d (%s): %s", d.index, d.name.c_str(), what.c_str()),
                "look for ECC or Xid errors (`nvidia-smi -q`, host `dmesg`); reset or drain the GPU");
}

#define VERIFY_CUDA(call, what) do { \
    if (cudaError_t e_ = (call); e_ != cudaSuccess) return wrong_result(d, std::string(what) + ": " + error_text(e_)); \
} while (0)

// Small integers keep a*x+y exact in float, so the check compares exactly.
Verdict run_saxpy(DeviceReport& d) {
    constexpr int n = 1 << 22;
    constexpr size_t bytes = n * sizeof(float);
    std::vector<float> x(n), y(n);
    for (int i = 0; i < n; ++i) x[i] = float(i % 1000), y[i] = float(1 + i % 7);
    float *dx = nullptr, *dy = nullptr;
    VERIFY_CUDA(cudaMalloc(&dx, bytes), "cudaMalloc");
    VERIFY_CUDA(cudaMalloc(&dy, bytes), "cudaMalloc");
    VERIFY_CUDA(cudaMemcpy(dx, x.data(), bytes, cudaMemcpyHostToDevice), "saxpy input copy");
    VERIFY_CUDA(cudaMemcpy(dy, y.data(), bytes, cudaMemcpyHostToDevice), "saxpy input copy");
    saxpy<<<1024, 256>>>(n, 2.0f, dx, dy);
    VERIFY_CUDA(cudaGetLastError(), "saxpy launch");
    VERIFY_CUDA(cudaMemcpy(y.data(), dy, bytes, cudaMemcpyDeviceToHost), "saxpy result copy");
    cudaFree(dx);
    cudaFree(dy);
    for (int i = 0; i < n; ++i)
        if (y[i] != float(2 * (i % 1000) + 1 + i % 7)) return wrong_result(d, fmt("saxpy is wrong at element %d", i));
    d.saxpy_ok = true;
    return {};
}

// Peak of the memory interface: clock x 2 (double data rate) x bus width.
void read_peak(DeviceReport& d) {
    int khz = 0, bits = 0;
    if (cudaDeviceGetAttribute(&khz, cudaDevAttrMemoryClockRate, d.index) != cudaSuccess ||
        cudaDeviceGetAttribute(&bits, cudaDevAttrGlobalMemoryBusWidth, d.index) != cudaSuccess)
        return;
    d.clock_mhz = khz / 1000;
    d.bus_bits = bits;
    d.peak = 2.0 * khz * 1e3 * bits / 8 / 1e9;
}

// One untimed copy, then `reps` copies between two events; GB/s of `moved` bytes per copy.
cudaError_t time_copies(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, int reps, double moved, double& gbps) {
    cudaEvent_t start, stop;
    cudaEventCreate(&start);
    cudaEventCreate(&stop);
    cudaError_t e = cudaMemcpyAsync(dst, src, bytes, kind, 0);
    cudaEventRecord(start, 0);
    for (int i = 0; i < reps && e == cudaSuccess; ++i) e = cudaMemcpyAsync(dst, src, bytes, kind, 0);
    cudaEventRecord(stop, 0);
    float ms = 0;
    if (e == cudaSuccess) e = cudaEventSynchronize(stop);
    if (e == cudaSuccess) e = cudaEventElapsedTime(&ms, start, stop);
    gbps = e == cudaSuccess && ms > 0 ? moved * reps / (ms * 1e-3) / 1e9 : NAN;
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    return e;
}

uint32_t pattern(size_t i) { return uint32_t(i) * 2654435761u + 12345u; }

// H2D and D2H through pinned memory, D2D between two large buffers. The data
// goes host -> a -> b -> host and must come back unchanged.
Verdict measure_copies(DeviceReport& d) {
    size_t free_bytes = 0, total = 0;
    VERIFY_CUDA(cudaMemGetInfo(&free_bytes, &total), "cudaMemGetInfo");
    size_t dev_bytes = std::max(k_host_bytes, std::min(k_device_bytes, free_bytes / 4));
    uint32_t* host = nullptr;
    char *a = nullptr, *b = nullptr;
    VERIFY_CUDA(cudaMallocHost(&host, k_host_bytes), "cudaMallocHost");
    VERIFY_CUDA(cudaMalloc(&a, dev_bytes), "cudaMalloc");
    VERIFY_CUDA(cudaMalloc(&b, dev_bytes), "cudaMalloc");
    size_t words = k_host_bytes / 4, bad = words;
    for (size_t i = 0; i < words; ++i) host[i] = pattern(i);
    VERIFY_CUDA(time_copies(a, host, k_host_bytes, cudaMemcpyHostToDevice, 16, k_host_bytes, d.h2d), "host-to-device copy");
    // A device-to-device copy reads and writes every byte: N bytes copied move 2N.
    VERIFY_CUDA(time_copies(b, a, dev_bytes, cudaMemcpyDeviceToDevice, 10, 2.0 * dev_bytes, d.d2d), "device-to-device copy");
    std::memset(host, 0, k_host_bytes);
    VERIFY_CUDA(time_copies(host, b, k_host_bytes, cudaMemcpyDeviceToHost, 16, k_host_bytes, d.d2h), "device-to-host copy");
    for (size_t i = 0; i < words && bad == words; ++i)
        if (host[i] != pattern(i)) bad = i;
    cudaFreeHost(host);
    cudaFree(a);
    cudaFree(b);
    return bad == words ? Verdict{} : wrong_result(d, fmt("copied data differs at byte %zu", bad * 4));
}

Verdict check_device(int index, Report& r) {
    DeviceReport& d = r.devices.emplace_back();
    d.index = index;
    cudaDeviceProp p{};
    VERIFY_CUDA(cudaGetDeviceProperties(&p, index), "cudaGetDeviceProperties");
    d.name = p.name;
    d.cc = p.major * 10 + p.minor;
    d.compute_capability = fmt("%d.%d", p.major, p.minor);
    d.memory_bytes = p.totalGlobalMem;
    read_peak(d);
    VERIFY_CUDA(cudaSetDevice(index), "cudaSetDevice");
    if (Verdict v = check_kernel_image(d, r.archs); v.exit_code) return v;
    if (Verdict v = run_saxpy(d); v.exit_code) return v;
    return measure_copies(d);
}

// -- 15: the framework check, run beside the CUDA checks

struct Child {
    pid_t pid = -1;
    int fd = -1;
    std::string error;
};

// Started early so Python's slow import overlaps the CUDA checks.
Child start_framework(const Options& opt) {
    Child c;
    int fds[2];
    if (pipe(fds) != 0) return c.error = std::strerror(errno), c;
    posix_spawn_file_actions_t act;
    posix_spawn_file_actions_init(&act);
    posix_spawn_file_actions_adddup2(&act, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&act, fds[0]);
    std::string py = opt.python, script = opt.script, flag = "--framework", fw = opt.framework;
    char* argv[] = {py.data(), script.data(), flag.data(), fw.data(), nullptr};
    int e = posix_spawnp(&c.pid, py.c_str(), &act, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&act);
    close(fds[1]);
    if (e != 0) return close(fds[0]), Child{-1, -1, std::strerror(e)};
    c.fd = fds[0];
    return c;
}

void stop_framework(Child& c) {
    if (c.pid > 0) kill(c.pid, SIGKILL), waitpid(c.pid, nullptr, 0);
    if (c.fd >= 0) close(c.fd);
    c = {};
}

// Reads the child's stdout until EOF; returns its exit status, -1 on timeout or signal.
int collect_framework(Child& c, std::string& out) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(k_framework_timeout_ms);
    char buf[4096];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd pfd{c.fd, POLLIN, 0};
        if (left.count() <= 0 || poll(&pfd, 1, int(left.count())) <= 0) return stop_framework(c), -1;
        ssize_t n = read(c.fd, buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, size_t(n));
    }
    int status = 0;
    waitpid(c.pid, &status, 0);
    close(c.fd);
    c = {};
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// framework_check.py prints json.dumps() output; only "diagnosis" and "fix" are read here.
std::string json_field(const std::string& json, const std::string& key) {
    size_t at = json.find("\"" + key + "\": \"");
    std::string v;
    for (size_t i = at + key.size() + 5; at != std::string::npos && i < json.size() && json[i] != '"'; ++i)
        v += json[i] == '\\' && i + 1 < json.size() ? json[++i] : json[i];
    return v;
}

Verdict finish_framework(const Options& opt, Child& c, Report& r) {
    std::string cmd = "`" + opt.python + " " + opt.script + " --framework " + opt.framework + "`";
    if (!c.error.empty())
        return fail(k_exit_framework, "cannot run " + cmd + ": " + c.error,
                    "install Python in the image or name it with --python (env CUDAGEN_VERIFY_PYTHON)");
    std::string out;
    int status = collect_framework(c, out);
    out.erase(out.find_last_not_of(" \n\r\t") + 1);
    if (size_t last = out.rfind("\n{"); last != std::string::npos) out.erase(0, last + 1);  // the last line is the verdict
    if (!out.empty() && out.front() == '{' && out.back() == '}') r.framework_json = out;
    if (status == 0 && !r.framework_json.empty()) return {};
    std::string diagnosis = json_field(r.framework_json, "diagnosis"), fix = json_field(r.framework_json, "fix");
    if (diagnosis.empty()) diagnosis = cmd + (status < 0 ? " did not finish" : fmt(" exited %d without a verdict", status));
    return fail(k_exit_framework, opt.framework + " check failed: " + diagnosis,
                fix.empty() ? "run " + cmd + " in the container and read its error" : fix);
}

// -- output

std::string quote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c < 0x20 ? fmt("\\u%04x", c) : std::string(1, char(c));
    }
    return out + "\"";
}

std::string number(double v) { return std::isnan(v) ? "null" : fmt("%.1f", v); }
std::string integer(long long v) { return v < 0 ? "null" : std::to_string(v); }
std::string text_or_null(const std::string& s) { return s.empty() ? "null" : quote(s); }

std::string device_json(const DeviceReport& d) {
    return fmt("{\"index\": %d, \"name\": %s, \"compute_capability\": \"%s\", \"arch\": \"sm_%d\", \"memory_bytes\": %zu, ",
               d.index, quote(d.name).c_str(), d.compute_capability.c_str(), d.cc, d.memory_bytes) +
           fmt("\"kernel_source\": %s, \"binary_version\": %s, \"ptx_version\": %s, \"saxpy_ok\": %s, ",
               text_or_null(d.kernel_source).c_str(), integer(d.binary_version).c_str(), integer(d.ptx_version).c_str(),
               d.saxpy_ok ? "true" : "false") +
           fmt("\"h2d_gbps\": %s, \"d2h_gbps\": %s, \"d2d_gbps\": %s, \"peak_gbps\": %s, \"d2d_percent_of_peak\": %s, ",
               number(d.h2d).c_str(), number(d.d2h).c_str(), number(d.d2d).c_str(), number(d.peak).c_str(),
               number(100 * d.d2d / d.peak).c_str()) +
           fmt("\"memory_clock_mhz\": %s, \"bus_width_bits\": %s}", integer(d.clock_mhz).c_str(), integer(d.bus_bits).c_str());
}

// What the binary holds; null when its fatbinary could not be read.
std::string binary_json(const FatbinArchs& archs) {
    if (!archs.read) return "null";
    return "{\"sass\": [" + arch_list(archs.sass, "", ", ") + "], \"ptx\": [" + arch_list(archs.ptx, "", ", ") + "]}";
}

std::string report_json(const Report& r) {
    const Verdict& v = r.verdict;
    std::string devices;
    for (const DeviceReport& d : r.devices) devices += (devices.empty() ? "" : ", ") + device_json(d);
    return "{\"ok\": " + std::string(v.exit_code ? "false" : "true") + ", \"exit_code\": " + std::to_string(v.exit_code) +
           ", \"diagnosis\": " + quote(v.diagnosis) + ", \"fix\": " + quote(v.fix) +
           ", \"driver_version\": " + (r.driver_version ? quote(cuda_text(r.driver_version)) : "null") +
           ", \"driver_release\": " + text_or_null(r.driver_release) +
           ", \"runtime_version\": " + quote(cuda_text(r.runtime_version)) +
           ", \"minimum_driver\": " + quote(minimum_driver(r.runtime_version)) +
           ", \"binary\": " + binary_json(r.archs) + ", \"devices\": [" + devices +
           "], \"framework\": " + (r.framework_json.empty() ? "null" : r.framework_json) +
           ", \"elapsed_ms\": " + number(r.elapsed_ms) + "}\n";
}

void print_human(const Report& r) {
    const Verdict& v = r.verdict;
    std::printf("cudagen-verify: %s (exit %d)\n", v.exit_code ? "FAILED" : "OK", v.exit_code);
    if (r.driver_version)
        std::printf("  driver: CUDA %s (%s), runtime: CUDA %s\n", cuda_text(r.driver_version).c_str(),
                    r.driver_release.empty() ? "release unknown" : r.driver_release.c_str(),
                    cuda_text(r.runtime_version).c_str());
    for (const DeviceReport& d : r.devices) {
        std::printf("  GPU %d: %s, sm_%d, %.1f GiB, kernel from %s\n", d.index, d.name.c_str(), d.cc,
                    d.memory_bytes / 1073741824.0, d.kernel_source.empty() ? "-" : d.kernel_source.c_str());
        if (!std::isnan(d.d2d))
            std::printf("    saxpy ok; H2D %.1f GB/s, D2H %.1f GB/s, D2D %.0f GB/s (%.0f%% of the %.0f GB/s peak)\n",
                        d.h2d, d.d2h, d.d2d, 100 * d.d2d / d.peak, d.peak);
    }
    if (!r.framework_json.empty()) std::printf("  framework: %s\n", json_field(r.framework_json, "diagnosis").c_str());
    std::printf("  %s: %s\n", v.exit_code ? "error" : "result", v.diagnosis.c_str());
    if (!v.fix.empty()) std::printf("  fix: %s\n", v.fix.c_str());
    std::printf("  elapsed: %.0f ms\n", r.elapsed_ms);
}

// Without a driver or a GPU the framework check still runs: it tells a CUDA build that only
// lacks a GPU (the verdict stays 10 or 12, with the framework's report) from a CPU-only
// build, which no GPU would help (exit 15).
Verdict no_gpu_verdict(const Options& opt, Child& child, Report& r, const Verdict& v) {
    if (opt.framework == "none") return v;
    Verdict f = finish_framework(opt, child, r);
    return json_field(r.framework_json, "verdict") == "cpu-only-build" ? f : v;
}

// Every check in order; the first failure is the verdict.
Verdict run_checks(const Options& opt, Report& r) {
    r.archs = read_fatbin_archs();  // needs no driver: reported with every verdict
    bool framework = opt.framework != "none";
    Child child = framework ? start_framework(opt) : Child{};
    int count = 0;
    Verdict v = check_driver_library();
    if (!v.exit_code) v = check_driver_version(r);
    if (!v.exit_code) v = count_devices(r, count);
    if (v.exit_code == k_exit_no_driver || v.exit_code == k_exit_no_device) return no_gpu_verdict(opt, child, r, v);
    for (int i = 0; i < count && !v.exit_code; ++i) v = check_device(i, r);
    if (v.exit_code || !framework) return stop_framework(child), v;
    return finish_framework(opt, child, r);
}

}  // namespace

int main(int argc, char** argv) {
    auto start = std::chrono::steady_clock::now();
    Options opt;
    if (int code = parse_args(argc, argv, opt); code >= 0) return code;
    Report r;
    r.verdict = run_checks(opt, r);
    r.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (opt.json) std::fputs(report_json(r).c_str(), stdout);
    else print_human(r);
    return r.verdict.exit_code;
}
