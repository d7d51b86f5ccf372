// conda/* and the conda half of framework/*: the profile's conda environment
// file (as the dependency reader read it) and reports at its lines.
// - cudatoolkit next to pytorch >= 1.13 from the pytorch channel: that channel's
//   CUDA builds depend on pytorch-cuda (from the nvidia channel); with cudatoolkit
//   the solver settles on a CPU-only pytorch (the failure in the seed article).
// - companions pinned in the env must match the framework release.
// - companions pinned in the conda dependencies may follow the pytorch channel's
//   own pairing where it differs from pip (user_pins.yaml pytorch_channel).
// The environment's CUDA, Python and channel builds: check_env_pins.cpp.
#include "check/check_context.hpp"

#include <filesystem>

namespace cudagen::checks {

namespace {

struct EnvEntry {
    Requirement spec;
    std::string text;
    SourceLocation where;
    bool pip = false;
};

struct CondaEnv {
    std::string file;  // as shown in diagnostics
    std::vector<std::string> channels;
    std::vector<EnvEntry> entries;
};

// The environment as the dependency reader read it (raw.dependencies): no second parse.
std::optional<CondaEnv> load_env(const CheckContext& context)
{
    const auto& path = context.raw.conda_environment;
    const auto& conda = context.raw.dependencies.conda;
    if (!path.present || !conda) {
        return std::nullopt;  // validation reports missing and unreadable files
    }
    CondaEnv env;
    env.file = (std::filesystem::path(context.raw.file).parent_path() / path.value).string();
    for (const auto& channel : conda->channels) {
        env.channels.push_back(channel.value);
    }
    for (const auto& item : conda->written) {
        Requirement spec = item.pip ? parse_pip_requirement(item.text) : parse_conda_spec(item.text);
        env.entries.push_back({spec, item.text, {env.file, item.where.line, item.where.column}, item.pip});
    }
    return env;
}

const EnvEntry* find_entry(const CondaEnv& env, std::string_view name)
{
    for (const auto& entry : env.entries) {
        if (!entry.pip && entry.spec.name == name) {
            return &entry;
        }
    }
    return nullptr;
}

bool has_channel(const CondaEnv& env, std::string_view channel)
{
    return std::find(env.channels.begin(), env.channels.end(), channel) != env.channels.end();
}

void check_cudatoolkit(const CheckContext& context, const CondaEnv& env)
{
    const EnvEntry* toolkit = find_entry(env, "cudatoolkit");
    const EnvEntry* pytorch = find_entry(env, "pytorch");
    bool from_channel = has_channel(env, "pytorch") || (pytorch && pytorch->text.starts_with("pytorch::"));
    std::string ours = pinned_version(context, "pytorch");  // "" unless the framework is pytorch
    if (!toolkit || !from_channel || (!pytorch && (ours.empty() || !context.rows))) {
        return;
    }
    std::string version = pytorch && !pytorch->spec.version.empty() ? pytorch->spec.version : ours;
    auto parsed = Version::parse(version);
    if (parsed && *parsed < Version({1, 13})) {
        return;
    }
    std::string cuda = toolkit->spec.version.empty() ? context.cuda.major_minor().str() : toolkit->spec.version;
    context.report("conda/cudatoolkit-with-pytorch-channel",
                   toolkit->text + " with pytorch " + (version.empty() ? "(unpinned)" : version) +
                       " from the pytorch channel: since 1.13 its CUDA builds need pytorch-cuda, so the solver picks a "
                       "CPU-only pytorch",
                   toolkit->where,
                   "replace " + toolkit->text + " with pytorch-cuda=" + cuda + " and add the nvidia channel");
}

// The companion the pytorch conda channel pairs with the framework release, where it
// differs from pip's pairing (torch 2.0.0: torchvision 0.15.0 there, 0.15.1 on pip).
std::string channel_pairing(const CheckContext& context, const std::string& package)
{
    const auto& framework = context.resolved.framework;
    bool pytorch = framework && !pinned_version(context, "pytorch").empty();  // the channel's pytorch package
    auto version = pytorch ? std::optional<Version>(framework->pinned) : std::nullopt;
    const CondaTorchBuilds* builds = version ? context.tables.user_pins.pytorch_channel_builds(*version) : nullptr;
    if (!builds) {
        return {};
    }
    return package == "torchvision" ? builds->torchvision : package == "torchaudio" ? builds->torchaudio : "";
}

void check_env_pins(const CheckContext& context, const CondaEnv& env)
{
    for (const auto& entry : env.entries) {
        std::string pinned = pinned_version(context, entry.spec.name);
        if (pinned.empty() || entry.spec.version.empty() ||
            pin_agrees(entry.spec.op, entry.spec.version, pinned, entry.spec.name)) {
            continue;
        }
        std::string conda_pairing = entry.pip ? "" : channel_pairing(context, entry.spec.name);
        if (!conda_pairing.empty() && pin_agrees(entry.spec.op, entry.spec.version, conda_pairing, entry.spec.name)) {
            continue;
        }
        context.report("framework/companion-mismatch",
                       entry.text + " in " + env.file + " conflicts with " + context.framework_label() +
                           ", which pairs with " + entry.spec.name + " " + pinned,
                       entry.where, "pin " + entry.spec.name + "=" + pinned + " or remove the pin");
    }
}

}  // namespace

void check_conda(const CheckContext& context)
{
    auto env = load_env(context);
    if (!env) {
        return;
    }
    check_cudatoolkit(context, *env);
    check_env_pins(context, *env);
}

}  // namespace cudagen::checks
