#include "cli/resolved_json.hpp"

#include "core/text.hpp"

namespace cudagen {

using json = nlohmann::json;

namespace {

template <class T>
json origin_json(const Resolved<T>& value)
{
    json out = {{"origin", origin_name(value.origin)}, {"reason", value.reason}};
    if (value.where.known()) {
        out["file"] = value.where.file;
        out["line"] = value.where.line;
        out["column"] = value.where.column;
    }
    return out;
}

json copies_json(const std::vector<ResolvedCopy>& list)
{
    json out = json::array();
    for (const auto& copy : list) {
        out.push_back({{"src", copy.src}, {"dst", copy.dst}});
    }
    return out;
}

json framework_json(const ResolvedFramework& f, json& origins)
{
    json out = {{"name", f.name},
                {"version", f.version.value},
                {"channel", f.channel},
                {"cuda_variant", f.cuda_variant.value},
                {"cuda_version", f.cuda_version},
                {"index_url", f.index_url.value},
                {"requirements", f.requirements},
                {"arch_list", f.arch_list},
                {"arch_list_has_ptx", f.arch_list_has_ptx}};
    origins["framework.version"] = origin_json(f.version);
    origins["framework.cuda_variant"] = origin_json(f.cuda_variant);
    origins["framework.index_url"] = origin_json(f.index_url);
    for (const auto& [package, version] : f.companions) {
        out[package] = version.value;
        origins["framework." + package] = origin_json(version);
    }
    return out;
}

json archs_json(const std::vector<GpuArch>& archs)
{
    json out = json::array();
    for (const auto& arch : archs) {
        out.push_back({{"sm", "sm_" + arch.sm()}, {"compute_capability", arch.cc()}, {"written", arch.written}});
    }
    return out;
}

}  // namespace

json resolved_to_json(const ResolvedProfile& p)
{
    json origins;
    json out;
    out["name"] = p.name;
    out["profile"] = p.profile_file;
    out["cuda"] = p.cuda.value;
    origins["cuda"] = origin_json(p.cuda);
    out["os"] = p.os.value;
    origins["os"] = origin_json(p.os);
    out["cudnn"] = p.cudnn.value;
    origins["cudnn"] = origin_json(p.cudnn);
    out["base_registry"] = p.base_registry.value;
    origins["base_registry"] = origin_json(p.base_registry);
    out["base_images"] = {
        {"devel", p.devel_image.value}, {"runtime", p.runtime_image.value}, {"runtime_flavor", p.runtime_flavor}};
    origins["base_images.devel"] = origin_json(p.devel_image);
    origins["base_images.runtime"] = origin_json(p.runtime_image);
    out["framework"] = p.framework ? framework_json(*p.framework, origins) : json(nullptr);
    out["python"] = {{"version", p.python.version.value},
                     {"needed", p.python.needed},
                     {"source", p.python.source},
                     {"env_prefix", p.python.env_prefix}};
    origins["python"] = origin_json(p.python.version);
    out["conda"] = {{"environment", p.conda.environment_file},
                    {"micromamba_version", p.conda.micromamba_version},
                    {"conda_override_cuda", p.conda.cuda_override}};
    out["pip"] = {{"requirements", p.pip_requirements},
                  {"packages", p.pip_packages},
                  {"extra_index_urls", p.pip_extra_index_urls},
                  {"index_url", p.pip_index_url.value},
                  {"netrc_secret", p.pip_secret}};
    origins["pip.index_url"] = origin_json(p.pip_index_url);
    out["apt"] = p.apt;
    out["apt_build"] = p.apt_build;
    out["gpu_archs"] = archs_json(p.gpu_archs.value);
    origins["gpu_archs"] = origin_json(p.gpu_archs);
    out["ptx"] = p.ptx;
    out["nvcc_gencode"] = p.nvcc_gencode;
    out["torch_cuda_arch_list"] = p.torch_cuda_arch_list;
    out["cmake_cuda_architectures"] = p.cmake_cuda_architectures;
    out["platforms"] = p.platforms.value;
    origins["platforms"] = origin_json(p.platforms);
    out["build"] = {{"copy", copies_json(p.build_copy)}, {"run", p.build_run}, {"artifacts", copies_json(p.artifacts)}};
    json env = json::object();
    for (const auto& [name, value] : p.env) {
        env[name] = value;
    }
    out["app"] = {{"copy", copies_json(p.app_copy)},
                  {"workdir", p.workdir.value},
                  {"env", env},
                  {"expose", p.expose},
                  {"cmd", p.cmd},
                  {"entrypoint", p.entrypoint},
                  {"user", p.user.value}};
    origins["app.workdir"] = origin_json(p.workdir);
    origins["app.user"] = origin_json(p.user);
    out["image"] = {{"registry", p.image_registry}, {"tags", p.image_tags}};
    out["verify"] = p.verify;
    out["origins"] = origins;
    return out;
}

std::string resolved_to_text(const ResolvedProfile& p)
{
    json data = resolved_to_json(p);
    const json& origins = data["origins"];
    std::string out = "profile " + p.profile_file + " (" + p.name + ")\n";
    for (const auto& [key, origin] : origins.items()) {
        std::string value;
        json node = data;
        for (const auto& part : split(key, '.')) {
            node = node.is_object() && node.contains(part) ? json(node[part]) : json(nullptr);
        }
        value = node.is_string() ? node.get<std::string>() : node.dump();
        if (key == "gpu_archs") {
            std::vector<std::string> archs;
            for (const auto& arch : p.gpu_archs.value) {
                archs.push_back("sm_" + arch.sm() + (arch.written.empty() ? "" : " (" + arch.written + ")"));
            }
            value = join(archs, ", ");
        } else if (key == "python") {
            value = p.python.needed ? p.python.version.value + " from " + p.python.source + " in " + p.python.env_prefix
                                    : "not needed";
        } else if (key == "pip.index_url" && value.empty()) {
            value = "PyPI";
        } else if (key == "framework.index_url" && value.empty()) {
            value = p.framework->channel == "conda" ? "(conda channels)" : "PyPI";
        } else if (key == "platforms") {
            value = join(p.platforms.value, ", ");
        }
        std::string where = origin.contains("line") ? " (" + origin["file"].get<std::string>() + ":" +
                                                          std::to_string(origin["line"].get<int>()) + ")"
                                                    : "";
        std::string padded_key = key;
        padded_key.resize(std::max<std::size_t>(key.size(), 26), ' ');
        out += "  " + padded_key + " " + value + "\n" + std::string(30, ' ') + origin["origin"].get<std::string>() +
               ": " + origin["reason"].get<std::string>() + where + "\n";
    }
    out += "  nvcc                       " + join(p.nvcc_gencode, " ") + "\n";
    out += "  TORCH_CUDA_ARCH_LIST       " + p.torch_cuda_arch_list + "\n";
    out += "  CMAKE_CUDA_ARCHITECTURES   " + p.cmake_cuda_architectures + "\n";
    out += "  tags                       " + join(p.image_tags, " ") + "\n";
    return out;
}

}  // namespace cudagen
