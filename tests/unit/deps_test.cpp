// The dependency-file reader: pip requirements syntax, conda environment
// files, includes, local references, and the files the install step needs.
#include "deps/dependencies.hpp"
#include "unit/test_files.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace cudagen::deps {
namespace {

namespace fs = std::filesystem;

std::string located(const Diagnostic& d)
{
    return d.where.file + ":" + std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message +
           " [" + d.code + "]";
}

std::string errors_of(const Diagnostics& diagnostics)
{
    std::string out;
    for (const auto& d : diagnostics.items()) {
        out += located(d) + "\n";
    }
    return out;
}

std::string at(const SourceLocation& where)
{
    return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

// A build context in a fresh temporary folder.
class Context {
public:
    Context() { m_dir = cudagen::test::make_temp_dir("cudagen-deps-test"); }
    ~Context()
    {
        std::error_code error;
        fs::remove_all(m_dir, error);
    }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    void write(const std::string& path, const std::string& text) const
    {
        fs::create_directories((m_dir / path).parent_path());
        std::ofstream(m_dir / path) << text;
    }
    const fs::path& dir() const { return m_dir; }

    DependencySet read(std::vector<std::string> requirements, const std::string& environment,
                       Diagnostics& diagnostics) const
    {
        DependencyInputs inputs;
        inputs.context_dir = m_dir;
        inputs.display_dir = "ctx";
        int line = 1;
        for (const auto& file : requirements) {
            inputs.requirements.push_back({file, {"ctx/cudagen.yaml", line++, 15}, true});
        }
        if (!environment.empty()) {
            inputs.conda_environment = {environment, {"ctx/cudagen.yaml", 9, 17}, true};
        }
        return read_dependencies(inputs, diagnostics);
    }

private:
    fs::path m_dir;
};

TEST(PackageSpec, ReadsPipPinWithLocalVersionAndMarker)
{
    auto spec = parse_pip_spec("Torch_Vision[extra1, extra2]==0.19.1+cu121 ; python_version < \"3.12\"");
    ASSERT_TRUE(spec);
    EXPECT_EQ(spec->name, "Torch_Vision");
    EXPECT_EQ(spec->key, "torch-vision");
    EXPECT_EQ(spec->extras, "extra1,extra2");
    EXPECT_EQ(spec->specifier, "==0.19.1+cu121");
    EXPECT_EQ(spec->op, "==");
    EXPECT_EQ(spec->version, "0.19.1");
    EXPECT_EQ(spec->local, "cu121");
    EXPECT_EQ(spec->marker, "python_version < \"3.12\"");
}

TEST(PackageSpec, KeepsRangesWhole)
{
    auto spec = parse_pip_spec("numpy>=1.26,<2");
    ASSERT_TRUE(spec);
    EXPECT_EQ(spec->specifier, ">=1.26,<2");
    EXPECT_EQ(spec->op, "");
    EXPECT_EQ(spec->version, "");
}

TEST(PackageSpec, ReadsDirectUrlReference)
{
    auto spec = parse_pip_spec("mylib @ https://example.org/mylib-1.0-py3-none-any.whl ; sys_platform == 'linux'");
    ASSERT_TRUE(spec);
    EXPECT_EQ(spec->name, "mylib");
    EXPECT_EQ(spec->url, "https://example.org/mylib-1.0-py3-none-any.whl");
    EXPECT_EQ(spec->marker, "sys_platform == 'linux'");
}

TEST(PackageSpec, RejectsTextWithoutName)
{
    EXPECT_FALSE(parse_pip_spec(">=1.0"));
    EXPECT_FALSE(parse_pip_spec("torch[cuda"));
}

TEST(PackageSpec, ReadsCondaSpecForms)
{
    auto build = parse_conda_spec("pytorch::pytorch=2.4.1=py3.11_cuda12.1_cudnn9_0");
    ASSERT_TRUE(build);
    EXPECT_EQ(build->channel, "pytorch");
    EXPECT_EQ(build->name, "pytorch");
    EXPECT_EQ(build->op, "=");
    EXPECT_EQ(build->version, "2.4.1");
    EXPECT_EQ(build->build, "py3.11_cuda12.1_cudnn9_0");

    auto spaced = parse_conda_spec("cudatoolkit 11.8.* h4ba93d1_13");
    ASSERT_TRUE(spaced);
    EXPECT_EQ(spaced->op, "=");
    EXPECT_EQ(spaced->version, "11.8.*");
    EXPECT_EQ(spaced->build, "h4ba93d1_13");

    auto range = parse_conda_spec("python>=3.10,<3.12");
    ASSERT_TRUE(range);
    EXPECT_EQ(range->specifier, ">=3.10,<3.12");
    EXPECT_EQ(range->version, "");

    auto exact = parse_conda_spec("pytorch-cuda==12.1");
    ASSERT_TRUE(exact);
    EXPECT_EQ(exact->key, "pytorch-cuda");
    EXPECT_EQ(exact->op, "==");
    EXPECT_EQ(exact->version, "12.1");
}

TEST(RequirementsText, LocatesEntriesAndOptions)
{
    Diagnostics diagnostics;
    PipSection section = parse_requirements_text(
        "# pins\n"
        "--extra-index-url https://download.pytorch.org/whl/cu121\n"
        "  torch==2.3.1+cu121  # the CUDA 12.1 build\n"
        "-f https://data.pyg.org/whl/torch-2.3.0+cu121.html\n"
        "numpy>=1.26 \\\n"
        "    --hash=sha256:abc \\\n"
        "    --hash=sha256:def\n"
        "https://example.org/x-1.0-py3-none-any.whl#sha256=ab\n",
        "requirements.txt", diagnostics);
    EXPECT_TRUE(diagnostics.empty()) << errors_of(diagnostics);
    ASSERT_EQ(section.entries.size(), 3u);
    EXPECT_EQ(section.entries[0].spec.local, "cu121");
    EXPECT_EQ(at(section.entries[0].where), "requirements.txt:3:3");
    EXPECT_EQ(section.entries[0].text, "torch==2.3.1+cu121");
    EXPECT_EQ(section.entries[1].spec.name, "numpy");
    EXPECT_EQ(section.entries[1].first_line, 5);
    EXPECT_EQ(section.entries[1].last_line, 7);
    EXPECT_EQ(section.entries[1].hashes, (std::vector<std::string>{"sha256:abc", "sha256:def"}));
    EXPECT_EQ(section.entries[2].kind, PipEntryKind::url);
    EXPECT_EQ(section.entries[2].spec.url, "https://example.org/x-1.0-py3-none-any.whl#sha256=ab")
        << "'#' without whitespace before it is not a comment";
    ASSERT_EQ(section.options.size(), 2u);
    EXPECT_EQ(section.options[0].kind, PipOptionKind::extra_index_url);
    EXPECT_EQ(section.options[0].value, "https://download.pytorch.org/whl/cu121");
    EXPECT_EQ(at(section.options[0].value_where), "requirements.txt:2:19");
    EXPECT_EQ(section.options[1].kind, PipOptionKind::find_links);
    EXPECT_EQ(section.options[1].name, "-f");
    EXPECT_EQ(at(section.options[1].where), "requirements.txt:4:1");
}

TEST(RequirementsText, ClassifiesVcsUrlAndLocalRequirements)
{
    Diagnostics diagnostics;
    PipSection section = parse_requirements_text(
        "git+https://github.com/org/lib.git@v1.2#egg=lib\n"
        "-e git+https://github.com/org/tool.git#egg=tool\n"
        "https://example.org/pkg-1.0.tar.gz\n"
        "-e .[dev]\n"
        "./third_party/ext\n"
        "wheels/local-1.0-py3-none-any.whl\n"
        "--editable=libs/core\n",
        "requirements.txt", diagnostics);
    EXPECT_TRUE(diagnostics.empty()) << errors_of(diagnostics);
    ASSERT_EQ(section.entries.size(), 7u);
    EXPECT_EQ(section.entries[0].kind, PipEntryKind::vcs);
    EXPECT_EQ(section.entries[0].spec.name, "lib");
    EXPECT_EQ(section.entries[1].kind, PipEntryKind::vcs);
    EXPECT_TRUE(section.entries[1].editable);
    EXPECT_EQ(at(section.entries[1].where), "requirements.txt:2:1");
    EXPECT_EQ(section.entries[2].kind, PipEntryKind::url);
    EXPECT_EQ(section.entries[3].kind, PipEntryKind::local);
    EXPECT_EQ(section.entries[3].path, ".");
    EXPECT_EQ(section.entries[3].spec.extras, "dev");
    EXPECT_TRUE(section.entries[3].editable);
    EXPECT_EQ(section.entries[4].path, "third_party/ext");
    EXPECT_EQ(section.entries[5].path, "wheels/local-1.0-py3-none-any.whl");
    EXPECT_EQ(section.entries[6].path, "libs/core");
    EXPECT_TRUE(section.entries[6].editable);
}

TEST(RequirementsText, ReportsUnknownOptionWithSuggestion)
{
    Diagnostics diagnostics;
    parse_requirements_text("torch\n--extra-index=https://x\n", "requirements.txt", diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 1u);
    EXPECT_EQ(located(diagnostics.items()[0]),
              "requirements.txt:2:1: pip does not know the option '--extra-index' (did you mean '--extra-index-url'?) "
              "[deps/unknown-option]");
}

TEST(RequirementsText, ReportsMissingValueAndBadRequirement)
{
    Diagnostics diagnostics;
    parse_requirements_text("-r\n>=1.0\n", "r.txt", diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 2u);
    EXPECT_EQ(located(diagnostics.items()[0]), "r.txt:1:1: '-r' needs a value [deps/missing-value]");
    EXPECT_EQ(located(diagnostics.items()[1]),
              "r.txt:2:1: '>=1.0' is not a requirement pip can read [deps/bad-requirement]");
}

TEST(RequirementsText, RejectsPathsLeavingTheContext)
{
    Diagnostics diagnostics;
    PipSection section = parse_requirements_text("-r ../shared/base.txt\n-e ../sibling\n/opt/wheels/x.whl\n",
                                                 "requirements.txt", diagnostics);
    EXPECT_TRUE(section.entries.empty());
    ASSERT_EQ(diagnostics.items().size(), 3u);
    EXPECT_EQ(located(diagnostics.items()[0]),
              "requirements.txt:1:4: '../shared/base.txt' leaves the build context (the profile's folder) "
              "[path/outside-context]");
    EXPECT_EQ(at(diagnostics.items()[1].where), "requirements.txt:2:4");
    EXPECT_EQ(at(diagnostics.items()[2].where), "requirements.txt:3:1");
}

TEST(ReadDependencies, FollowsIncludesRelativeToEachFile)
{
    Context context;
    context.write("requirements.txt", "-r requirements/base.txt\n-c constraints.txt\n-e .\nfastapi==0.111.0\n");
    context.write("requirements/base.txt", "numpy==1.26.4\n-r common.txt\n--find-links ../wheels\n");
    context.write("requirements/common.txt", "pyyaml\n");
    context.write("constraints.txt", "torch==2.3.1+cu121\n");
    context.write("wheels/keep", "");
    context.write("setup.py", "");
    Diagnostics diagnostics;
    DependencySet set = context.read({"requirements.txt"}, "", diagnostics);
    EXPECT_TRUE(diagnostics.empty()) << errors_of(diagnostics);
    std::vector<std::string> names;
    for (const PipEntry* entry : set.pip_entries()) {
        names.push_back(entry->spec.name.empty() ? entry->path : entry->spec.name);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"numpy", "pyyaml", "torch", ".", "fastapi"}))
        << "pip's order: an include's lines where it stands";
    EXPECT_EQ(set.install_inputs, (std::vector<std::string>{"requirements.txt", "requirements/base.txt",
                                                            "requirements/common.txt", "constraints.txt", "wheels/"}));
    const PipEntry* torch = set.find_pip("torch");
    ASSERT_NE(torch, nullptr);
    EXPECT_TRUE(torch->constraint);
    EXPECT_EQ(at(torch->where), "ctx/constraints.txt:1:1");
    ASSERT_EQ(set.local_projects.size(), 1u);
    EXPECT_EQ(set.local_projects[0].path, ".");
    EXPECT_TRUE(set.local_projects[0].editable);
    ASSERT_NE(set.file("requirements/common.txt"), nullptr);
    EXPECT_EQ(at(set.file("requirements/common.txt")->referenced_at), "ctx/requirements/base.txt:2:4");
}

TEST(ReadDependencies, ReportsMissingIncludeAtTheIncludingLine)
{
    Context context;
    context.write("requirements.txt", "torch\n-r dev.txt\n");
    Diagnostics diagnostics;
    context.read({"requirements.txt"}, "", diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 1u);
    EXPECT_EQ(
        located(diagnostics.items()[0]),
        "ctx/requirements.txt:2:4: requirements file 'dev.txt' does not exist in the build context [path/not-found]");
}

TEST(ReadDependencies, ReportsIncludedFolderThroughTheBoundedReader)
{
    Context context;
    context.write("requirements.txt", "-r extra\n");
    fs::create_directories(context.dir() / "extra");
    Diagnostics diagnostics;
    context.read({"requirements.txt"}, "", diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 1u) << errors_of(diagnostics);
    EXPECT_EQ(diagnostics.items()[0].code, "io/not-a-file");
    EXPECT_EQ(at(diagnostics.items()[0].where), "ctx/requirements.txt:1:4");
}

TEST(ReadDependencies, ReportsIncludeCycle)
{
    Context context;
    context.write("a.txt", "-r b.txt\n");
    context.write("b.txt", "-r a.txt\n");
    Diagnostics diagnostics;
    context.read({"a.txt"}, "", diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 1u);
    EXPECT_EQ(located(diagnostics.items()[0]),
              "ctx/b.txt:1:4: 'a.txt' includes itself (a.txt -> b.txt -> a.txt) [deps/include-cycle]");
}

TEST(ReadDependencies, RejectsSymlinkLeavingTheContext)
{
    Context outside;
    outside.write("base.txt", "numpy\n");
    Context context;
    context.write("requirements.txt", "-r base.txt\n");
    fs::create_symlink(outside.dir() / "base.txt", context.dir() / "base.txt");
    Diagnostics diagnostics;
    context.read({"requirements.txt"}, "", diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 1u);
    EXPECT_EQ(diagnostics.items()[0].code, "path/outside-context");
    EXPECT_EQ(at(diagnostics.items()[0].where), "ctx/requirements.txt:1:4");
}

TEST(ReadDependencies, ReportsMissingLocalProject)
{
    Context context;
    context.write("requirements.txt", "numpy\n-e ./libs/core\n");
    Diagnostics diagnostics;
    DependencySet set = context.read({"requirements.txt"}, "", diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 1u);
    EXPECT_EQ(
        located(diagnostics.items()[0]),
        "ctx/requirements.txt:2:1: local project 'libs/core' does not exist in the build context [path/not-found]");
    EXPECT_TRUE(set.local_projects.empty());
}

TEST(ReadDependencies, ReadsCondaEnvironmentWithPipSection)
{
    Context context;
    context.write("env/environment.yml",
                  "name: research\n"
                  "channels:\n"
                  "  - pytorch\n"
                  "  - nvidia\n"
                  "  - conda-forge\n"
                  "dependencies:\n"
                  "  - python=3.10\n"
                  "  - pytorch::pytorch=2.1.2=py3.10_cuda11.8_cudnn8.7.0_0\n"
                  "  - pytorch-cuda=11.8\n"
                  "  - cudatoolkit 11.8.*\n"
                  "  - pip\n"
                  "  - pip:\n"
                  "    - -r requirements-extra.txt\n"
                  "    - \"--find-links https://data.pyg.org/whl/torch-2.1.0+cu118.html\"\n"
                  "    - -e ..\n"
                  "    - git+https://github.com/org/lib.git#egg=lib\n");
    context.write("env/requirements-extra.txt", "plyfile==1.0\n");
    context.write("setup.py", "");
    Diagnostics diagnostics;
    DependencySet set = context.read({}, "env/environment.yml", diagnostics);
    EXPECT_TRUE(diagnostics.empty()) << errors_of(diagnostics);
    ASSERT_TRUE(set.conda);
    const CondaEnvironment& env = *set.conda;
    EXPECT_EQ(env.name.value, "research");
    ASSERT_EQ(env.channels.size(), 3u);
    EXPECT_EQ(at(env.channels[1].where), "ctx/env/environment.yml:4:5");
    ASSERT_EQ(env.dependencies.size(), 5u);
    const CondaDependency* python = set.find_conda("python");
    ASSERT_NE(python, nullptr);
    EXPECT_EQ(python->spec.version, "3.10");
    EXPECT_EQ(set.find_conda("pytorch")->spec.build, "py3.10_cuda11.8_cudnn8.7.0_0");
    EXPECT_EQ(at(set.find_conda("cudatoolkit")->where), "ctx/env/environment.yml:10:5");
    EXPECT_TRUE(env.has_pip_section);
    ASSERT_EQ(env.pip.entries.size(), 3u);
    EXPECT_EQ(env.pip.entries[0].spec.name, "plyfile");
    EXPECT_EQ(env.pip.entries[1].path, ".") << "pip runs in the environment file's folder";
    EXPECT_EQ(at(env.pip.entries[1].where), "ctx/env/environment.yml:15:7");
    EXPECT_EQ(env.pip.entries[2].kind, PipEntryKind::vcs);
    ASSERT_EQ(env.pip.options.size(), 2u);
    EXPECT_EQ(env.pip.options[1].kind, PipOptionKind::find_links);
    EXPECT_EQ(at(env.pip.options[1].where), "ctx/env/environment.yml:14:8") << "inside the quotes";
    EXPECT_EQ(set.install_inputs, (std::vector<std::string>{"env/environment.yml", "env/requirements-extra.txt"}));
    ASSERT_EQ(set.local_projects.size(), 1u);
}

TEST(ReadDependencies, ReportsBadEnvironmentShapes)
{
    Context context;
    context.write("environment.yml", "dependencies:\n  - {pip2: [x]}\nchannels: conda-forge\n");
    Diagnostics diagnostics;
    context.read({}, "environment.yml", diagnostics);
    ASSERT_EQ(diagnostics.items().size(), 2u) << errors_of(diagnostics);
    EXPECT_EQ(located(diagnostics.items()[0]),
              "ctx/environment.yml:2:5: a dependency is a package spec or a 'pip:' list [deps/bad-environment]");
    EXPECT_EQ(located(diagnostics.items()[1]), "ctx/environment.yml:3:11: channels is a list [deps/bad-environment]");
}

TEST(ReadDependencies, GoesThroughTheGivenReader)
{
    Context context;
    context.write("requirements.txt", "on disk\n");
    DependencyInputs inputs;
    inputs.context_dir = context.dir();
    inputs.requirements.push_back({"requirements.txt", {"cudagen.yaml", 1, 1}, true});
    Diagnostics diagnostics;
    int calls = 0;
    auto reader = [&](const fs::path&, const std::string&, const SourceLocation&,
                      Diagnostics&) -> std::optional<std::string> {
        ++calls;
        return std::string("scipy==1.13\n");
    };
    DependencySet set = read_dependencies(inputs, diagnostics, reader);
    EXPECT_EQ(calls, 1);
    ASSERT_EQ(set.requirements.entries.size(), 1u);
    EXPECT_EQ(set.requirements.entries[0].spec.name, "scipy");
}

}  // namespace
}  // namespace cudagen::deps
