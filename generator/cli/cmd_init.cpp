// cudagen init [DIR] [--framework F] [--cuda X.Y] [--python X.Y] [--conda] [--platforms P...]
//              [--ci github|gitlab|none] [--name N] [--force]
#include "cli/command.hpp"
#include "cli/pipeline.hpp"
#include "core/text.hpp"
#include "frameworks/registry.hpp"
#include "scaffold/scaffold.hpp"
#include "write/writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <memory>

namespace cudagen {

namespace {

namespace fs = std::filesystem;

struct InitCommandOptions {
    InitOptions init;
    std::string dir = ".";
    bool force = false;
    bool framework_given = false;
    bool ci_given = false;
};

// The frameworks init can scaffold, and "none".
std::vector<std::string> framework_choices()
{
    std::vector<std::string> choices = framework_names(builtin_frameworks());
    choices.emplace_back("none");
    return choices;
}

// "pytorch, tensorflow, jax or none"
std::string framework_choices_text()
{
    std::vector<std::string> choices = framework_choices();
    std::string last = choices.back();
    choices.pop_back();
    return join(choices, ", ") + " or " + last;
}

// Asks on the terminal; an empty answer keeps the default.
std::string ask(const std::string& question, const std::string& fallback, const std::vector<std::string>& choices)
{
    while (true) {
        std::cerr << question << " [" << fallback << "]: " << std::flush;
        std::string answer;
        if (!std::getline(std::cin, answer) || answer.empty()) {
            return fallback;
        }
        if (choices.empty() || std::find(choices.begin(), choices.end(), answer) != choices.end()) {
            return answer;
        }
        std::cerr << "  one of: " << join(choices, ", ") << "\n";
    }
}

void prompt_for_missing(InitCommandOptions& options)
{
    if (::isatty(STDIN_FILENO) == 0) {
        return;
    }
    InitOptions& init = options.init;
    if (!options.framework_given) {
        init.framework = ask("Framework", init.framework, framework_choices());
    }
    if (init.cuda.empty()) {
        init.cuda = ask("CUDA version (X.Y; empty: the one the framework is built for)", "", {});
    }
    if (!options.ci_given) {
        init.ci = ask("CI", init.ci, {"github", "gitlab", "none"});
    }
}

std::vector<std::string> existing_files(const fs::path& dir, const std::vector<RenderedFile>& files)
{
    std::vector<std::string> existing;
    for (const auto& file : files) {
        std::error_code error;
        if (fs::exists(dir / file.path, error)) {
            existing.push_back((dir / file.path).string());
        }
    }
    return existing;
}

void print_next_steps(const InitCommandOptions& options, const Scaffold& scaffold)
{
    const InitOptions& init = options.init;
    std::cout << "cudagen init: wrote " << scaffold.files.size() << " files in " << options.dir << "\n";
    for (const auto& note : scaffold.notes) {
        std::cout << "  resolved: " << note << "\n";
    }
    std::string generated = init.ci_options.generated_dir;
    std::cout << "next:\n";
    if (options.dir != ".") {
        std::cout << "  cd " << options.dir << "\n";
    }
    std::cout << "  cudagen check                    # will it work here? add --driver $(nvidia-smi "
                 "--query-gpu=driver_version --format=csv,noheader | head -n1)\n"
              << "  cudagen generate -o " << generated
              << "        # Dockerfile + docker-bake.hcl, committed (CI checks they are current)\n"
              << "  cudagen build                    # build the image and run cudagen-verify in it\n"
              << "  git init && git add . && git commit -m \"cudagen init\"\n";
    if (init.ci == "github") {
        std::cout << "  then set the repository variable CUDAGEN_DEB_URL and register a self-hosted runner labelled "
                  << init.ci_options.gpu_runner << " (see the header of .github/workflows/cudagen.yml)\n";
    } else if (init.ci == "gitlab") {
        std::cout << "  then set the CI/CD variable CUDAGEN_DEB_URL and register a GPU runner tagged "
                  << init.ci_options.gpu_runner << " (see the header of .gitlab-ci.yml)\n";
    }
}

int run_init(InitCommandOptions options)
{
    prompt_for_missing(options);
    options.init.dir = options.dir;
    Diagnostics diagnostics;
    int exit_code = k_exit_ok;
    std::optional<Scaffold> scaffold = render_scaffold(options.init, diagnostics, exit_code);
    print_diagnostics(diagnostics, {}, std::cerr);
    if (!scaffold) {
        std::cerr << "cudagen init: nothing written\n";
        return exit_code;
    }
    std::vector<std::string> existing = existing_files(options.dir, scaffold->files);
    if (!existing.empty() && !options.force) {
        for (const auto& path : existing) {
            std::cerr << path << ": error: exists already [init/exists]\n";
        }
        std::cerr << "  fix: move the files away, or pass --force to overwrite them\ncudagen init: nothing written\n";
        return k_exit_usage;
    }
    Diagnostics written;
    WriteOptions write;
    write.force = options.force;
    write.keep_other_files = true;
    if (!write_output(options.dir, scaffold->files, written, write).ok) {
        print_diagnostics(written, {}, std::cerr);
        std::cerr << "cudagen init: nothing written\n";
        return k_exit_usage;
    }
    print_next_steps(options, *scaffold);
    return k_exit_ok;
}

}  // namespace

CommandAction setup_init(CLI::App& sub)
{
    auto options = std::make_shared<InitCommandOptions>();
    InitOptions& init = options->init;
    sub.add_option("dir", options->dir, "Repository folder (default: the current folder; created when missing)");
    sub.add_option("--framework", init.framework, framework_choices_text() + " (a CUDA service without a framework)")
        ->check(CLI::IsMember(framework_choices()))
        ->each([options](const std::string&) { options->framework_given = true; });
    sub.add_option("--cuda", init.cuda, "CUDA version X.Y or X.Y.Z (default: the one the framework is built for)");
    sub.add_option("--python", init.python, "Python version X.Y (default: the newest that suits the image)");
    sub.add_flag("--conda", init.conda, "A conda environment (environment.yml) instead of pip (requirements.txt)");
    sub.add_option("--platforms", init.platforms, "linux/amd64 and/or linux/arm64 (default: linux/amd64)")
        ->check(CLI::IsMember({"linux/amd64", "linux/arm64"}));
    sub.add_option("--ci", init.ci, "Write a CI workflow for github or gitlab, or none")
        ->check(CLI::IsMember({"github", "gitlab", "none"}))
        ->each([options](const std::string&) { options->ci_given = true; });
    sub.add_option("--gpu-runner", init.ci_options.gpu_runner,
                   "Label of the self-hosted GPU runner in the CI workflow (default: gpu)");
    sub.add_option("--arm64", init.ci_options.arm64, "CI builds linux/arm64 under qemu or on native runners")
        ->check(CLI::IsMember({"qemu", "native"}));
    sub.add_option("--name", init.name, "Image name (default: from the folder's name)");
    sub.add_flag("--force", options->force, "Overwrite files that exist already");
    sub.footer(
        "Prompts for the framework, CUDA and CI when stdin is a terminal and they were not given.\n"
        "Writes nothing when a file exists (without --force) or the choices cannot work together.");
    return [options] { return run_init(*options); };
}

}  // namespace cudagen
