#include "verify/rootfs_plan.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <set>

namespace cudagen {

namespace {

namespace fs = std::filesystem;

// How `ldconfig -p` names this machine's ABI ("(libc6,x86-64)"), and Debian's
// multiarch folder. A 32-bit libcuda.so.1 beside the 64-bit one must not win.
#if defined(__x86_64__)
constexpr std::string_view k_ldconfig_abi = "x86-64";
constexpr std::string_view k_multiarch_dir = "/usr/lib/x86_64-linux-gnu";
#elif defined(__aarch64__)
constexpr std::string_view k_ldconfig_abi = "AArch64";
constexpr std::string_view k_multiarch_dir = "/usr/lib/aarch64-linux-gnu";
#else
constexpr std::string_view k_ldconfig_abi = "";
constexpr std::string_view k_multiarch_dir = "/usr/lib";
#endif

constexpr std::string_view k_libcuda = "libcuda.so.1";
// Asked for by exact name; libcuda.so.1 is the one the check cannot do without.
constexpr std::array<std::string_view, 4> k_driver_sonames = {"libcuda.so.1", "libnvidia-ml.so.1",
                                                              "libnvidia-ptxjitcompiler.so.1", "libnvidia-nvvm.so.4"};
// dlopen()ed by the JIT with the driver's version in its name.
constexpr std::string_view k_gpucomp_prefix = "libnvidia-gpucomp.so.";

// Where drivers put their libraries when `ldconfig -p` does not list them: the
// folder the NVIDIA Container Toolkit and GPU operators use, Debian's nvidia
// packages, then the distribution defaults.
std::vector<std::string> usual_driver_folders()
{
    return {"/usr/local/nvidia/lib64", std::string(k_multiarch_dir) + "/nvidia/current", std::string(k_multiarch_dir),
            "/usr/lib64", "/usr/lib/wsl/lib"};
}

// Device files the host shares with containers (the NVIDIA Container Toolkit's list
// for compute): nvidia0, nvidia1, ..., nvidiactl, nvidia-uvm, nvidia-uvm-tools.
// Plain code, not std::regex: a global regex is compiled at every cudagen start-up.
bool is_gpu_node(const std::string& name)
{
    if (name == "nvidiactl" || name == "nvidia-uvm" || name == "nvidia-uvm-tools") {
        return true;
    }
    std::string_view digits = std::string_view(name).substr(std::min<std::size_t>(name.size(), 6));
    return name.rfind("nvidia", 0) == 0 && !digits.empty() &&
           digits.find_first_not_of("0123456789") == std::string_view::npos;
}

// The ordinary device files any program expects in /dev.
constexpr std::array<std::string_view, 6> k_plain_nodes = {"null", "zero", "full", "random", "urandom", "tty"};
constexpr std::string_view k_caps_dir = "nvidia-caps";

fs::path under_root(const fs::path& host_root, std::string_view absolute)
{
    return host_root / fs::path(absolute).relative_path();
}

bool exists_quietly(const fs::path& path)
{
    std::error_code error;
    return fs::exists(path, error);  // follows symlinks: a dangling one does not count
}

// One place a library is looked for, in search order.
struct SearchPlace {
    std::string how;
    fs::path dir;                          // a folder to look into, or
    const LdconfigEntry* entry = nullptr;  // one `ldconfig -p` line
};

class LibrarySearch {
public:
    explicit LibrarySearch(const HostScan& scan) : m_entries(parse_ldconfig(scan.ldconfig_output))
    {
        for (const fs::path& dir : scan.driver_lib_dirs) {
            m_dirs.push_back({"--driver-libs " + dir.string(), dir});
        }
        for (const LdconfigEntry& entry : m_entries) {
            m_ldconfig.push_back({"ldconfig -p", {}, &entry});
        }
        for (const std::string& dir : usual_driver_folders()) {
            m_dirs_after.push_back({dir, under_root(scan.host_root, dir)});
        }
        m_host_root = scan.host_root;
    }
    LibrarySearch(const LibrarySearch&) = delete;  // m_ldconfig points into m_entries
    LibrarySearch& operator=(const LibrarySearch&) = delete;

    // Every library whose file name passes `accept`, in search order, existing files only.
    std::vector<DriverLibrary> candidates(const std::function<bool(std::string_view)>& accept) const
    {
        std::vector<DriverLibrary> found;
        for (const SearchPlace& place : m_dirs) {
            add_from_dir(place, accept, found);
        }
        for (const SearchPlace& place : m_ldconfig) {
            if (!accept(place.entry->name)) {
                continue;
            }
            add_if_exists(place.entry->name, under_root(m_host_root, place.entry->path), place.how, found);
        }
        for (const SearchPlace& place : m_dirs_after) {
            add_from_dir(place, accept, found);
        }
        return found;
    }

    std::optional<DriverLibrary> find(std::string_view name) const
    {
        std::vector<DriverLibrary> found = candidates([&](std::string_view file) { return file == name; });
        if (found.empty()) {
            return std::nullopt;
        }
        return found.front();
    }

private:
    static void add_if_exists(std::string_view name, const fs::path& path, const std::string& how,
                              std::vector<DriverLibrary>& found)
    {
        if (!exists_quietly(path)) {
            return;
        }
        std::error_code error;
        fs::path file = fs::canonical(path, error);
        found.push_back({std::string(name), path, error ? path : file, how});
    }

    static void add_from_dir(const SearchPlace& place, const std::function<bool(std::string_view)>& accept,
                             std::vector<DriverLibrary>& found)
    {
        std::error_code error;
        std::vector<std::string> names;
        for (const fs::directory_entry& item : fs::directory_iterator(place.dir, error)) {
            std::string name = item.path().filename().string();
            if (accept(name)) {
                names.push_back(name);
            }
        }
        std::sort(names.begin(), names.end());
        for (const std::string& name : names) {
            add_if_exists(name, place.dir / name, place.how, found);
        }
    }

    std::vector<LdconfigEntry> m_entries;
    std::vector<SearchPlace> m_dirs, m_ldconfig, m_dirs_after;
    fs::path m_host_root;
};

// "libcuda.so.580.95.05" -> "580.95.05"; "" when the file carries no version.
std::string driver_version(const DriverLibrary& libcuda)
{
    std::string file = libcuda.file.filename().string();
    constexpr std::string_view k_prefix = "libcuda.so.";
    if (!starts_with(file, k_prefix) || file == k_libcuda) {
        return {};
    }
    return file.substr(k_prefix.size());
}

// The gpucomp library of the same driver release as libcuda, else the first found.
std::optional<DriverLibrary> find_gpucomp(const LibrarySearch& search, const std::string& version)
{
    std::vector<DriverLibrary> found =
        search.candidates([](std::string_view name) { return starts_with(name, k_gpucomp_prefix); });
    if (found.empty()) {
        return std::nullopt;
    }
    auto same_release = std::find_if(found.begin(), found.end(), [&](const DriverLibrary& library) {
        return !version.empty() && library.name == std::string(k_gpucomp_prefix) + version;
    });
    return same_release != found.end() ? *same_release : found.front();
}

bool has_library(const LibraryDiscovery& discovery, std::string_view name)
{
    return std::any_of(discovery.libraries.begin(), discovery.libraries.end(),
                       [&](const DriverLibrary& library) { return library.name == name; });
}

void add_missing(LibraryDiscovery& discovery, std::string name)
{
    if (std::find(discovery.missing.begin(), discovery.missing.end(), name) == discovery.missing.end()) {
        discovery.missing.push_back(std::move(name));
    }
}

// Follows DT_NEEDED from every library found so far (the list grows while we walk it).
void add_dependencies(const LibrarySearch& search, LibraryDiscovery& discovery)
{
    for (std::size_t i = 0; i < discovery.libraries.size(); ++i) {
        std::string parent = discovery.libraries[i].name;
        for (const std::string& needed : elf_needed_driver_libraries(discovery.libraries[i].file)) {
            if (has_library(discovery, needed)) {
                continue;
            }
            std::optional<DriverLibrary> found = search.find(needed);
            if (!found) {
                add_missing(discovery, needed + " (needed by " + parent + ")");
                continue;
            }
            found->how = "needed by " + parent + ", " + found->how;
            discovery.libraries.push_back(*found);
        }
    }
}

void add_plain_dev(const fs::path& host_root, std::vector<MountStep>& steps)
{
    steps.push_back({MountKind::make_dir, "/dev", ""});
    steps.push_back({MountKind::mount_tmpfs, "/dev", "mode=755"});
    for (std::string_view node : k_plain_nodes) {
        std::string target = "/dev/" + std::string(node);
        if (!exists_quietly(under_root(host_root, target))) {
            continue;
        }
        steps.push_back({MountKind::make_file, target, ""});
        steps.push_back({MountKind::bind, target, under_root(host_root, target).string()});
    }
    steps.push_back({MountKind::make_symlink, "/dev/fd", "/proc/self/fd"});
    steps.push_back({MountKind::make_symlink, "/dev/stdin", "/proc/self/fd/0"});
    steps.push_back({MountKind::make_symlink, "/dev/stdout", "/proc/self/fd/1"});
    steps.push_back({MountKind::make_symlink, "/dev/stderr", "/proc/self/fd/2"});
    steps.push_back({MountKind::make_dir, "/dev/shm", ""});
    steps.push_back({MountKind::mount_tmpfs, "/dev/shm", "mode=1777"});
}

// Parts of /proc that reach beyond the PID namespace (kernel settings, interrupt
// routing, the kernel's memory and key lists): read-only or hidden, as container
// runtimes do. A root caller's uid 0 is the host's uid 0, and a kernel setting
// such as kernel.core_pattern checks the uid, not a capability.
constexpr std::array<std::string_view, 5> k_proc_read_only = {"/proc/sys", "/proc/sysrq-trigger", "/proc/irq",
                                                              "/proc/bus", "/proc/fs"};
constexpr std::array<std::string_view, 5> k_proc_masked = {"/proc/kcore", "/proc/keys", "/proc/timer_list",
                                                           "/proc/sched_debug", "/proc/kallsyms"};

void add_base_steps(const fs::path& host_root, std::vector<MountStep>& steps)
{
    steps.push_back({MountKind::make_dir, "/proc", ""});
    steps.push_back({MountKind::mount_proc, "/proc", ""});
    for (std::string_view path : k_proc_read_only) {
        steps.push_back({MountKind::read_only, std::string(path), ""});
    }
    std::string null_device = under_root(host_root, "/dev/null").string();
    for (std::string_view path : k_proc_masked) {
        steps.push_back({MountKind::mask, std::string(path), null_device});
    }
    steps.push_back({MountKind::make_dir, "/sys", ""});
    steps.push_back({MountKind::mount_sysfs, "/sys", ""});
    add_plain_dev(host_root, steps);
}

void add_device_steps(const fs::path& host_root, const std::vector<std::string>& nodes, std::vector<MountStep>& steps)
{
    bool caps_dir_made = false;
    for (const std::string& node : nodes) {
        if (!caps_dir_made && starts_with(node, "/dev/" + std::string(k_caps_dir) + "/")) {
            steps.push_back({MountKind::make_dir, "/dev/" + std::string(k_caps_dir), ""});
            caps_dir_made = true;
        }
        steps.push_back({MountKind::make_file, node, ""});
        steps.push_back({MountKind::bind, node, under_root(host_root, node).string()});
    }
}

void add_library_steps(const std::vector<DriverLibrary>& libraries, std::vector<MountStep>& steps)
{
    steps.push_back({MountKind::make_dir, std::string(k_driver_dir), ""});
    steps.push_back({MountKind::mount_tmpfs, std::string(k_driver_dir), "mode=755"});
    steps.push_back({MountKind::make_dir, std::string(k_driver_lib_dir), ""});
    std::set<std::string> placed;
    for (const DriverLibrary& library : libraries) {
        std::string file_name = library.file.filename().string();
        std::string target = std::string(k_driver_lib_dir) + "/" + file_name;
        if (placed.insert(file_name).second) {
            steps.push_back({MountKind::make_file, target, ""});
            steps.push_back({MountKind::bind_read_only, target, library.file.string()});
        }
        if (library.name != file_name && placed.insert(library.name).second) {
            steps.push_back({MountKind::make_symlink, std::string(k_driver_lib_dir) + "/" + library.name, file_name});
        }
    }
    steps.push_back({MountKind::make_file, "/etc/ld.so.cache", ""});
    steps.push_back({MountKind::enter_root, "/", ""});
    steps.push_back({MountKind::run_ldconfig, std::string(k_driver_ld_cache), std::string(k_driver_lib_dir)});
    steps.push_back({MountKind::bind_in_root, "/etc/ld.so.cache", std::string(k_driver_ld_cache)});
}

HostGpuState gpu_state(const MountPlan& plan)
{
    bool has_libcuda = has_library(plan.libraries, k_libcuda);
    if (plan.device_nodes.empty() && !has_libcuda) {
        return HostGpuState::no_driver;
    }
    if (plan.device_nodes.empty()) {
        return HostGpuState::no_device_nodes;
    }
    if (!has_libcuda) {
        return HostGpuState::no_driver_libraries;
    }
    return HostGpuState::ready;
}

}  // namespace

std::vector<LdconfigEntry> parse_ldconfig(std::string_view text)
{
    std::vector<LdconfigEntry> entries;
    for (const std::string& raw : split(text, '\n')) {
        std::string line = trim(raw);
        std::size_t open = line.find(" (");
        std::size_t arrow = line.find(") => ");
        if (open == std::string::npos || arrow == std::string::npos || arrow < open) {
            continue;
        }
        std::string abi = line.substr(open + 2, arrow - open - 2);
        if (!k_ldconfig_abi.empty() && abi.find(k_ldconfig_abi) == std::string::npos) {
            continue;
        }
        entries.push_back({line.substr(0, open), trim(line.substr(arrow + 5))});
    }
    return entries;
}

std::vector<std::string> find_device_nodes(const fs::path& host_root)
{
    std::vector<std::string> nodes;
    std::error_code error;
    for (const fs::directory_entry& item : fs::directory_iterator(host_root / "dev", error)) {
        std::string name = item.path().filename().string();
        if (is_gpu_node(name)) {
            nodes.push_back("/dev/" + name);
        }
    }
    for (const fs::directory_entry& item : fs::directory_iterator(host_root / "dev" / k_caps_dir, error)) {
        nodes.push_back("/dev/" + std::string(k_caps_dir) + "/" + item.path().filename().string());
    }
    std::sort(nodes.begin(), nodes.end());
    return nodes;
}

LibraryDiscovery find_driver_libraries(const HostScan& scan)
{
    LibrarySearch search(scan);
    LibraryDiscovery discovery;
    for (std::string_view name : k_driver_sonames) {
        if (std::optional<DriverLibrary> found = search.find(name)) {
            discovery.libraries.push_back(*found);
        } else {
            add_missing(discovery, std::string(name));
        }
    }
    if (!has_library(discovery, k_libcuda)) {
        return discovery;  // no driver: nothing else matters
    }
    if (std::optional<DriverLibrary> gpucomp = find_gpucomp(search, driver_version(discovery.libraries.front()))) {
        discovery.libraries.push_back(*gpucomp);
    } else {
        add_missing(discovery, std::string(k_gpucomp_prefix) + "*");
    }
    add_dependencies(search, discovery);
    return discovery;
}

MountPlan plan_rootfs_mounts(const HostScan& scan, bool inject_gpu)
{
    MountPlan plan;
    add_base_steps(scan.host_root, plan.steps);
    if (!inject_gpu) {
        plan.steps.push_back({MountKind::enter_root, "/", ""});
        return plan;
    }
    plan.device_nodes = find_device_nodes(scan.host_root);
    plan.libraries = find_driver_libraries(scan);
    plan.state = gpu_state(plan);
    if (plan.state != HostGpuState::ready) {
        plan.steps.push_back({MountKind::enter_root, "/", ""});
        return plan;
    }
    add_device_steps(scan.host_root, plan.device_nodes, plan.steps);
    add_library_steps(plan.libraries.libraries, plan.steps);
    return plan;
}

std::string describe_step(const MountStep& step)
{
    switch (step.kind) {
        case MountKind::make_dir:
            return "mkdir " + step.target;
        case MountKind::make_file:
            return "create " + step.target;
        case MountKind::make_symlink:
            return "symlink " + step.target + " -> " + step.source;
        case MountKind::mount_proc:
            return "mount proc on " + step.target;
        case MountKind::mount_sysfs:
            return "mount sysfs on " + step.target + " (read-only)";
        case MountKind::mount_tmpfs:
            return "mount tmpfs on " + step.target + " (" + step.source + ")";
        case MountKind::bind:
            return "bind " + step.source + " -> " + step.target;
        case MountKind::bind_read_only:
            return "bind " + step.source + " -> " + step.target + " (read-only)";
        case MountKind::bind_in_root:
            return "bind " + step.source + " -> " + step.target + " (inside the root)";
        case MountKind::read_only:
            return "read-only " + step.target;
        case MountKind::mask:
            return "hide " + step.target + " (bind " + step.source + ")";
        case MountKind::enter_root:
            return "pivot_root into the root, detach the host's tree";
        case MountKind::run_ldconfig:
            return "ldconfig -C " + step.target + " " + step.source + " (in the root, no privileges)";
    }
    return "?";
}

}  // namespace cudagen
