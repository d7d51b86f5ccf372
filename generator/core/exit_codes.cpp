#include "core/exit_codes.hpp"

#include <algorithm>

namespace cudagen {

const std::vector<ExitCode>& exit_code_table()
{
    static const std::vector<ExitCode> table = {
        {k_exit_ok, "ok", "all", "success (doctor: everything GPU containers need is in place)"},
        {k_exit_incompatible, "incompatible", "check, generate, build, doctor",
         "the profile is well-formed but cannot work; doctor: something on this host is missing"},
        {k_exit_usage, "usage", "all",
         "bad input or usage (YAML, schema, paths, options, unknown command); nothing is written"},
        {k_exit_build_environment, "build-environment", "build",
         "docker, buildx, the Docker daemon or the builder is missing"},
        {k_exit_build_failed, "build-failed", "build", "docker buildx bake failed"},
        {k_exit_verdict_no_driver, "verdict-no-driver", "verify, build",
         "cudagen-verify: no NVIDIA driver reaches the container"},
        {k_exit_verdict_old_driver, "verdict-old-driver", "verify, build",
         "cudagen-verify: the driver is too old for the image's CUDA"},
        {k_exit_verdict_no_device, "verdict-no-device", "verify, build", "cudagen-verify: no CUDA device is visible"},
        {k_exit_verdict_no_kernel, "verdict-no-kernel", "verify, build",
         "cudagen-verify: the binary has no code for the GPU's architecture"},
        {k_exit_verdict_wrong_result, "verdict-wrong-result", "verify, build",
         "cudagen-verify: the GPU computed or copied wrongly"},
        {k_exit_verdict_framework, "verdict-framework", "verify, build",
         "cudagen-verify: the framework does not use the GPU"},
        {k_exit_docker_missing, "docker-missing", "verify, export", "no docker CLI on PATH"},
        {k_exit_daemon_unreachable, "daemon-unreachable", "verify, export", "the Docker daemon does not answer"},
        {k_exit_image_missing, "image-missing", "verify, export", "the image is not local and cannot be pulled"},
        {k_exit_no_verifier, "no-verifier", "verify", "the image or root has no /opt/cudagen/bin/cudagen-verify"},
        {k_exit_docker_failed, "docker-failed", "verify, export",
         "docker failed otherwise, or printed no readable verdict"},
        {k_exit_write_failed, "write-failed", "export", "the archive could not be read or written"},
        {k_exit_rootfs_namespaces_refused, "rootfs-namespaces-refused", "verify --rootfs",
         "the kernel refused the user namespace or a mount"},
        {k_exit_rootfs_no_device_nodes, "rootfs-no-device-nodes", "verify --rootfs",
         "driver libraries found but no /dev/nvidia*"},
        {k_exit_rootfs_no_driver_libraries, "rootfs-no-driver-libraries", "verify --rootfs",
         "/dev/nvidia* found but no libcuda.so.1"},
        {k_exit_rootfs_unreadable, "rootfs-unreadable", "verify --rootfs",
         "no such folder or archive, or unpacking failed"},
        {k_exit_rootfs_setup_failed, "rootfs-setup-failed", "verify --rootfs", "a mount, ldconfig or chroot failed"},
        {k_exit_rootfs_no_verdict, "rootfs-no-verdict", "verify --rootfs",
         "cudagen-verify printed no verdict (crash, timeout)"},
        {k_exit_internal, "internal", "all", "a bug in cudagen (please report it with the command line)"},
    };
    return table;
}

const ExitCode* find_exit_code(int code)
{
    const auto& table = exit_code_table();
    auto found = std::find_if(table.begin(), table.end(), [code](const ExitCode& row) { return row.code == code; });
    return found == table.end() ? nullptr : &*found;
}

std::string exit_codes_markdown()
{
    std::string out = "| code | name | commands | meaning |\n|---:|---|---|---|\n";
    for (const ExitCode& row : exit_code_table()) {
        out += "| " + std::to_string(row.code) + " | `" + std::string(row.name) + "` | " + std::string(row.commands) +
               " | " + std::string(row.meaning) + " |\n";
    }
    return out;
}

std::string exit_codes_help()
{
    std::string out = "Exit codes:\n";
    for (const ExitCode& row : exit_code_table()) {
        std::string code = std::to_string(row.code);
        out += "  " + std::string(4 - code.size(), ' ') + code + "  " + std::string(row.meaning) + " [" +
               std::string(row.commands) + "]\n";
    }
    return out;
}

}  // namespace cudagen
