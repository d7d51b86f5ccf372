#include "verify/export_image.hpp"

#include "core/diagnostic.hpp"
#include "core/report.hpp"
#include "core/text.hpp"
#include "verify/verify_image.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <thread>

namespace cudagen {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::chrono::seconds k_docker_timeout{600};

ExportResult failure(int exit_code, std::string message, std::string fix = {})
{
    ExportResult result;
    result.exit_code = exit_code;
    result.problems.add(command_problem("export", exit_code, std::move(message), std::move(fix)));
    return result;
}

// docker's own words, for the message: the last non-empty line of its stderr.
std::string docker_words(const ProcessResult& result)
{
    std::vector<std::string> lines = split(trim(result.err), '\n');
    return lines.empty() ? std::string("no message") : trim(lines.back());
}

ExportResult docker_failure(const ProcessResult& result, const ProcessSpec& spec, const std::string& image)
{
    const std::string& err = result.err;
    if (!result.started) {
        return failure(k_exit_docker_missing, "no '" + spec.argv.front() + "' command on PATH",
                       "install Docker (apt-get install docker.io), or export on a host that has it");
    }
    if (err.find("Cannot connect to the Docker daemon") != std::string::npos ||
        err.find("permission denied while trying to connect") != std::string::npos) {
        return failure(k_exit_daemon_unreachable, "docker cannot reach the Docker daemon: " + docker_words(result),
                       "start it (systemctl start docker); check DOCKER_HOST and `docker context ls`");
    }
    if (err.find("No such image") != std::string::npos || err.find("No such object") != std::string::npos) {
        return failure(k_exit_image_missing, "no image '" + image + "' on this host",
                       "build it first (`cudagen build PROFILE`) or pull it");
    }
    return failure(k_exit_docker_failed,
                   join(spec.argv, " ") + ": " + describe_outcome(result, spec) + ": " + docker_words(result));
}

ProcessSpec docker_spec(std::vector<std::string> argv)
{
    ProcessSpec spec;
    spec.argv = std::move(argv);
    spec.timeout = k_docker_timeout;
    return spec;
}

// What the image's configuration says and the root filesystem cannot.
std::string export_config(const ExportOptions& options, const std::string& inspect_out)
{
    json parsed = json::parse(inspect_out, nullptr, false);
    if (parsed.is_array() && !parsed.empty()) {
        parsed = parsed.front();
    }
    json config = parsed.is_object() ? parsed.value("Config", json::object()) : json::object();
    if (!config.is_object()) {
        config = json::object();
    }
    json env = config.value("Env", json::array());
    json note = {{"exported_by", std::string("cudagen ") + CUDAGEN_VERSION},
                 {"image", options.image},
                 {"image_id", parsed.is_object() ? parsed.value("Id", "") : ""},
                 {"env", env.is_array() ? env : json::array()},
                 {"working_dir", config.value("WorkingDir", "")}};
    return note.dump(2) + "\n";
}

// A folder beside the output, so that the final rename stays on one file system.
class StagingFolder {
public:
    explicit StagingFolder(const fs::path& output)
    {
        fs::path parent = output.parent_path().empty() ? fs::path(".") : output.parent_path();
        std::string pattern = (parent / ("." + output.filename().string() + ".cudagen-XXXXXX")).string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("cannot create a folder beside " + output.string() + ": " + std::strerror(errno));
        }
        m_path = pattern;
    }
    StagingFolder(const StagingFolder&) = delete;
    StagingFolder& operator=(const StagingFolder&) = delete;
    ~StagingFolder()
    {
        std::error_code ignored;
        fs::remove_all(m_path, ignored);
    }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

// `docker rm` on every way out, success or not.
class ContainerGuard {
public:
    ContainerGuard(const ExportOptions& options, std::string id, ProcessRunner& runner)
        : m_options(options), m_id(std::move(id)), m_runner(runner)
    {
    }
    ContainerGuard(const ContainerGuard&) = delete;
    ContainerGuard& operator=(const ContainerGuard&) = delete;
    ~ContainerGuard()
    {
        ProcessSpec spec = docker_spec(export_remove_argv(m_options, m_id));
        ProcessResult result = m_runner.run(spec);
        if (!result.started || result.exit_code != 0) {
            std::cerr << "cudagen export: warning: could not remove container " << m_id << " ("
                      << describe_outcome(result, spec) << "): run `docker rm -f " << m_id << "`\n";
        }
    }
    const std::string& id() const { return m_id; }

private:
    const ExportOptions& m_options;
    std::string m_id;
    ProcessRunner& m_runner;
};

std::string summary(const ExportOptions& options, const PruneStats& stats)
{
    return "exported " + options.image + " to " + options.output.string() + ": " + format_size(stats.output_bytes) +
           " (docker export: " + format_size(stats.input_bytes) + "; pruned " + std::to_string(stats.pruned_entries) +
           " files, " + format_size(stats.pruned_bytes) + ": docs, man pages, locales, apt caches and lists, logs)";
}

// Bytes in a folder's files. The docker CLI writes `-o FILE` to a temporary file
// beside FILE and renames it at the end, so the staging folder is watched, not FILE.
std::uintmax_t folder_bytes(const fs::path& folder)
{
    std::uintmax_t total = 0;
    std::error_code error;
    for (const fs::directory_entry& item : fs::directory_iterator(folder, error)) {
        std::error_code size_error;
        std::uintmax_t size = item.is_regular_file(size_error) ? item.file_size(size_error) : 0;
        total += size_error ? 0 : size;
    }
    return total;
}

// While `docker export` writes the tar, the size it has reached, twice a second.
class ExportWatch {
public:
    ExportWatch(const ExportOptions& options, fs::path tar)
    {
        if (!options.progress) {
            return;
        }
        m_thread = std::jthread([progress = options.progress, tar = std::move(tar)](std::stop_token stop) {
            std::mutex mutex;
            std::condition_variable_any wake;
            std::unique_lock lock(mutex);
            while (!wake.wait_for(lock, stop, std::chrono::milliseconds(500), [&] { return stop.stop_requested(); })) {
                progress("docker export: " + format_size(folder_bytes(tar.parent_path())));
            }
        });
    }

private:
    std::jthread m_thread;  // stopped and joined on destruction
};

void report_step(const ExportOptions& options, const std::string& line)
{
    if (options.progress) {
        options.progress(line);
    }
}

// create, export, prune + gzip, rename: the steps after the checks.
ExportResult export_container(const ExportOptions& options, const std::string& config, ProcessRunner& runner)
{
    ProcessSpec create = docker_spec(export_create_argv(options));
    ProcessResult created = runner.run(create);
    if (!created.started || created.exit_code != 0) {
        return docker_failure(created, create, options.image);
    }
    ContainerGuard container(options, trim(created.out), runner);

    StagingFolder staging(options.output);
    fs::path tar = staging.path() / "rootfs.tar";
    ProcessSpec export_spec = docker_spec(export_export_argv(options, container.id(), tar));
    report_step(options, "docker export: starting");
    ProcessResult exported;
    {
        ExportWatch watch(options, tar);
        exported = runner.run(export_spec);
    }
    if (!exported.started || exported.exit_code != 0) {
        return docker_failure(exported, export_spec, options.image);
    }

    fs::path gz = staging.path() / "rootfs.tar.gz";
    ExportResult result;
    PruneProgress compressing;
    if (options.progress) {
        compressing = [&options](std::uint64_t done, std::uint64_t total) {
            options.progress("pruning and compressing: " + std::to_string(total ? done * 100 / total : 100) + " % of " +
                             format_size(total));
        };
    }
    result.stats = prune_tar_to_gzip(tar, gz, ExtraFile{std::string(k_export_config_path), config}, compressing);
    fs::remove(tar);
    fs::rename(gz, options.output);
    result.message = summary(options, result.stats);
    return result;
}

}  // namespace

std::vector<std::string> export_inspect_argv(const ExportOptions& options)
{
    return {options.docker, "image", "inspect", options.image};
}

// The entrypoint is the verifier so that an image without ENTRYPOINT or CMD can be
// created too; the container is never started. --pull=never: export what is here.
std::vector<std::string> export_create_argv(const ExportOptions& options)
{
    return {options.docker, "create", "--pull=never", "--entrypoint", std::string(k_verifier_path), options.image};
}

std::vector<std::string> export_export_argv(const ExportOptions& options, const std::string& container,
                                            const fs::path& tar)
{
    return {options.docker, "export", "-o", tar.string(), container};
}

std::vector<std::string> export_remove_argv(const ExportOptions& options, const std::string& container)
{
    return {options.docker, "rm", "-f", "-v", container};
}

ExportResult export_image(const ExportOptions& options, ProcessRunner& runner)
{
    std::error_code error;
    if (fs::exists(fs::symlink_status(options.output, error)) && !options.force) {
        return failure(k_exit_usage, options.output.string() + " exists", "pass --force to replace it");
    }
    fs::path parent = options.output.parent_path();
    if (!parent.empty() && !fs::is_directory(parent, error)) {
        return failure(k_exit_usage, "no folder " + parent.string() + " to write " + options.output.string() + " in",
                       "create the folder first, or name another output");
    }
    ProcessSpec inspect = docker_spec(export_inspect_argv(options));
    ProcessResult inspected = runner.run(inspect);
    if (!inspected.started || inspected.exit_code != 0) {
        return docker_failure(inspected, inspect, options.image);
    }
    try {
        return export_container(options, export_config(options, inspected.out), runner);
    } catch (const std::exception& e) {
        return failure(k_exit_write_failed, e.what(), "check the free space and permissions of the output's folder");
    }
}

std::string format_size(std::uint64_t bytes)
{
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return text.data();
}

}  // namespace cudagen
