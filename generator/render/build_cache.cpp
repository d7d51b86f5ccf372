#include "render/build_cache.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <string_view>

namespace cudagen {

namespace {

constexpr std::string_view k_cache_target = "/root/.cache/cudagen/build";
constexpr std::string_view k_script = "/opt/cudagen/build-cache";

bool is_separator(std::string_view word)
{
    return word == "&&" || word == "||" || word == ";" || word == "|";
}

bool names_cmake(std::string_view word)
{
    return word == "cmake" || word.ends_with("/cmake");
}

// Words split at blanks; quotes are not understood, which is why a folder with
// a quote or a shell character in it gives no cache.
std::vector<std::string> words(const std::string& commands)
{
    std::vector<std::string> out;
    std::string word;
    for (char c : commands) {
        if (c == ' ' || c == '\t' || c == '\n') {
            if (!word.empty()) {
                out.push_back(word);
            }
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) {
        out.push_back(word);
    }
    return out;
}

bool plain_absolute(const std::string& path)
{
    if (path.size() < 2 || path.front() != '/') {
        return false;
    }
    return path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+-") ==
           std::string::npos;
}

// "cuda-cpp-ubuntu24.04-cuda13.0.2-80-real-90-src-build": letters, digits, '.', '-'.
std::string id_part(std::string_view text)
{
    std::string out;
    for (char c : text) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.';
        if (keep) {
            out += c;
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    return out;
}

}  // namespace

std::optional<std::string> cmake_build_dir(const std::string& commands)
{
    std::vector<std::string> found;
    bool in_cmake = false;
    std::vector<std::string> list = words(commands);
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string& word = list[i];
        if (is_separator(word)) {
            in_cmake = false;
            continue;
        }
        if (names_cmake(word)) {
            in_cmake = true;
            continue;
        }
        if (!in_cmake) {
            continue;
        }
        if ((word == "-B" || word == "--build") && i + 1 < list.size()) {
            found.push_back(list[i + 1]);
        } else if (word.size() > 2 && word.starts_with("-B")) {
            found.push_back(word.substr(2));
        }
    }
    if (found.empty()) {
        return std::nullopt;
    }
    for (auto& dir : found) {
        drop_trailing_slashes(dir);
        if (!plain_absolute(dir) || dir != found.front()) {
            return std::nullopt;
        }
    }
    return found.front();
}

namespace {

CachedRun cached_run(const ResolvedProfile& profile, const std::string& build_dir, const BuildRun& run)
{
    std::string args = std::string(k_cache_target) + " " + build_dir;
    for (std::string source : run.sources) {
        drop_trailing_slashes(source);
        args += " " + source;
    }
    CachedRun out;
    out.run = std::string(k_script) + " restore " + args + " && (\n" + run.commands + "\n) && " +
              std::string(k_script) + " save " + args;
    // The GPU targets are in the id: CMake keeps CMAKE_CUDA_ARCHITECTURES in its
    // cache, so a folder configured for other targets must not be reused.
    out.cache_id = "cudagen-build-" + id_part(profile.name) + "-" + id_part(profile.os.value) + "-cuda" +
                   id_part(profile.cuda.value) + "-" + id_part(profile.cmake_cuda_architectures) + "-" +
                   id_part(build_dir);
    return out;
}

}  // namespace

std::vector<std::optional<CachedRun>> cached_runs(const ResolvedProfile& profile, const std::vector<BuildRun>& runs)
{
    std::vector<std::optional<std::string>> dirs;
    dirs.reserve(runs.size());
    for (const auto& run : runs) {
        dirs.push_back(cmake_build_dir(run.commands));
    }
    std::vector<std::optional<CachedRun>> out;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        bool shared = dirs[i] && std::count(dirs.begin(), dirs.end(), dirs[i]) > 1;
        // Sources copied to / would have the script hash the whole file system.
        bool whole_root = std::any_of(runs[i].sources.begin(), runs[i].sources.end(), [](std::string source) {
            drop_trailing_slashes(source);
            return source == "/";
        });
        bool cached = dirs[i] && !shared && !whole_root;
        out.push_back(cached ? std::optional(cached_run(profile, *dirs[i], runs[i])) : std::nullopt);
    }
    return out;
}

}  // namespace cudagen
