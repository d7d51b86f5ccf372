#include "cli/run.hpp"

#include "cli/command.hpp"
#include "core/diagnostic.hpp"

#include <iostream>

namespace cudagen {

int run(int argc, char** argv)
{
    CLI::App app{"cudagen: GPU containers that work the first time.\n"
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
