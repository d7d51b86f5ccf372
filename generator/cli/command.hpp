// The subcommand table: one row per command, one cmd_<name>.cpp each.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string_view>
#include <vector>

namespace cudagen {

using CommandAction = std::function<int()>;

struct CommandSpec {
    std::string_view name;
    std::string_view help;
    // Registers the command's options on `sub`; returns what runs once argv parsed.
    CommandAction (*setup)(CLI::App& sub);
};

const std::vector<CommandSpec>& command_table();

// One line per command (defined in its cmd_<name>.cpp).
CommandAction setup_generate(CLI::App& sub);
CommandAction setup_check(CLI::App& sub);
CommandAction setup_resolve(CLI::App& sub);
CommandAction setup_schema(CLI::App& sub);
CommandAction setup_gpus(CLI::App& sub);
CommandAction setup_verify(CLI::App& sub);
CommandAction setup_build(CLI::App& sub);
CommandAction setup_export(CLI::App& sub);
CommandAction setup_doctor(CLI::App& sub);
CommandAction setup_init(CLI::App& sub);
CommandAction setup_ci(CLI::App& sub);
CommandAction setup_completion(CLI::App& sub);

}  // namespace cudagen
