// The framework: pinned version, the CUDA it wants, its wheel variant and index,
// companion versions and the pip/conda requirement strings.
#include "resolve/resolve_versions_detail.hpp"

#include "core/text.hpp"
#include "knowledge/gpu_arch.hpp"

#include <algorithm>

namespace cudagen::detail {

namespace {

constexpr const char* k_unknown_version = "framework/unknown-version";
constexpr const char* k_torch_index = "https://download.pytorch.org/whl/";

const std::vector<std::string> k_framework_names = {"pytorch", "tensorflow", "jax"};

std::string pip_pin(const std::string& name, const std::string& version)
{
    return name + "==" + version;
}
std::string conda_pin(const std::string& name, const std::string& version)
{
    return name + "=" + version;
}

// What the tables know of one framework's releases, for the unknown-version paths.
struct KnownReleases {
    std::string label;           // "torch"
    std::string table;           // "PyTorch"
    std::vector<Version> known;  // releases with rows, oldest first
    const PypiReleases& pypi;
};

bool on_pypi(const PypiReleases& pypi, const Version& wanted)
{
    return std::any_of(pypi.versions.begin(), pypi.versions.end(),
                       [&](const Version& v) { return wanted.size() == 2 ? v.starts_with(wanted) : v == wanted; });
}

// A release newer than the tables: on PyPI but without rows, or newer than every
// release read. With `cuda` stated the profile goes on, the framework rows unchecked.
bool newer_than_tables(VersionContext& context, const Version& wanted, const KnownReleases& releases)
{
    const RawFramework& raw = *context.raw.framework;
    const std::string newest = releases.known.back().str();
    const std::string read = releases.pypi.read.empty() ? "unknown" : releases.pypi.read;
    std::string what = on_pypi(releases.pypi, wanted)
                           ? releases.label + " " + raw.version.value + " is on PyPI (read " + read +
                                 ") but not in cudagen's tables (newest known: " + newest + ")"
                           : releases.label + " " + raw.version.value + " is newer than cudagen's tables (PyPI read " +
                                 read + "; newest known: " + newest + ")";
    if (context.raw.cuda.present) {
        ResolvedFramework& framework = *context.out.framework;
        framework.version = resolved(raw.version.value, Origin::profile,
                                     what + ": its wheel, Python range and GPU archs are unchecked", raw.version.where);
        framework.unchecked = true;
        return true;
    }
    context.diagnostics.error(k_unknown_version, what, raw.version.where,
                              "update cudagen (newer tables), or state cuda: in the profile to build " +
                                  releases.label + " " + raw.version.value + " with unchecked framework rows, or use " +
                                  releases.label + " " + newest);
    return false;
}

bool report_unknown_version(VersionContext& context, const Version& wanted, const KnownReleases& releases)
{
    if (wanted > releases.known.back() || on_pypi(releases.pypi, wanted)) {
        return newer_than_tables(context, wanted, releases);
    }
    const RawFramework& raw = *context.raw.framework;
    std::string newest = releases.known.back().str();
    auto hint = nearest_version(wanted, releases.known);
    std::string fix = hint ? "did you mean '" + hint->str() + "'? " : "";
    fix += "use a version cudagen knows (e.g. " + newest + ")";
    context.diagnostics.error(k_unknown_version,
                              releases.label + " " + raw.version.value + " is not in the " + releases.table +
                                  " table (known: " + releases.known.front().str() + " to " + newest + ")",
                              raw.version.where, fix);
    return false;
}

bool resolve_torch_version(VersionContext& context, const Version& wanted)
{
    const KnowledgeTables& tables = context.tables;
    const RawFramework& raw = *context.raw.framework;
    context.torch = tables.torch_release(wanted);
    const TorchPatch* patch = nullptr;
    if (context.torch) {
        patch = wanted.size() == 2 ? &context.torch->patches.back() : context.torch->patch(wanted);
    }
    if (!patch) {
        context.torch = nullptr;
        return report_unknown_version(context, wanted,
                                      {"torch", "PyTorch", tables.torch_patch_versions(), tables.torch_pypi});
    }
    context.torch_patch = patch;
    std::string reason =
        wanted.size() == 2 ? "newest patch release of torch " + raw.version.value : "as written in the profile";
    context.out.framework->version = resolved(patch->version.str(), Origin::profile, reason, raw.version.where);
    return true;
}

std::vector<Version> versions_of(const std::vector<TensorflowRelease>& releases)
{
    std::vector<Version> out;
    for (auto release = releases.rbegin(); release != releases.rend(); ++release) {  // newest first -> oldest first
        out.push_back(release->version);
    }
    return out;
}

bool resolve_tensorflow_version(VersionContext& context, const Version& wanted)
{
    const RawFramework& raw = *context.raw.framework;
    context.tensorflow = context.tables.tensorflow_release(wanted);
    if (!context.tensorflow) {
        return report_unknown_version(
            context, wanted,
            {"tensorflow", "TensorFlow", versions_of(context.tables.tensorflow), context.tables.tensorflow_pypi});
    }
    std::string pinned = context.tensorflow->version.str();
    std::string reason = pinned == raw.version.value ? "as written in the profile"
                                                     : "newest patch release of tensorflow " + raw.version.value;
    context.out.framework->version = resolved(pinned, Origin::profile, reason, raw.version.where);
    return true;
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

bool resolve_jax_version(VersionContext& context, const Version& wanted)
{
    const RawFramework& raw = *context.raw.framework;
    const KnowledgeTables& tables = context.tables;
    if (tables.jax_pypi.versions.empty()) {  // tables without PyPI rows: a row applies up to the next one
        context.jax = tables.jax_release(wanted);
    } else {
        context.jax = find_jax_release(tables, wanted);
    }
    if (!context.jax && wanted < tables.jax.front().version) {
        std::string first = tables.jax.front().version.str();
        context.diagnostics.error(
            k_unknown_version, "jax " + raw.version.value + " predates the CUDA 12 plugin wheels (jax " + first + "+)",
            raw.version.where, "use jax " + first + " or newer");
        return false;
    }
    if (!context.jax) {
        std::vector<Version> known;
        for (const auto& release : tables.jax) {
            known.push_back(release.version);
        }
        return report_unknown_version(context, wanted, {"jax", "JAX", known, tables.jax_pypi});
    }
    bool exact = tables.jax_pypi.versions.empty() || wanted.size() > 2;
    std::string pinned = exact ? (wanted.size() == 2 ? wanted.str() + ".0" : wanted.str()) : context.jax->version.str();
    std::string reason = wanted.size() > 2 ? "as written in the profile"
                         : exact           ? "X.Y.0 of jax " + raw.version.value + " (the table has no JAX patch lists)"
                                           : "newest patch release of jax " + raw.version.value;
    context.out.framework->version = resolved(pinned, Origin::profile, reason, raw.version.where);
    return true;
}

// The version to resolve: as written, else the newest the tables know.
std::string wanted_version_text(const VersionContext& context, const std::string& name)
{
    const RawFramework& raw = *context.raw.framework;
    if (raw.version.present) {
        return raw.version.value;
    }
    if (name == "pytorch") {
        return context.tables.torch.back().patches.back().version.str();
    }
    if (name == "tensorflow") {
        return context.tables.tensorflow.front().version.str();
    }
    return context.tables.jax_newest_known.str();
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

std::string torch_variant_reason(const TorchVariant& variant, const VersionContext& context)
{
    const std::string& torch = context.out.framework->version.value;
    const std::string& cuda = context.out.cuda.value;
    if (variant.cuda == Version::parse(cuda)->major_minor()) {
        return variant.name + " is the torch " + torch + " wheel built for CUDA " + variant.cuda.str();
    }
    if (variant.cuda.major() == Version::parse(cuda)->major()) {
        return "torch " + torch + " has no wheel for CUDA " + Version::parse(cuda)->major_minor().str() + "; " +
               variant.name + " is the nearest of CUDA " + std::to_string(variant.cuda.major());
    }
    return "torch " + torch + " has no CUDA " + std::to_string(Version::parse(cuda)->major()) + " wheel; " +
           variant.name + " is the nearest (see compat/torch-no-wheel-for-cuda)";
}

bool add_torch_companions(VersionContext& context, ResolvedFramework& framework)
{
    const TorchPatch& patch = *context.torch_patch;
    bool ok = true;
    for (const auto& companion : context.raw.framework->with) {
        const std::string& name = companion.value;
        std::string version = name == "torchvision" ? patch.torchvision : name == "torchaudio" ? patch.torchaudio : "";
        if (version.empty()) {
            context.diagnostics.error("framework/unknown-companion",
                                      "'" + name + "' is not a companion cudagen pins for pytorch" +
                                          did_you_mean(name, {"torchvision", "torchaudio"}),
                                      companion.where, "use torchvision or torchaudio, or list it under pip.packages");
            ok = false;
            continue;
        }
        framework.companions[name] =
            resolved(version, Origin::derived, "the " + name + " release paired with torch " + patch.version.str(),
                     companion.where);
    }
    return ok;
}

void add_torch_requirements(ResolvedFramework& framework, const TorchVariant& variant)
{
    bool conda = framework.channel == "conda";
    auto pin = conda ? conda_pin : pip_pin;
    framework.requirements.push_back(pin(conda ? "pytorch" : "torch", framework.version.value));
    if (conda) {  // the pytorch channel pairs builds with pytorch-cuda from 1.13, cudatoolkit before
        bool before_113 = *Version::parse(framework.version.value) < Version({1, 13});
        framework.requirements.push_back(conda_pin(before_113 ? "cudatoolkit" : "pytorch-cuda", variant.cuda.str()));
    }
    for (const auto& [name, version] : framework.companions) {
        framework.requirements.push_back(pin(name, version.value));
    }
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

// PyPI carries one build of each torch release per platform. When that build is the chosen
// variant on every platform, an exact pin from PyPI cannot resolve to a CPU-only or
// other-CUDA wheel (and PyPI mirrors serve it); otherwise PyTorch's own index for the variant.
Resolved<std::string> torch_wheel_source(const VersionContext& context, const TorchVariant& variant,
                                         SourceLocation where)
{
    const std::string& version = context.out.framework->version.value;
    for (const auto& platform : context.out.platforms.value) {
        std::string differs = pypi_differs(*context.torch_patch, variant, platform);
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

bool resolve_torch_details(VersionContext& context)
{
    ResolvedFramework& framework = *context.out.framework;
    const TorchVariant& variant = *pick_torch_variant(*context.torch, *Version::parse(context.out.cuda.value));
    SourceLocation where = context.raw.framework->version.where;
    framework.cuda_variant = resolved(variant.name, Origin::derived, torch_variant_reason(variant, context), where);
    framework.cuda_version = variant.cuda.str();
    if (framework.channel == "conda") {
        bool before_113 = context.torch->version < Version({1, 13});
        framework.index_url =
            resolved(std::string(), Origin::derived,
                     before_113 ? "conda channel: cudatoolkit=" + variant.cuda.str() + " from -c pytorch -c conda-forge"
                                : "conda channel: pytorch-cuda=" + variant.cuda.str() + " from -c pytorch -c nvidia",
                     where);
    } else {
        framework.index_url = torch_wheel_source(context, variant, where);
    }
    framework.arch_list = variant.arch_list;
    framework.arch_list_has_ptx = variant.ptx;
    bool ok = add_torch_companions(context, framework);
    add_torch_requirements(framework, variant);
    return ok;
}

bool reject_companions(VersionContext& context)
{
    for (const auto& companion : context.raw.framework->with) {
        context.diagnostics.error(
            "framework/unknown-companion",
            "'" + companion.value + "' is not a companion cudagen pins for " + context.out.framework->name,
            companion.where, "list it under pip.packages with a version");
    }
    return context.raw.framework->with.empty();
}

bool resolve_tensorflow_details(VersionContext& context)
{
    ResolvedFramework& framework = *context.out.framework;
    const TensorflowRelease& release = *context.tensorflow;
    SourceLocation where = context.raw.framework->version.where;
    std::string variant = release.pip_cuda ? "and-cuda" : "";
    std::string reason = release.pip_cuda ? "tensorflow[and-cuda] installs the CUDA " + release.cuda.str() +
                                                " and cuDNN " + release.cudnn + " pip wheels it is built with"
                                          : "tensorflow " + release.version.str() + " uses the image's CUDA and cuDNN";
    framework.cuda_variant = resolved(variant, Origin::derived, reason, where);
    framework.cuda_version = release.cuda.str();
    framework.index_url = resolved(std::string(), Origin::default_value, "tensorflow comes from PyPI");
    std::string package = release.pip_cuda ? "tensorflow[and-cuda]" : "tensorflow";
    framework.requirements.push_back(pip_pin(package, framework.version.value));
    return reject_companions(context);
}

const JaxExtra* pick_jax_extra(const VersionContext& context, int cuda_major)
{
    const JaxExtra* newest = nullptr;
    for (const auto& name : context.jax->extras) {
        const JaxExtra* extra = context.tables.jax_extra(name);
        if (extra && extra->cuda_major == cuda_major) {
            return extra;
        }
        if (extra && (!newest || extra->cuda_major > newest->cuda_major)) {
            newest = extra;
        }
    }
    return newest;
}

bool resolve_jax_details(VersionContext& context)
{
    ResolvedFramework& framework = *context.out.framework;
    int major = Version::parse(context.out.cuda.value)->major();
    const JaxExtra& extra = *pick_jax_extra(context, major);
    SourceLocation where = context.raw.framework->version.where;
    std::string reason = extra.cuda_major == major
                             ? "jax[" + extra.name + "] matches the image's CUDA " + std::to_string(major)
                             : "jax " + framework.version.value + " has no CUDA " + std::to_string(major) +
                                   " extra; jax[" + extra.name + "] is the newest it has";
    framework.cuda_variant = resolved(extra.name, Origin::derived, reason, where);
    framework.cuda_version = extra.built_with.str();
    framework.index_url = resolved(std::string(), Origin::default_value, "jax comes from PyPI");
    framework.requirements.push_back(pip_pin("jax[" + extra.name + "]", framework.version.value));
    return reject_companions(context);
}

}  // namespace

bool resolve_framework_version(VersionContext& context)
{
    if (!context.raw.framework) {
        return true;
    }
    const RawFramework& raw = *context.raw.framework;
    std::string name = to_lower(raw.name.value);
    if (std::find(k_framework_names.begin(), k_framework_names.end(), name) == k_framework_names.end()) {
        context.diagnostics.error("framework/unknown-name",
                                  "unknown framework '" + raw.name.value + "'" + did_you_mean(name, k_framework_names),
                                  raw.name.where, "use pytorch, tensorflow or jax");
        return false;
    }
    ResolvedFramework& framework = context.out.framework.emplace();
    framework.name = name;
    framework.channel = raw.channel.present ? raw.channel.value : "pip";
    framework.where = raw.where;
    std::string text = wanted_version_text(context, name);
    auto wanted = Version::parse(text);
    if (!wanted || wanted->size() < 2 || wanted->size() > 3) {
        context.diagnostics.error(k_unknown_version, "'" + text + "' is not a " + name + " version (X.Y or X.Y.Z)",
                                  raw.version.where, "write the version as X.Y or X.Y.Z, e.g. \"2.3.1\"");
        return false;
    }
    bool ok = name == "pytorch"      ? resolve_torch_version(context, *wanted)
              : name == "tensorflow" ? resolve_tensorflow_version(context, *wanted)
                                     : resolve_jax_version(context, *wanted);
    if (ok && !raw.pinned_by.empty()) {
        const std::string& why = framework.version.reason;
        framework.version.reason =
            "pinned by " + raw.pinned_by + (why == "as written in the profile" ? "" : "; " + why);
    }
    if (ok && !raw.version.present) {
        framework.version.origin = Origin::default_value;
        framework.version.reason = "newest " + name + " release in the tables";
        framework.version.where = raw.where;
    }
    return ok;
}

namespace {

// The first GPU of gpu_archs that the variant's wheel has no kernels for; "" when none.
std::string gpu_without_kernels(const VersionContext& context, const TorchVariant& variant)
{
    std::vector<GpuArch> sass;
    for (const auto& cc : variant.arch_list) {
        if (auto arch = parse_compute_capability(cc)) {
            sass.push_back(*arch);
        }
    }
    for (const auto& written : context.raw.gpu_archs) {
        auto gpu = parse_gpu_arch(written.value, context.tables);
        if (gpu && !runs_on(sass, variant.ptx, gpu->major, gpu->minor)) {
            return written.value;
        }
    }
    return "";
}

// Without a cuda in the profile: the CUDA of torch's default build (the one on PyPI) when it
// has images and kernels for gpu_archs, else the newest variant's that has. The newest variant
// is often experimental, raises the driver floor, and binary wheels built against torch
// (vLLM, xformers, flash-attn) target the default.
const ImageRelease* torch_cuda(const VersionContext& context, std::string& reason)
{
    const TorchRelease& release = *context.torch;
    const std::string& version = context.out.framework->version.value;
    const TorchVariant& newest = release.variants.back();
    const PypiWheel* wheel = context.torch_patch->pypi_wheel("amd64");
    const TorchVariant* pypi = wheel ? release.variant(wheel->variant) : nullptr;
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
    for (auto variant = release.variants.rbegin(); variant != release.variants.rend() && !with_kernels; ++variant) {
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

}  // namespace

const ImageRelease* framework_cuda(const VersionContext& context, std::string& reason)
{
    const KnowledgeTables& tables = context.tables;
    const std::string version = context.out.framework ? context.out.framework->version.value : "";
    if (context.torch) {
        return torch_cuda(context, reason);
    }
    if (context.tensorflow) {
        const Version& cuda = context.tensorflow->cuda;
        reason = "tensorflow " + version + " is built and tested with CUDA " + cuda.str() +
                 "; newest point release with images";
        return tables.current_image(cuda.major(), cuda.minor());
    }
    if (context.jax) {
        const JaxExtra* extra = pick_jax_extra(context, 99);
        for (const auto& image : tables.images) {  // newest first
            if (!image.unconfirmed && image.cuda.major() == extra->cuda_major && image.cuda >= extra->min_cuda) {
                reason = "jax " + version + " has jax[" + extra->name + "] wheels; newest confirmed CUDA " +
                         std::to_string(extra->cuda_major) + " release";
                return &image;
            }
        }
    }
    return nullptr;
}

// A release newer than the tables, with `cuda` stated: the wheel for that CUDA,
// nothing else known.
bool resolve_unchecked_details(VersionContext& context)
{
    ResolvedFramework& framework = *context.out.framework;
    Version cuda = Version::parse(context.out.cuda.value)->major_minor();
    SourceLocation where = context.raw.framework->version.where;
    std::string reason = "unchecked: the CUDA " + cuda.str() + " stated in the profile";
    framework.cuda_version = cuda.str();
    framework.index_url = resolved(std::string(), Origin::default_value, framework.name + " comes from PyPI");
    if (framework.name == "pytorch") {
        std::string variant = "cu" + std::to_string(cuda.major()) + std::to_string(cuda.minor());
        framework.cuda_variant = resolved(variant, Origin::derived, reason, where);
        framework.index_url = resolved(k_torch_index + variant, Origin::derived,
                                       "PyTorch's index for " + variant + " wheels (" + reason + ")", where);
        framework.requirements.push_back(pip_pin("torch", framework.version.value));
    } else if (framework.name == "tensorflow") {
        framework.cuda_variant = resolved(std::string("and-cuda"), Origin::derived, reason, where);
        framework.requirements.push_back(pip_pin("tensorflow[and-cuda]", framework.version.value));
    } else {
        std::string extra = "cuda" + std::to_string(cuda.major());
        framework.cuda_variant = resolved(extra, Origin::derived, reason, where);
        framework.requirements.push_back(pip_pin("jax[" + extra + "]", framework.version.value));
    }
    return reject_companions(context);
}

bool resolve_framework_details(VersionContext& context)
{
    if (!context.out.framework) {
        return true;
    }
    if (context.out.framework->unchecked) {
        return resolve_unchecked_details(context);
    }
    if (context.torch) {
        return resolve_torch_details(context);
    }
    if (context.tensorflow) {
        return resolve_tensorflow_details(context);
    }
    return resolve_jax_details(context);
}

}  // namespace cudagen::detail
