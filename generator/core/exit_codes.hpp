// Every exit code cudagen returns, defined once. The table below is the single
// source: the README's "Exit codes" section and `cudagen --help` are generated
// from it, and a test keeps them equal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

// Shared by every command.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_incompatible = 1;  // well-formed, but cannot work (or doctor: something missing)
inline constexpr int k_exit_usage = 2;         // bad input or usage; nothing written
// cudagen build.
inline constexpr int k_exit_build_environment = 3;  // docker, buildx, the daemon or the builder is missing
inline constexpr int k_exit_build_failed = 4;       // docker buildx bake failed
// The verdict of cudagen-verify (samples/verify/verify.cu), passed through by verify, verify --rootfs and build.
inline constexpr int k_exit_verdict_no_driver = 10;
inline constexpr int k_exit_verdict_old_driver = 11;
inline constexpr int k_exit_verdict_no_device = 12;
inline constexpr int k_exit_verdict_no_kernel = 13;
inline constexpr int k_exit_verdict_wrong_result = 14;
inline constexpr int k_exit_verdict_framework = 15;
// Around the check, before any verdict exists (verify IMAGE, export).
inline constexpr int k_exit_docker_missing = 20;      // no docker CLI on PATH
inline constexpr int k_exit_daemon_unreachable = 21;  // CLI present, daemon not answering
inline constexpr int k_exit_image_missing = 22;       // not local and not pullable
inline constexpr int k_exit_no_verifier = 23;         // no /opt/cudagen/bin/cudagen-verify in the image or root
inline constexpr int k_exit_docker_failed = 24;       // anything else docker did, incl. no readable verdict
inline constexpr int k_exit_write_failed = 25;        // export: the archive could not be read or written
// verify --rootfs, before a verdict.
inline constexpr int k_exit_rootfs_namespaces_refused = 30;   // the kernel refused the user namespace or a mount
inline constexpr int k_exit_rootfs_no_device_nodes = 31;      // driver libraries found, no /dev/nvidia*
inline constexpr int k_exit_rootfs_no_driver_libraries = 32;  // /dev/nvidia* found, no libcuda.so.1
inline constexpr int k_exit_rootfs_unreadable = 34;           // no such DIR/FILE, or unpacking failed
inline constexpr int k_exit_rootfs_setup_failed = 35;         // a mount, ldconfig or chroot failed
inline constexpr int k_exit_rootfs_no_verdict = 36;           // cudagen-verify printed none (crash, timeout)
// A bug in cudagen itself (an exception no stage expected); sysexits' EX_SOFTWARE.
inline constexpr int k_exit_internal = 70;

struct ExitCode {
    int code;
    std::string_view name;      // stable, for JSON: "incompatible", "docker-missing"
    std::string_view commands;  // which commands return it
    std::string_view meaning;
};

// Ordered by code.
const std::vector<ExitCode>& exit_code_table();
const ExitCode* find_exit_code(int code);

// The README's table (Markdown) and --help's (plain text), both from the table.
std::string exit_codes_markdown();
std::string exit_codes_help();

}  // namespace cudagen
