// The isolation `cudagen verify --rootfs` puts around an image's programs: a user
// namespace that maps the caller to root inside (so no root is needed outside),
// what to tell the user when the host forbids that, and the privileges dropped
// before any program of the image runs. The process work is in rootfs_run.cpp.
#pragma once

#include <sys/types.h>
#include <filesystem>
#include <string>

namespace cudagen {

// What goes into /proc/PID/{uid_map,gid_map,setgroups} of the child that made the
// user namespace. An ordinary user may map only itself (to 0 inside) and must deny
// setgroups first; root maps every id to itself, so an image's files owned by any
// uid keep their owner.
struct IdMaps {
    std::string uid_map;
    std::string gid_map;
    std::string setgroups;  // "deny", or empty: leave as it is
};
IdMaps id_maps_for(uid_t uid, gid_t gid);

// Why the kernel may have refused an unprivileged user namespace, read from the
// switches distributions use, under host_root ("/" for real, a fake in tests):
// kernel.unprivileged_userns_clone (Debian, older Ubuntu), user.max_user_namespaces
// (RHEL 7, hardened hosts), kernel.apparmor_restrict_unprivileged_userns (Ubuntu
// 23.10 and later). Names each one that forbids it with its value and how to allow
// it; when none does, names the usual other cause (a seccomp filter or a container).
// `error` is the errno of the refusal: ENOSPC means a limit was reached, not a ban.
std::string explain_userns_refusal(const std::filesystem::path& host_root, int error);

// no_new_privs, then every capability out of the bounding, ambient, effective,
// permitted and inheritable sets. Empty on success, else the step that failed.
// After it, exec cannot regain privileges: a set-uid file gives nothing and uid 0
// gets no capabilities.
std::string drop_privileges();

}  // namespace cudagen
