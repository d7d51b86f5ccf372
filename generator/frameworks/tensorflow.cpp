// TensorFlow: one build per release, built and tested with one CUDA and cuDNN;
// from 2.14 tensorflow[and-cuda] brings those as pip wheels, before it the image's
// are used. Rows: generator/data/tensorflow.yaml.
#include "check/check_context.hpp"
#include "frameworks/framework.hpp"
#include "knowledge/table_reader.hpp"
#include "resolve/resolve_versions_detail.hpp"

#include <algorithm>

namespace cudagen {

namespace {

using detail::resolved;
using detail::VersionContext;

// --- the table ------------------------------------------------------------------------

// `and_cuda` of a generated tensorflow row: the wheel has tensorflow[and-cuda].
PypiWheel read_tensorflow_wheel(TableReader& reader, const DataNode& node)
{
    PypiWheel wheel = read_pypi_wheel(reader, node);
    wheel.variant = reader.flag(node, "and_cuda") ? "and-cuda" : "";
    return wheel;
}

PythonRange python_range_of(const std::vector<Version>& pythons, const PythonRange& fallback)
{
    if (pythons.empty()) {
        return fallback;
    }
    return {pythons.front(), pythons.back(), {}};
}

// Each generated pypi row is a release of its hand-kept X.Y row (the tested configuration).
void expand_tensorflow_pypi_rows(TableReader& reader, const DataNode& root,
                                 const std::vector<TensorflowRelease>& minors, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "pypi", out)) {
        Version version = reader.version(row, "version");
        out.tensorflow_pypi.versions.push_back(version);
        auto minor = std::find_if(minors.begin(), minors.end(),
                                  [&](const TensorflowRelease& r) { return r.version == version.major_minor(); });
        if (minor == minors.end()) {
            continue;
        }
        TensorflowRelease release = *minor;
        release.version = version;
        release.python = python_range_of(reader.versions(row, "python"), minor->python);
        for (const char* platform : {"amd64", "arm64"}) {
            if (row[platform]) {
                release.pypi[platform] = read_tensorflow_wheel(reader, row[platform]);
            }
        }
        if (const auto found = release.pypi.find("amd64"); found != release.pypi.end()) {
            release.pip_cuda = found->second.variant == "and-cuda";
        }
        out.tensorflow.push_back(std::move(release));
    }
    out.tensorflow_pypi.read = reader.text(root["pypi"], "read");
    std::sort(out.tensorflow_pypi.versions.begin(), out.tensorflow_pypi.versions.end());
}

// --- the rows chosen for one profile --------------------------------------------------------

class TensorflowChoice : public FrameworkChoice {
public:
    explicit TensorflowChoice(const TensorflowRelease& release) : m_release(release) {}

    const ImageRelease* pick_cuda(const VersionContext& context, std::string& reason) const override
    {
        const Version& cuda = m_release.cuda;
        reason = "tensorflow " + context.out.framework->version.value + " is built and tested with CUDA " + cuda.str() +
                 "; newest point release with images";
        return context.tables.current_image(cuda.major(), cuda.minor());
    }
    std::optional<std::string> needs_image_cudnn() const override
    {
        if (m_release.pip_cuda) {
            return std::nullopt;
        }
        return "tensorflow " + m_release.version.str() +
               " uses the image's cuDNN (no tensorflow[and-cuda] before 2.14)";
    }
    std::string brings_cuda(const ResolvedFramework& /*framework*/) const override
    {
        return m_release.pip_cuda ? "tensorflow[and-cuda] (nvidia-* pip packages)" : "";
    }
    bool resolve_details(VersionContext& context) override;
    PythonRange python_range() const override { return m_release.python; }

    void check_cuda(const checks::CheckContext& context) const override;
    int bundled_cuda_major() const override { return m_release.pip_cuda ? m_release.cuda.major() : 0; }

private:
    const TensorflowRelease& m_release;
};

bool TensorflowChoice::resolve_details(VersionContext& context)
{
    ResolvedFramework& framework = *context.out.framework;
    SourceLocation where = context.raw.framework->version.where;
    std::string variant = m_release.pip_cuda ? "and-cuda" : "";
    std::string reason = m_release.pip_cuda
                             ? "tensorflow[and-cuda] installs the CUDA " + m_release.cuda.str() + " and cuDNN " +
                                   m_release.cudnn + " pip wheels it is built with"
                             : "tensorflow " + m_release.version.str() + " uses the image's CUDA and cuDNN";
    framework.cuda_variant = resolved(variant, Origin::derived, reason, where);
    framework.cuda_version = m_release.cuda.str();
    framework.index_url = resolved(std::string(), Origin::default_value, "tensorflow comes from PyPI");
    std::string package = m_release.pip_cuda ? "tensorflow[and-cuda]" : "tensorflow";
    framework.requirements.push_back(detail::pip_pin(package, framework.version.value));
    return detail::reject_companions(context);
}

void TensorflowChoice::check_cuda(const checks::CheckContext& context) const
{
    bool same_major = m_release.cuda.major() == context.cuda.major();
    std::string label = context.framework_label();
    if (m_release.pip_cuda) {
        if (!same_major) {
            context.report("framework/two-cuda-runtimes",
                           label + " brings CUDA " + m_release.cuda.str() + " pip libraries into a CUDA " +
                               context.cuda.str() + " image: two CUDA runtimes in one process",
                           context.cuda_where(), "use cuda: \"" + m_release.cuda.str() + "\" or leave cuda out");
        }
        return;
    }
    if (!same_major || context.cuda.major_minor() < m_release.cuda) {
        context.report("compat/tensorflow-cuda-mismatch",
                       label + " is built for CUDA " + m_release.cuda.str() +
                           " and loads the image's libraries, but the image has CUDA " + context.cuda.str(),
                       context.cuda_where(), "use cuda: \"" + m_release.cuda.str() + "\" or leave cuda out");
    }
    if (!context.resolved.cudnn.value) {
        context.report("compat/tensorflow-needs-cudnn",
                       label + " needs cuDNN " + m_release.cudnn + " from the image, but cudnn is false",
                       context.resolved.cudnn.where.known() ? context.resolved.cudnn.where : context.framework_where(),
                       "set cudnn: true, or use tensorflow 2.14 or newer (tensorflow[and-cuda])");
    }
}

// --- the unit ----------------------------------------------------------------------------

class Tensorflow : public Framework {
public:
    std::string_view name() const override { return "tensorflow"; }
    std::string_view package() const override { return "tensorflow"; }
    std::string_view title() const override { return "TensorFlow"; }
    // anaconda.org/conda-forge/tensorflow and tensorflow-gpu (read 2026-11-30).
    std::vector<std::string_view> conda_packages() const override { return {"tensorflow", "tensorflow-gpu"}; }
    std::string_view data_file() const override { return "tensorflow.yaml"; }

    void load(TableReader& reader, const DataNode& root, KnowledgeTables& out) const override
    {
        std::vector<TensorflowRelease> minors;
        for (const auto& row : reader.table(root, "releases", out)) {
            minors.push_back({reader.version(row, "version"),
                              read_python_range(reader, row["python"]),
                              reader.version(row, "cuda"),
                              reader.text(row, "cudnn"),
                              reader.flag(row, "pip_cuda"),
                              {}});
        }
        if (root["pypi"]) {
            expand_tensorflow_pypi_rows(reader, root, minors, out);
        } else {
            out.tensorflow = minors;
        }
        std::stable_sort(out.tensorflow.begin(), out.tensorflow.end(),
                         [](const TensorflowRelease& a, const TensorflowRelease& b) { return a.version > b.version; });
    }

    const PypiReleases& pypi(const KnowledgeTables& tables) const override { return tables.tensorflow_pypi; }
    std::vector<Version> known_versions(const KnowledgeTables& tables) const override
    {
        std::vector<Version> out;
        for (auto release = tables.tensorflow.rbegin(); release != tables.tensorflow.rend(); ++release) {
            out.push_back(release->version);  // newest first -> oldest first
        }
        return out;
    }
    Version default_version(const KnowledgeTables& tables) const override { return tables.tensorflow.front().version; }
    std::vector<Version> init_versions(const KnowledgeTables& tables) const override { return known_versions(tables); }

    bool choose(VersionContext& context, const Version& wanted) const override
    {
        const RawFramework& raw = *context.raw.framework;
        const TensorflowRelease* release = context.tables.tensorflow_release(wanted);
        if (!release) {
            return detail::report_unknown_version(context, wanted, known_versions(context.tables));
        }
        context.choice = std::make_shared<TensorflowChoice>(*release);
        std::string pinned = release->version.str();
        std::string reason = pinned == raw.version.value ? "as written in the profile"
                                                         : "newest patch release of tensorflow " + raw.version.value;
        context.out.framework->version = resolved(pinned, Origin::profile, reason, raw.version.where);
        context.out.framework->pinned = release->version;
        return true;
    }

    void resolve_unchecked(VersionContext& context, const Version& cuda) const override
    {
        ResolvedFramework& framework = *context.out.framework;
        std::string reason = "unchecked: the CUDA " + cuda.str() + " stated in the profile";
        framework.cuda_variant =
            resolved(std::string("and-cuda"), Origin::derived, reason, context.raw.framework->version.where);
        framework.requirements.push_back(detail::pip_pin("tensorflow[and-cuda]", framework.version.value));
    }
};

}  // namespace

const Framework& tensorflow_framework()
{
    static const Tensorflow k_unit;
    return k_unit;
}

}  // namespace cudagen
