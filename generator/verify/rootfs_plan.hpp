// Planning for `cudagen verify --rootfs`: which GPU device nodes and NVIDIA driver
// libraries this host has, and the mounts that give them to an image's root
// filesystem the way the NVIDIA Container Toolkit gives them to a container.
// Everything here is pure over a "host root" folder (/ for real, a temp folder in
// tests) and the text `ldconfig -p` printed; verify/rootfs_run.* carries it out.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

// Where the driver's libraries go inside the root (a tmpfs, gone after the run).
inline constexpr std::string_view k_driver_dir = "/usr/local/cudagen-driver";
inline constexpr std::string_view k_driver_lib_dir = "/usr/local/cudagen-driver/lib";
// ldconfig writes its cache here, and it is bound over /etc/ld.so.cache: the
// image's own cache file is never rewritten.
inline constexpr std::string_view k_driver_ld_cache = "/usr/local/cudagen-driver/ld.so.cache";

// What the checks look at on the host.
struct HostScan {
    std::filesystem::path host_root = "/";
    std::string ldconfig_output;                         // `ldconfig -p`
    std::vector<std::filesystem::path> driver_lib_dirs;  // --driver-libs, searched first, used as given
};

struct DriverLibrary {
    std::string name;             // as asked for: "libcuda.so.1", "libnvidia-gpucomp.so.580.95.05"
    std::filesystem::path found;  // where it was found (often a symlink)
    std::filesystem::path file;   // the file it resolves to
    std::string how;              // "ldconfig -p", "--driver-libs", "/usr/local/nvidia/lib64", "needed by X"
};

struct LibraryDiscovery {
    std::vector<DriverLibrary> libraries;
    std::vector<std::string> missing;  // optional libraries (and dependencies) not found
};

// `ldconfig -p` lines for this machine's architecture: soname -> path, in order.
struct LdconfigEntry {
    std::string name;
    std::string path;
};
std::vector<LdconfigEntry> parse_ldconfig(std::string_view text);

// /dev/nvidia[0-9]*, /dev/nvidiactl, /dev/nvidia-uvm, /dev/nvidia-uvm-tools,
// /dev/nvidia-caps/*: those that exist under host_root, as paths inside it ("/dev/nvidia0").
std::vector<std::string> find_device_nodes(const std::filesystem::path& host_root);

// libcuda.so.1 (required), libnvidia-ml.so.1, libnvidia-ptxjitcompiler.so.1,
// libnvidia-nvvm.so.4, libnvidia-gpucomp.so.<driver version>, then every NVIDIA
// library these name as DT_NEEDED. Searched in --driver-libs, `ldconfig -p`, then
// the usual driver folders; the first hit wins.
LibraryDiscovery find_driver_libraries(const HostScan& scan);

// The NVIDIA libraries (libnvidia-*, libcuda*) an ELF file needs; empty for a non-ELF file.
std::vector<std::string> elf_needed_driver_libraries(const std::filesystem::path& file);

enum class MountKind {
    make_dir,        // mkdir -p target (inside the root)
    make_file,       // create target empty if missing, never truncate (a bind target)
    make_symlink,    // target -> source
    mount_proc,      // proc on target
    mount_sysfs,     // sysfs on target, read-only
    mount_tmpfs,     // tmpfs on target, options in source ("mode=755")
    bind,            // host file source onto target
    bind_read_only,  // the same, then read-only: the image must not write the host's driver
    bind_in_root,    // source is a path inside the root too
    read_only,       // target (inside the root, under /proc) bound onto itself read-only, if it exists
    mask,            // /dev/null bound over target (inside the root, under /proc), if it exists
    enter_root,      // pivot_root into the root; the host's tree is detached: later steps see only the root
    run_ldconfig,    // the image's ldconfig -C target, with source as one more folder, without privileges
};

struct MountStep {
    MountKind kind;
    std::string target;  // absolute, inside the root
    std::string source;  // host path, symlink text, tmpfs options, or a path inside the root
};

// What the host lacks for a GPU run. no_driver: neither device nodes nor a driver
// library: a host without the NVIDIA driver, where the check runs with nothing
// injected and the image itself says so (exit 10).
enum class HostGpuState { ready, no_device_nodes, no_driver_libraries, no_driver, not_requested };

struct MountPlan {
    HostGpuState state = HostGpuState::not_requested;
    std::vector<std::string> device_nodes;
    LibraryDiscovery libraries;
    std::vector<MountStep> steps;  // in order; empty of GPU steps unless state == ready
};

// inject_gpu false (--no-gpu): /proc, /sys and a minimal /dev only. Every plan has
// one enter_root step: the steps before it may read host paths, the ones after it
// (the image's ldconfig) run inside the root with the host's tree gone.
MountPlan plan_rootfs_mounts(const HostScan& scan, bool inject_gpu);

// "bind /usr/lib/x86_64-linux-gnu/libcuda.so.580.95.05 -> /usr/local/cudagen-driver/lib/..."
std::string describe_step(const MountStep& step);

}  // namespace cudagen
