#include "cli/run.hpp"

#include "cli/command.hpp"
#include "core/diagnostic.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <iostream>

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
        return k_exit_usage;
    }
    try {
        return action ? action() : k_exit_usage;
    } catch (const std::exception& error) {
        std::cerr << "cudagen: internal error: " << error.what() << "\n";
        return k_exit_usage;
    }
}

}  // namespace cudagen
