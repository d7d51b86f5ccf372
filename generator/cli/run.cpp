#include "cli/run.hpp"

#include "cli/command.hpp"
#include "core/diagnostic.hpp"
#include "core/exit_codes.hpp"
#include "core/report.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

namespace cudagen {

namespace {

// CLI11 only says an argument was not expected; name the command meant.
bool report_unknown_command(int argc, char** argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        return false;
    }
    std::vector<std::string> names;
    for (const auto& command : command_table()) {
        names.emplace_back(command.name);
    }
    std::string word = argv[1];
    if (std::find(names.begin(), names.end(), word) != names.end()) {
        return false;
    }
    std::cerr << "cudagen: unknown command '" << word << "'" << did_you_mean(word, names) << "\n"
              << "  commands: " << join(names, ", ") << "\n  help: cudagen --help\n";
    return true;
}

bool wants_json(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--format=json" || (arg == "--format" && i + 1 < argc && std::string_view(argv[i + 1]) == "json")) {
            return true;
        }
    }
    return false;
}

// With --format json, a failure before the command could report (a usage error,
// an internal error) still prints the shared report shape on stdout.
int fail(int argc, char** argv, int exit_code, std::string code, std::string message, std::string fix)
{
    if (wants_json(argc, argv)) {
        Diagnostics problems;
        problems.error(std::move(code), std::move(message), {}, std::move(fix));
        std::cout << report_json(argc > 1 ? argv[1] : "", exit_code, problems).dump(2) << "\n";
    }
    return exit_code;
}

}  // namespace

int run(int argc, char** argv)
{
    if (report_unknown_command(argc, argv)) {
        return k_exit_usage;
    }
    CLI::App app{
        "cudagen: GPU containers that work the first time.\n"
        "Turns a YAML profile into a multi-stage CUDA Dockerfile and a buildx bake file,\n"
        "checks version compatibility, builds, and verifies images on the GPU."};
    app.set_version_flag("--version", std::string("cudagen ") + CUDAGEN_VERSION);
    app.footer(exit_codes_help());
    app.require_subcommand(1);
    app.fallthrough(false);
    CommandAction action;
    for (const auto& command : command_table()) {
        CLI::App* sub = app.add_subcommand(std::string(command.name), std::string(command.help));
        CommandAction command_action = command.setup(*sub);
        sub->callback([&action, command_action] { action = command_action; });
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForAllHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForVersion& version) {
        return app.exit(version);
    } catch (const CLI::ParseError& error) {
        app.exit(error);
        return fail(argc, argv, k_exit_usage, "usage/options", error.what(),
                    "cudagen " + std::string(argc > 1 ? argv[1] : "") + " --help");
    }
    if (!action) {
        return k_exit_usage;
    }
    // For tests only: CUDAGEN_FAULT=internal makes the command throw, so that a test
    // of the real binary sees an unexpected exception end in k_exit_internal.
    if (const char* fault = std::getenv("CUDAGEN_FAULT"); fault != nullptr && std::string_view(fault) == "internal") {
        action = []() -> int { throw std::logic_error("fault injected by CUDAGEN_FAULT=internal"); };
    }
    return run_guarded(argc > 1 ? argv[1] : "", wants_json(argc, argv), action, std::cout, std::cerr);
}

}  // namespace cudagen
