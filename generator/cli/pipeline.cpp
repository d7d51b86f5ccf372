#include "cli/pipeline.hpp"

#include "core/input_file.hpp"
#include "core/ordered_work.hpp"
#include "core/text.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/tables.hpp"
#include "load/load_profile.hpp"
#include "resolve/resolve.hpp"
#include "validate/validate.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <ostream>

namespace cudagen {

namespace {

// Codes of problems with the input itself rather than with what it describes.
const std::vector<std::string> k_input_error_prefixes = {"yaml/",  "schema/",   "path/",     "io/",    "deps/",
                                                         "usage/", "generate/", "internal/", "secret/"};

bool is_input_error(const Diagnostic& diagnostic)
{
    for (const auto& prefix : k_input_error_prefixes) {
        if (starts_with(diagnostic.code, prefix)) {
            return true;
        }
    }
    return false;
}

// The current folder, asked once for all profiles (empty if it cannot be
// read: then each load asks again and reports).
std::filesystem::path working_dir()
{
    std::error_code error;
    std::filesystem::path here = std::filesystem::current_path(error);
    return error ? std::filesystem::path() : here;
}

// What every profile of a run shares while loading: the current folder, and
// what validation found about the files of their build contexts.
struct LoadSession {
    std::filesystem::path here = working_dir();
    ContextFileCache files;
};

// load and validate one profile, and read the files it names.
std::optional<RawProfile> load_stage(const std::string& file, LoadSession& session, const Knowledge& knowledge,
                                     Diagnostics& diagnostics)
{
    std::optional<RawProfile> raw = load_profile_file(file, session.here, diagnostics);
    if (raw) {
        validate_profile(*raw, diagnostics, &session.files);
        read_profile_dependencies(*raw, diagnostics);
        adopt_user_pins(*raw, knowledge.tables());
    }
    return raw;
}

}  // namespace

int exit_code_for(const Diagnostics& diagnostics)
{
    int code = k_exit_ok;
    for (const auto& diagnostic : diagnostics.items()) {
        if (diagnostic.severity != Severity::error) {
            continue;
        }
        if (is_input_error(diagnostic)) {
            return k_exit_usage;
        }
        code = k_exit_incompatible;
    }
    return code;
}

void add_host_options(CLI::App& sub, HostFlags& host)
{
    sub.add_option("--driver", host.driver,
                   "Host NVIDIA driver: the 'Driver Version' nvidia-smi prints (535.104.05); its 'CUDA Version' (12.2) "
                   "also works")
        ->expected(1);
    sub.add_option(
           "--gpu", host.gpus,
           "Target GPU: a name as nvidia-smi prints it or as `cudagen gpus` lists it, or a compute capability (8.0); "
           "repeat the flag or separate with commas")
        ->type_size(1)
        ->expected(1)
        ->allow_extra_args(false)
        ->delimiter(',')
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

PipelineResult run_pipeline(const PipelineOptions& options)
{
    PipelineResult result;
    const Knowledge& knowledge = Knowledge::builtin();
    std::optional<HostFacts> host =
        read_host_facts(options.host.driver, options.host.gpus, knowledge.tables(), result.diagnostics);
    if (!host) {
        result.exit_code = exit_code_for(result.diagnostics);
        return result;
    }
    std::vector<std::string> files = options.profiles.empty() ? std::vector<std::string>{""} : options.profiles;
    LoadSession session;
    for (const auto& file : files) {
        std::optional<RawProfile> raw = load_stage(file, session, knowledge, result.diagnostics);
        if (raw) {
            result.raw.push_back(std::move(*raw));
        }
    }
    if (result.diagnostics.has_errors() || options.last_stage == Stage::load) {
        result.exit_code = exit_code_for(result.diagnostics);
        return result;
    }
    for (const auto& raw : result.raw) {
        std::optional<ResolvedProfile> resolved = resolve(raw, knowledge, options.resolve, result.diagnostics);
        if (resolved) {
            if (options.last_stage == Stage::check) {
                run_checks(raw, *resolved, knowledge, *host, result.diagnostics);
            }
            result.resolved.push_back(std::move(*resolved));
        }
    }
    result.exit_code = exit_code_for(result.diagnostics);
    return result;
}

namespace {

// One profile's way through the stages on a worker, kept until it is taken in order.
struct ProfileWork {
    std::optional<RawProfile> raw;
    Diagnostics load;  // load and validate
    std::optional<ResolvedProfile> resolved;
    Diagnostics later;  // resolve and check
    std::unique_ptr<ProfileSink::Prepared> prepared;
};

// Profiles worked on at once, at most this many ahead of the one taken: the
// memory a run holds stays flat in the number of profiles.
std::size_t work_window(unsigned jobs)
{
    return std::clamp<std::size_t>(std::size_t{16} * jobs, 64, 1024);
}

class EachRun {
public:
    EachRun(const PipelineOptions& options, unsigned jobs, ProfileSink& sink, const Knowledge& knowledge,
            const HostFacts& host)
        : m_options(options), m_jobs(jobs), m_sink(sink), m_knowledge(knowledge), m_host(host)
    {
    }

    void take_host_diagnostics(Diagnostics diagnostics) { m_result.diagnostics = std::move(diagnostics); }

    // A worker: everything that does not depend on the profiles before this one.
    void work(const std::string& file, ProfileWork& work)
    {
        work.raw = load_stage(file, m_session, m_knowledge, work.load);
        if (work.load.has_errors()) {
            m_load_failed = true;
        }
        // After any profile's load error no resolve or check finding is shown, and nothing is written.
        if (!work.raw || m_load_failed || m_options.last_stage == Stage::load) {
            return;
        }
        work.resolved = resolve(*work.raw, m_knowledge, m_options.resolve, work.later);
        if (work.resolved && m_options.last_stage == Stage::check) {
            run_checks(*work.raw, *work.resolved, m_knowledge, m_host, work.later);
        }
        if (work.later.has_errors()) {
            m_later_failed = true;
        }
        if (work.resolved && m_jobs > 1 && !m_later_failed && !m_load_failed) {
            work.prepared = m_sink.prepare(*work.resolved);
        }
    }

    // In input order, on the calling thread: what the one-at-a-time run shows and hands over.
    void take(ProfileWork& work)
    {
        std::size_t before = m_result.diagnostics.items().size() + m_later.items().size();
        m_result.diagnostics.append(work.load);
        if (work.raw && !m_result.diagnostics.has_errors() && m_options.last_stage != Stage::load) {
            m_later.append(work.later);
            if (work.resolved && !m_later.has_errors()) {
                m_sink.accept(*work.resolved, std::move(work.prepared));
            }
        }
        if (work.raw && m_result.diagnostics.items().size() + m_later.items().size() > before) {
            m_result.raw.push_back(std::move(*work.raw));  // its text, for the carets
        }
        work = ProfileWork{};
    }

    PipelineResult finish()
    {
        if (!m_result.diagnostics.has_errors() && m_options.last_stage != Stage::load) {
            m_result.diagnostics.append(m_later);
        }
        m_result.exit_code = exit_code_for(m_result.diagnostics);
        return std::move(m_result);
    }

private:
    const PipelineOptions& m_options;
    unsigned m_jobs;  // 1: prepare() is not used
    ProfileSink& m_sink;
    const Knowledge& m_knowledge;
    const HostFacts& m_host;
    LoadSession m_session;
    std::atomic<bool> m_load_failed = false;   // some profile, in any order
    std::atomic<bool> m_later_failed = false;  // likewise: then nothing is prepared any more
    PipelineResult m_result;
    Diagnostics m_later;  // resolve and check: shown only when every profile loaded
};

// The one-at-a-time sink of run_pipeline_each's function form.
class FunctionSink final : public ProfileSink {
public:
    explicit FunctionSink(const ResolvedSink& each) : m_each(each) {}
    std::unique_ptr<Prepared> prepare(const ResolvedProfile& /*profile*/) override { return nullptr; }
    void accept(const ResolvedProfile& profile, std::unique_ptr<Prepared> /*prepared*/) override { m_each(profile); }

private:
    const ResolvedSink& m_each;
};

}  // namespace

PipelineResult run_pipeline_each(const PipelineOptions& options, ProfileSink& sink)
{
    const Knowledge& knowledge = Knowledge::builtin();
    Diagnostics host_diagnostics;
    std::optional<HostFacts> host =
        read_host_facts(options.host.driver, options.host.gpus, knowledge.tables(), host_diagnostics);
    if (!host) {
        PipelineResult result;
        result.diagnostics = std::move(host_diagnostics);
        result.exit_code = exit_code_for(result.diagnostics);
        return result;
    }
    std::vector<std::string> files = options.profiles.empty() ? std::vector<std::string>{""} : options.profiles;
    unsigned jobs = files.size() > 1 ? std::max(options.jobs, 1U) : 1;
    EachRun run(options, jobs, sink, knowledge, *host);
    run.take_host_diagnostics(std::move(host_diagnostics));
    std::size_t window = work_window(jobs);
    std::vector<ProfileWork> slots(jobs > 1 ? window : 1);
    run_in_order(
        files.size(), jobs, window, [&](std::size_t i) { run.work(files[i], slots[i % slots.size()]); },
        [&](std::size_t i) { run.take(slots[i % slots.size()]); });
    return run.finish();
}

PipelineResult run_pipeline_each(const PipelineOptions& options, const ResolvedSink& each)
{
    FunctionSink sink(each);
    PipelineOptions one_at_a_time = options;
    one_at_a_time.jobs = 1;
    return run_pipeline_each(one_at_a_time, sink);
}

void print_diagnostics(const Diagnostics& diagnostics, const std::vector<RawProfile>& profiles, std::ostream& out)
{
    std::map<std::string, std::string_view> texts;
    for (const auto& profile : profiles) {
        texts[profile.file] = profile.text;
    }
    std::map<std::string, std::string> loaded;  // other files (a conda environment), read once, bounded
    std::map<std::string, SourceLines> lines;
    std::size_t printed = 0;
    for (const auto& diagnostic : diagnostics.items()) {
        if (printed == k_max_printed_diagnostics) {
            break;
        }
        ++printed;
        if (!diagnostic.where.known()) {
            out << format_diagnostic(diagnostic);
            continue;
        }
        auto index = lines.find(diagnostic.where.file);
        if (index == lines.end()) {
            std::string_view text;
            if (auto found = texts.find(diagnostic.where.file); found != texts.end()) {
                text = found->second;
            } else {
                auto [it, inserted] = loaded.try_emplace(diagnostic.where.file);
                it->second = read_input_file(diagnostic.where.file, diagnostic.where.file).text;
                text = it->second;
            }
            index = lines.emplace(diagnostic.where.file, SourceLines(text)).first;
        }
        out << format_diagnostic(diagnostic, index->second);
    }
    std::size_t rest = diagnostics.items().size() - printed;
    if (rest > 0) {
        std::size_t errors = 0;
        for (std::size_t i = printed; i < diagnostics.items().size(); ++i) {
            errors += diagnostics.items()[i].severity == Severity::error ? 1 : 0;
        }
        out << "cudagen: " << rest << " more diagnostic(s) not shown (" << errors << " error(s), " << rest - errors
            << " other); fix the ones above first\n";
    }
}

}  // namespace cudagen
