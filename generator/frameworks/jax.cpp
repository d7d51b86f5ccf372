// JAX: jax[cudaNN] extras that pull the jax-cudaNN-plugin and NVIDIA's pip wheels;
// each extra has its own CUDA, driver and compute capability floors. Python: a
// minimum only (Requires-Python). Rows: generator/data/jax.yaml.
#include "check/check_context.hpp"
#include "core/text.hpp"
#include "frameworks/framework.hpp"
#include "knowledge/table_reader.hpp"
#include "resolve/resolve_versions_detail.hpp"

#include <algorithm>

namespace cudagen {

namespace {

using detail::resolved;
using detail::VersionContext;

// --- the table ------------------------------------------------------------------------

// ">=3.11" (Requires-Python) -> 3.11
std::optional<Version> requires_python_min(const std::string& text)
{
    std::size_t at = text.find(">=");
    if (at == std::string::npos) {
        return std::nullopt;
    }
    std::size_t end = text.find_first_not_of("0123456789.", at + 2);
    return Version::parse(text.substr(at + 2, end == std::string::npos ? std::string::npos : end - at - 2));
}

// One JAX release per generated pypi row, up to newest_known: its minimum Python from
// Requires-Python and the CUDA extras it provides that the extras table knows and whose
// plugin PyPI has for that version.
void expand_jax_pypi_rows(TableReader& reader, const DataNode& root, KnowledgeTables& out)
{
    std::vector<JaxRelease> releases;
    for (const auto& row : reader.table(root, "pypi", out)) {
        Version version = reader.version(row, "version");
        out.jax_pypi.versions.push_back(version);
        if (version > out.jax_newest_known) {
            continue;
        }
        JaxRelease release{version, {}, {}, {}};
        if (auto min = requires_python_min(optional_text(row, "requires_python"))) {
            release.python_min = *min;
        }
        for (const auto& extra : reader.strings(row, "extras")) {
            // an extra whose jax-cudaNN-plugin has no release of this version cannot install
            if (out.jax_extra(extra) && row["plugins"][extra]) {
                release.extras.push_back(extra);
                release.plugin_platforms[extra] = reader.strings(row["plugins"][extra], "platforms");
            }
        }
        releases.push_back(std::move(release));
    }
    out.jax_pypi.read = reader.text(root["pypi"], "read");
    std::sort(out.jax_pypi.versions.begin(), out.jax_pypi.versions.end());
    out.jax_requirement_rows = std::move(out.jax);
    out.jax = std::move(releases);
}

// The JAX release for a version: exact, or the newest X.Y.* for "X.Y"; null when unknown.
const JaxRelease* find_jax_release(const KnowledgeTables& tables, const Version& wanted)
{
    const JaxRelease* found = nullptr;
    for (const auto& release : tables.jax) {  // oldest first
        if (wanted.size() == 2 ? release.version.starts_with(wanted) : release.version == wanted) {
            found = &release;
        }
    }
    return found;
}

// The extra of the release for CUDA `cuda_major`, else its newest one.
const JaxExtra* pick_jax_extra(const KnowledgeTables& tables, const JaxRelease& release, int cuda_major)
{
    const JaxExtra* newest = nullptr;
    for (const auto& name : release.extras) {
        const JaxExtra* extra = tables.jax_extra(name);
        if (extra && extra->cuda_major == cuda_major) {
            return extra;
        }
        if (extra && (!newest || extra->cuda_major > newest->cuda_major)) {
            newest = extra;
        }
    }
    return newest;
}

// --- the rows chosen for one profile --------------------------------------------------------

class JaxChoice : public FrameworkChoice {
public:
    explicit JaxChoice(const JaxRelease& release) : m_release(release) {}

    const ImageRelease* pick_cuda(const VersionContext& context, std::string& reason) const override;
    std::string brings_cuda(const ResolvedFramework& /*framework*/) const override
    {
        return "jax's cuda extra (nvidia-* pip packages)";
    }
    bool resolve_details(VersionContext& context) override;
    PythonRange python_range() const override { return PythonRange{m_release.python_min, Version({3, 99}), {}}; }
    bool python_minimum_only() const override { return true; }
    Version min_compute_capability() const override { return m_extra ? m_extra->min_cc : Version({0, 0}); }

    void check_cuda(const checks::CheckContext& context) const override;
    void check_gpu(const checks::CheckContext& context, const GpuArch& gpu, const SourceLocation& where) const override;
    int bundled_cuda_major() const override { return m_extra ? m_extra->cuda_major : 0; }

private:
    const JaxRelease& m_release;
    const JaxExtra* m_extra = nullptr;  // chosen once CUDA is known
};

const ImageRelease* JaxChoice::pick_cuda(const VersionContext& context, std::string& reason) const
{
    const JaxExtra* extra = pick_jax_extra(context.tables, m_release, 99);
    for (const auto& image : context.tables.images) {  // newest first
        if (!image.unconfirmed && image.cuda.major() == extra->cuda_major && image.cuda >= extra->min_cuda) {
            reason = "jax " + context.out.framework->version.value + " has jax[" + extra->name +
                     "] wheels; newest confirmed CUDA " + std::to_string(extra->cuda_major) + " release";
            return &image;
        }
    }
    return nullptr;
}

bool JaxChoice::resolve_details(VersionContext& context)
{
    ResolvedFramework& framework = *context.out.framework;
    int major = Version::parse(context.out.cuda.value)->major();
    m_extra = pick_jax_extra(context.tables, m_release, major);
    const JaxExtra& extra = *m_extra;
    SourceLocation where = context.raw.framework->version.where;
    std::string reason = extra.cuda_major == major
                             ? "jax[" + extra.name + "] matches the image's CUDA " + std::to_string(major)
                             : "jax " + framework.version.value + " has no CUDA " + std::to_string(major) +
                                   " extra; jax[" + extra.name + "] is the newest it has";
    framework.cuda_variant = resolved(extra.name, Origin::derived, reason, where);
    framework.cuda_version = extra.built_with.str();
    framework.index_url = resolved(std::string(), Origin::default_value, "jax comes from PyPI");
    framework.requirements.push_back(detail::pip_pin("jax[" + extra.name + "]", framework.version.value));
    return detail::reject_companions(context);
}

void JaxChoice::check_cuda(const checks::CheckContext& context) const
{
    const JaxExtra* extra = m_extra;
    std::string label = context.framework_label();
    if (!extra || extra->cuda_major != context.cuda.major()) {
        context.report("compat/jax-no-wheel-for-cuda",
                       label + " has no CUDA " + std::to_string(context.cuda.major()) +
                           " wheels (extras: " + join(m_release.extras, ", ") + ")",
                       context.cuda_where(),
                       extra ? "use a CUDA " + std::to_string(extra->cuda_major) + " image (leave cuda out)"
                             : "use jax 0.4.26 or newer");
        return;
    }
    if (context.cuda.major_minor() < extra->min_cuda) {
        context.report("compat/jax-no-wheel-for-cuda",
                       "jax[" + extra->name + "] needs CUDA " + extra->min_cuda.str() + " or newer; the image has " +
                           context.cuda.str(),
                       context.cuda_where(), "use cuda: \"" + extra->min_cuda.str() + "\" or newer");
    }
}

void JaxChoice::check_gpu(const checks::CheckContext& context, const GpuArch& gpu, const SourceLocation& where) const
{
    if (m_extra && Version({gpu.major, gpu.minor}) < m_extra->min_cc) {
        context.report(
            "arch/not-in-wheel",
            "jax[" + m_extra->name + "] needs compute capability " + m_extra->min_cc.str() + " or newer; " +
                checks::gpu_label(gpu) + " is " + gpu.cc(),
            where, m_extra->cuda_major > 12 ? "use jax[cuda12]: a CUDA 12 image (cuda: \"12.9\")" : "use another GPU");
    }
}

// --- the unit ----------------------------------------------------------------------------

class Jax : public Framework {
public:
    std::string_view name() const override { return "jax"; }
    std::string_view package() const override { return "jax"; }
    std::string_view title() const override { return "JAX"; }
    std::string_view data_file() const override { return "jax.yaml"; }

    void load(TableReader& reader, const DataNode& root, KnowledgeTables& out) const override
    {
        for (const auto& row : reader.table(root, "extras", out)) {
            out.jax_extras.push_back({reader.text(row, "name"), row["cuda_major"].as<int>(),
                                      reader.version(row, "built_with"), reader.version(row, "min_cuda"),
                                      reader.version(row, "min_driver"), reader.version(row, "min_cc"),
                                      reader.version(row, "since")});
        }
        for (const auto& row : reader.table(root, "releases", out)) {
            out.jax.push_back(
                {reader.version(row, "version"), reader.version(row, "python_min"), reader.strings(row, "extras"), {}});
        }
        std::stable_sort(out.jax.begin(), out.jax.end(),
                         [](const JaxRelease& a, const JaxRelease& b) { return a.version < b.version; });
        out.jax_newest_known = reader.version(root["releases"], "newest_known");
        if (root["pypi"]) {
            expand_jax_pypi_rows(reader, root, out);
        }
    }

    const PypiReleases& pypi(const KnowledgeTables& tables) const override { return tables.jax_pypi; }
    std::vector<Version> known_versions(const KnowledgeTables& tables) const override
    {
        std::vector<Version> known;
        for (const auto& release : tables.jax) {
            known.push_back(release.version);
        }
        return known;
    }
    Version default_version(const KnowledgeTables& tables) const override { return tables.jax_newest_known; }
    std::vector<Version> init_versions(const KnowledgeTables& tables) const override
    {
        std::vector<Version> versions = known_versions(tables);
        versions.push_back(tables.jax_newest_known);
        return versions;
    }

    bool choose(VersionContext& context, const Version& wanted) const override;

    void resolve_unchecked(VersionContext& context, const Version& cuda) const override
    {
        ResolvedFramework& framework = *context.out.framework;
        std::string reason = "unchecked: the CUDA " + cuda.str() + " stated in the profile";
        std::string extra = "cuda" + std::to_string(cuda.major());
        framework.cuda_variant = resolved(extra, Origin::derived, reason, context.raw.framework->version.where);
        framework.requirements.push_back(detail::pip_pin("jax[" + extra + "]", framework.version.value));
    }
};

bool Jax::choose(VersionContext& context, const Version& wanted) const
{
    const RawFramework& raw = *context.raw.framework;
    const KnowledgeTables& tables = context.tables;
    // tables without PyPI rows: a row applies up to the next one
    const JaxRelease* release =
        tables.jax_pypi.versions.empty() ? tables.jax_release(wanted) : find_jax_release(tables, wanted);
    if (!release && wanted < tables.jax.front().version) {
        std::string first = tables.jax.front().version.str();
        context.diagnostics.error(
            "framework/unknown-version",
            "jax " + raw.version.value + " predates the CUDA 12 plugin wheels (jax " + first + "+)", raw.version.where,
            "use jax " + first + " or newer");
        return false;
    }
    if (!release) {
        return detail::report_unknown_version(context, wanted, known_versions(tables));
    }
    context.choice = std::make_shared<JaxChoice>(*release);
    bool exact = tables.jax_pypi.versions.empty() || wanted.size() > 2;
    Version pinned = !exact ? release->version : wanted.size() == 2 ? *Version::parse(wanted.str() + ".0") : wanted;
    std::string reason = wanted.size() > 2 ? "as written in the profile"
                         : exact           ? "X.Y.0 of jax " + raw.version.value + " (the table has no JAX patch lists)"
                                           : "newest patch release of jax " + raw.version.value;
    context.out.framework->version = resolved(pinned.str(), Origin::profile, reason, raw.version.where);
    context.out.framework->pinned = pinned;
    return true;
}

}  // namespace

const Framework& jax_framework()
{
    static const Jax k_unit;
    return k_unit;
}

}  // namespace cudagen
