// verify --rootfs planning against a fake host root in a temporary folder:
// device nodes, driver libraries (ldconfig -p, folders, DT_NEEDED), the mount plan.
#include "verify/rootfs_plan.hpp"
#include "unit/test_files.hpp"
#include "verify/rootfs_ns.hpp"
#include "verify/rootfs_verify.hpp"

#include <gtest/gtest.h>

#include <elf.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace cudagen {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_lib = "/usr/lib/x86_64-linux-gnu";

// A host's root folder for one test, removed afterwards.
class FakeHost {
public:
    FakeHost() { m_root = fs::canonical(cudagen::test::make_temp_dir("cudagen-fakehost")); }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;
    ~FakeHost() { fs::remove_all(m_root); }

    const fs::path& root() const { return m_root; }
    fs::path at(std::string_view absolute) const { return m_root / fs::path(absolute).relative_path(); }

    void touch(std::string_view absolute, std::string_view content = "") const
    {
        fs::create_directories(at(absolute).parent_path());
        std::ofstream(at(absolute)) << content;
    }
    // A relative symlink, as drivers install them: libcuda.so.1 -> libcuda.so.580.95.05
    void link(std::string_view absolute, std::string_view target) const
    {
        fs::create_directories(at(absolute).parent_path());
        fs::create_symlink(target, at(absolute));
    }
    // The driver's usual pair: NAME.so.VERSION and the soname link to it.
    void library(std::string_view dir, std::string_view soname, std::string_view real) const
    {
        touch(std::string(dir) + "/" + std::string(real));
        link(std::string(dir) + "/" + std::string(soname), real);
    }

private:
    fs::path m_root;
};

// The smallest ELF64 shared object the loader's headers describe: one PT_LOAD over
// the file, a PT_DYNAMIC with DT_NEEDED entries, DT_STRTAB and DT_STRSZ.
void write_elf(const fs::path& path, const std::vector<std::string>& needed)
{
    std::string strtab(1, '\0');
    std::vector<Elf64_Dyn> dynamic;
    for (const std::string& name : needed) {
        dynamic.push_back({DT_NEEDED, {strtab.size()}});
        strtab += name + '\0';
    }
    const std::uint64_t strtab_at = sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr);
    const std::uint64_t dynamic_at = (strtab_at + strtab.size() + 7) / 8 * 8;
    dynamic.push_back({DT_STRTAB, {strtab_at}});
    dynamic.push_back({DT_STRSZ, {strtab.size()}});
    dynamic.push_back({DT_NULL, {0}});
    const std::uint64_t size = dynamic_at + dynamic.size() * sizeof(Elf64_Dyn);

    Elf64_Ehdr header{};
    std::memcpy(header.e_ident, ELFMAG, SELFMAG);
    header.e_ident[EI_CLASS] = ELFCLASS64;
    header.e_ident[EI_DATA] = ELFDATA2LSB;
    header.e_ident[EI_VERSION] = EV_CURRENT;
    header.e_type = ET_DYN;
    header.e_machine = EM_X86_64;
    header.e_phoff = sizeof(Elf64_Ehdr);
    header.e_ehsize = sizeof(Elf64_Ehdr);
    header.e_phentsize = sizeof(Elf64_Phdr);
    header.e_phnum = 2;
    Elf64_Phdr load{PT_LOAD, PF_R, 0, 0, 0, size, size, 8};
    Elf64_Phdr dyn{PT_DYNAMIC, PF_R, dynamic_at, dynamic_at, dynamic_at, size - dynamic_at, size - dynamic_at, 8};

    std::string bytes(size, '\0');
    std::memcpy(bytes.data(), &header, sizeof header);
    std::memcpy(bytes.data() + sizeof header, &load, sizeof load);
    std::memcpy(bytes.data() + sizeof header + sizeof load, &dyn, sizeof dyn);
    std::memcpy(bytes.data() + strtab_at, strtab.data(), strtab.size());
    std::memcpy(bytes.data() + dynamic_at, dynamic.data(), dynamic.size() * sizeof(Elf64_Dyn));
    std::ofstream(path, std::ios::binary) << bytes;
}

// A host with the 580 driver as its packages install it, and an H100's nodes.
void install_driver(const FakeHost& host, std::string_view dir = k_lib)
{
    host.library(dir, "libcuda.so.1", "libcuda.so.580.95.05");
    host.library(dir, "libnvidia-ml.so.1", "libnvidia-ml.so.580.95.05");
    host.library(dir, "libnvidia-ptxjitcompiler.so.1", "libnvidia-ptxjitcompiler.so.580.95.05");
    host.library(dir, "libnvidia-nvvm.so.4", "libnvidia-nvvm.so.580.95.05");
    host.touch(std::string(dir) + "/libnvidia-gpucomp.so.580.95.05");
}

void install_nodes(const FakeHost& host)
{
    for (const char* node : {"/dev/nvidia0", "/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/null",
                             "/dev/zero", "/dev/urandom"}) {
        host.touch(node);
    }
}

std::vector<std::string> names(const LibraryDiscovery& discovery)
{
    std::vector<std::string> result;
    for (const DriverLibrary& library : discovery.libraries) result.push_back(library.name);
    return result;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to)
{
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

// The plan as text, the fake root shown as <host>.
std::vector<std::string> plan_lines(const MountPlan& plan, const FakeHost& host)
{
    std::vector<std::string> lines;
    for (const MountStep& step : plan.steps)
        lines.push_back(replace_all(describe_step(step), host.root().string(), "<host>"));
    return lines;
}

#if defined(__x86_64__)
TEST(RootfsLdconfig, KeepsThisArchitecturesEntriesOnly)
{
    std::string text =
        "4 libs found in cache `/etc/ld.so.cache'\n"
        "\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1\n"
        "\tlibcuda.so.1 (libc6) => /usr/lib/i386-linux-gnu/libcuda.so.1\n"
        "\tlibnvidia-ml.so.1 (libc6,x86-64, OS ABI: Linux 3.2.0) => /usr/lib64/libnvidia-ml.so.1\n"
        "\tnot an entry\n";
    std::vector<LdconfigEntry> entries = parse_ldconfig(text);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].name, "libcuda.so.1");
    EXPECT_EQ(entries[0].path, "/usr/lib/x86_64-linux-gnu/libcuda.so.1");
    EXPECT_EQ(entries[1].name, "libnvidia-ml.so.1");
    EXPECT_EQ(entries[1].path, "/usr/lib64/libnvidia-ml.so.1");
}
#endif

TEST(RootfsDeviceNodes, FindsTheComputeNodesThatExist)
{
    FakeHost host;
    for (const char* node : {"/dev/nvidia1", "/dev/nvidia0", "/dev/nvidiactl", "/dev/nvidia-uvm",
                             "/dev/nvidia-uvm-tools", "/dev/nvidia-modeset", "/dev/nvidiafoo", "/dev/null",
                             "/dev/nvidia-caps/nvidia-cap2", "/dev/nvidia-caps/nvidia-cap1"}) {
        host.touch(node);
    }
    EXPECT_EQ(
        find_device_nodes(host.root()),
        (std::vector<std::string>{"/dev/nvidia-caps/nvidia-cap1", "/dev/nvidia-caps/nvidia-cap2", "/dev/nvidia-uvm",
                                  "/dev/nvidia-uvm-tools", "/dev/nvidia0", "/dev/nvidia1", "/dev/nvidiactl"}));
}

TEST(RootfsDeviceNodes, NoneOnAHostWithoutTheDriver)
{
    FakeHost host;
    host.touch("/dev/null");
    EXPECT_TRUE(find_device_nodes(host.root()).empty());
}

#if defined(__x86_64__)
TEST(RootfsLibraries, FindsThemThroughLdconfigOutput)
{
    FakeHost host;
    install_driver(host, "/opt/driver/lib");  // a folder only ldconfig knows
    HostScan scan{host.root(),
                  "\tlibcuda.so.1 (libc6,x86-64) => /opt/driver/lib/libcuda.so.1\n"
                  "\tlibnvidia-ml.so.1 (libc6,x86-64) => /opt/driver/lib/libnvidia-ml.so.1\n"
                  "\tlibnvidia-ptxjitcompiler.so.1 (libc6,x86-64) => /opt/driver/lib/libnvidia-ptxjitcompiler.so.1\n"
                  "\tlibnvidia-nvvm.so.4 (libc6,x86-64) => /opt/driver/lib/libnvidia-nvvm.so.4\n"
                  "\tlibnvidia-gpucomp.so.580.95.05 (libc6,x86-64) => /opt/driver/lib/libnvidia-gpucomp.so.580.95.05\n",
                  {}};
    LibraryDiscovery found = find_driver_libraries(scan);
    EXPECT_EQ(names(found),
              (std::vector<std::string>{"libcuda.so.1", "libnvidia-ml.so.1", "libnvidia-ptxjitcompiler.so.1",
                                        "libnvidia-nvvm.so.4", "libnvidia-gpucomp.so.580.95.05"}));
    EXPECT_TRUE(found.missing.empty());
    EXPECT_EQ(found.libraries[0].how, "ldconfig -p");
    EXPECT_EQ(found.libraries[0].found, host.at("/opt/driver/lib/libcuda.so.1"));
    EXPECT_EQ(found.libraries[0].file, host.at("/opt/driver/lib/libcuda.so.580.95.05"));
}
#endif

TEST(RootfsLibraries, FindsThemInTheUsualDriverFolders)
{
    FakeHost host;
    install_driver(host, "/usr/local/nvidia/lib64");
    LibraryDiscovery found = find_driver_libraries(HostScan{host.root(), "", {}});
    ASSERT_EQ(found.libraries.size(), 5u);
    EXPECT_EQ(found.libraries[0].how, "/usr/local/nvidia/lib64");
    EXPECT_EQ(found.libraries[0].file, host.at("/usr/local/nvidia/lib64/libcuda.so.580.95.05"));
}

TEST(RootfsLibraries, DriverLibsFolderComesFirst)
{
    FakeHost host;
    install_driver(host);
    host.library("/opt/other", "libcuda.so.1", "libcuda.so.590.1");
    LibraryDiscovery found = find_driver_libraries(HostScan{host.root(), "", {host.at("/opt/other")}});
    EXPECT_EQ(found.libraries[0].file, host.at("/opt/other/libcuda.so.590.1"));
    EXPECT_EQ(found.libraries[0].how, "--driver-libs " + host.at("/opt/other").string());
    EXPECT_EQ(found.libraries[1].how, k_lib);  // the rest from the usual folder
}

TEST(RootfsLibraries, PicksTheGpucompOfLibcudasRelease)
{
    FakeHost host;
    install_driver(host);
    host.touch(std::string(k_lib) + "/libnvidia-gpucomp.so.570.10");  // sorts first, wrong release
    LibraryDiscovery found = find_driver_libraries(HostScan{host.root(), "", {}});
    EXPECT_EQ(found.libraries.back().name, "libnvidia-gpucomp.so.580.95.05");
}

TEST(RootfsLibraries, OnlyLibcudaIsRequiredTheRestIsListedAsMissing)
{
    FakeHost host;
    host.library(k_lib, "libcuda.so.1", "libcuda.so.580.95.05");
    LibraryDiscovery found = find_driver_libraries(HostScan{host.root(), "", {}});
    EXPECT_EQ(names(found), (std::vector<std::string>{"libcuda.so.1"}));
    EXPECT_EQ(found.missing, (std::vector<std::string>{"libnvidia-ml.so.1", "libnvidia-ptxjitcompiler.so.1",
                                                       "libnvidia-nvvm.so.4", "libnvidia-gpucomp.so.*"}));
}

TEST(RootfsLibraries, DanglingSymlinkDoesNotCount)
{
    FakeHost host;
    host.link(std::string(k_lib) + "/libcuda.so.1", "libcuda.so.580.95.05");  // its target is gone
    LibraryDiscovery found = find_driver_libraries(HostScan{host.root(), "", {}});
    EXPECT_TRUE(found.libraries.empty());
    EXPECT_EQ(found.missing.front(), "libcuda.so.1");
}

TEST(RootfsElf, ReadsTheNvidiaLibrariesADriverLibraryNeeds)
{
    FakeHost host;
    host.touch("/lib.so");
    write_elf(host.at("/lib.so"), {"libc.so.6", "libnvidia-gpucomp.so.580.95.05", "libm.so.6", "libcuda.so.1"});
    EXPECT_EQ(elf_needed_driver_libraries(host.at("/lib.so")),
              (std::vector<std::string>{"libnvidia-gpucomp.so.580.95.05", "libcuda.so.1"}));
}

TEST(RootfsElf, NotAnElfFileNeedsNothing)
{
    FakeHost host;
    host.touch("/text.so", "just text, not ELF");
    EXPECT_TRUE(elf_needed_driver_libraries(host.at("/text.so")).empty());
    EXPECT_TRUE(elf_needed_driver_libraries(host.at("/missing.so")).empty());
}

TEST(RootfsLibraries, FollowsDtNeededToOtherDriverLibraries)
{
    FakeHost host;
    install_driver(host);
    host.touch(std::string(k_lib) + "/libnvidia-extra.so.1");
    write_elf(host.at(std::string(k_lib) + "/libnvidia-nvvm.so.580.95.05"),
              {"libc.so.6", "libnvidia-extra.so.1", "libnvidia-absent.so.2"});
    LibraryDiscovery found = find_driver_libraries(HostScan{host.root(), "", {}});
    ASSERT_EQ(found.libraries.size(), 6u);
    EXPECT_EQ(found.libraries.back().name, "libnvidia-extra.so.1");
    EXPECT_EQ(found.libraries.back().how, std::string("needed by libnvidia-nvvm.so.4, ") + k_lib);
    EXPECT_EQ(found.missing, (std::vector<std::string>{"libnvidia-absent.so.2 (needed by libnvidia-nvvm.so.4)"}));
}

const std::vector<std::string> k_base_plan = {
    "mkdir /proc",
    "mount proc on /proc",
    "read-only /proc/sys",
    "read-only /proc/sysrq-trigger",
    "read-only /proc/irq",
    "read-only /proc/bus",
    "read-only /proc/fs",
    "hide /proc/kcore (bind <host>/dev/null)",
    "hide /proc/keys (bind <host>/dev/null)",
    "hide /proc/timer_list (bind <host>/dev/null)",
    "hide /proc/sched_debug (bind <host>/dev/null)",
    "hide /proc/kallsyms (bind <host>/dev/null)",
    "mkdir /sys",
    "mount sysfs on /sys (read-only)",
    "mkdir /dev",
    "mount tmpfs on /dev (mode=755)",
    "create /dev/null",
    "bind <host>/dev/null -> /dev/null",
    "create /dev/zero",
    "bind <host>/dev/zero -> /dev/zero",
    "create /dev/urandom",
    "bind <host>/dev/urandom -> /dev/urandom",
    "symlink /dev/fd -> /proc/self/fd",
    "symlink /dev/stdin -> /proc/self/fd/0",
    "symlink /dev/stdout -> /proc/self/fd/1",
    "symlink /dev/stderr -> /proc/self/fd/2",
    "mkdir /dev/shm",
    "mount tmpfs on /dev/shm (mode=1777)",
};
const std::string k_enter_root = "pivot_root into the root, detach the host's tree";

// A plan that injects nothing: the base, then into the root.
std::vector<std::string> base_plan_entered()
{
    std::vector<std::string> lines = k_base_plan;
    lines.push_back(k_enter_root);
    return lines;
}

TEST(RootfsPlan, GpuHostGetsNodesLibrariesAndLdconfig)
{
    FakeHost host;
    install_driver(host);
    install_nodes(host);
    host.touch("/dev/nvidia-caps/nvidia-cap1");
    MountPlan plan = plan_rootfs_mounts(HostScan{host.root(), "", {}}, true);
    EXPECT_EQ(plan.state, HostGpuState::ready);
    std::vector<std::string> expected = k_base_plan;
    std::string lib = "<host>" + std::string(k_lib);
    std::vector<std::string> gpu = {
        "mkdir /dev/nvidia-caps",
        "create /dev/nvidia-caps/nvidia-cap1",
        "bind <host>/dev/nvidia-caps/nvidia-cap1 -> /dev/nvidia-caps/nvidia-cap1",
        "create /dev/nvidia-uvm",
        "bind <host>/dev/nvidia-uvm -> /dev/nvidia-uvm",
        "create /dev/nvidia-uvm-tools",
        "bind <host>/dev/nvidia-uvm-tools -> /dev/nvidia-uvm-tools",
        "create /dev/nvidia0",
        "bind <host>/dev/nvidia0 -> /dev/nvidia0",
        "create /dev/nvidiactl",
        "bind <host>/dev/nvidiactl -> /dev/nvidiactl",
        "mkdir /usr/local/cudagen-driver",
        "mount tmpfs on /usr/local/cudagen-driver (mode=755)",
        "mkdir /usr/local/cudagen-driver/lib",
        "create /usr/local/cudagen-driver/lib/libcuda.so.580.95.05",
        "bind " + lib + "/libcuda.so.580.95.05 -> /usr/local/cudagen-driver/lib/libcuda.so.580.95.05 (read-only)",
        "symlink /usr/local/cudagen-driver/lib/libcuda.so.1 -> libcuda.so.580.95.05",
        "create /usr/local/cudagen-driver/lib/libnvidia-ml.so.580.95.05",
        "bind " + lib +
            "/libnvidia-ml.so.580.95.05 -> /usr/local/cudagen-driver/lib/libnvidia-ml.so.580.95.05 (read-only)",
        "symlink /usr/local/cudagen-driver/lib/libnvidia-ml.so.1 -> libnvidia-ml.so.580.95.05",
        "create /usr/local/cudagen-driver/lib/libnvidia-ptxjitcompiler.so.580.95.05",
        "bind " + lib +
            "/libnvidia-ptxjitcompiler.so.580.95.05 -> "
            "/usr/local/cudagen-driver/lib/libnvidia-ptxjitcompiler.so.580.95.05 (read-only)",
        "symlink /usr/local/cudagen-driver/lib/libnvidia-ptxjitcompiler.so.1 -> libnvidia-ptxjitcompiler.so.580.95.05",
        "create /usr/local/cudagen-driver/lib/libnvidia-nvvm.so.580.95.05",
        "bind " + lib +
            "/libnvidia-nvvm.so.580.95.05 -> /usr/local/cudagen-driver/lib/libnvidia-nvvm.so.580.95.05 (read-only)",
        "symlink /usr/local/cudagen-driver/lib/libnvidia-nvvm.so.4 -> libnvidia-nvvm.so.580.95.05",
        "create /usr/local/cudagen-driver/lib/libnvidia-gpucomp.so.580.95.05",
        "bind " + lib +
            "/libnvidia-gpucomp.so.580.95.05 -> /usr/local/cudagen-driver/lib/libnvidia-gpucomp.so.580.95.05 "
            "(read-only)",
        "create /etc/ld.so.cache",
        k_enter_root,
        "ldconfig -C /usr/local/cudagen-driver/ld.so.cache /usr/local/cudagen-driver/lib (in the root, no privileges)",
        "bind /usr/local/cudagen-driver/ld.so.cache -> /etc/ld.so.cache (inside the root)",
    };
    expected.insert(expected.end(), gpu.begin(), gpu.end());
    EXPECT_EQ(plan_lines(plan, host), expected);
}

TEST(RootfsPlan, NoGpuInjectsNothing)
{
    FakeHost host;
    install_driver(host);
    install_nodes(host);
    MountPlan plan = plan_rootfs_mounts(HostScan{host.root(), "", {}}, false);
    EXPECT_EQ(plan.state, HostGpuState::not_requested);
    EXPECT_TRUE(plan.device_nodes.empty());
    EXPECT_TRUE(plan.libraries.libraries.empty());
    EXPECT_EQ(plan_lines(plan, host), base_plan_entered());
}

TEST(RootfsPlan, DriverLibrariesWithoutDeviceNodes)
{
    FakeHost host;
    install_driver(host);
    host.touch("/dev/null");
    MountPlan plan = plan_rootfs_mounts(HostScan{host.root(), "", {}}, true);
    EXPECT_EQ(plan.state, HostGpuState::no_device_nodes);
    // no /dev/zero, /dev/urandom either (4 steps); nothing of the GPU; into the root
    EXPECT_EQ(plan.steps.size(), k_base_plan.size() - 4 + 1);
    EXPECT_EQ(plan.steps.back().kind, MountKind::enter_root);
}

TEST(RootfsPlan, DeviceNodesWithoutDriverLibraries)
{
    FakeHost host;
    install_nodes(host);
    MountPlan plan = plan_rootfs_mounts(HostScan{host.root(), "", {}}, true);
    EXPECT_EQ(plan.state, HostGpuState::no_driver_libraries);
    EXPECT_EQ(plan.device_nodes.size(), 4u);
    EXPECT_EQ(plan_lines(plan, host), base_plan_entered());
}

TEST(RootfsPlan, HostWithoutAnyDriverRunsWithNothingInjected)
{
    FakeHost host;
    install_nodes(host);
    for (const char* node : {"/dev/nvidia0", "/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools"}) {
        fs::remove(host.at(node));
    }
    MountPlan plan = plan_rootfs_mounts(HostScan{host.root(), "", {}}, true);
    EXPECT_EQ(plan.state, HostGpuState::no_driver);
    EXPECT_EQ(plan_lines(plan, host), base_plan_entered());
}

TEST(RootfsPlan, NoHostPathIsUsedAfterEnteringTheRoot)
{
    FakeHost host;
    install_driver(host);
    install_nodes(host);
    MountPlan plan = plan_rootfs_mounts(HostScan{host.root(), "", {}}, true);
    auto entered = std::find_if(plan.steps.begin(), plan.steps.end(),
                                [](const MountStep& step) { return step.kind == MountKind::enter_root; });
    ASSERT_NE(entered, plan.steps.end());
    EXPECT_EQ(std::count_if(plan.steps.begin(), plan.steps.end(),
                            [](const MountStep& step) { return step.kind == MountKind::enter_root; }),
              1);
    std::vector<std::string> after;
    for (auto step = entered + 1; step != plan.steps.end(); ++step) after.push_back(describe_step(*step));
    // The image's ldconfig is the first program of the image; it runs after the host's tree is gone.
    EXPECT_EQ(after, (std::vector<std::string>{
                         "ldconfig -C /usr/local/cudagen-driver/ld.so.cache /usr/local/cudagen-driver/lib (in the "
                         "root, no privileges)",
                         "bind /usr/local/cudagen-driver/ld.so.cache -> /etc/ld.so.cache (inside the root)"}));
}

TEST(RootfsNamespaces, AnOrdinaryUserMapsOnlyItselfToRoot)
{
    IdMaps maps = id_maps_for(1000, 1001);
    EXPECT_EQ(maps.uid_map, "0 1000 1\n");
    EXPECT_EQ(maps.gid_map, "0 1001 1\n");
    EXPECT_EQ(maps.setgroups, "deny");
}

TEST(RootfsNamespaces, RootKeepsEveryOwner)
{
    IdMaps maps = id_maps_for(0, 0);
    EXPECT_EQ(maps.uid_map, "0 0 4294967295\n");
    EXPECT_EQ(maps.gid_map, "0 0 4294967295\n");
    EXPECT_EQ(maps.setgroups, "");
}

TEST(RootfsNamespaces, RefusalNamesDebiansSwitch)
{
    FakeHost host;
    host.touch("/proc/sys/kernel/unprivileged_userns_clone", "0\n");
    host.touch("/proc/sys/user/max_user_namespaces", "63432\n");
    EXPECT_EQ(explain_userns_refusal(host.root(), EPERM),
              "kernel.unprivileged_userns_clone = 0 (Debian and older Ubuntu) forbids them: an administrator allows "
              "them with sysctl -w kernel.unprivileged_userns_clone=1");
}

TEST(RootfsNamespaces, RefusalNamesUbuntusAppArmorSwitch)
{
    FakeHost host;
    host.touch("/proc/sys/kernel/unprivileged_userns_clone", "1\n");
    host.touch("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1\n");
    EXPECT_EQ(explain_userns_refusal(host.root(), EPERM),
              "kernel.apparmor_restrict_unprivileged_userns = 1 (Ubuntu 23.10 and later) forbids them: an "
              "administrator allows them with an AppArmor profile for cudagen that allows `userns,` (as Ubuntu ships "
              "for other tools), or sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
}

TEST(RootfsNamespaces, RefusalNamesAZeroLimit)
{
    FakeHost host;
    host.touch("/proc/sys/user/max_user_namespaces", "0\n");
    EXPECT_EQ(explain_userns_refusal(host.root(), ENOSPC),
              "user.max_user_namespaces = 0 (RHEL 7 and hardened hosts) forbids them: an administrator allows them "
              "with sysctl -w user.max_user_namespaces=15000");
}

TEST(RootfsNamespaces, RefusalByALimitReached)
{
    FakeHost host;
    host.touch("/proc/sys/user/max_user_namespaces", "15000\n");
    EXPECT_EQ(explain_userns_refusal(host.root(), ENOSPC),
              "a limit was reached: user.max_user_namespaces = 15000 namespaces per user, and at most 32 nested in "
              "one another (cudagen inside a container inside other namespaces can hit that)");
}

TEST(RootfsNamespaces, RefusalWithNoSwitchSetBlamesAFilter)
{
    FakeHost host;
    host.touch("/proc/sys/user/max_user_namespaces", "15000\n");
    EXPECT_EQ(explain_userns_refusal(host.root(), EPERM),
              "none of kernel.unprivileged_userns_clone, user.max_user_namespaces and "
              "kernel.apparmor_restrict_unprivileged_userns forbids them here, so a seccomp filter or a security "
              "module does: inside a container (Docker's default seccomp profile refuses them), run cudagen on the "
              "host instead");
}

TEST(RootfsEnvironment, ImageEnvironmentFromTheExportThenHome)
{
    std::string config = R"({"env": ["PATH=/opt/conda/bin:/usr/bin", "CUDAGEN_VERIFY_FRAMEWORK=pytorch"]})";
    EXPECT_EQ(
        rootfs_environment(config, nullptr),
        (std::vector<std::string>{"PATH=/opt/conda/bin:/usr/bin", "CUDAGEN_VERIFY_FRAMEWORK=pytorch", "HOME=/root"}));
}

TEST(RootfsEnvironment, DefaultPathWithoutAnExportNote)
{
    EXPECT_EQ(
        rootfs_environment("", nullptr),
        (std::vector<std::string>{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root"}));
}

TEST(RootfsEnvironment, HostCudaVisibleDevicesWins)
{
    std::string config = R"({"env": ["CUDA_VISIBLE_DEVICES=0", "HOME=/home/app"]})";
    EXPECT_EQ(
        rootfs_environment(config, ""),
        (std::vector<std::string>{"HOME=/home/app", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                  "CUDA_VISIBLE_DEVICES="}));
}

}  // namespace
}  // namespace cudagen
