// cudagen generate [PROFILE...] [-o DIR] [--base-registry R]
#include "cli/command.hpp"
#include "cli/pipeline.hpp"
#include "core/ordered_work.hpp"
#include "render/render.hpp"
#include "write/dockerignore.hpp"
#include "write/writer.hpp"

#include <atomic>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>

namespace cudagen {

namespace {

struct GenerateOptions {
    std::vector<std::string> profiles;
    std::string output = "build/cudagen";
    std::string base_registry;
    HostFlags host;
    bool quiet = false;
    bool force = false;
    unsigned jobs = available_cores();
};

// Each profile's Dockerfile is rendered and staged as soon as the profile is
// resolved (memory stays flat over many profiles); the set goes into place at
// the end, all or nothing, and only when every profile passed. With several
// jobs, prepare() renders and stages on the workers and accept() records, in
// input order, what add() would have done.
class StreamingOutput final : public ProfileSink {
public:
    StreamingOutput(const std::filesystem::path& output, bool several, bool force, unsigned jobs)
        : m_output(output),
          m_force(force),
          m_jobs(jobs),
          m_renderer({.output_dir = output, .one_folder_per_profile = several, .constant_text_apart = true})
    {
    }

    std::unique_ptr<Prepared> prepare(const ResolvedProfile& profile) override
    {
        auto prepared = std::make_unique<PreparedDockerfile>();
        prepared->rendered = m_renderer.render(profile, prepared->diagnostics);
        OutputWriter* writer = m_published.load(std::memory_order_acquire);
        if (prepared->rendered && writer != nullptr) {
            prepared->staged = stage(*writer, profile.name, prepared->rendered->file);
            std::string().swap(prepared->rendered->file.content);  // on disk now: not held
        }
        return prepared;
    }

    void accept(const ResolvedProfile& profile, std::unique_ptr<Prepared> prepared) override
    {
        note_context(profile.context_dir);
        if (!m_renderer.name_is_new(profile, m_diagnostics)) {
            m_failed = true;
        }
        if (m_failed) {
            return;
        }
        if (!m_writer) {
            m_writer = OutputWriter::open(m_output, m_diagnostics, {.force = m_force, .jobs = m_jobs});
            m_published.store(m_writer.get(), std::memory_order_release);
        }
        if (!m_writer) {
            m_failed = true;
            return;
        }
        if (!prepared) {
            std::optional<RenderedFile> file = m_renderer.dockerfile(profile, m_diagnostics);
            m_failed = !file || !keep(*file);
            return;
        }
        auto& made = static_cast<PreparedDockerfile&>(*prepared);
        m_diagnostics.append(made.diagnostics);
        if (!made.rendered) {
            m_failed = true;
            return;
        }
        m_renderer.keep_target(std::move(made.rendered->target));
        int error = made.staged ? *made.staged : stage(*m_writer, profile.name, made.rendered->file);
        m_paths.push_back(made.rendered->file.path);
        m_failed = !m_writer->add_staged(made.rendered->file.path, error, m_diagnostics);
    }

    // The bake file, then the swap. Nothing is changed unless every profile passed.
    WriteOutcome finish()
    {
        if (m_failed || !m_writer) {
            m_writer.reset();
            return {};
        }
        std::optional<RenderedFile> bake = m_renderer.bake_file(m_diagnostics);
        if (!bake || !keep(*bake)) {
            m_writer.reset();
            return {};
        }
        WriteOutcome outcome = m_writer->commit(m_diagnostics);
        m_writer.reset();
        return outcome;
    }

    void abandon() { m_writer.reset(); }
    const Diagnostics& diagnostics() const { return m_diagnostics; }
    const std::vector<std::string>& written() const { return m_paths; }
    const std::vector<std::filesystem::path>& contexts() const { return m_contexts; }

private:
    struct PreparedDockerfile final : Prepared {
        Diagnostics diagnostics;  // the render's
        std::optional<ProfileRenderer::Rendered> rendered;
        std::optional<int> staged;  // written to the staging folder: 0 or the errno
    };

    // Two profiles with one name would write one file: only the first to get
    // here writes it. The run fails on the duplicate name (accept() reports
    // it in input order), so the file is never used.
    int stage(const OutputWriter& writer, const std::string& name, const RenderedFile& file)
    {
        {
            std::lock_guard lock(m_claims_mutex);
            if (!m_claimed.insert(name).second) {
                return 0;
            }
        }
        return writer.stage(file);
    }

    bool keep(const RenderedFile& file)
    {
        m_paths.push_back(file.path);
        return m_writer->add(file, m_diagnostics);
    }

    void note_context(const std::filesystem::path& context)
    {
        if (!m_contexts.empty() && m_contexts.back().native() == context.native()) {
            return;  // the previous profile's context (most runs have one)
        }
        if (m_seen_contexts.insert(context.lexically_normal()).second) {
            m_contexts.push_back(context);
        }
    }

    std::filesystem::path m_output;
    bool m_force;
    unsigned m_jobs;
    ProfileRenderer m_renderer;
    Diagnostics m_diagnostics;
    std::unique_ptr<OutputWriter> m_writer;
    bool m_failed = false;
    std::vector<std::string> m_paths;
    std::vector<std::filesystem::path> m_contexts;
    std::set<std::filesystem::path> m_seen_contexts;
    std::atomic<OutputWriter*> m_published = nullptr;  // m_writer, for the workers once it is open
    std::mutex m_claims_mutex;
    std::set<std::string> m_claimed;  // names whose Dockerfile is staged
};

int generate(const GenerateOptions& options)
{
    if (options.output == "-") {
        std::cerr
            << "cudagen: error: -o - would write to a folder named '-'; cudagen writes a folder of files, not one "
               "stream [usage/output-dash]\n  fix: pass a folder, e.g. -o build/cudagen, then read "
               "build/cudagen/Dockerfile\n";
        return k_exit_usage;
    }
    PipelineOptions pipeline;
    pipeline.profiles = options.profiles;
    pipeline.resolve.base_registry = options.base_registry;
    pipeline.host = options.host;
    std::filesystem::path output = std::filesystem::absolute(options.output).lexically_normal();
    pipeline.jobs = options.jobs;
    StreamingOutput out(output, options.profiles.size() > 1, options.force, options.jobs);
    PipelineResult result = run_pipeline_each(pipeline, out);
    print_diagnostics(result.diagnostics, result.raw, std::cerr);
    if (result.exit_code != k_exit_ok) {
        out.abandon();
        std::cerr << "cudagen: nothing written (" << result.diagnostics.error_count() << " error(s))\n";
        return result.exit_code;
    }
    WriteOutcome outcome = out.finish();
    const Diagnostics& diagnostics = out.diagnostics();
    if (!outcome.ok) {
        print_diagnostics(diagnostics, result.raw, std::cerr);
        if (outcome.replaced == 0) {
            std::cerr << "cudagen: nothing written\n";
        }
        return exit_code_for(diagnostics) == k_exit_ok ? k_exit_usage : exit_code_for(diagnostics);
    }
    report_dockerignore_updates(out.contexts(), output, options.quiet ? std::cerr : std::cout);
    if (!options.quiet) {
        print_diagnostics(diagnostics, result.raw, std::cerr);
        for (const auto& path : out.written()) {
            std::cout << "wrote " << (std::filesystem::path(options.output) / path).string() << "\n";
        }
    }
    return k_exit_ok;
}

}  // namespace

CommandAction setup_generate(CLI::App& sub)
{
    auto options = std::make_shared<GenerateOptions>();
    sub.add_option("profiles", options->profiles, "Profile files (default: ./cudagen.yaml)");
    sub.add_option("-o,--output", options->output, "Output folder (default: build/cudagen)");
    sub.add_option("--base-registry", options->base_registry,
                   "Registry prefix for every nvidia/cuda FROM, e.g. a mirror (overrides image.base_registry)");
    add_host_options(sub, options->host);
    sub.add_flag("-q,--quiet", options->quiet, "Do not list the written files");
    sub.add_flag("--force", options->force, "Replace files in the output folder that cudagen did not write");
    sub.add_option("-j,--jobs", options->jobs,
                   "Profiles worked on at once (default: the cores this process may use); the output and messages "
                   "are the same for every value")
        ->check(CLI::Range(1U, 1024U));
    return [options] { return generate(*options); };
}

}  // namespace cudagen
