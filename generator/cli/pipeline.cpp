#include "cli/pipeline.hpp"

#include "core/input_file.hpp"
#include "core/text.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/tables.hpp"
#include "load/load_profile.hpp"
#include "resolve/resolve.hpp"
#include "validate/validate.hpp"

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

PipelineResult run_pipeline_each(const PipelineOptions& options, const ResolvedSink& each)
{
    PipelineResult result;
    const Knowledge& knowledge = Knowledge::builtin();
    std::optional<HostFacts> host =
        read_host_facts(options.host.driver, options.host.gpus, knowledge.tables(), result.diagnostics);
    if (!host) {
        result.exit_code = exit_code_for(result.diagnostics);
        return result;
    }
    Diagnostics later;  // resolve and check: shown only when every profile loaded
    std::vector<std::string> files = options.profiles.empty() ? std::vector<std::string>{""} : options.profiles;
    LoadSession session;
    for (const auto& file : files) {
        std::size_t before = result.diagnostics.items().size() + later.items().size();
        std::optional<RawProfile> raw = load_stage(file, session, knowledge, result.diagnostics);
        if (!raw) {
            continue;
        }
        if (!result.diagnostics.has_errors() && options.last_stage != Stage::load) {
            std::optional<ResolvedProfile> resolved = resolve(*raw, knowledge, options.resolve, later);
            if (resolved && options.last_stage == Stage::check) {
                run_checks(*raw, *resolved, knowledge, *host, later);
            }
            if (resolved && !later.has_errors()) {
                each(*resolved);
            }
        }
        if (result.diagnostics.items().size() + later.items().size() > before) {
            result.raw.push_back(std::move(*raw));  // its text, for the carets
        }
    }
    if (!result.diagnostics.has_errors() && options.last_stage != Stage::load) {
        result.diagnostics.append(later);
    }
    result.exit_code = exit_code_for(result.diagnostics);
    return result;
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
