#include "cli/cli_reference.hpp"

#include "cli/command.hpp"
#include "core/text.hpp"

#include <cctype>
#include <memory>

namespace cudagen {

namespace {

std::string to_upper(std::string_view text)
{
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

// Every occurrence of `from` (not empty) replaced by `to`.
std::string replace_all(std::string text, std::string_view from, std::string_view to)
{
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

struct OptionDoc {
    std::vector<std::string> names;  // "-o", "--output"; empty for a positional
    std::string positional;          // "profiles"
    std::string value;               // "TEXT", "" for a flag
    std::vector<std::string> choices;
    std::string help;
};

struct CommandDoc {
    std::string name;
    std::string help;
    std::string footer;
    std::vector<OptionDoc> options;
};

// "TEXT:{a,b}" -> {a, b}: the choices of an IsMember check.
std::vector<std::string> choices_of(const std::string& type_name)
{
    std::size_t open = type_name.find('{');
    std::size_t close = type_name.rfind('}');
    if (open == std::string::npos || close == std::string::npos || close < open) {
        return {};
    }
    return split(std::string_view(type_name).substr(open + 1, close - open - 1), ',');
}

OptionDoc describe(const CLI::Option& option)
{
    OptionDoc doc;
    for (const auto& name : option.get_snames()) {
        doc.names.push_back("-" + name);
    }
    for (const auto& name : option.get_lnames()) {
        doc.names.push_back("--" + name);
    }
    if (doc.names.empty()) {
        doc.positional = option.get_name(true);
    }
    std::string type_name = option.get_type_name();
    doc.choices = choices_of(type_name);
    doc.value = option.get_expected_max() == 0 ? "" : type_name.substr(0, type_name.find(':'));
    doc.help = option.get_description();
    return doc;
}

// The commands as `cudagen` registers them (run.cpp builds the same table).
std::vector<CommandDoc> command_docs()
{
    CLI::App app;
    std::vector<CommandDoc> docs;
    for (const auto& command : command_table()) {
        CLI::App* sub = app.add_subcommand(std::string(command.name), std::string(command.help));
        command.setup(*sub);
        CommandDoc doc{std::string(command.name), std::string(command.help), sub->get_footer(), {}};
        for (const CLI::Option* option : sub->get_options()) {
            if (option->get_name() == "--help" || option->get_group().empty()) {
                continue;
            }
            doc.options.push_back(describe(*option));
        }
        docs.push_back(doc);
    }
    return docs;
}

std::string usage_line(const CommandDoc& command)
{
    std::string line = "cudagen " + command.name;
    bool has_options = false;
    for (const auto& option : command.options) {
        if (option.positional.empty()) {
            has_options = true;
        }
    }
    if (has_options) {
        line += " [OPTIONS]";
    }
    for (const auto& option : command.options) {
        if (!option.positional.empty()) {
            line += " [" + to_upper(option.positional) + "...]";
        }
    }
    return line;
}

std::string shown_names(const OptionDoc& option)
{
    std::string text = option.positional.empty() ? join(option.names, ", ") : to_upper(option.positional);
    if (!option.value.empty() && option.positional.empty()) {
        text += " " + (option.choices.empty() ? option.value : join(option.choices, "|"));
    }
    return text;
}

}  // namespace

std::string render_cli_markdown()
{
    std::string out =
        "# cudagen command-line reference\n\n"
        "Generated from the command table (`generator/cli/commands.cpp`); a unit test fails when this page\n"
        "and the commands differ. `cudagen COMMAND --help` prints the same. Exit codes: see the README.\n\n";
    for (const auto& command : command_docs()) {
        out += "- [`" + command.name + "`](#cudagen-" + command.name + "): " + command.help + "\n";
    }
    for (const auto& command : command_docs()) {
        out +=
            "\n## cudagen " + command.name + "\n\n" + command.help + ".\n\n```\n" + usage_line(command) + "\n```\n\n";
        out += "| option | meaning |\n|---|---|\n";
        for (const auto& option : command.options) {
            out += "| `" + replace_all(shown_names(option), "|", "\\|") + "` | " +
                   replace_all(option.help, "|", "\\|") + " |\n";
        }
        if (!command.footer.empty()) {
            out += "\n" + command.footer + "\n";
        }
    }
    return out;
}

namespace {

// roff: a leading '.' or '\'' starts a request, '\' is the escape character.
std::string roff(std::string text)
{
    text = replace_all(text, "\\", "\\e");
    text = replace_all(text, "-", "\\-");
    if (!text.empty() && (text.front() == '.' || text.front() == '\'')) {
        text.insert(0, "\\&");
    }
    return replace_all(text, "\n.", "\n\\&.");
}

}  // namespace

std::string render_man_page()
{
    std::string out =
        ".\\\" Generated from cudagen's command table; do not edit.\n"
        ".TH CUDAGEN 1 \"\" \"cudagen " CUDAGEN_VERSION
        "\" \"User Commands\"\n"
        ".SH NAME\ncudagen \\- GPU containers that work the first time\n"
        ".SH SYNOPSIS\n.B cudagen\n.I COMMAND\n[\\fIOPTIONS\\fR]\n"
        ".SH DESCRIPTION\nTurns a YAML profile (cudagen.yaml, found in the current folder or a parent) into a "
        "multi\\-stage CUDA Dockerfile and a buildx bake file, checks version compatibility, builds, and verifies "
        "images on the GPU.\n.SH COMMANDS\n";
    for (const auto& command : command_docs()) {
        out += ".SS \"" + roff(usage_line(command)) + "\"\n" + roff(command.help) + ".\n";
        for (const auto& option : command.options) {
            out += ".TP\n.B " + roff(shown_names(option)) + "\n" + roff(option.help) + "\n";
        }
        if (!command.footer.empty()) {
            out += ".PP\n" + roff(command.footer) + "\n";
        }
    }
    out += ".SH \"SEE ALSO\"\nThe CLI reference docs/cli.md and the profile reference docs/profile\\-reference.md.\n";
    return out;
}

namespace {

std::vector<std::string> option_words(const CommandDoc& command)
{
    std::vector<std::string> words;
    for (const auto& option : command.options) {
        words.insert(words.end(), option.names.begin(), option.names.end());
    }
    words.emplace_back("--help");
    return words;
}

// Single-quoted for the shells (no quote ever appears in the help texts we quote
// with it: it is replaced).
std::string quote(const std::string& text)
{
    return "'" + replace_all(text, "'", "'\\''") + "'";
}

}  // namespace

std::string render_bash_completion()
{
    std::vector<std::string> names;
    for (const auto& command : command_docs()) {
        names.push_back(command.name);
    }
    std::string out =
        "# bash completion for cudagen (generated from its command table; do not edit)\n"
        "_cudagen() {\n"
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} words=\"\"\n"
        "    if ((COMP_CWORD == 1)); then\n"
        "        mapfile -t COMPREPLY < <(compgen -W " +
        quote(join(names, " ") + " --help --version") +
        " -- \"$cur\")\n        return\n    fi\n    case ${COMP_WORDS[1]}:$prev in\n";
    for (const auto& command : command_docs()) {
        for (const auto& option : command.options) {
            if (option.choices.empty()) {
                continue;
            }
            for (const auto& name : option.names) {
                out += "        " + command.name + ":" + name + ") words=" + quote(join(option.choices, " ")) + " ;;\n";
            }
        }
    }
    out += "    esac\n    if [[ -z $words ]]; then\n        case ${COMP_WORDS[1]} in\n";
    for (const auto& command : command_docs()) {
        out += "            " + command.name +
               ") [[ $cur == -* ]] && words=" + quote(join(option_words(command), " ")) + " ;;\n";
    }
    out +=
        "        esac\n    fi\n"
        "    if [[ -n $words ]]; then\n"
        "        mapfile -t COMPREPLY < <(compgen -W \"$words\" -- \"$cur\")\n"
        "    else\n"
        "        mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n"
        "    fi\n"
        "}\n"
        "complete -o filenames -o bashdefault -F _cudagen cudagen\n";
    return out;
}

namespace {

std::string zsh_escape(std::string text)
{
    for (const char* special : {"[", "]", ":"}) {
        text = replace_all(text, special, std::string("\\") + special);
    }
    return text;
}

std::string zsh_option_spec(const OptionDoc& option)
{
    std::string help = zsh_escape(option.help);
    std::string action = option.choices.empty() ? ":value:_files" : ":value:(" + join(option.choices, " ") + ")";
    if (!option.positional.empty()) {
        return quote("*:" + option.positional + ":_files");
    }
    std::string specs;
    for (const auto& name : option.names) {
        specs += " " + quote(name + "[" + help + "]" + (option.value.empty() ? "" : action));
    }
    return specs.substr(1);
}

}  // namespace

std::string render_zsh_completion()
{
    std::string out =
        "#compdef cudagen\n# zsh completion for cudagen (generated from its command table; do not edit)\n"
        "_cudagen() {\n    local -a commands\n    commands=(\n";
    for (const auto& command : command_docs()) {
        out += "        " + quote(command.name + ":" + replace_all(command.help, ":", "\\:")) + "\n";
    }
    out +=
        "    )\n    if ((CURRENT == 2)); then\n        _describe command commands\n        return\n    fi\n"
        "    local command=${words[2]}\n    shift 1 words\n    ((CURRENT--))\n    case $command in\n";
    for (const auto& command : command_docs()) {
        out += "        " + command.name + ")\n            _arguments";
        for (const auto& option : command.options) {
            out += " \\\n                " + zsh_option_spec(option);
        }
        out += "\n            ;;\n";
    }
    out += "    esac\n}\n_cudagen \"$@\"\n";
    return out;
}

}  // namespace cudagen
