#include "verify/rootfs_verify.hpp"

#include "core/text.hpp"
#include "verify/export_image.hpp"
#include "verify/rootfs_ns.hpp"
#include "verify/rootfs_run.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>

namespace cudagen {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view k_default_path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
constexpr std::chrono::seconds k_unpack_timeout{600};

VerifyVerdict harness_verdict(int exit_code, std::string diagnosis, std::string fix)
{
    return verdict_before_run(exit_code, std::move(diagnosis), std::move(fix), "cudagen verify --rootfs");
}

// Makes every folder under `path` writable by its owner, so that a tree unpacked by
// an ordinary user (tar keeps the image's read-only folders) can be removed.
void make_removable(const fs::path& path)
{
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        return;
    }
    if ((info.st_mode & S_IRWXU) != S_IRWXU) {
        ::chmod(path.c_str(), (info.st_mode & 07777) | S_IRWXU);
    }
    std::error_code error;
    for (const fs::directory_entry& item : fs::directory_iterator(path, error)) {
        make_removable(item.path());
    }
}

// The root to run in: the folder given, or the archive unpacked into a temporary
// folder that goes away with this object (after the child and its mounts are gone).
class RootFolder {
public:
    RootFolder() = default;
    RootFolder(const RootFolder&) = delete;
    RootFolder& operator=(const RootFolder&) = delete;
    ~RootFolder()
    {
        std::error_code ignored;
        if (m_temporary.empty()) {
            return;
        }
        if (::geteuid() != 0) {
            make_removable(m_temporary);
        }
        fs::remove_all(m_temporary, ignored);
    }

    // Empty on success, else what went wrong.
    std::string open(const std::string& rootfs, ProcessRunner& runner)
    {
        std::error_code error;
        fs::file_status status = fs::status(rootfs, error);
        if (fs::is_directory(status)) {
            m_path = rootfs;
            return {};
        }
        if (!fs::is_regular_file(status)) {
            return "no such folder or file";
        }
        return unpack(rootfs, runner);
    }
    const fs::path& path() const { return m_path; }
    bool is_private_copy() const { return !m_temporary.empty(); }

private:
    // As an ordinary user tar cannot keep owners or make device files: the files
    // become the caller's, which the user namespace shows as root's; an image's
    // device files are never needed (/dev is cudagen's own), so tar is told to skip
    // what `cudagen export` already leaves out.
    std::string unpack(const std::string& archive, ProcessRunner& runner)
    {
        std::string pattern = (fs::temp_directory_path() / "cudagen-rootfs-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            return std::string("cannot create a temporary folder: ") + std::strerror(errno);
        }
        m_temporary = m_path = pattern;
        fs::permissions(m_path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
        ProcessSpec tar;
        tar.argv = {"tar", "--numeric-owner", "-xpf", archive, "-C", m_path.string()};
        if (::geteuid() != 0) {
            tar.argv.insert(tar.argv.begin() + 1, {"--no-same-owner", "--exclude=./dev/*", "--exclude=dev/*"});
        }
        tar.timeout = k_unpack_timeout;
        ProcessResult result = runner.run(tar);
        if (result.started && result.exit_code == 0) {
            return {};
        }
        std::vector<std::string> lines = split(trim(result.err), '\n');
        return "unpacking failed (" + describe_outcome(result, tar) + (lines.empty() ? "" : ": " + lines.back()) + ")";
    }

    fs::path m_path;
    fs::path m_temporary;
};

std::string ldconfig_cache(ProcessRunner& runner)
{
    ProcessSpec spec;
    spec.argv = {fs::exists("/sbin/ldconfig") ? "/sbin/ldconfig" : "ldconfig", "-p"};
    spec.timeout = std::chrono::seconds(60);
    ProcessResult result = runner.run(spec);
    return result.started && result.exit_code == 0 ? result.out : std::string();
}

HostScan scan_host(const RootfsVerifyOptions& options, ProcessRunner& runner)
{
    HostScan scan;
    if (options.no_gpu) {
        return scan;
    }
    scan.ldconfig_output = ldconfig_cache(runner);
    for (const std::string& dir : options.driver_lib_dirs) {
        scan.driver_lib_dirs.emplace_back(dir);
    }
    return scan;
}

std::string searched_places(const RootfsVerifyOptions& options)
{
    std::string places;
    for (const std::string& dir : options.driver_lib_dirs) {
        places += dir + ", ";
    }
    return places + "`ldconfig -p`, /usr/local/nvidia/lib64 and the distribution's library folders";
}

// The host half of the run is missing: its own exit code and what to do.
std::optional<VerifyVerdict> host_problem(const MountPlan& plan, const RootfsVerifyOptions& options)
{
    if (plan.state == HostGpuState::no_device_nodes) {
        return harness_verdict(k_exit_rootfs_no_device_nodes,
                               "this host has the NVIDIA driver's libraries (libcuda.so.1: " +
                                   plan.libraries.libraries.front().file.string() +
                                   ") but no GPU device nodes (/dev/nvidiactl, /dev/nvidia0, ...)",
                               "load the NVIDIA kernel module (`nvidia-smi` as root creates the nodes, or "
                               "`modprobe nvidia nvidia_uvm`); inside a container, pass the /dev/nvidia* devices in");
    }
    if (plan.state == HostGpuState::no_driver_libraries) {
        return harness_verdict(k_exit_rootfs_no_driver_libraries,
                               "this host has GPU device nodes (" + join(plan.device_nodes, ", ") +
                                   ") but no NVIDIA driver library libcuda.so.1 was found (searched " +
                                   searched_places(options) + ")",
                               "pass the folder that holds libcuda.so.1 with --driver-libs DIR (find it with "
                               "`find / -name 'libcuda.so.1*' 2>/dev/null`)");
    }
    return std::nullopt;
}

json library_report(const LibraryDiscovery& discovery)
{
    json libraries = json::array();
    for (const DriverLibrary& library : discovery.libraries) {
        libraries.push_back({{"name", library.name}, {"file", library.file.string()}, {"how", library.how}});
    }
    return libraries;
}

// What cudagen did to the root, added to the verdict under "rootfs".
json rootfs_report(const RootfsVerifyOptions& options, const MountPlan& plan, const std::string& isolation)
{
    std::string injected = options.no_gpu                          ? "nothing (--no-gpu)"
                           : plan.state == HostGpuState::no_driver ? "nothing (this host has no NVIDIA driver)"
                                                                   : "device nodes and driver libraries";
    return json{{"root", options.rootfs},
                {"injected", injected},
                {"device_nodes", plan.device_nodes},
                {"driver_libraries", library_report(plan.libraries)},
                {"driver_libraries_missing", plan.libraries.missing},
                {"isolation", isolation.empty() ? json(nullptr) : json(isolation)}};
}

std::string config_text(const fs::path& root)
{
    return read_file((root / k_export_config_path).string()).value_or("");
}

VerifyVerdict verdict_from_run(const RootfsRunResult& run, const RootfsVerifyOptions& options)
{
    if (!run.ran && run.user_namespace_refused) {
        return harness_verdict(k_exit_rootfs_namespaces_refused,
                               "the kernel refused the user namespace verify --rootfs isolates the image in (" +
                                   run.setup_error + "): " + explain_userns_refusal("/", run.setup_errno),
                               "ask the administrator to allow unprivileged user namespaces (Apptainer and enroot "
                               "need them too), or run it as root (sudo cudagen verify --rootfs ...: the same "
                               "isolation without that setting), or verify with Docker where it is installed "
                               "(cudagen verify IMAGE)");
    }
    if (!run.ran && run.permission_denied) {
        return harness_verdict(
            k_exit_rootfs_namespaces_refused,
            "the kernel refused a step of the isolation verify --rootfs runs the image in: " + run.setup_error,
            "run it on the host rather than inside a container (a container's seccomp filter "
            "and its partly hidden /proc refuse these), or as root");
    }
    if (!run.ran) {
        return harness_verdict(k_exit_rootfs_setup_failed, "setting up the root filesystem failed: " + run.setup_error,
                               "check that " + options.rootfs +
                                   " is an image's whole root filesystem "
                                   "(`cudagen export IMAGE -o FILE.tar.gz` writes one) and has /sbin/ldconfig");
    }
    if (auto parsed = find_verdict(run.out)) {
        VerifyVerdict verdict;
        verdict.exit_code = parsed->first["exit_code"].get<int>();
        verdict.diagnosis = parsed->first.value("diagnosis", "");
        verdict.fix = parsed->first.value("fix", "");
        verdict.from_image = true;
        verdict.json = std::move(parsed->first);
        verdict.raw = std::move(parsed->second);
        return verdict;
    }
    std::string what = run.timed_out ? "did not finish in " + std::to_string(options.timeout.count()) + " s"
                                     : "exited " + std::to_string(run.exit_code) + " without printing a verdict";
    return harness_verdict(
        k_exit_rootfs_no_verdict, std::string(k_verifier_path) + " in the root " + what,
        "run it by hand to see what it prints: unshare -r -m chroot ROOT " + std::string(k_verifier_path));
}

// The image's verdict stays byte for byte as it printed it; "rootfs" goes last.
VerifyVerdict with_report(VerifyVerdict verdict, const RootfsVerifyOptions& options, const MountPlan& plan,
                          const std::string& isolation = {})
{
    json report = rootfs_report(options, plan, isolation);
    verdict.json["rootfs"] = report;
    if (verdict.raw.size() < 2 || verdict.raw.back() != '}') {
        verdict.raw = verdict.json.dump();
    } else {
        verdict.raw.insert(verdict.raw.size() - 1, ", \"rootfs\": " + report.dump());
    }
    return verdict;
}

// Puts the --rootfs advice in place of the image's; the image's stays under rootfs.image_fix.
VerifyVerdict with_rootfs_fix(VerifyVerdict verdict, const RootfsVerifyOptions& options, const MountPlan& plan)
{
    std::optional<std::string> fix =
        verdict.from_image ? rootfs_fix(verdict, options.no_gpu, plan.state) : std::nullopt;
    if (!fix) {
        return verdict;
    }
    std::string image_field = "\"fix\": " + json(verdict.fix).dump();
    std::size_t at = verdict.raw.find(image_field);
    verdict.json["rootfs"]["image_fix"] = verdict.fix;
    verdict.json["fix"] = *fix;
    verdict.fix = *fix;
    if (at == std::string::npos) {
        verdict.raw = verdict.json.dump();
        return verdict;
    }
    verdict.raw.replace(at, image_field.size(), "\"fix\": " + json(*fix).dump());
    std::size_t end = verdict.raw.rfind('}', verdict.raw.size() - 1);
    std::size_t report_end = end == std::string::npos ? end : verdict.raw.rfind('}', end - 1);
    if (report_end != std::string::npos) {
        verdict.raw.insert(report_end, ",\"image_fix\":" + json(verdict.json["rootfs"]["image_fix"]).dump());
    }
    return verdict;
}

// Everything once the root is open.
VerifyVerdict verify_open_root(const RootFolder& folder, const RootfsVerifyOptions& options, ProcessRunner& runner)
{
    const fs::path& root = folder.path();
    if (!fs::exists(fs::symlink_status(root / fs::path(k_verifier_path).relative_path()))) {
        return harness_verdict(k_exit_no_verifier,
                               options.rootfs + " has no " + std::string(k_verifier_path) +
                                   ": the image was not built by cudagen, or with verification disabled",
                               "build it with `cudagen build PROFILE` (verification is on by default), then "
                               "`cudagen export IMAGE -o FILE.tar.gz` again");
    }
    MountPlan plan = plan_rootfs_mounts(scan_host(options, runner), !options.no_gpu);
    if (std::optional<VerifyVerdict> problem = host_problem(plan, options)) {
        return with_report(*problem, options, plan);
    }
    if (plan.state == HostGpuState::no_driver) {
        std::cerr << "cudagen verify: note: this host has no NVIDIA driver (no /dev/nvidia* device nodes, no "
                     "libcuda.so.1): running the check with nothing injected\n";
    }
    RootfsCommand command;
    command.argv = {std::string(k_verifier_path), "--json"};
    command.env = rootfs_environment(config_text(root), std::getenv("CUDA_VISIBLE_DEVICES"));
    command.timeout = options.timeout;
    command.root_is_private_copy = folder.is_private_copy();
    RootfsRunResult run = run_in_rootfs(root, plan, command);
    return with_rootfs_fix(with_report(verdict_from_run(run, options), options, plan, run.isolation), options, plan);
}

}  // namespace

std::vector<std::string> rootfs_environment(const std::string& export_config_text, const char* host_visible_devices)
{
    std::vector<std::string> env;
    json config = json::parse(export_config_text, nullptr, false);
    if (config.is_object() && config.contains("env") && config["env"].is_array()) {
        for (const json& item : config["env"]) {
            if (item.is_string()) {
                env.push_back(item.get<std::string>());
            }
        }
    }
    auto has = [&](std::string_view key) {
        return std::any_of(env.begin(), env.end(), [&](const std::string& e) { return starts_with(e, key); });
    };
    if (!has("PATH=")) {
        env.emplace_back(k_default_path);
    }
    if (!has("HOME=")) {
        env.emplace_back("HOME=/root");
    }
    if (host_visible_devices != nullptr) {
        std::erase_if(env, [](const std::string& e) { return starts_with(e, "CUDA_VISIBLE_DEVICES="); });
        env.push_back(std::string("CUDA_VISIBLE_DEVICES=") + host_visible_devices);
    }
    return env;
}

VerifyVerdict verify_rootfs(const RootfsVerifyOptions& options, ProcessRunner& runner)
{
    try {
        RootFolder root;
        if (std::string error = root.open(options.rootfs, runner); !error.empty()) {
            return harness_verdict(k_exit_rootfs_unreadable,
                                   "cannot use " + options.rootfs + " as a root filesystem: " + error,
                                   "pass a folder, or a .tar.gz written by `cudagen export IMAGE -o FILE.tar.gz`");
        }
        return verify_open_root(root, options, runner);
    } catch (const std::exception& e) {
        return harness_verdict(k_exit_rootfs_setup_failed,
                               std::string("setting up the root filesystem failed: ") + e.what(),
                               "check the folder and the free space of the temporary folder (TMPDIR)");
    }
}

std::optional<std::string> rootfs_fix(const VerifyVerdict& verdict, bool no_gpu, HostGpuState state)
{
    if (verdict.exit_code == k_exit_verdict_no_driver && no_gpu) {
        return std::string();  // asked for: nothing to fix
    }
    if (verdict.exit_code == k_exit_verdict_no_driver && state == HostGpuState::no_driver) {
        return "install the NVIDIA driver on this host (`nvidia-smi` must list the GPUs): it has no /dev/nvidia* "
               "device nodes and no libcuda.so.1 to bind into the root";
    }
    if (verdict.exit_code == k_exit_verdict_no_driver) {
        return "libcuda.so.1 was bound into the root (rootfs.driver_libraries) but did not load: a library it needs "
               "may be missing (rootfs.driver_libraries_missing); pass the driver's folder with --driver-libs DIR";
    }
    if (verdict.exit_code == k_exit_verdict_no_device && starts_with(verdict.diagnosis, "no CUDA device is visible")) {
        return "the device nodes were bound into the root (rootfs.device_nodes): check that this user may open them "
               "(`ls -l /dev/nvidia*`: mode 666, or a group the user is in) and that CUDA_VISIBLE_DEVICES is unset "
               "or names GPUs that exist";
    }
    if (verdict.exit_code == k_exit_verdict_old_driver && verdict.fix.find("Container Toolkit") != std::string::npos) {
        return "remove any cuda-compat libcuda from the image: verify --rootfs binds the host's libcuda.so.1 "
               "(rootfs.driver_libraries), as a container runtime does";
    }
    return std::nullopt;
}

std::string format_rootfs_verdict(const VerifyVerdict& verdict, const std::string& rootfs)
{
    std::string text = format_verdict(verdict, "--rootfs " + rootfs);
    if (auto report = verdict.json.find("rootfs"); report != verdict.json.end()) {
        std::size_t nodes = (*report)["device_nodes"].size(), libraries = (*report)["driver_libraries"].size();
        bool injected = nodes + libraries > 0;
        text += "  injected: " +
                (injected ? std::to_string(nodes) + " device nodes, " + std::to_string(libraries) + " driver libraries"
                          : report->value("injected", "")) +
                "\n";
    }
    return text;
}

}  // namespace cudagen
