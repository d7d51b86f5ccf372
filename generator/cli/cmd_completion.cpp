// cudagen completion bash|zsh: the shell completion script, from the command table.
#include "cli/cli_reference.hpp"
#include "cli/command.hpp"

#include <iostream>
#include <memory>

namespace cudagen {

CommandAction setup_completion(CLI::App& sub)
{
    auto shell = std::make_shared<std::string>();
    sub.add_option("shell", *shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
    sub.footer(
        "bash: source <(cudagen completion bash)   zsh: cudagen completion zsh > \"${fpath[1]}/_cudagen\"\n"
        "cmake --install puts both where the shells look for them.");
    return [shell] {
        std::cout << (*shell == "bash" ? render_bash_completion() : render_zsh_completion());
        return 0;
    };
}

}  // namespace cudagen
