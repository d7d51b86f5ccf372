// The pipeline shared by generate, check, resolve and build:
// load -> validate -> resolve -> check, with a checkpoint after each stage.
#pragma once

#include "check/check.hpp"
#include "core/diagnostic.hpp"
#include "model/raw_profile.hpp"
#include "model/resolved_profile.hpp"
#include "resolve/resolve.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace cudagen {

enum class Stage { load, resolve, check };

// --driver and --gpu as written; the pipeline reads them (bad values: exit 2).
struct HostFlags {
    std::string driver;
    std::vector<std::string> gpus;
};

struct PipelineOptions {
    std::vector<std::string> profiles;  // empty: ./cudagen.yaml
    Stage last_stage = Stage::check;
    ResolveOptions resolve;
    HostFlags host;
    unsigned jobs = 1;  // run_pipeline_each: profiles worked on at once
};

// Registers --driver and --gpu on a command: one value per flag or a comma-separated
// list, so that `--gpu a100 profile.yaml` leaves the profile a positional argument.
void add_host_options(CLI::App& sub, HostFlags& host);

struct PipelineResult {
    std::vector<RawProfile> raw;
    std::vector<ResolvedProfile> resolved;
    Diagnostics diagnostics;
    int exit_code = k_exit_ok;
};

PipelineResult run_pipeline(const PipelineOptions& options);

// The same stages for generate over many profiles, one profile at a time: each
// is loaded, validated, resolved and checked, and handed to `each` while no
// profile so far has an error, then dropped, so that memory does not grow with
// the number of profiles. The diagnostics and exit code are run_pipeline's
// (a profile that fails to load means no profile's resolve or check findings);
// `resolved` stays empty and `raw` keeps the profiles that have diagnostics.
using ResolvedSink = std::function<void(const ResolvedProfile&)>;
PipelineResult run_pipeline_each(const PipelineOptions& options, const ResolvedSink& each);

// What a command does with each profile that passed, in two halves, so that
// several profiles can be worked on at once (options.jobs > 1) with the same
// result as one at a time. prepare() runs on any thread, possibly ahead of
// input order and for a profile that accept() will never see (because an
// earlier profile failed): it may only do what is dropped with the run's
// output. accept() runs on the calling thread, in input order, for exactly the
// profiles the one-at-a-time run hands over, with what prepare() made of it
// (nothing when jobs is 1: then accept() does all the work, as before).
class ProfileSink {
public:
    struct Prepared {
        Prepared() = default;
        Prepared(const Prepared&) = delete;
        Prepared& operator=(const Prepared&) = delete;
        Prepared(Prepared&&) = delete;
        Prepared& operator=(Prepared&&) = delete;
        virtual ~Prepared() = default;
    };
    ProfileSink() = default;
    ProfileSink(const ProfileSink&) = delete;
    ProfileSink& operator=(const ProfileSink&) = delete;
    ProfileSink(ProfileSink&&) = delete;
    ProfileSink& operator=(ProfileSink&&) = delete;
    virtual ~ProfileSink() = default;
    virtual std::unique_ptr<Prepared> prepare(const ResolvedProfile& profile) = 0;
    virtual void accept(const ResolvedProfile& profile, std::unique_ptr<Prepared> prepared) = 0;
};
PipelineResult run_pipeline_each(const PipelineOptions& options, ProfileSink& sink);

// 2 for bad input (YAML, schema, paths, usage), 1 for an incompatibility, 0 otherwise.
int exit_code_for(const Diagnostics& diagnostics);

// Compiler-style text, with the offending line and a caret, on `out`.
void print_diagnostics(const Diagnostics& diagnostics, const std::vector<RawProfile>& profiles, std::ostream& out);

}  // namespace cudagen
