#include "render/contexts.hpp"

#include "core/embedded.hpp"
#include "core/text.hpp"
#include "frameworks/framework.hpp"
#include "render/build_cache.hpp"
#include "render/install_contexts.hpp"

#include <algorithm>

namespace cudagen {

using json = nlohmann::json;

namespace {

// Packages every image needs for cudagen's own steps.
const std::vector<std::string> k_devel_base_packages = {"ca-certificates"};

TemplateValue apt_block(const std::vector<std::string>& packages, TemplateArena& arena)
{
    if (packages.empty()) {
        return TemplateValue::boolean(false);
    }
    return arena.object(1).set("packages", packages).value();
}

bool names_git(const std::string& command)
{
    for (std::size_t at = command.find("git"); at != std::string::npos; at = command.find("git", at + 1)) {
        bool starts = at == 0 || std::string_view(" \t\n;&|(`/").find(command[at - 1]) != std::string_view::npos;
        bool ends =
            at + 3 == command.size() || std::string_view(" \t\n;&|)`").find(command[at + 3]) != std::string_view::npos;
        if (starts && ends) {
            return true;
        }
    }
    return false;
}

// git (5 packages, 9.8 MB on Debian 12: nearly half of what cmake brings) only
// for build steps that run it; a build that clones without saying so (CMake's
// FetchContent) lists git in apt_build.
bool build_steps_run_git(const ResolvedProfile& p)
{
    for (const auto& command : p.build_run) {
        if (names_git(command)) {
            return true;
        }
    }
    for (const auto& step : p.build_steps) {
        if (!step.copy && names_git(step.run)) {
            return true;
        }
    }
    return false;
}

// The devel images carry gcc, g++ and make (nvcc needs them); cudagen adds the
// Python headers for whatever compiles against Python, and git for VCS
// requirements, projects and build steps that run git.
std::vector<std::string> devel_packages(const ResolvedProfile& p)
{
    std::vector<std::string> packages = k_devel_base_packages;
    if (p.python.source == "system") {
        packages.insert(packages.end(), {"python3", "python3-venv", "python3-dev"});
    }
    if (p.deps.needs_git || build_steps_run_git(p) || !p.project.path.empty()) {
        packages.push_back("git");
    }
    if (p.python.source == "micromamba") {
        packages.push_back("curl");
    }
    packages.insert(packages.end(), p.apt_build.begin(), p.apt_build.end());
    packages.insert(packages.end(), p.apt.begin(), p.apt.end());
    return packages;
}

std::vector<std::string> runtime_packages(const ResolvedProfile& p)
{
    std::vector<std::string> packages;
    if (p.runtime_flavor == "os") {
        packages.push_back("ca-certificates");  // nvidia/cuda's base has them; the plain OS image does not
    }
    if (p.python.source == "system") {
        packages.push_back("python3");
    }
    packages.insert(packages.end(), p.apt.begin(), p.apt.end());
    return packages;
}

TemplateValue copies(const std::vector<ResolvedCopy>& list, TemplateArena& arena, const std::string& chown = "")
{
    TemplateListBuilder out = arena.list(list.size());
    for (const auto& copy : list) {
        TemplateObject item = arena.object(3).set("src", copy.src).set("dst", copy.dst);
        if (chown.empty()) {
            item.set("chown", false);
        } else {
            item.set("chown", chown);
        }
        out.push(item);
    }
    return out.value();
}

// ["a","b"], as the JSON library writes it (which also handles text that is not ASCII).
std::string exec_form(const std::vector<std::string>& argv)
{
    if (argv.empty()) {
        return "";
    }
    std::string out = "[";
    for (const auto& arg : argv) {
        for (char c : arg) {
            if (static_cast<unsigned char>(c) >= 0x80) {
                return json(argv).dump();
            }
        }
        if (out.size() > 1) {
            out += ',';
        }
        append_json_string(arg, out);
    }
    return out + "]";
}

// std::filesystem's generic form: the same text unless a separator repeats.
std::string generic_form(const std::string& file)
{
    return file.find("//") == std::string::npos ? file : std::filesystem::path(file).generic_string();
}

// The lines of a build-time base64 file (prepare_embedded base64).
std::vector<std::string> text_lines(std::string_view text)
{
    std::vector<std::string> lines;
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        lines.emplace_back(text.substr(0, end));
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    }
    return lines;
}

}  // namespace

// The sample's digest and encoding were made at build time (generator/CMakeLists.txt).
std::optional<TemplateContext> verify_files_context(Diagnostics& diagnostics)
{
    json files = json::array();
    for (std::string_view name : {"verify.cu", "framework_check.py"}) {
        std::string path = "samples/verify/" + std::string(name);
        std::optional<std::string_view> sha256 = embedded_file(path + ".sha256");
        std::optional<std::string_view> encoded = embedded_file(path + ".gz.b64");
        if (!sha256 || !encoded) {
            diagnostics.error("internal/missing-sample", "this cudagen was built without " + path, {},
                              "rebuild cudagen from a complete source tree, or set verify: false in the profile");
            return std::nullopt;
        }
        files.push_back({{"name", name}, {"sha256", *sha256}, {"base64_lines", text_lines(*encoded)}});
    }
    return json{{"verify_files", files}};
}

namespace {

std::string arch_summary(const ResolvedProfile& p)
{
    std::vector<std::string> archs;
    for (const auto& arch : p.gpu_archs.value) {
        archs.push_back("sm_" + arch.sm());
    }
    std::string text = archs.empty() ? "none" : join(archs, ", ");
    return text + (p.ptx ? " + PTX for the newest" : ", no PTX");
}

TemplateValue framework_data(const ResolvedProfile& p, TemplateArena& arena)
{
    if (!p.framework) {
        return TemplateValue::boolean(false);
    }
    const ResolvedFramework& f = *p.framework;
    return arena.object(4)
        .set("name", f.name)
        .set("version", f.version.value)
        .set("cuda_variant", f.cuda_variant.value)
        .set("index_url", f.index_url.value)
        .value();
}

// The comment above the framework's pip install: why this source cannot give a wrong build.
std::string wheel_source_note(const ResolvedFramework& f)
{
    if (!f.index_url.value.empty()) {
        return "The " + f.cuda_variant.value +
               " build from its own index: pip cannot fall back to another CUDA variant or a CPU-only wheel.";
    }
    return f.unit->pypi_install_note(f);
}

// The framework comes as wheels in a step of its own (not in a conda environment's solve).
bool installs_framework_wheels(const ResolvedProfile& p)
{
    return p.framework && p.framework->channel != "conda" && !p.framework->requirements.empty();
}

// Whether the devel stage splits after the framework install: the runtime stage then
// takes the framework's layer from the first part and adds only what the steps after
// it change (templates/env_delta.tmpl), so a changed dependency list does not copy
// the framework again. Without steps after the framework there is nothing to split.
bool splits_framework_env(const ResolvedProfile& p)
{
    bool later_steps = !p.pip_requirements.empty() || !p.pip_packages.empty() || !p.deps.local_projects.empty() ||
                       !p.project.path.empty() || !p.build_copy.empty() || !p.build_run.empty() ||
                       !p.build_steps.empty();
    return p.python.needed && installs_framework_wheels(p) && later_steps;
}

TemplateValue framework_install(const ResolvedProfile& p, TemplateArena& arena)
{
    if (!installs_framework_wheels(p)) {
        return TemplateValue::boolean(false);
    }
    const ResolvedFramework& f = *p.framework;
    return arena.object(5)
        .set("index_url", f.index_url.value)
        .set("requirements", f.requirements)
        .set("note", wheel_source_note(f))
        .set("install", framework_install_command(p))
        .set("cache", install_cache(p))
        .value();
}

// The conda block; add_install_blocks adds its environment_* keys.
std::optional<TemplateObject> conda_data(const ResolvedProfile& p, TemplateArena& arena)
{
    if (p.python.source != "micromamba") {
        return std::nullopt;
    }
    auto sha = [&](const std::string& arch) {
        auto found = p.conda.micromamba_sha256.find(arch);
        return found == p.conda.micromamba_sha256.end() ? std::string_view("unknown") : std::string_view(found->second);
    };
    TemplateObject conda = arena.object(10);
    conda.set("micromamba_version", p.conda.micromamba_version)
        .set("sha256_amd64", sha("amd64"))
        .set("sha256_arm64", sha("arm64"))
        .set("cuda_override", p.conda.cuda_override)
        .set("environment_file", p.conda.environment_file)
        .set("env_prefix", p.python.env_prefix)
        .set("python_version", p.python.version.value);
    return conda;
}

bool is_numeric(const std::string& text)
{
    return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

constexpr std::string_view k_created_uid = "10001";

// USER and --chown by number: Kubernetes runAsNonRoot can verify a uid, not a
// name. A user cudagen creates gets uid 10001 and a group of the same number.
std::string user_spec(const ResolvedProfile& p)
{
    const std::string& user = p.user.value;
    if (user == "root") {
        return user;
    }
    std::string uid = is_numeric(user) ? user : std::string(k_created_uid);
    return uid + ":" + uid;
}

// WORKDIR before the app's COPY, so that the rebuild after an app change runs the
// COPY alone (WORKDIR is a step of its own; after the COPY it ran again on every
// app change). Only where that changes nothing: the working directory is where
// the app is copied to, a folder right under / that the COPY --chown would have
// created owned by the user (so the user's RUN creates it with that owner), and
// no runtime RUN step comes after the COPY (those run in / today).
bool workdir_first(const ResolvedProfile& p, bool create_user)
{
    const std::string& dir = p.workdir.value;
    bool top_level = dir.size() > 1 && dir.front() == '/' && dir.find('/', 1) == std::string::npos;
    bool copied_there = std::any_of(p.app_copy.begin(), p.app_copy.end(), [&](const ResolvedCopy& copy) {
        std::string dst = copy.dst;
        drop_trailing_slashes(dst);
        return dst == dir;
    });
    return create_user && top_level && copied_there && p.runtime_run.empty();
}

// Build commands with no COPY between them run in one RUN (one container and one
// layer instead of one each: 0.2-0.7 s for configure + build), each in a
// subshell of its own so that it sees the same shell state as in a RUN of its
// own (no cd or export leaks into the next); the first that fails stops the RUN.
std::string one_run(const std::vector<std::string>& commands)
{
    if (commands.size() == 1) {
        return commands.front();
    }
    std::vector<std::string> parts;
    parts.reserve(commands.size());
    for (const auto& command : commands) {
        parts.push_back("(\n" + command + "\n)");
    }
    return join(parts, " && ");
}

std::vector<std::string> destinations(const std::vector<ResolvedCopy>& copies)
{
    std::vector<std::string> out;
    out.reserve(copies.size());
    for (const auto& copy : copies) {
        out.push_back(copy.dst);
    }
    return out;
}

// Walks build.steps in order: on_copy(copy) for each COPY, on_run(commands) for
// the commands between two COPYs (or after the last), which make one RUN.
template <class OnCopy, class OnRun>
void walk_build_steps(const ResolvedProfile& p, const OnCopy& on_copy, const OnRun& on_run)
{
    std::vector<std::string> pending;
    for (const auto& step : p.build_steps) {
        if (!step.copy) {
            pending.push_back(step.run);
            continue;
        }
        if (!pending.empty()) {
            on_run(pending);
            pending.clear();
        }
        on_copy(*step.copy);
    }
    if (!pending.empty()) {
        on_run(pending);
    }
}

// The build's RUNs in order, each with the COPY destinations before it: either
// the profile's build.copy and build.run (one RUN after all the copies) or its
// build.steps.
std::vector<BuildRun> build_runs(const ResolvedProfile& p)
{
    std::vector<BuildRun> runs;
    if (!p.build_run.empty()) {
        runs.push_back({one_run(p.build_run), destinations(p.build_copy)});
    }
    std::vector<std::string> sources;
    walk_build_steps(
        p, [&](const ResolvedCopy& copy) { sources.push_back(copy.dst); },
        [&](const std::vector<std::string>& commands) {
            runs.push_back({one_run(commands), sources});
        });
    return runs;
}

TemplateObject run_object(const BuildRun& run, const std::optional<CachedRun>& cached, TemplateArena& arena)
{
    TemplateObject out = arena.object(3).set("copy", false);
    if (cached) {
        return out.set("run", cached->run).set("cache_id", cached->cache_id);
    }
    return out.set("run", run.commands).set("cache_id", false);
}

// The build's COPYs and RUNs in order, and whether a RUN keeps its CMake
// folder in a cache mount (render/build_cache.hpp).
void add_build_steps(const ResolvedProfile& p, TemplateObject& c)
{
    TemplateArena& arena = c.arena();
    std::vector<BuildRun> runs = build_runs(p);
    std::vector<std::optional<CachedRun>> cached = cached_runs(p, runs);
    c.set("build_cache", std::any_of(cached.begin(), cached.end(), [](const auto& run) { return run.has_value(); }));
    c.set("build_copy", copies(p.build_copy, arena));
    TemplateListBuilder legacy = arena.list(1);
    std::size_t next = 0;
    if (!p.build_run.empty()) {
        legacy.push(run_object(runs[0], cached[0], arena));
        next = 1;
    }
    c.set("build_run", legacy.value());
    TemplateListBuilder steps = arena.list(p.build_steps.size());
    walk_build_steps(
        p,
        [&](const ResolvedCopy& copy) {
            steps.push(arena.object(3)
                           .set("copy", arena.object(2).set("src", copy.src).set("dst", copy.dst))
                           .set("run", false)
                           .set("cache_id", false));
        },
        [&](const std::vector<std::string>& /*commands: in runs[next]*/) {
            steps.push(run_object(runs[next], cached[next], arena));
            ++next;
        });
    c.set("build_steps", steps.value());
}

// "/opt/tool/bin:/opt/venv/bin:$PATH": the profile's folders first.
TemplateValue search_path(const std::vector<std::string>& folders, const std::string& variable, bool may_be_unset,
                          TemplateArena& arena)
{
    if (folders.empty()) {
        return TemplateValue::boolean(false);
    }
    std::string tail = may_be_unset ? "${" + variable + ":+:${" + variable + "}}" : ":$" + variable;
    return TemplateValue::string(arena.text(join(folders, ":") + tail));
}

void add_arch_block(const ResolvedProfile& p, TemplateObject& c)
{
    c.set("torch_arch_list", p.torch_cuda_arch_list);
    c.set("cmake_archs", p.cmake_cuda_architectures);
}

// The profile as named in the Dockerfile and its labels: as typed when that is
// a path below the working folder, else only its file name (an absolute path or
// one with '..' would show the build host's folders in the image).
std::string profile_label(const std::string& file)
{
    bool may_climb =
        file == ".." || file.starts_with("../") || file.ends_with("/..") || file.find("/../") != std::string::npos;
    if (!file.starts_with('/') && !may_climb) {
        return generic_form(file);  // most profiles: a relative path that stays below the working folder
    }
    std::filesystem::path path(file);
    bool climbs = false;
    for (const auto& part : path) {
        climbs = climbs || part == "..";
    }
    if (path.is_absolute() || climbs) {
        return path.filename().generic_string();
    }
    return path.generic_string();
}

std::string base_note(const ResolvedProfile& p)
{
    return "devel " + p.devel_image.value + ", runtime " +
           (p.runtime_flavor == "os" ? "plain OS " + p.runtime_image.value : "flavor " + p.runtime_flavor);
}

TemplateValue env_data(const ResolvedProfile& p, TemplateArena& arena)
{
    TemplateListBuilder env = arena.list(p.env.size());
    for (const auto& [name, value] : p.env) {
        env.push(arena.object(2).set("name", name).set("value", value));
    }
    return env.value();
}

TemplateValue numbers(const std::vector<int>& values, TemplateArena& arena)
{
    TemplateListBuilder list = arena.list(values.size());
    for (int value : values) {
        list.push(TemplateValue::integer(value));
    }
    return list.value();
}

// What the header, the base images and the framework's install need.
void add_images_and_framework(const ResolvedProfile& p, TemplateObject& c)
{
    TemplateArena& arena = c.arena();
    c.set("cudagen_version", CUDAGEN_VERSION);
    c.set("dockerfile_syntax", p.dockerfile_syntax.empty() ? TemplateValue::boolean(false)
                                                           : TemplateValue::string(arena.text(p.dockerfile_syntax)));
    c.set("profile_file", profile_label(p.profile_file));
    c.set("name", p.name);
    c.set("cuda", p.cuda.value);
    c.set("os", p.os.value);
    c.set("cudnn", p.cudnn.value);
    c.set("base_note", base_note(p));
    c.set("devel_image", p.devel_image.value);
    c.set("runtime_image", p.runtime_image.value);
    c.set("framework", framework_data(p, arena));
    c.set("framework_install", framework_install(p, arena));
    c.set("arch_summary", arch_summary(p));
    add_arch_block(p, c);
    c.set("needs_targetarch", p.python.source == "micromamba");
    c.set("devel_apt", apt_block(devel_packages(p), arena));
    c.set("runtime_apt", apt_block(runtime_packages(p), arena));
    c.set("plain_os_runtime", p.nvidia_require_cuda.empty()
                                  ? TemplateValue::boolean(false)
                                  : arena.object(1).set("require_cuda", p.nvidia_require_cuda).value());
}

// The runtime stage: its user, copies, search paths, environment and command.
void add_runtime_stage(const ResolvedProfile& p, TemplateObject& c)
{
    TemplateArena& arena = c.arena();
    bool root = p.user.value == "root" || p.user.value == "0";
    bool create_user = !root && !is_numeric(p.user.value);
    c.set("create_user", create_user);
    c.set("user", p.user.value);
    c.set("uid", k_created_uid);
    c.set("user_spec", user_spec(p));
    c.set("app_copy", copies(p.app_copy, arena, root ? "" : user_spec(p)));
    c.set("workdir_first", workdir_first(p, create_user));
    std::vector<std::string> path = p.path_prepend;
    if (p.python.needed) {
        path.push_back(p.python.env_prefix + "/bin");
    }
    c.set("path_value", search_path(path, "PATH", false, arena));
    c.set("library_path_value", search_path(p.library_path_prepend, "LD_LIBRARY_PATH", true, arena));
    c.set("runtime_run", p.runtime_run);
    c.set("env", env_data(p, arena));
    c.set("workdir", p.workdir.value);
    c.set("expose", numbers(p.expose, arena));
    c.set("entrypoint_json", exec_form(p.entrypoint));
    c.set("cmd_json", exec_form(p.cmd));
}

}  // namespace

TemplateValue dockerfile_data(const ResolvedProfile& p, TemplateArena& arena)
{
    TemplateObject c = arena.object(64);
    add_images_and_framework(p, c);
    c.set("env_prefix", p.python.env_prefix);
    c.set("python_system", p.python.source == "system");
    c.set("python_env", p.python.needed);
    c.set("env_delta", splits_framework_env(p));
    std::optional<TemplateObject> conda = conda_data(p, arena);
    c.set("conda", conda ? conda->value() : TemplateValue::boolean(false));
    add_install_blocks(p, c, conda ? &*conda : nullptr);
    c.set("pip_secret", p.pip_secret);
    // Declared before the first pip install, so that a mirror can also come as a build arg.
    c.set("pip_index_arg", p.python.needed ? arena.object(1).set("index_url", p.pip_index_url.value).value()
                                           : TemplateValue::boolean(false));
    c.set("verify", p.verify);
    c.set("verify_gencode", p.nvcc_gencode);
    c.set("verify_framework", p.framework ? std::string_view(p.framework->name) : std::string_view("none"));
    add_build_steps(p, c);
    c.set("artifacts", copies(p.artifacts, arena));
    add_runtime_stage(p, c);
    return c.value();
}

BakeEntry bake_entry(const BakeTarget& target)
{
    const ResolvedProfile& p = *target.profile;
    BakeEntry entry;
    entry.name = p.name;
    entry.context = target.context;
    entry.dockerfile = target.dockerfile;
    entry.platforms = p.platforms.value;
    entry.tags = p.image_tags;
    if (!p.image_registry.empty()) {
        std::string ref = p.image_registry + "/" + p.name + ":buildcache";
        entry.cache_from = "type=registry,ref=" + ref;
        entry.cache_to = "type=registry,ref=" + ref + ",mode=max";
    } else {
        entry.cache_from = "type=local,src=.buildcache/" + p.name;
        entry.cache_to = "type=local,dest=.buildcache/" + p.name + ",mode=max";
    }
    entry.profile = generic_form(p.profile_file);
    entry.cuda = p.cuda.value;
    entry.netrc_secret = p.pip_secret;
    return entry;
}

TemplateValue bake_target_data(const BakeEntry& entry, TemplateArena& arena)
{
    return arena.object(10)
        .set("name", entry.name)
        .set("context", entry.context)
        .set("dockerfile", entry.dockerfile)
        .set("platforms", entry.platforms)
        .set("tags", entry.tags)
        .set("cache_from", arena.list(1).push(entry.cache_from).value())
        .set("cache_to", arena.list(1).push(entry.cache_to).value())
        .set("profile", entry.profile)
        .set("cuda", entry.cuda)
        .set("netrc_secret", entry.netrc_secret)
        .value();
}

TemplateValue bake_data(const std::vector<RenderedBakeTarget>& entries, const std::filesystem::path& output_dir,
                        TemplateArena& arena)
{
    TemplateListBuilder targets = arena.list(entries.size());
    std::vector<std::string> files;
    files.reserve(entries.size());
    bool netrc = false;
    for (const auto& entry : entries) {
        targets.push(arena.object(1).set("name", entry.name).value());
        files.push_back(entry.profile);
        netrc = netrc || entry.netrc_secret;
    }
    // cd first: bake resolves the relative contexts from the working directory.
    return arena.object(5)
        .set("cudagen_version", CUDAGEN_VERSION)
        .set("targets", targets.value())
        .set("netrc_variable", netrc)
        .set("profiles_hint", join(files, " "))
        .set("build_command", "cd " + escape_shell_word(output_dir.generic_string()) +
                                  " && docker buildx bake --load --set '*.cache-to='")
        .value();
}

}  // namespace cudagen
