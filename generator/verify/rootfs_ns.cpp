#include "verify/rootfs_ns.hpp"

#include "core/text.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>

namespace cudagen {

namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_setting(const fs::path& host_root, std::string_view path)
{
    std::ifstream in(host_root / fs::path(path).relative_path());
    std::string value;
    if (!in || !std::getline(in, value)) {
        return std::nullopt;
    }
    return trim(value);
}

struct UsernsSwitch {
    std::string_view file;        // under /proc/sys
    std::string_view name;        // as sysctl names it
    std::string_view forbidding;  // the value that forbids unprivileged user namespaces
    std::string_view who;         // which systems use it
    std::string_view allow;       // how an administrator allows them
};

constexpr UsernsSwitch k_switches[] = {
    {"/proc/sys/kernel/unprivileged_userns_clone", "kernel.unprivileged_userns_clone", "0", "Debian and older Ubuntu",
     "sysctl -w kernel.unprivileged_userns_clone=1"},
    {"/proc/sys/user/max_user_namespaces", "user.max_user_namespaces", "0", "RHEL 7 and hardened hosts",
     "sysctl -w user.max_user_namespaces=15000"},
    {"/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "kernel.apparmor_restrict_unprivileged_userns", "1",
     "Ubuntu 23.10 and later",
     "an AppArmor profile for cudagen that allows `userns,` (as Ubuntu ships for other tools), or "
     "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"},
};

}  // namespace

IdMaps id_maps_for(uid_t uid, gid_t gid)
{
    if (uid == 0) {
        return {"0 0 4294967295\n", "0 0 4294967295\n", ""};
    }
    return {"0 " + std::to_string(uid) + " 1\n", "0 " + std::to_string(gid) + " 1\n", "deny"};
}

std::string explain_userns_refusal(const fs::path& host_root, int error)
{
    std::string found;
    if (error == ENOSPC || error == EUSERS) {
        std::string limit = read_setting(host_root, k_switches[1].file).value_or("?");
        found = "a limit was reached: user.max_user_namespaces = " + limit +
                " namespaces per user, and at most 32 nested in one another (cudagen inside a container inside "
                "other namespaces can hit that)";
        if (limit != "0") {
            return found;
        }
        found.clear();
    }
    for (const UsernsSwitch& item : k_switches) {
        std::optional<std::string> value = read_setting(host_root, item.file);
        if (!value || *value != item.forbidding) {
            continue;
        }
        found += (found.empty() ? "" : "; ") + std::string(item.name) + " = " + *value + " (" + std::string(item.who) +
                 ") forbids them: an administrator allows them with " + std::string(item.allow);
    }
    if (!found.empty()) {
        return found;
    }
    return "none of kernel.unprivileged_userns_clone, user.max_user_namespaces and "
           "kernel.apparmor_restrict_unprivileged_userns forbids them here, so a seccomp filter or a "
           "security module does: inside a container (Docker's default seccomp profile refuses them), run "
           "cudagen on the host instead";
}

std::string drop_privileges()
{
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        return std::string("prctl(PR_SET_NO_NEW_PRIVS): ") + std::strerror(errno);
    }
    for (int cap = 0; ::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; ++cap) {
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
            return "dropping capability " + std::to_string(cap) + " from the bounding set: " + std::strerror(errno);
        }
    }
    // Ambient capabilities came with Linux 4.3; EINVAL before that means there are none.
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
        return std::string("clearing the ambient capabilities: ") + std::strerror(errno);
    }
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (::syscall(SYS_capset, &header, data) != 0) {
        return std::string("capset: ") + std::strerror(errno);
    }
    return {};
}

}  // namespace cudagen
