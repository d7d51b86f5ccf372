#include "build/bake.hpp"

#include <nlohmann/json.hpp>

namespace cudagen {

namespace {

// Options shared by the build and the --print call, so --print sees what bake builds.
std::vector<std::string> common_argv(const BakeOptions& options, const BuilderInfo& builder)
{
    std::vector<std::string> argv = {"docker", "buildx", "bake"};
    if (!options.builder.empty()) {
        argv.insert(argv.end(), {"--builder", options.builder});
    }
    argv.insert(argv.end(), {"--file", options.file});
    if (!options.platform.empty()) {
        argv.insert(argv.end(), {"--set", "*.platform=" + options.platform});
    }
    if (builder.driver == k_docker_driver) {
        argv.insert(argv.end(), {"--set", "*.cache-from=", "--set", "*.cache-to="});
    }
    return argv;
}

}  // namespace

std::vector<std::string> bake_argv(const BakeOptions& options, const BuilderInfo& builder)
{
    std::vector<std::string> argv = common_argv(options, builder);
    if (options.plain_progress) {
        argv.insert(argv.end(), {"--progress", "plain"});
    }
    argv.emplace_back(options.output == BakeOutput::push ? "--push" : "--load");
    argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
    return argv;
}

std::vector<std::string> bake_print_argv(const BakeOptions& options, const BuilderInfo& builder)
{
    std::vector<std::string> argv = common_argv(options, builder);
    argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
    argv.emplace_back("--print");
    return argv;
}

std::optional<std::vector<BakeImage>> images_from_bake_print(std::string_view json)
{
    nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded() || !doc.contains("target") || !doc["target"].is_object()) {
        return std::nullopt;
    }
    std::vector<BakeImage> images;
    for (const auto& [name, target] : doc["target"].items()) {
        const auto tags = target.find("tags");
        if (tags == target.end() || !tags->is_array() || tags->empty() || !(*tags)[0].is_string()) {
            continue;
        }
        images.push_back({name, (*tags)[0].get<std::string>()});
    }
    return images;
}

bool is_multi_platform(std::string_view platform)
{
    return platform.find(',') != std::string_view::npos;
}

}  // namespace cudagen
