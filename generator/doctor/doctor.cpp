// The host's findings, in the order a user fixes things: the driver and its
// GPUs (WSL2's own rules first), Docker and buildx, the NVIDIA Container
// Toolkit and how Docker/Podman reach it, then the Docker-less paths.
#include "doctor/doctor.hpp"

#include "core/text.hpp"

#include <algorithm>

namespace cudagen {

namespace {

constexpr std::string_view k_configure_docker =
    "sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker";

class FindingList {
public:
    void ok(std::string code, std::string message) { add(FindingStatus::ok, std::move(code), std::move(message), {}); }
    void note(std::string code, std::string message, std::string hint = {})
    {
        add(FindingStatus::note, std::move(code), std::move(message), std::move(hint));
    }
    void problem(std::string code, std::string message, std::string fix)
    {
        add(FindingStatus::problem, std::move(code), std::move(message), std::move(fix));
    }
    std::vector<Finding> take() { return std::move(m_items); }

private:
    void add(FindingStatus status, std::string code, std::string message, std::string fix)
    {
        m_items.push_back({status, std::move(code), std::move(message), std::move(fix), {}});
    }
    std::vector<Finding> m_items;
};

std::string mib_text(std::uint64_t mib)
{
    return mib ? ", " + std::to_string(mib) + " MiB" : std::string();
}

void judge_wsl(const WslFacts& wsl, FindingList& out)
{
    if (wsl.wsl1) {
        out.problem("doctor/wsl1", "this is WSL1 (kernel " + wsl.kernel + "), which has no GPU support",
                    "convert the distribution to WSL2: in Windows, wsl --set-version <distro> 2");
        return;
    }
    if (!wsl.wsl2) {
        return;
    }
    out.note("doctor/wsl2", "WSL2 (kernel " + wsl.kernel +
                                "): the GPU comes through /dev/dxg and the Windows driver's libraries in "
                                "/usr/lib/wsl/lib; there are no /dev/nvidia* nodes and no Linux driver");
    if (wsl.libcuda.empty()) {
        out.problem("doctor/wsl-libcuda",
                    "no /usr/lib/wsl/lib/libcuda.so*: the Windows NVIDIA driver does not reach WSL2",
                    "install or update the NVIDIA driver on Windows (not inside WSL2), then wsl --shutdown and reopen");
    } else {
        out.ok("doctor/wsl-libcuda", "the Windows driver's CUDA library: " + join(wsl.libcuda, ", "));
    }
    if (!wsl.dxg) {
        out.problem("doctor/wsl-dxg", "no /dev/dxg: this WSL2 kernel does not pass the GPU through",
                    "update WSL: in Windows, wsl --update, then wsl --shutdown");
    }
}

std::string driver_fix(const DoctorFacts& facts)
{
    if (facts.wsl.wsl2) {
        return "install the NVIDIA driver on Windows; it provides the driver to WSL2. Do not install a Linux NVIDIA "
               "driver inside WSL2 (it hides the Windows one)";
    }
    return "install the NVIDIA driver (Ubuntu: sudo ubuntu-drivers install; Debian: apt-get install nvidia-driver), "
           "reboot, and check with nvidia-smi; on a machine without an NVIDIA GPU, build here and verify on a GPU host";
}

void judge_gpus(const DriverFacts& driver, FindingList& out)
{
    for (const HostGpu& gpu : driver.gpus) {
        out.ok("doctor/gpu", "GPU " + std::to_string(gpu.index) + ": " + gpu.name + ", compute capability " + gpu.cc() +
                                 " (sm_" + std::to_string(gpu.cc_major * 10 + gpu.cc_minor) + ")" +
                                 mib_text(gpu.memory_mib));
    }
    if (driver.gpus.empty() && driver.source != "/proc/driver/nvidia/version") {
        out.problem("doctor/no-gpu", "the driver answers but sees no GPU",
                    "check that the GPU is present (lspci | grep -i nvidia) and, in a VM, passed through to it");
    }
}

void judge_driver(const DoctorFacts& facts, FindingList& out)
{
    const DriverFacts& driver = facts.driver;
    if (!driver.found) {
        std::string why = driver.problem.empty() ? "" : " (" + driver.problem + ")";
        if (facts.dev_nvidia) {
            why += "; /dev/nvidia* exists, so the kernel module is there but its user-space libraries are not";
        }
        out.problem("doctor/driver", "no NVIDIA driver answers" + why, driver_fix(facts));
        return;
    }
    if (driver.source == "/proc/driver/nvidia/version") {
        out.problem("doctor/driver-unusable",
                    "the NVIDIA kernel module " + driver.kernel_module +
                        " is loaded but neither NVML nor nvidia-smi answers" +
                        (driver.problem.empty() ? "" : " (" + driver.problem + ")"),
                    "after a driver upgrade: reboot (a driver/library version mismatch); otherwise reinstall the "
                    "driver's user-space part (libnvidia-ml, libcuda, nvidia-smi)");
        return;
    }
    std::string cuda = driver.cuda.empty() ? "" : ", supports CUDA " + driver.cuda + " and older";
    out.ok("doctor/driver", "NVIDIA driver " + driver.version + cuda + " (read through " + driver.source + ")");
    if (!driver.kernel_module.empty() && driver.kernel_module != driver.version) {
        out.problem("doctor/driver-mismatch",
                    "the loaded kernel module is " + driver.kernel_module + " but the driver libraries are " +
                        driver.version + " (containers fail with 'driver/library version mismatch')",
                    "reboot, or unload and reload the nvidia kernel modules");
    }
    judge_gpus(driver, out);
}

bool other_engine(const DoctorFacts& facts)
{
    return !facts.others.podman.empty() || !facts.others.apptainer.empty() || !facts.others.enroot.empty();
}

void judge_builders(const DockerFacts& docker, FindingList& out)
{
    for (const BuildxBuilder& builder : docker.builders) {
        std::string label = "buildx builder '" + builder.name + "'" + (builder.current ? " (in use)" : "") +
                            ", driver " + builder.driver;
        if (builder.driver == "docker" && builder.current) {
            out.note("doctor/builder-docker-driver",
                     label +
                         ": `cudagen build` works, but this driver cannot export a build cache (cache-to) and "
                         "cannot build several platforms into one image unless the engine uses the containerd "
                         "image store",
                     "for cached or multi-platform builds: docker buildx create --name cudagen --driver "
                     "docker-container --use (or cudagen build --builder NAME)");
        } else {
            out.ok("doctor/builder", label);
        }
    }
}

void judge_docker(const DoctorFacts& facts, FindingList& out)
{
    const DockerFacts& docker = facts.docker;
    if (!docker.client) {
        std::string fix =
            "install Docker Engine and buildx (Debian/Ubuntu: apt-get install docker.io docker-buildx), "
            "then the NVIDIA Container Toolkit; without a container engine: `cudagen export IMAGE` "
            "where Docker runs, then `cudagen verify --rootfs` here";
        if (other_engine(facts)) {
            out.note("doctor/docker", "Docker is not installed (no docker on PATH)", fix);
        } else {
            out.problem("doctor/docker", "Docker is not installed (no docker on PATH) and no other container engine is",
                        fix);
        }
        return;
    }
    out.ok("doctor/docker", "Docker client " + docker.client_version);
    if (docker.engine) {
        out.ok("doctor/docker-engine", "Docker engine " + docker.engine_version + " answers");
    } else {
        bool denied = docker.engine_problem.find("permission denied") != std::string::npos;
        out.problem("doctor/docker-engine", "the Docker engine does not answer (" + docker.engine_problem + ")",
                    denied ? "add yourself to the docker group (sudo usermod -aG docker $USER, then log in again)"
                           : "start it: sudo systemctl start docker; check DOCKER_HOST and `docker context ls`");
    }
    if (!docker.buildx) {
        out.problem("doctor/buildx", "docker buildx is not installed; `cudagen build` needs it",
                    "apt-get install docker-buildx (Debian 13, Ubuntu 24.04) or docker-buildx-plugin (Docker's "
                    "repository)");
        return;
    }
    out.ok("doctor/buildx", "buildx " + docker.buildx_version);
    judge_builders(docker, out);
}

std::string toolkit_parts(const ToolkitFacts& toolkit)
{
    std::vector<std::string> parts;
    if (!toolkit.ctk.empty()) {
        parts.push_back("nvidia-ctk " + toolkit.ctk_version);
    }
    if (!toolkit.container_cli.empty()) {
        parts.push_back("nvidia-container-cli " + toolkit.container_cli_version);
    }
    if (!toolkit.runtime_binary.empty()) {
        parts.push_back("nvidia-container-runtime");
    }
    if (!toolkit.hook.empty()) {
        parts.push_back("nvidia-container-runtime-hook");
    }
    return join(parts, ", ");
}

void judge_docker_runtime(const DoctorFacts& facts, FindingList& out)
{
    const ToolkitFacts& toolkit = facts.toolkit;
    const DockerFacts& docker = facts.docker;
    bool in_info = std::find(docker.runtimes.begin(), docker.runtimes.end(), "nvidia") != docker.runtimes.end();
    if (!toolkit.daemon_json_problem.empty()) {
        out.problem("doctor/daemon-json", toolkit.daemon_json_problem,
                    "fix the file's syntax (python3 -m json.tool /etc/docker/daemon.json), then " +
                        std::string(k_configure_docker));
    }
    if (in_info || (!docker.engine && toolkit.daemon_json_nvidia)) {
        std::string where = in_info ? "docker info lists" : "/etc/docker/daemon.json registers";
        out.ok("doctor/docker-nvidia-runtime", where + " the nvidia runtime (default runtime: " +
                                                   (docker.default_runtime.empty() ? "?" : docker.default_runtime) +
                                                   ")");
        return;
    }
    if (toolkit.daemon_json_nvidia) {
        out.problem("doctor/docker-nvidia-runtime",
                    "/etc/docker/daemon.json registers the nvidia runtime but the running engine does not list it",
                    "restart the engine: sudo systemctl restart docker");
        return;
    }
    out.problem("doctor/toolkit-not-registered",
                "the NVIDIA Container Toolkit is installed but not registered with Docker (no nvidia runtime in "
                "/etc/docker/daemon.json or docker info)",
                std::string(k_configure_docker));
}

void judge_cdi(const DoctorFacts& facts, FindingList& out)
{
    std::string generate = std::string("sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml") +
                           (facts.wsl.wsl2 ? " --mode=wsl" : "");
    if (!facts.toolkit.cdi_specs.empty()) {
        out.ok("doctor/cdi", "CDI spec for nvidia.com/gpu: " + join(facts.toolkit.cdi_specs, ", "));
    } else if (!facts.others.podman.empty()) {
        out.problem("doctor/cdi", "no CDI spec for nvidia.com/gpu in /etc/cdi or /var/run/cdi; Podman needs one",
                    generate);
    } else {
        out.note("doctor/cdi",
                 "no CDI spec in /etc/cdi or /var/run/cdi (Podman and `--device nvidia.com/gpu=all` need one)",
                 generate);
    }
}

void judge_toolkit(const DoctorFacts& facts, FindingList& out)
{
    const ToolkitFacts& toolkit = facts.toolkit;
    bool engine = facts.docker.client || !facts.others.podman.empty();
    if (!toolkit.installed()) {
        std::string message = "the NVIDIA Container Toolkit is not installed (no nvidia-ctk, nvidia-container-cli)";
        std::string fix =
            "install nvidia-container-toolkit from NVIDIA's package repository (NVIDIA Container Toolkit "
            "install guide), then " +
            std::string(k_configure_docker);
        if (engine) {
            out.problem("doctor/toolkit",
                        message +
                            ": containers cannot reach the GPU (docker: could not select device driver \"\" "
                            "with capabilities: [[gpu]])",
                        fix);
        } else {
            out.note("doctor/toolkit", message + "; it is needed with Docker or Podman", fix);
        }
        judge_cdi(facts, out);
        return;
    }
    out.ok("doctor/toolkit", "NVIDIA Container Toolkit: " + toolkit_parts(toolkit));
    if (facts.docker.client) {
        judge_docker_runtime(facts, out);
    }
    judge_cdi(facts, out);
}

void judge_others(const DoctorFacts& facts, FindingList& out)
{
    const OtherRuntimes& others = facts.others;
    if (!others.podman.empty()) {
        out.ok("doctor/podman", "Podman " + others.podman_version + ": podman run --device nvidia.com/gpu=all (CDI)");
    } else {
        out.note("doctor/podman", "Podman is not installed");
    }
    std::string rootfs = "`cudagen export IMAGE` where Docker runs, then `cudagen verify --rootfs` here";
    if (!others.apptainer.empty()) {
        out.ok("doctor/apptainer", "Apptainer (" + others.apptainer + "): run with --nv; to check an image: " + rootfs);
    } else {
        out.note("doctor/apptainer", "Apptainer is not installed");
    }
    if (!others.enroot.empty()) {
        out.ok("doctor/enroot", "enroot (" + others.enroot + "): to check an image: " + rootfs);
    } else {
        out.note("doctor/enroot", "enroot is not installed");
    }
}

}  // namespace

std::string_view finding_status_name(FindingStatus status)
{
    switch (status) {
        case FindingStatus::ok:
            return "ok";
        case FindingStatus::problem:
            return "problem";
        case FindingStatus::note:
            return "note";
    }
    return "note";
}

std::vector<Finding> judge_host(const DoctorFacts& facts)
{
    FindingList out;
    judge_wsl(facts.wsl, out);
    if (!facts.wsl.wsl1) {
        judge_driver(facts, out);
    }
    judge_docker(facts, out);
    judge_toolkit(facts, out);
    judge_others(facts, out);
    return out.take();
}

bool has_problems(const std::vector<Finding>& findings)
{
    return std::any_of(findings.begin(), findings.end(),
                       [](const Finding& finding) { return finding.status == FindingStatus::problem; });
}

}  // namespace cudagen
