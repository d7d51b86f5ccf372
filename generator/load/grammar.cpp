#include "load/grammar.hpp"

#include "core/text.hpp"
#include "core/version.hpp"
#include "frameworks/registry.hpp"
#include "load/grammar_match.hpp"

#include <algorithm>
#include <vector>

namespace cudagen {

namespace {

struct Grammar {
    std::string_view name;
    std::string_view summary;
    std::string_view pattern;  // POSIX extended regex the whole value must match ("" = custom only);
                               // load/grammar_match.cpp matches it by hand
    std::string_view fix;
};

// The framework-name grammar is the registry's names: "pytorch|tensorflow|jax",
// "pytorch, tensorflow or jax" and its fix.
struct FrameworkNames {
    std::string pattern;
    std::string summary;
    std::string fix;
};

const FrameworkNames& framework_names_grammar()
{
    static const FrameworkNames k_names = [] {
        std::vector<std::string> names = framework_names(builtin_frameworks());
        std::string last = names.back();
        std::vector<std::string> head(names.begin(), names.end() - 1);
        std::string summary = head.empty() ? last : join(head, ", ") + " or " + last;
        return FrameworkNames{join(names, "|"), summary, "use " + summary};
    }();
    return k_names;
}

// Shell and Dockerfile metacharacters never belong in names; catching them
// here is the first escaping layer (the renderer quotes values again per context).
const std::vector<Grammar>& grammars()
{
    static const std::vector<Grammar> table = {
        {"image-name", "`[a-z0-9][a-z0-9._-]*`, at most 128 characters", "[a-z0-9][a-z0-9._-]{0,127}",
         "use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit"},
        {"cuda-version", "X.Y or X.Y.Z", "[0-9]{1,2}\\.[0-9]{1,2}(\\.[0-9]{1,2})?",
         "write the version as X.Y or X.Y.Z, e.g. \"12.4.1\""},
        {"version", "X.Y or X.Y.Z", "[0-9]{1,3}\\.[0-9]{1,3}(\\.[0-9]{1,3})?",
         "write the version as X.Y or X.Y.Z, e.g. \"2.3.1\""},
        {"python-version", "X.Y", "3\\.[0-9]{1,2}", "write the Python version as X.Y in quotes, e.g. \"3.11\""},
        {"os-token", "a Debian-family token as in nvidia/cuda tags: ubuntu20.04, ubuntu22.04, ubuntu24.04",
         "[a-z]+[0-9]+(\\.[0-9]+)?", "use an OS token as in nvidia/cuda tags, e.g. ubuntu24.04"},
        {"framework-name", framework_names_grammar().summary, framework_names_grammar().pattern,
         framework_names_grammar().fix},
        {"framework-channel", "pip or conda", "pip|conda", "use pip or conda"},
        {"package-name", "a Python package name", "[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?",
         "write a package name such as torchvision"},
        {"pip-requirement", "name[extras] with optional version clauses (==, >=, <=, ~=, !=, <, >)",
         "[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?(\\[[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*\\])?"
         "( ?(==|>=|<=|~=|!=|===|<|>) ?[A-Za-z0-9.*+!_-]+( ?, ?(==|>=|<=|~=|!=|<|>) ?[A-Za-z0-9.*+!_-]+)*)?",
         "write one requirement such as \"fastapi==0.111.0\"; environment markers (';'), options and URLs are not "
         "accepted"},
        {"apt-package", "a Debian package name, optionally =version",
         "[a-z0-9][a-z0-9+.-]*[a-z0-9+](=[A-Za-z0-9.+~:-]+)?", "write a package name such as libgl1 or libgl1=1.7.0-1"},
        {"gpu-arch", "a compute capability (8.0), an sm_XX/compute_XX target or a GPU name (h100, \"rtx 4090\")",
         "([0-9]{1,2}\\.[0-9][af]?|(sm|compute)_[0-9]{2,3}[af]?|[A-Za-z][A-Za-z0-9 ._-]{0,40})",
         "write a compute capability such as \"9.0\", a target such as sm_90, or a GPU name such as h100"},
        {"runtime-flavor", "base, runtime or cudnn-runtime", "base|runtime|cudnn-runtime",
         "use base, runtime or cudnn-runtime"},
        {"platform", "linux/amd64 or linux/arm64", "linux/(amd64|arm64)", "use linux/amd64 or linux/arm64"},
        {"context-path", "a relative path inside the profile's folder", "",
         "use a path relative to the profile's folder, without '..'"},
        {"absolute-path", "an absolute path in the image", "/[A-Za-z0-9._/@+-]*", "use an absolute path such as /app"},
        {"shell-command", "one line of shell", "", "split the command into several list items, one line each"},
        {"env-name", "`[A-Za-z_][A-Za-z0-9_]*`", "[A-Za-z_][A-Za-z0-9_]*",
         "use letters, digits and '_' for the variable name"},
        {"user-name", "a user name or a numeric uid", "([a-z_][a-z0-9_-]{0,31}|0|[1-9][0-9]{0,9})",
         "use a name such as app, or a uid"},
        {"registry", "host[:port]/path, lowercase",
         "[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*",
         "write a registry prefix such as ghcr.io/acme or docker.io/nvidia"},
        {"tag-template", "repository[:tag] with {name}, {cuda}, {os}, {framework}, {framework_version}",
         "[a-z0-9{][a-z0-9._/{}-]*(:[A-Za-z0-9_{][A-Za-z0-9_.{}-]{0,127})?", "write a tag such as \"{name}:{cuda}\""},
        {"find-links", "an http(s) URL or a folder inside the profile's folder", "",
         "write a URL such as https://data.pyg.org/whl/torch-2.4.0+cu124.html, or a relative folder such as wheels/"},
        {"url", "an http(s) URL", "https?://[A-Za-z0-9._~:/?#@!$&()*+,=%-]+",
         "write a URL such as https://pypi.example.com/simple"},
        {"syntax-ref", "a frontend image reference", "[a-z0-9][a-z0-9./_-]*(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?",
         "write a reference such as docker/dockerfile:1.7"},
    };
    return table;
}

const Grammar* find_grammar(std::string_view name)
{
    if (name.empty()) {
        return nullptr;
    }
    for (const auto& grammar : grammars()) {
        // Length and first letter first: most rows differ there, without a call to memcmp.
        if (grammar.name.size() == name.size() && grammar.name[0] == name[0] && grammar.name == name) {
            return &grammar;
        }
    }
    return nullptr;
}

bool has_control_characters(std::string_view value)
{
    unsigned found = 0;  // no early exit: the loop stays branch-free
    for (char c : value) {
        auto byte = static_cast<unsigned char>(c);
        found |= static_cast<unsigned>(byte < 0x20) | static_cast<unsigned>(byte == 0x7f);
    }
    return found != 0;
}

// Paths that must stay inside the build context: relative, no '..' step out.
std::optional<GrammarError> check_context_path(std::string_view field, std::string_view value)
{
    if (value.empty() || value.front() == '/') {
        return GrammarError{
            std::string(field) + " '" + std::string(value) + "' must be relative to the profile's folder",
            "use a path relative to the profile's folder, e.g. app/"};
    }
    int depth = 0;
    for (std::size_t start = 0; start <= value.size();) {
        std::size_t slash = value.find('/', start);
        std::string_view step = value.substr(start, slash == std::string_view::npos ? slash : slash - start);
        start = slash == std::string_view::npos ? value.size() + 1 : slash + 1;
        if (step == "..") {
            --depth;
        } else if (!step.empty() && step != ".") {
            ++depth;
        }
        if (depth < 0) {
            return GrammarError{
                std::string(field) + " '" + std::string(value) + "' leaves the profile's folder (the build context)",
                "move the file into the profile's folder and refer to it without '..'"};
        }
    }
    return std::nullopt;
}

bool matches_url(std::string_view value);

// cudagen writes apt-based Dockerfiles: the RHEL family (ubi, rockylinux,
// centos, oraclelinux) would get apt-get and fail at build time.
std::optional<GrammarError> check_os_family(std::string_view field, std::string_view value)
{
    std::string lower = to_lower(value);
    if (starts_with(lower, "ubuntu") || starts_with(lower, "debian")) {
        return std::nullopt;
    }
    return GrammarError{std::string(field) + " '" + std::string(value) +
                            "' is not a Debian-family image: cudagen's Dockerfiles install with apt-get (supported: "
                            "ubuntu20.04, ubuntu22.04, "
                            "ubuntu24.04)",
                        "use an Ubuntu token such as ubuntu24.04 or ubuntu22.04"};
}

std::optional<GrammarError> check_special(std::string_view grammar, std::string_view field, std::string_view value)
{
    if (grammar == "cuda-version" && (value == "latest" || to_lower(value) == "latest")) {
        return GrammarError{
            "cuda 'latest' is not a version: nvidia/cuda has no 'latest' tag (pulling it fails with 'manifest "
            "unknown')",
            "pin a CUDA version such as \"12.4.1\", or omit cuda to let the framework pick it"};
    }
    if (grammar == "context-path") {
        return check_context_path(field, value);
    }
    if (grammar == "find-links") {
        if (starts_with(value, "http://") || starts_with(value, "https://")) {
            return matches_url(value) ? std::nullopt
                                      : std::optional<GrammarError>(GrammarError{
                                            std::string(field) + " '" + std::string(value) + "' is not a URL",
                                            "write a URL such as https://data.pyg.org/whl/torch-2.4.0+cu124.html"});
        }
        return check_context_path(field, value);
    }
    if (grammar == "os-token") {
        return check_os_family(field, value);
    }
    if (grammar == "apt-package" && value.find('=') == std::string_view::npos && value.ends_with("-")) {
        return GrammarError{std::string(field) + " '" + std::string(value) +
                                "' ends with '-', which tells apt-get install to remove the package",
                            "drop the trailing '-'; list only packages to install"};
    }
    if (grammar == "user-name" && value.size() > 1 && value.find_first_not_of('0') == std::string_view::npos) {
        return GrammarError{std::string(field) + " '" + std::string(value) + "' is uid 0, root",
                            "write root (or 0) if the container must run as root, else a user name such as app"};
    }
    if (grammar == "user-name" && value.size() > 1 && value.front() == '0' &&
        value.find_first_not_of("0123456789") == std::string_view::npos) {
        return GrammarError{std::string(field) + " '" + std::string(value) + "' is a uid with leading zeros",
                            "write the uid without leading zeros"};
    }
    return std::nullopt;
}

// The words of a pattern that is a plain alternation ("pytorch|tensorflow|jax"),
// so a misspelt value gets "did you mean".
std::vector<std::string> enum_choices(std::string_view pattern)
{
    if (pattern.find_first_of("[](){}*+?\\.") != std::string_view::npos) {
        return {};
    }
    return split(pattern, '|');
}

// enum_choices of every grammar, in the table's order, split once.
const std::vector<std::vector<std::string>>& grammar_words()
{
    static const std::vector<std::vector<std::string>> k_words = [] {
        std::vector<std::vector<std::string>> words;
        for (const auto& grammar : grammars()) {
            words.push_back(enum_choices(grammar.pattern));
        }
        return words;
    }();
    return k_words;
}

bool accepts(const Grammar& grammar, std::string_view value)
{
    const std::vector<std::string>& words = grammar_words()[&grammar - grammars().data()];
    if (!words.empty()) {
        return std::find(words.begin(), words.end(), value) != words.end();
    }
    return grammar_matches(grammar.name, value).value_or(false);
}

bool matches_url(std::string_view value)
{
    return grammar_matches("url", value).value_or(false);
}

}  // namespace

bool grammar_accepts(std::string_view grammar, std::string_view value)
{
    const Grammar* found = find_grammar(grammar);
    return found && !found->pattern.empty() && accepts(*found, value);
}

std::vector<std::string_view> grammar_names()
{
    std::vector<std::string_view> names;
    for (const auto& grammar : grammars()) {
        names.push_back(grammar.name);
    }
    return names;
}

std::string_view grammar_pattern(std::string_view grammar)
{
    const Grammar* found = find_grammar(grammar);
    return found ? found->pattern : std::string_view{};
}

std::vector<std::string> grammar_choices(std::string_view grammar)
{
    std::string_view pattern = grammar_pattern(grammar);
    return pattern.empty() ? std::vector<std::string>{} : enum_choices(pattern);
}

std::string_view grammar_summary(std::string_view grammar)
{
    const Grammar* found = find_grammar(grammar);
    return found ? found->summary : std::string_view{};
}

std::optional<GrammarError> check_grammar(std::string_view grammar, std::string_view field, std::string_view value)
{
    const Grammar* found = find_grammar(grammar);
    if (!found) {
        return std::nullopt;
    }
    if (has_control_characters(value)) {
        return GrammarError{std::string(field) + " contains a newline or another control character",
                            std::string(found->fix)};
    }
    if (auto special = check_special(grammar, field, value)) {
        return special;
    }
    if (found->pattern.empty()) {
        return std::nullopt;
    }
    if (!accepts(*found, value)) {
        std::string shown = value.size() > 60 ? std::string(value.substr(0, 60)) + "..." : std::string(value);
        std::vector<std::string> choices = enum_choices(found->pattern);
        std::string suggestion = choices.empty() ? "" : did_you_mean(value, choices);
        return GrammarError{std::string(field) + " '" + shown + "' is not " + std::string(found->summary) + suggestion,
                            std::string(found->fix)};
    }
    return std::nullopt;
}

}  // namespace cudagen
