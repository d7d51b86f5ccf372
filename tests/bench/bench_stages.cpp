// In-process timing of each pipeline stage on one profile (a benchmark, not a
// test): how long load+validate, resolve, the checks and render take, as the
// median of many repetitions. The whole-process figure comes from
// scripts/bench_generate.sh (hyperfine).
#include "check/check.hpp"
#include "knowledge/knowledge.hpp"
#include "load/load_profile.hpp"
#include "render/render.hpp"
#include "resolve/resolve.hpp"
#include "validate/validate.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

double median_us(int repetitions, const std::function<void()>& body)
{
    std::vector<double> samples;
    for (int i = 0; i < repetitions; ++i) {
        auto start = std::chrono::steady_clock::now();
        body();
        samples.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

}  // namespace

int main(int argc, char** argv)
{
    using namespace cudagen;
    std::string file = argc > 1 ? argv[1] : "profiles/fastapi-torch/cudagen.yaml";
    Diagnostics diagnostics;
    auto raw = load_profile_file(file, diagnostics);
    if (!raw) {
        std::fprintf(stderr, "cannot load %s\n", file.c_str());
        return 2;
    }
    const Knowledge& knowledge = Knowledge::builtin();
    auto resolved = resolve(*raw, knowledge, {}, diagnostics);
    HostFacts host =
        read_host_facts("550.54.15", {"h100", "a100"}, knowledge.tables(), diagnostics).value_or(HostFacts{});
    const int n = 2000;
    double load = median_us(n, [&] {
        Diagnostics d;
        auto loaded = load_profile_from_string(raw->text, file, raw->context_dir, d);
        validate_profile(*loaded, d);
        read_profile_dependencies(*loaded, d);
    });
    double resolve_time = median_us(n, [&] {
        Diagnostics d;
        resolve(*raw, knowledge, {}, d);
    });
    double check = median_us(n, [&] {
        Diagnostics d;
        run_checks(*raw, *resolved, knowledge, host, d);
    });
    double render = median_us(n, [&] {
        Diagnostics d;
        render_profiles({*resolved}, {"/tmp/cudagen-bench", false}, d);
    });
    std::printf("| stage (in process, median of %d) | time |\n|---|---|\n", n);
    std::printf(
        "| load + validate | %.0f us |\n| resolve | %.0f us |\n| all checks (--driver, 2 x --gpu) | %.0f us |\n"
        "| render (Dockerfile + bake) | %.0f us |\n",
        load, resolve_time, check, render);
    return 0;
}
