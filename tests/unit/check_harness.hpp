// The check harness of the unit tests: a profile (and an environment.yml, and
// --driver/--gpu flags) through the real loader, resolver and checks.
#pragma once

#include "check/check.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/tables.hpp"
#include "load/load_profile.hpp"
#include "resolve/resolve.hpp"
#include "validate/validate.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen::test_support {

namespace fs = std::filesystem;

struct CheckRun {
    Diagnostics diagnostics;
    bool resolved = false;

    std::set<std::string> codes() const
    {
        std::set<std::string> out;
        for (const auto& d : diagnostics.items()) {
            out.insert(d.code);
        }
        return out;
    }
    const Diagnostic* find(const std::string& code) const
    {
        for (const auto& d : diagnostics.items()) {
            if (d.code == code) {
                return &d;
            }
        }
        return nullptr;
    }
    std::string dump() const
    {
        std::string out;
        for (const auto& d : diagnostics.items()) {
            out += format_diagnostic(d);
        }
        return out;
    }
};

// "--driver 535.1 --gpu \"rtx 5090\"" -> HostFacts (bad values reported to `diagnostics`)
inline std::optional<HostFacts> parse_host(std::string_view flags, Diagnostics& diagnostics)
{
    std::vector<std::string> words;
    std::string word;
    bool quoted = false;
    for (char c : flags) {
        if (c == '"') {
            quoted = !quoted;
        } else if (c == ' ' && !quoted) {
            if (!word.empty()) {
                words.push_back(word);
            }
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) {
        words.push_back(word);
    }
    std::string driver;
    std::vector<std::string> gpus;
    for (std::size_t i = 0; i + 1 < words.size(); i += 2) {
        if (words[i] == "--driver") {
            driver = words[i + 1];
        } else {
            gpus.push_back(words[i + 1]);
        }
    }
    return read_host_facts(driver, gpus, Knowledge::builtin().tables(), diagnostics);
}

inline fs::path scratch_dir()
{
    static int counter = 0;
    fs::path dir = fs::temp_directory_path() /
                   ("cudagen-check-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir);
    return dir;
}

inline CheckRun check_profile(const std::string& profile, std::string_view host_flags = "",
                              std::string_view environment = "")
{
    CheckRun run;
    fs::path dir = scratch_dir();
    if (!environment.empty()) {
        std::ofstream(dir / "environment.yml") << environment;
    }
    auto raw = load_profile_from_string(profile, "profile.yaml", dir, run.diagnostics);
    if (!raw) {
        return run;
    }
    read_profile_dependencies(*raw, run.diagnostics);
    adopt_user_pins(*raw, Knowledge::builtin().tables());
    auto host = parse_host(host_flags, run.diagnostics);
    auto resolved = resolve(*raw, Knowledge::builtin(), {}, run.diagnostics);
    if (resolved && host) {
        run.resolved = true;
        run_checks(*raw, *resolved, Knowledge::builtin(), *host, run.diagnostics);
    }
    fs::remove_all(dir);
    return run;
}

}  // namespace cudagen::test_support
