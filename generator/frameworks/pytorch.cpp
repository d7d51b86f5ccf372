// PyTorch: torch wheels per CUDA variant (cu121, ...) from PyPI or PyTorch's own
// index, torchvision/torchaudio paired per patch release, conda builds from the
// pytorch channel, aarch64 CUDA wheels for some releases. Rows: generator/data/pytorch.yaml
// (and the torch_arm64 table of platform_wheels.yaml).
#include "check/check_context.hpp"
#include "core/text.hpp"
#include "frameworks/framework.hpp"
#include "knowledge/gpu_arch.hpp"
#include "knowledge/table_reader.hpp"
#include "resolve/resolve_versions_detail.hpp"

#include <algorithm>

namespace cudagen {

namespace {

using detail::resolved;
using detail::VersionContext;

constexpr const char* k_torch_index = "https://download.pytorch.org/whl/";

// --- the table ------------------------------------------------------------------------

TorchRelease read_torch_release(TableReader& reader, const DataNode& row)
{
    TorchRelease release;
    release.version = reader.version(row, "version");
    release.python = read_python_range(reader, row["python"]);
    release.pypi_default = reader.text(row["pypi_default"], "variant", false);
    release.pypi_default_unconfirmed = reader.flag(row["pypi_default"], "unconfirmed");
    release.note = reader.text(row, "note", false);
    for (const auto& item : row["variants"]) {
        release.variants.push_back({reader.text(item, "name"), reader.version(item, "cuda"),
                                    reader.flag(item, "experimental"), reader.strings(item, "arch_list"),
                                    reader.flag(item, "ptx"), reader.flag(item, "unconfirmed")});
    }
    for (const auto& item : row["patches"]) {
        release.patches.push_back({reader.version(item, "version"),
                                   reader.text(item, "torchvision"),
                                   reader.text(item, "torchaudio"),
                                   reader.flag(item, "unconfirmed"),
                                   {},
                                   {}});
    }
    if (release.variants.empty()) {
        reader.fail(row, "torch " + release.version.str() + " needs at least one variant");
    }
    return release;
}

// A generated `pypi` row becomes the patch of its X.Y release (made when the
// release row lists no patches); rows of X.Y without a release row only say
// that PyPI has the release.
void attach_torch_pypi_row(TableReader& reader, const DataNode& row, KnowledgeTables& out)
{
    Version version = reader.version(row, "version");
    out.torch_pypi.versions.push_back(version);
    auto release = std::find_if(out.torch.begin(), out.torch.end(),
                                [&](const TorchRelease& r) { return r.version == version.major_minor(); });
    if (release == out.torch.end()) {
        return;
    }
    auto found = std::find_if(release->patches.begin(), release->patches.end(),
                              [&](const TorchPatch& p) { return p.version == version; });
    TorchPatch* patch = found == release->patches.end() ? &release->patches.emplace_back() : &*found;
    patch->version = version;
    patch->torchvision = optional_text(row, "torchvision");
    patch->torchaudio = optional_text(row, "torchaudio");
    patch->python = reader.versions(row, "python");
    for (const char* platform : {"amd64", "arm64"}) {
        if (row[platform]) {
            patch->pypi[platform] = read_pypi_wheel(reader, row[platform]);
        }
    }
}

void finish_torch_releases(TableReader& reader, KnowledgeTables& out)
{
    for (auto& release : out.torch) {
        std::stable_sort(release.patches.begin(), release.patches.end(),
                         [](const TorchPatch& a, const TorchPatch& b) { return a.version < b.version; });
        if (release.patches.empty()) {
            reader.fail(DataNode(),
                        "torch " + release.version.str() + " has no patch release (no pypi row, no patches)");
            continue;
        }
        if (const PypiWheel* wheel = release.patches.back().pypi_wheel("amd64")) {
            release.pypi_default = wheel->variant;
            release.pypi_default_unconfirmed = false;
        }
    }
}

// --- wheels and GPUs --------------------------------------------------------------------

std::vector<GpuArch> archs_of(const std::vector<std::string>& arch_list)
{
    std::vector<GpuArch> archs;
    for (const auto& cc : arch_list) {
        if (auto arch = parse_compute_capability(cc)) {
            archs.push_back(*arch);
        }
    }
    return archs;
}

bool variant_runs_on(const TorchVariant& variant, const GpuArch& gpu)
{
    return runs_on(archs_of(variant.arch_list), variant.ptx, gpu.major, gpu.minor);
}

std::string arch_list_text(const std::vector<std::string>& arch_list, bool ptx)
{
    return join(arch_list, ";") + (ptx ? "+PTX" : " without PTX");
}

// The release's range narrowed to the CPython versions the patch has wheels for on PyPI
// (torch 1.10.0 has none for 3.10, 1.10.2 has).
PythonRange narrowed_to_patch(const PythonRange& range, const TorchPatch& patch)
{
    if (patch.python.empty()) {
        return range;
    }
    PythonRange out;
    std::vector<Version> stable;
    for (const auto& python : patch.python) {
        if (python >= range.min && python <= range.max) {
            stable.push_back(python);
        } else if (range.experimental_only(python)) {
            out.experimental.push_back(python);
        }
    }
    if (stable.empty()) {
        return range;
    }
    out.min = stable.front();
    out.max = stable.back();
    return out;
}

const TorchVariant* pick_torch_variant(const TorchRelease& release, const Version& cuda)
{
    Version wanted = cuda.major_minor();
    const TorchVariant* below = nullptr;  // newest same-major variant <= wanted
    const TorchVariant* above = nullptr;  // oldest same-major variant > wanted
    const TorchVariant* any_below = nullptr;
    for (const auto& variant : release.variants) {  // oldest CUDA first
        if (variant.cuda == wanted) {
            return &variant;
        }
        bool same_major = variant.cuda.major() == wanted.major();
        if (variant.cuda < wanted) {
            any_below = &variant;
            below = same_major ? &variant : below;
        } else if (same_major && !above) {
            above = &variant;
        }
    }
    if (below || above) {
        return below ? below : above;
    }
    return any_below ? any_below : &release.variants.front();
}

// What PyPI's torch wheel is for the platform, when it is not `variant`; "" when it is.
std::string pypi_differs(const TorchPatch& patch, const TorchVariant& variant, const std::string& platform)
{
    const PypiWheel* wheel = patch.pypi_wheel(platform);
    std::string torch = "PyPI's torch " + patch.version.str() + " for " + platform;
    if (!wheel) {
        return patch.pypi.empty() ? "the tables do not say which build " + torch + " is" : torch + " does not exist";
    }
    if (wheel->variant == variant.name) {
        return "";
    }
    return wheel->variant == "cpu" ? torch + " is a CPU-only build" : torch + " is the " + wheel->variant + " build";
}

// PyTorch's index root, or the mirror of it the profile names (always ending in '/').
std::string torch_index_root(const VersionContext& context)
{
    const LocatedString& mirror = context.raw.pip_framework_index_url;
    if (!mirror.present) {
        return k_torch_index;
    }
    return mirror.value.ends_with('/') ? mirror.value : mirror.value + "/";
}

std::string mirror_note(const VersionContext& context)
{
    return context.raw.pip_framework_index_url.present ? " (through the pip.framework_index_url mirror)" : "";
}

// The first GPU of gpu_archs that the variant's wheel has no kernels for; "" when none.
std::string gpu_without_kernels(const VersionContext& context, const TorchVariant& variant)
{
    std::vector<GpuArch> sass = archs_of(variant.arch_list);
    for (const auto& written : context.raw.gpu_archs) {
        auto gpu = parse_gpu_arch(written.value, context.tables);
        if (gpu && !runs_on(sass, variant.ptx, gpu->major, gpu->minor)) {
            return written.value;
        }
    }
    return "";
}

// --- the rows chosen for one profile --------------------------------------------------------

class TorchChoice : public FrameworkChoice {
public:
    TorchChoice(const TorchRelease& release, const TorchPatch& patch) : m_release(release), m_patch(patch) {}

    const ImageRelease* pick_cuda(const VersionContext& context, std::string& reason) const override;
    std::string brings_cuda(const ResolvedFramework& framework) const override
    {
        return framework.channel == "conda" ? "pytorch-cuda (nvidia conda channel)"
                                            : "torch's wheels (nvidia-* pip packages)";
    }
    bool resolve_details(VersionContext& context) override;
    PythonRange python_range() const override { return narrowed_to_patch(m_release.python, m_patch); }

    void check_cuda(const checks::CheckContext& context) const override;
    void check_gpu(const checks::CheckContext& context, const GpuArch& gpu, const SourceLocation& where) const override;
    void check_arm64(const checks::CheckContext& context, const std::vector<checks::GpuTarget>& targets) const override;
    int bundled_cuda_major() const override { return m_variant ? m_variant->cuda.major() : 0; }
    std::string companion_version(std::string_view package) const override
    {
        return package == "torchvision" ? m_patch.torchvision : package == "torchaudio" ? m_patch.torchaudio : "";
    }

private:
    std::string variant_reason(const TorchVariant& variant, const VersionContext& context) const;
    bool add_companions(VersionContext& context, ResolvedFramework& framework) const;
    void add_requirements(ResolvedFramework& framework, const TorchVariant& variant) const;
    Resolved<std::string> wheel_source(const VersionContext& context, const TorchVariant& variant,
                                       const SourceLocation& where) const;
    std::string gpu_fix(const checks::CheckContext& context, const GpuArch& gpu) const;
    std::string arm64_variant_fix(const checks::CheckContext& context) const;

    const TorchRelease& m_release;
    const TorchPatch& m_patch;
    const TorchVariant* m_variant = nullptr;  // chosen once CUDA is known
};

// Without a cuda in the profile: the CUDA of torch's default build (the one on PyPI) when it
// has images and kernels for gpu_archs, else the newest variant's that has. The newest variant
// is often experimental, raises the driver floor, and binary wheels built against torch
// (vLLM, xformers, flash-attn) target the default.
const ImageRelease* TorchChoice::pick_cuda(const VersionContext& context, std::string& reason) const
{
    const std::string& version = context.out.framework->version.value;
    const TorchVariant& newest = m_release.variants.back();
    const PypiWheel* wheel = m_patch.pypi_wheel("amd64");
    const TorchVariant* pypi = wheel ? m_release.variant(wheel->variant) : nullptr;
    std::string pypi_missing = pypi ? gpu_without_kernels(context, *pypi) : "";
    const ImageRelease* image = pypi ? context.tables.current_image(pypi->cuda.major(), pypi->cuda.minor()) : nullptr;
    if (image && pypi_missing.empty()) {
        reason = "CUDA of torch " + version + "'s default build " + pypi->name + " (the one on PyPI)";
        if (pypi != &newest) {
            reason += ", preferred over the newest, " + newest.name +
                      ": newest variants are often experimental and raise the driver floor, and wheels built "
                      "against torch (vLLM, xformers, flash-attn) target the default";
        }
        reason += "; newest point release of " + pypi->cuda.str() + " with images";
        return image;
    }
    std::string because =
        pypi_missing.empty() ? "" : " (its default build " + pypi->name + " has no kernels for " + pypi_missing + ")";
    const TorchVariant* with_kernels = nullptr;  // newest variant with images and kernels for gpu_archs
    const TorchVariant* with_images = nullptr;   // newest variant with images
    for (auto variant = m_release.variants.rbegin(); variant != m_release.variants.rend() && !with_kernels; ++variant) {
        if (!context.tables.current_image(variant->cuda.major(), variant->cuda.minor())) {
            continue;
        }
        with_images = with_images ? with_images : &*variant;
        with_kernels = gpu_without_kernels(context, *variant).empty() ? &*variant : nullptr;
    }
    const TorchVariant* chosen = with_kernels ? with_kernels : with_images;
    if (!chosen) {
        return nullptr;
    }
    reason = "newest CUDA with a " + chosen->name + " wheel for torch " + version + because +
             "; newest point release of " + chosen->cuda.str() + " with images";
    return context.tables.current_image(chosen->cuda.major(), chosen->cuda.minor());
}

std::string TorchChoice::variant_reason(const TorchVariant& variant, const VersionContext& context) const
{
    const std::string& torch = context.out.framework->version.value;
    Version cuda = *Version::parse(context.out.cuda.value);
    if (variant.cuda == cuda.major_minor()) {
        return variant.name + " is the torch " + torch + " wheel built for CUDA " + variant.cuda.str();
    }
    if (variant.cuda.major() == cuda.major()) {
        return "torch " + torch + " has no wheel for CUDA " + cuda.major_minor().str() + "; " + variant.name +
               " is the nearest of CUDA " + std::to_string(variant.cuda.major());
    }
    return "torch " + torch + " has no CUDA " + std::to_string(cuda.major()) + " wheel; " + variant.name +
           " is the nearest (see compat/torch-no-wheel-for-cuda)";
}

bool TorchChoice::add_companions(VersionContext& context, ResolvedFramework& framework) const
{
    bool ok = true;
    for (const auto& companion : context.raw.framework->with) {
        const std::string& name = companion.value;
        std::string version = companion_version(name);
        if (version.empty()) {
            context.diagnostics.error("framework/unknown-companion",
                                      "'" + name + "' is not a companion cudagen pins for pytorch" +
                                          did_you_mean(name, {"torchvision", "torchaudio"}),
                                      companion.where, "use torchvision or torchaudio, or list it under pip.packages");
            ok = false;
            continue;
        }
        framework.companions[name] =
            resolved(version, Origin::derived, "the " + name + " release paired with torch " + m_patch.version.str(),
                     companion.where);
    }
    return ok;
}

void TorchChoice::add_requirements(ResolvedFramework& framework, const TorchVariant& variant) const
{
    bool conda = framework.channel == "conda";
    auto pin = conda ? detail::conda_pin : detail::pip_pin;
    framework.requirements.push_back(pin(conda ? "pytorch" : "torch", framework.version.value));
    if (conda) {  // the pytorch channel pairs builds with pytorch-cuda from 1.13, cudatoolkit before
        bool before_113 = m_patch.version < Version({1, 13});
        framework.requirements.push_back(
            detail::conda_pin(before_113 ? "cudatoolkit" : "pytorch-cuda", variant.cuda.str()));
    }
    for (const auto& [name, version] : framework.companions) {
        framework.requirements.push_back(pin(name, version.value));
    }
}

// PyPI carries one build of each torch release per platform. When that build is the chosen
// variant on every platform, an exact pin from PyPI cannot resolve to a CPU-only or
// other-CUDA wheel (and PyPI mirrors serve it); otherwise PyTorch's own index for the variant.
Resolved<std::string> TorchChoice::wheel_source(const VersionContext& context, const TorchVariant& variant,
                                                const SourceLocation& where) const
{
    const std::string& version = context.out.framework->version.value;
    for (const auto& platform : context.out.platforms.value) {
        std::string differs = pypi_differs(m_patch, variant, platform);
        if (!differs.empty()) {
            return resolved(torch_index_root(context) + variant.name, Origin::derived,
                            "PyTorch's index for " + variant.name + " wheels" + mirror_note(context) + ": " + differs,
                            where);
        }
    }
    std::string platforms = join(context.out.platforms.value, " and ");
    return resolved(
        std::string(), Origin::derived,
        "PyPI: torch " + version + " there is the " + variant.name + " build for " + platforms +
            " (PyPI's only build of it), pinned exactly, so pip cannot fall back to a CPU-only or other-CUDA wheel",
        where);
}

bool TorchChoice::resolve_details(VersionContext& context)
{
    ResolvedFramework& framework = *context.out.framework;
    m_variant = pick_torch_variant(m_release, *Version::parse(context.out.cuda.value));
    const TorchVariant& variant = *m_variant;
    SourceLocation where = context.raw.framework->version.where;
    framework.cuda_variant = resolved(variant.name, Origin::derived, variant_reason(variant, context), where);
    framework.cuda_version = variant.cuda.str();
    if (framework.channel == "conda") {
        bool before_113 = m_release.version < Version({1, 13});
        framework.index_url =
            resolved(std::string(), Origin::derived,
                     before_113 ? "conda channel: cudatoolkit=" + variant.cuda.str() + " from -c pytorch -c conda-forge"
                                : "conda channel: pytorch-cuda=" + variant.cuda.str() + " from -c pytorch -c nvidia",
                     where);
    } else {
        framework.index_url = wheel_source(context, variant, where);
    }
    framework.arch_list = variant.arch_list;
    framework.arch_list_has_ptx = variant.ptx;
    bool ok = add_companions(context, framework);
    add_requirements(framework, variant);
    return ok;
}

// --- check ----------------------------------------------------------------------------------

std::string variant_names(const TorchRelease& release)
{
    std::vector<std::string> names;
    for (const auto& variant : release.variants) {
        names.push_back(variant.name);
    }
    return join(names, ", ");
}

// Oldest torch release with a wheel of CUDA `major`.
const TorchRelease* first_torch_with_major(const KnowledgeTables& tables, int major)
{
    for (const auto& release : tables.torch) {
        for (const auto& variant : release.variants) {
            if (variant.cuda.major() == major) {
                return &release;
            }
        }
    }
    return nullptr;
}

void TorchChoice::check_cuda(const checks::CheckContext& context) const
{
    if (!m_variant) {
        return;
    }
    const TorchVariant& variant = *m_variant;
    std::string image_xy = context.cuda.major_minor().str();
    if (variant.cuda.major() != context.cuda.major()) {
        const TorchRelease* newer = first_torch_with_major(context.tables, context.cuda.major());
        std::string fix = "use cuda: \"" + variant.cuda.str() + "\" (" + variant.name + ")";
        if (newer) {
            fix += ", or torch " + newer->patches.back().version.str() + " or newer for CUDA " +
                   std::to_string(context.cuda.major());
        }
        context.report("compat/torch-no-wheel-for-cuda",
                       context.framework_label() + " has no wheel for CUDA " + image_xy +
                           " (its wheels: " + variant_names(m_release) + ")",
                       context.cuda_where(), fix);
        return;
    }
    if (variant.cuda != context.cuda.major_minor() && context.raw.cuda.present) {
        context.report(
            "compat/torch-cuda-minor-differs",
            context.framework_label() + " has no cu" + std::to_string(context.cuda.major()) +
                std::to_string(context.cuda.minor()) + " wheel; its " + variant.name + " wheel (CUDA " +
                variant.cuda.str() + ") will run on the CUDA " + context.cuda.str() + " image",
            context.cuda_where(),
            "set cuda: \"" + variant.cuda.str() + "\" so extensions build with torch's CUDA, or leave cuda out");
    }
}

std::string TorchChoice::gpu_fix(const checks::CheckContext& context, const GpuArch& gpu) const
{
    const auto& variants = m_release.variants;
    for (auto variant = variants.rbegin(); variant != variants.rend(); ++variant) {
        if (variant_runs_on(*variant, gpu)) {
            return "use the " + variant->name + " wheel: cuda: \"" + variant->cuda.str() + "\"";
        }
    }
    for (const auto& release : context.tables.torch) {
        if (release.version <= m_release.version) {
            continue;
        }
        for (auto variant = release.variants.rbegin(); variant != release.variants.rend(); ++variant) {
            if (variant_runs_on(*variant, gpu)) {
                return "use torch " + release.patches.back().version.str() + " or newer with " + variant->name +
                       " (cuda: \"" + variant->cuda.str() + "\")";
            }
        }
    }
    return "no torch release in the tables has kernels for sm_" + gpu.sm();
}

void TorchChoice::check_gpu(const checks::CheckContext& context, const GpuArch& gpu, const SourceLocation& where) const
{
    if (m_variant && !variant_runs_on(*m_variant, gpu)) {
        context.report("arch/not-in-wheel",
                       context.framework_label() + " " + m_variant->name + " has no kernels for " +
                           checks::gpu_label(gpu) + ": its wheel has " +
                           arch_list_text(m_variant->arch_list, m_variant->ptx),
                       where, gpu_fix(context, gpu));
    }
}

std::string first_arm64_torch(const KnowledgeTables& tables)
{
    auto oldest = std::min_element(tables.torch_arm64.begin(), tables.torch_arm64.end(),
                                   [](const TorchArm64Wheel& a, const TorchArm64Wheel& b) { return a.from < b.from; });
    return oldest == tables.torch_arm64.end() ? "" : oldest->from.str();
}

// Another CUDA variant of the same torch release that has an aarch64 wheel.
std::string TorchChoice::arm64_variant_fix(const checks::CheckContext& context) const
{
    for (auto variant = m_release.variants.rbegin(); variant != m_release.variants.rend(); ++variant) {
        if (context.tables.torch_arm64_wheel(m_release.version, variant->name)) {
            return "use the " + variant->name + " wheel (cuda: \"" + variant->cuda.str() + "\"), or drop linux/arm64";
        }
    }
    return "use torch " + first_arm64_torch(context.tables) +
           " or newer (the first with aarch64 CUDA wheels), or drop linux/arm64";
}

void TorchChoice::check_arm64(const checks::CheckContext& context, const std::vector<checks::GpuTarget>& targets) const
{
    if (!m_variant) {
        return;
    }
    const TorchArm64Wheel* wheel = context.tables.torch_arm64_wheel(m_release.version, m_variant->name);
    if (!wheel) {
        context.report("platform/no-arm64-wheel",
                       context.framework_label() + " has no " + m_variant->name +
                           " CUDA wheel for linux/arm64 (PyPI's aarch64 torch is CPU-only)",
                       checks::platforms_where(context), arm64_variant_fix(context));
        return;
    }
    std::vector<GpuArch> archs = archs_of(wheel->arch_list);
    for (const auto& target : targets) {
        if (!runs_on(archs, wheel->ptx, target.arch.major, target.arch.minor) &&
            !context.tables.jetson_base(target.arch.major, target.arch.minor)) {
            context.report("arch/not-in-wheel",
                           context.framework_label() + " " + wheel->variant + " for linux/arm64 has no kernels for " +
                               checks::gpu_label(target.arch) + ": its aarch64 wheel has " +
                               arch_list_text(wheel->arch_list, wheel->ptx),
                           target.where, "build this GPU's image for linux/amd64 only");
        }
    }
}

// --- the unit ----------------------------------------------------------------------------

class Pytorch : public Framework {
public:
    std::string_view name() const override { return "pytorch"; }
    std::string_view package() const override { return "torch"; }
    std::string_view title() const override { return "PyTorch"; }
    std::vector<std::string_view> package_names() const override { return {"torch", "pytorch"}; }
    // anaconda.org/pytorch/pytorch; anaconda.org/conda-forge/pytorch-gpu (read 2026-11-30).
    std::vector<std::string_view> conda_packages() const override { return {"pytorch", "pytorch-gpu"}; }
    std::string_view data_file() const override { return "pytorch.yaml"; }

    void load(TableReader& reader, const DataNode& root, KnowledgeTables& out) const override
    {
        for (const auto& row : reader.table(root, "releases", out)) {
            out.torch.push_back(read_torch_release(reader, row));
        }
        std::stable_sort(out.torch.begin(), out.torch.end(),
                         [](const TorchRelease& a, const TorchRelease& b) { return a.version < b.version; });
        if (root["pypi"]) {
            for (const auto& row : reader.table(root, "pypi", out)) {
                attach_torch_pypi_row(reader, row, out);
            }
            out.torch_pypi.read = reader.text(root["pypi"], "read");
            std::sort(out.torch_pypi.versions.begin(), out.torch_pypi.versions.end());
        }
        finish_torch_releases(reader, out);
    }

    const PypiReleases& pypi(const KnowledgeTables& tables) const override { return tables.torch_pypi; }
    std::vector<Version> known_versions(const KnowledgeTables& tables) const override
    {
        return tables.torch_patch_versions();
    }
    Version default_version(const KnowledgeTables& tables) const override
    {
        return tables.torch.back().patches.back().version;
    }
    std::vector<Version> init_versions(const KnowledgeTables& tables) const override;

    bool choose(VersionContext& context, const Version& wanted) const override
    {
        const TorchRelease* release = context.tables.torch_release(wanted);
        const TorchPatch* patch = nullptr;
        if (release) {
            patch = wanted.size() == 2 ? &release->patches.back() : release->patch(wanted);
        }
        if (!patch) {
            return detail::report_unknown_version(context, wanted, known_versions(context.tables));
        }
        context.choice = std::make_shared<TorchChoice>(*release, *patch);
        const RawFramework& raw = *context.raw.framework;
        std::string reason =
            wanted.size() == 2 ? "newest patch release of torch " + raw.version.value : "as written in the profile";
        context.out.framework->version = resolved(patch->version.str(), Origin::profile, reason, raw.version.where);
        context.out.framework->pinned = patch->version;
        return true;
    }

    void resolve_unchecked(VersionContext& context, const Version& cuda) const override
    {
        ResolvedFramework& framework = *context.out.framework;
        SourceLocation where = context.raw.framework->version.where;
        std::string reason = "unchecked: the CUDA " + cuda.str() + " stated in the profile";
        std::string variant = "cu" + std::to_string(cuda.major()) + std::to_string(cuda.minor());
        framework.cuda_variant = resolved(variant, Origin::derived, reason, where);
        framework.index_url = resolved(k_torch_index + variant, Origin::derived,
                                       "PyTorch's index for " + variant + " wheels (" + reason + ")", where);
        framework.requirements.push_back(detail::pip_pin("torch", framework.version.value));
    }

    bool variant_is_local_tag() const override { return true; }
    std::string pypi_install_note(const ResolvedFramework& f) const override
    {
        return "From PyPI, pinned exactly: PyPI's only build of torch " + f.version.value + " here is " +
               f.cuda_variant.value + ", so pip cannot fall back to another CUDA variant or a CPU-only wheel.";
    }
};

std::vector<Version> Pytorch::init_versions(const KnowledgeTables& tables) const
{
    std::vector<Version> versions;
    for (const auto& release : tables.torch) {
        for (const auto& patch : release.patches) {
            versions.push_back(patch.version);
        }
        versions.push_back(release.version);
    }
    return versions;
}

}  // namespace

const Framework& pytorch_framework()
{
    static const Pytorch k_unit;
    return k_unit;
}

}  // namespace cudagen
