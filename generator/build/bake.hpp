// The `docker buildx bake` command lines of `cudagen build`, and the images a
// bake file produces (read back from `bake --print`, so --set overrides count).
#pragma once

#include "build/docker_env.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

enum class BakeOutput { load, push };

struct BakeOptions {
    std::string file = "docker-bake.hcl";  // relative to the build folder (bake's cwd)
    BakeOutput output = BakeOutput::load;
    std::string platform;                 // "linux/arm64" or "linux/amd64,linux/arm64"; empty: the profiles'
    std::string builder;                  // empty: the current builder
    bool plain_progress = false;          // true when our stdout is not a terminal (CI logs)
    std::vector<std::string> extra_args;  // after `--` on our command line, passed last so they win
};

// docker buildx bake [--builder B] --file F [--progress plain] --load|--push
//     [--set *.platform=P] [--set *.cache-from= --set *.cache-to=] [EXTRA...]
// The cache settings are cleared for the `docker` driver, which cannot export a cache
// (BuildKit's own layer cache inside dockerd still works).
std::vector<std::string> bake_argv(const BakeOptions& options, const BuilderInfo& builder);

// The same file and overrides with --print: nothing is built.
std::vector<std::string> bake_print_argv(const BakeOptions& options, const BuilderInfo& builder);

struct BakeImage {
    std::string target;
    std::string tag;  // the first tag, which is what verification runs
};

// Targets of `bake --print` JSON, in name order; nothing when the JSON is unreadable.
std::optional<std::vector<BakeImage>> images_from_bake_print(std::string_view json);

bool is_multi_platform(std::string_view platform);

}  // namespace cudagen
