// cudagen export: the docker command lines, overwrite refusal, the container always
// removed, and the pruned archive (checked with the system's tar, not our reader).
#include "core/process.hpp"
#include "unit/test_files.hpp"
#include "verify/export_image.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>

namespace cudagen {
namespace {

namespace fs = std::filesystem;

class TempFolder {
public:
    TempFolder() { m_path = cudagen::test::make_temp_dir("cudagen-export-test"); }
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    ~TempFolder() { fs::remove_all(m_path); }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

void write(const fs::path& path, const std::string& content)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path) << content;
}

std::string read(const fs::path& path)
{
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

ProcessResult ok(std::string out = {})
{
    ProcessResult result;
    result.started = true;
    result.out = std::move(out);
    return result;
}

ProcessResult failed(int code, std::string err)
{
    ProcessResult result;
    result.started = true;
    result.exit_code = code;
    result.err = std::move(err);
    return result;
}

std::vector<std::string> run_tar(const std::vector<std::string>& args)
{
    SystemProcessRunner runner;
    ProcessSpec spec;
    spec.argv = {"tar"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    ProcessResult result = runner.run(spec);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::vector<std::string> lines;
    std::string line;
    for (char c : result.out) {
        if (c != '\n') {
            line += c;
            continue;
        }
        lines.push_back(line);
        line.clear();
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

constexpr const char* k_inspect = R"([{"Id": "sha256:abc", "Config": {"Env": ["PATH=/usr/bin", "A=b"]}}])";

// A docker that answers like the real one and, for `docker export -o PATH`, writes
// the archive the test prepared.
class FakeDocker final : public ProcessRunner {
public:
    explicit FakeDocker(fs::path archive) : m_archive(std::move(archive)) {}

    ProcessResult run(const ProcessSpec& spec) override
    {
        m_calls.push_back(spec.argv);
        const std::string& verb = spec.argv.at(1);
        if (verb == "image")
            return ok(k_inspect);
        if (verb == "create")
            return ok("c0ffee\n");
        if (verb == "export")
            fs::copy_file(m_archive, spec.argv.at(3));
        return ok();
    }
    std::optional<std::string> find_program(std::string_view) const override { return std::nullopt; }

    std::vector<std::vector<std::string>> m_calls;

private:
    fs::path m_archive;
};

// A root filesystem as docker export writes it (Go's archive/tar: PAX for long
// names), with something of each kind to prune and to keep.
fs::path make_export_archive(const TempFolder& temp, const std::string& format)
{
    fs::path tree = temp.path() / "tree";
    write(tree / "usr/bin/tool", "tool");
    write(tree / "usr/share/doc/pkg/copyright", "text");
    write(tree / "usr/share/doc/pkg" / std::string(120, 'x') / "long-name-needs-an-extended-header", "long");
    write(tree / "usr/share/man/man1/tool.1.gz", "man");
    write(tree / "usr/share/locale/de/LC_MESSAGES/tool.mo", "mo");
    write(tree / "var/lib/apt/lists/deb_Packages", "packages");
    write(tree / "var/log/dpkg.log", "log");
    write(tree / "usr/share/zoneinfo/UTC", "tz");
    // A hard link kept outside the pruned folders whose target lies inside one.
    write(tree / "usr/share/doc/pkg/shared", "shared");
    fs::create_directories(tree / "var/keep");
    fs::create_hard_link(tree / "usr/share/doc/pkg/shared", tree / "var/keep/linked");
    fs::path archive = temp.path() / "export.tar";
    run_tar({"--format=" + format, "--sort=name", "-cf", archive.string(), "-C", tree.string(), "."});
    return archive;
}

ExportOptions options_for(const fs::path& output)
{
    ExportOptions options;
    options.image = "cudagen/app:1";
    options.output = output;
    return options;
}

TEST(Export, RefusesToOverwriteWithoutForce)
{
    TempFolder temp;
    fs::path output = temp.path() / "app.tar.gz";
    write(output, "precious");
    RecordingProcessRunner runner;
    ExportResult result = export_image(options_for(output), runner);
    EXPECT_EQ(result.exit_code, 2);
    ASSERT_EQ(result.problems.items().size(), 1u);
    EXPECT_EQ(format_diagnostic(result.problems.items().front()),
              "cudagen: error: " + output.string() + " exists [export/usage]\n  fix: pass --force to replace it\n");
    EXPECT_TRUE(runner.calls().empty());
    EXPECT_EQ(read(output), "precious");
}

TEST(Export, RunsInspectCreateExportAndRemovesTheContainerWhenExportFails)
{
    TempFolder temp;
    fs::path output = temp.path() / "app.tar.gz";
    RecordingProcessRunner runner;
    runner.on({"docker", "image", "inspect"}, ok(k_inspect));
    runner.on({"docker", "create"}, ok("c0ffee\n"));
    runner.on({"docker", "export"}, failed(1, "Error response from daemon: disk quota exceeded\n"));
    runner.on({"docker", "rm"}, ok("c0ffee\n"));
    ExportResult result = export_image(options_for(output), runner);

    EXPECT_EQ(result.exit_code, 24);
    ASSERT_EQ(runner.calls().size(), 4u);
    EXPECT_EQ(runner.calls()[0].argv, (std::vector<std::string>{"docker", "image", "inspect", "cudagen/app:1"}));
    EXPECT_EQ(runner.calls()[1].argv, (std::vector<std::string>{"docker", "create", "--pull=never", "--entrypoint",
                                                                "/opt/cudagen/bin/cudagen-verify", "cudagen/app:1"}));
    const std::vector<std::string>& exported = runner.calls()[2].argv;
    ASSERT_EQ(exported.size(), 5u);
    EXPECT_EQ(exported[1], "export");
    EXPECT_EQ(exported[2], "-o");
    EXPECT_EQ(fs::path(exported[3]).filename(), "rootfs.tar");
    EXPECT_EQ(fs::path(exported[3]).parent_path().parent_path(), temp.path());  // beside the output
    EXPECT_EQ(exported[4], "c0ffee");
    EXPECT_EQ(runner.calls()[3].argv, (std::vector<std::string>{"docker", "rm", "-f", "-v", "c0ffee"}));
    ASSERT_EQ(result.problems.items().size(), 1u);
    EXPECT_EQ(result.problems.items().front().message,
              "docker export -o " + exported[3] + " c0ffee: exit 1: Error response from daemon: disk quota exceeded");
    EXPECT_EQ(result.problems.items().front().code, "export/docker-failed");
    EXPECT_FALSE(fs::exists(output));
    EXPECT_FALSE(fs::exists(fs::path(exported[3]).parent_path()));  // the staging folder is gone
}

TEST(Export, MissingImageStopsBeforeAContainerExists)
{
    TempFolder temp;
    RecordingProcessRunner runner;
    runner.on({"docker", "image", "inspect"}, failed(1, "Error: No such image: cudagen/app:1\n"));
    ExportResult result = export_image(options_for(temp.path() / "app.tar.gz"), runner);
    EXPECT_EQ(result.exit_code, 22);
    ASSERT_EQ(result.problems.items().size(), 1u);
    EXPECT_EQ(result.problems.items().front().message, "no image 'cudagen/app:1' on this host");
    EXPECT_EQ(result.problems.items().front().fix, "build it first (`cudagen build PROFILE`) or pull it");
    EXPECT_EQ(runner.calls().size(), 1u);
}

TEST(Export, NoDockerCommand)
{
    TempFolder temp;
    RecordingProcessRunner runner;  // nothing scripted: every program is missing
    ExportResult result = export_image(options_for(temp.path() / "app.tar.gz"), runner);
    EXPECT_EQ(result.exit_code, 20);
    ASSERT_EQ(result.problems.items().size(), 1u);
    EXPECT_EQ(result.problems.items().front().code, "export/docker-missing");
    EXPECT_EQ(result.problems.items().front().message, "no 'docker' command on PATH");
}

class ExportArchive : public ::testing::TestWithParam<std::string> {};

TEST_P(ExportArchive, PrunesWhatNeverRunsAndKeepsTheRest)
{
    TempFolder temp;
    FakeDocker docker(make_export_archive(temp, GetParam()));
    fs::path output = temp.path() / "app.tar.gz";
    ExportResult result = export_image(options_for(output), docker);
    ASSERT_EQ(result.exit_code, 0) << result.message;
    EXPECT_EQ(docker.m_calls.back(), (std::vector<std::string>{"docker", "rm", "-f", "-v", "c0ffee"}));

    std::vector<std::string> listed = run_tar({"-tzf", output.string()});
    std::vector<std::string> expected = {"./",
                                         "./usr/",
                                         "./usr/bin/",
                                         "./usr/bin/tool",
                                         "./usr/share/",
                                         "./usr/share/doc/",
                                         "./usr/share/doc/pkg/",
                                         "./usr/share/doc/pkg/" + std::string(120, 'x') + "/",
                                         "./usr/share/doc/pkg/shared",  // kept: var/keep/linked is a hard link to it
                                         "./usr/share/locale/",
                                         "./usr/share/locale/de/",
                                         "./usr/share/locale/de/LC_MESSAGES/",
                                         "./usr/share/man/",
                                         "./usr/share/man/man1/",
                                         "./usr/share/zoneinfo/",
                                         "./usr/share/zoneinfo/UTC",
                                         "./var/",
                                         "./var/keep/",
                                         "./var/keep/linked",
                                         "./var/lib/",
                                         "./var/lib/apt/",
                                         "./var/lib/apt/lists/",
                                         "./var/log/",
                                         "opt/cudagen/export/",
                                         "opt/cudagen/export/config.json"};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(listed, expected);
    EXPECT_EQ(result.stats.pruned_entries, 6u);
    EXPECT_EQ(result.stats.output_bytes, fs::file_size(output));
    EXPECT_EQ(result.message.rfind("exported cudagen/app:1 to " + output.string() + ": ", 0), 0u) << result.message;

    fs::path unpacked = temp.path() / "unpacked";
    fs::create_directories(unpacked);
    run_tar({"-xzf", output.string(), "-C", unpacked.string()});
    EXPECT_EQ(read(unpacked / "var/keep/linked"), "shared");
    nlohmann::json config = nlohmann::json::parse(read(unpacked / "opt/cudagen/export/config.json"));
    EXPECT_EQ(config["env"], nlohmann::json::array({"PATH=/usr/bin", "A=b"}));
    EXPECT_EQ(config["image"], "cudagen/app:1");
    EXPECT_EQ(config["image_id"], "sha256:abc");
}

INSTANTIATE_TEST_SUITE_P(TarFormats, ExportArchive, ::testing::Values("pax", "gnu"));

TEST(Export, ReportsProgressOfTheSlowSteps)
{
    TempFolder temp;
    fs::path archive = make_export_archive(temp, "pax");
    FakeDocker docker(archive);
    ExportOptions options = options_for(temp.path() / "app.tar.gz");
    std::vector<std::string> lines;
    options.progress = [&](const std::string& line) { lines.push_back(line); };
    ASSERT_EQ(export_image(options, docker).exit_code, 0);
    ASSERT_GE(lines.size(), 2u);
    EXPECT_EQ(lines.front(), "docker export: starting");
    std::uint64_t tar_bytes = fs::file_size(archive);
    EXPECT_EQ(lines.back(), "pruning and compressing: 100 % of " + format_size(tar_bytes));
    for (std::size_t i = 1; i < lines.size(); ++i) {
        bool known = lines[i].starts_with("docker export: ") || lines[i].starts_with("pruning and compressing: ");
        EXPECT_TRUE(known) << lines[i];
    }
}

TEST(ExportPrune, ProgressGrowsToTheWholeArchive)
{
    TempFolder temp;
    fs::path tar = make_export_archive(temp, "gnu");
    std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
    prune_tar_to_gzip(tar, temp.path() / "out.tar.gz", ExtraFile{},
                      [&](std::uint64_t done, std::uint64_t total) { seen.emplace_back(done, total); });
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back(), std::make_pair(fs::file_size(tar), fs::file_size(tar)));
    for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i].first, seen[i - 1].first);
}

TEST(Export, ForceReplacesTheArchive)
{
    TempFolder temp;
    FakeDocker docker(make_export_archive(temp, "pax"));
    fs::path output = temp.path() / "app.tar.gz";
    write(output, "old");
    ExportOptions options = options_for(output);
    options.force = true;
    ASSERT_EQ(export_image(options, docker).exit_code, 0);
    EXPECT_NE(read(output), "old");
    EXPECT_EQ(std::count_if(fs::directory_iterator(temp.path()), fs::directory_iterator(),
                            [](const fs::directory_entry& e) { return e.path().filename().string()[0] == '.'; }),
              0);  // no staging folder left behind
}

TEST(ExportPrune, OnlyWhatLiesInsideThePrunedFolders)
{
    EXPECT_TRUE(is_pruned_path("./usr/share/doc/pkg/copyright"));
    EXPECT_TRUE(is_pruned_path("/var/log/apt/history.log"));
    EXPECT_TRUE(is_pruned_path("var/lib/apt/lists/partial/x"));
    EXPECT_FALSE(is_pruned_path("usr/share/doc"));
    EXPECT_FALSE(is_pruned_path("./usr/share/doc/"));
    EXPECT_FALSE(is_pruned_path("usr/share/docs/x"));
    EXPECT_FALSE(is_pruned_path("usr/lib/locale/C.utf8/LC_CTYPE"));
    EXPECT_FALSE(is_pruned_path("usr/lib/python3/dist-packages/__pycache__/x.pyc"));
}

}  // namespace
}  // namespace cudagen
