#include "render/contexts.hpp"

#include "core/embedded.hpp"
#include "core/text.hpp"
#include "frameworks/framework.hpp"
#include "render/install_contexts.hpp"

namespace cudagen {

using json = nlohmann::json;

namespace {

// Packages every image needs for cudagen's own steps.
const std::vector<std::string> k_devel_base_packages = {"ca-certificates"};

json apt_block(std::vector<std::string> packages)
{
    if (packages.empty()) {
        return false;
    }
    return json{{"packages", packages}};
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

json copies(const std::vector<ResolvedCopy>& list, const std::string& chown = "")
{
    json out = json::array();
    for (const auto& copy : list) {
        json item = {{"src", copy.src}, {"dst", copy.dst}};
        item["chown"] = chown.empty() ? json(false) : json(chown);
        out.push_back(item);
    }
    return out;
}

std::string exec_form(const std::vector<std::string>& argv)
{
    return argv.empty() ? "" : json(argv).dump();
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

json framework_json(const ResolvedProfile& p)
{
    if (!p.framework) {
        return false;
    }
    const ResolvedFramework& f = *p.framework;
    return {{"name", f.name},
            {"version", f.version.value},
            {"cuda_variant", f.cuda_variant.value},
            {"index_url", f.index_url.value}};
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

json framework_install(const ResolvedProfile& p)
{
    if (!p.framework || p.framework->channel == "conda" || p.framework->requirements.empty()) {
        return false;
    }
    const ResolvedFramework& f = *p.framework;
    return {{"index_url", f.index_url.value}, {"requirements", f.requirements}, {"note", wheel_source_note(f)}};
}

json conda_json(const ResolvedProfile& p)
{
    if (p.python.source != "micromamba") {
        return false;
    }
    auto sha = [&](const std::string& arch) {
        auto found = p.conda.micromamba_sha256.find(arch);
        return found == p.conda.micromamba_sha256.end() ? std::string("unknown") : found->second;
    };
    return {{"micromamba_version", p.conda.micromamba_version},
            {"sha256_amd64", sha("amd64")},
            {"sha256_arm64", sha("arm64")},
            {"cuda_override", p.conda.cuda_override},
            {"environment_file", p.conda.environment_file},
            {"env_prefix", p.python.env_prefix},
            {"python_version", p.python.version.value}};
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
        while (dst.size() > 1 && dst.back() == '/') {
            dst.pop_back();
        }
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

json merged_runs(const std::vector<std::string>& commands)
{
    return commands.empty() ? json::array() : json::array({one_run(commands)});
}

json build_steps(const ResolvedProfile& p)
{
    json out = json::array();
    std::vector<std::string> pending;
    auto flush = [&] {
        if (!pending.empty()) {
            out.push_back({{"copy", false}, {"run", one_run(pending)}});
            pending.clear();
        }
    };
    for (const auto& step : p.build_steps) {
        if (!step.copy) {
            pending.push_back(step.run);
            continue;
        }
        flush();
        out.push_back({{"copy", json{{"src", step.copy->src}, {"dst", step.copy->dst}}}, {"run", false}});
    }
    flush();
    return out;
}

// "/opt/tool/bin:/opt/venv/bin:$PATH": the profile's folders first.
json search_path(const std::vector<std::string>& folders, const std::string& variable, bool may_be_unset)
{
    if (folders.empty()) {
        return false;
    }
    std::string tail = may_be_unset ? "${" + variable + ":+:${" + variable + "}}" : ":$" + variable;
    return join(folders, ":") + tail;
}

void add_arch_block(const ResolvedProfile& p, json& c)
{
    c["torch_arch_list"] = p.torch_cuda_arch_list;
    c["cmake_archs"] = p.cmake_cuda_architectures;
    c["cmake_toolchain_line"] = "set(CMAKE_CUDA_ARCHITECTURES \"" + p.cmake_cuda_architectures +
                                "\" CACHE STRING \"GPU targets of the cudagen profile\")";
}

}  // namespace

// The profile as named in the Dockerfile and its labels: as typed when that is
// a path below the working folder, else only its file name (an absolute path or
// one with '..' would show the build host's folders in the image).
static std::string profile_label(const std::string& file)
{
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

std::optional<TemplateContext> dockerfile_context(const ResolvedProfile& p, Diagnostics& /*diagnostics*/)
{
    json c;
    c["cudagen_version"] = CUDAGEN_VERSION;
    c["dockerfile_syntax"] = p.dockerfile_syntax.empty() ? json(false) : json(p.dockerfile_syntax);
    c["profile_file"] = profile_label(p.profile_file);
    c["name"] = p.name;
    c["cuda"] = p.cuda.value;
    c["os"] = p.os.value;
    c["cudnn"] = p.cudnn.value;
    c["base_note"] = "devel " + p.devel_image.value + ", runtime " +
                     (p.runtime_flavor == "os" ? "plain OS " + p.runtime_image.value : "flavor " + p.runtime_flavor);
    c["devel_image"] = p.devel_image.value;
    c["runtime_image"] = p.runtime_image.value;
    c["framework"] = framework_json(p);
    c["framework_install"] = framework_install(p);
    c["arch_summary"] = arch_summary(p);
    add_arch_block(p, c);
    c["needs_targetarch"] = p.python.source == "micromamba";
    c["devel_apt"] = apt_block(devel_packages(p));
    c["runtime_apt"] = apt_block(runtime_packages(p));
    c["plain_os_runtime"] = p.nvidia_require_cuda.empty() ? json(false) : json{{"require_cuda", p.nvidia_require_cuda}};
    c["env_prefix"] = p.python.env_prefix;
    c["python_system"] = p.python.source == "system";
    c["python_env"] = p.python.needed;
    c["conda"] = conda_json(p);
    add_install_blocks(p, c);
    c["pip_secret"] = p.pip_secret;
    // Declared before the first pip install, so that a mirror can also come as a build arg.
    c["pip_index_arg"] = p.python.needed ? json{{"index_url", p.pip_index_url.value}} : json(false);
    c["verify"] = p.verify;
    c["verify_gencode"] = p.nvcc_gencode;
    c["verify_framework"] = p.framework ? p.framework->name : "none";
    c["build_copy"] = copies(p.build_copy);
    c["build_run"] = merged_runs(p.build_run);
    c["build_steps"] = build_steps(p);
    c["artifacts"] = copies(p.artifacts);
    bool root = p.user.value == "root" || p.user.value == "0";
    c["create_user"] = !root && !is_numeric(p.user.value);
    c["user"] = p.user.value;
    c["uid"] = std::string(k_created_uid);
    c["user_spec"] = user_spec(p);
    c["app_copy"] = copies(p.app_copy, root ? "" : user_spec(p));
    c["workdir_first"] = workdir_first(p, c["create_user"].get<bool>());
    std::vector<std::string> path = p.path_prepend;
    if (p.python.needed) {
        path.push_back(p.python.env_prefix + "/bin");
    }
    c["path_value"] = search_path(path, "PATH", false);
    c["library_path_value"] = search_path(p.library_path_prepend, "LD_LIBRARY_PATH", true);
    c["runtime_run"] = p.runtime_run;
    json env = json::array();
    for (const auto& [name, value] : p.env) {
        env.push_back({{"name", name}, {"value", value}});
    }
    c["env"] = env;
    c["workdir"] = p.workdir.value;
    c["expose"] = p.expose;
    c["entrypoint_json"] = exec_form(p.entrypoint);
    c["cmd_json"] = exec_form(p.cmd);
    return c;
}

json bake_target(const BakeTarget& target)
{
    const ResolvedProfile& p = *target.profile;
    std::string file = std::filesystem::path(p.profile_file).generic_string();
    std::vector<std::string> cache_from;
    std::vector<std::string> cache_to;
    if (!p.image_registry.empty()) {
        std::string ref = p.image_registry + "/" + p.name + ":buildcache";
        cache_from.push_back("type=registry,ref=" + ref);
        cache_to.push_back("type=registry,ref=" + ref + ",mode=max");
    } else {
        cache_from.push_back("type=local,src=.buildcache/" + p.name);
        cache_to.push_back("type=local,dest=.buildcache/" + p.name + ",mode=max");
    }
    return {{"name", p.name},
            {"context", target.context},
            {"dockerfile", target.dockerfile},
            {"platforms", p.platforms.value},
            {"tags", p.image_tags},
            {"cache_from", cache_from},
            {"cache_to", cache_to},
            {"profile", file},
            {"cuda", p.cuda.value},
            {"netrc_secret", p.pip_secret}};
}

TemplateContext bake_context(std::vector<TemplateContext> targets, const std::filesystem::path& output_dir)
{
    json c;
    c["cudagen_version"] = CUDAGEN_VERSION;
    std::vector<std::string> files;
    bool netrc = false;
    for (const auto& target : targets) {
        files.push_back(target["profile"].get<std::string>());
        netrc = netrc || target["netrc_secret"].get<bool>();
    }
    c["targets"] = std::move(targets);
    c["netrc_variable"] = netrc;
    c["profiles_hint"] = join(files, " ");
    // cd first: bake resolves the relative contexts from the working directory.
    c["build_command"] =
        "cd " + escape_shell_word(output_dir.generic_string()) + " && docker buildx bake --load --set '*.cache-to='";
    return c;
}

TemplateContext bake_context(const std::vector<BakeTarget>& targets, const std::filesystem::path& output_dir)
{
    std::vector<TemplateContext> list;
    for (const auto& target : targets) {
        list.push_back(bake_target(target));
    }
    return bake_context(std::move(list), output_dir);
}

}  // namespace cudagen
