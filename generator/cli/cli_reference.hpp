// The CLI reference (docs/cli.md), the man page (docs/cudagen.1) and the shell
// completions (completions/), all made from the command table, so none of them
// drifts from the options the commands really take (unit tests keep the
// checked-in files equal to these texts).
#pragma once

#include <string>

namespace cudagen {

std::string render_cli_markdown();
std::string render_man_page();
std::string render_bash_completion();
std::string render_zsh_completion();

}  // namespace cudagen
