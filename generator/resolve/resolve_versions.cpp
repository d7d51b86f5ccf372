// The version half of resolution: CUDA release, OS, cuDNN flavor and the
// nvidia/cuda base images; then the framework, Python, conda and GPU archs
// (resolve_framework.cpp, resolve_python.cpp, resolve_archs.cpp).
//
// Choices when the profile leaves a value out (each recorded as the value's reason):
// - cuda: from the framework (newest CUDA with a wheel/build for that version, newest
//   point release of that X.Y with images); without a framework the newest CUDA release
//   whose images are confirmed in NVIDIA's repository. "X.Y" means its newest point release.
// - os: the newest Ubuntu the CUDA release has for every requested platform (and with a
//   cuDNN flavor when cuDNN is wanted).
// - cudnn: only when the framework uses the image's cuDNN (TensorFlow before 2.14); the
//   pip wheels of PyTorch, JAX and TensorFlow >= 2.14 bring their own.
// - runtime image: the plain OS (resolve_runtime.cpp) when the framework's packages bring the
//   CUDA runtime, cuBLAS and cuDNN themselves (PyTorch, JAX's cuda extras, tensorflow[and-cuda],
//   pytorch-cuda from conda) or the conda environment installs CUDA libraries: every nvidia/cuda
//   flavor would ship them a second time. Otherwise
//   "cudnn-runtime" with cuDNN, else "runtime" (CUDA math libraries and NCCL, which extension
//   modules and most CUDA programs link dynamically). The devel stage keeps the full toolkit.
#include "resolve/resolve_versions_detail.hpp"

#include "core/text.hpp"
#include "resolve/resolve_runtime.hpp"

#include <algorithm>

namespace cudagen {

namespace detail {

std::string arch_of_platform(const std::string& platform)
{
    std::size_t slash = platform.find('/');
    std::string arch = slash == std::string::npos ? platform : platform.substr(slash + 1);
    std::size_t variant = arch.find('/');
    return variant == std::string::npos ? arch : arch.substr(0, variant);
}

namespace {

constexpr const char* k_no_such_cuda = "tag/no-such-cuda";

std::string nearest_release_hint(const KnowledgeTables& tables, const Version& wanted)
{
    if (const ImageRelease* current = tables.current_image(wanted.major(), wanted.minor())) {
        return current->cuda.str();
    }
    auto hint = closest_match(wanted.str(), tables.image_versions());
    return hint ? *hint : tables.newest_confirmed_image()->cuda.str();
}

void report_no_such_cuda(VersionContext& context, const std::string& written, const std::string& suggestion)
{
    context.diagnostics.error(k_no_such_cuda,
                              "CUDA " + written + " has no nvidia/cuda images (no such release in the tag table)",
                              context.raw.cuda.where, "use cuda: \"" + suggestion + "\"");
}

const ImageRelease* cuda_from_profile(VersionContext& context)
{
    const std::string& written = context.raw.cuda.value;
    if (to_lower(written) == "latest") {
        context.diagnostics.error(
            "tag/latest", "cuda: latest is not a tag: nvidia/cuda has no 'latest' (manifest unknown)",
            context.raw.cuda.where,
            "pin a release, e.g. cuda: \"" + context.tables.newest_confirmed_image()->cuda.str() + "\"");
        return nullptr;
    }
    auto version = Version::parse(written);
    if (!version || version->size() < 2 || version->size() > 3) {
        report_no_such_cuda(context, written, context.tables.newest_confirmed_image()->cuda.str());
        return nullptr;
    }
    const ImageRelease* image = version->size() == 2 ? context.tables.current_image(version->major(), version->minor())
                                                     : context.tables.image(*version);
    if (!image) {
        report_no_such_cuda(context, written, nearest_release_hint(context.tables, *version));
    }
    return image;
}

// The profile has no cuda, but the user's files pin one (adopt_user_pins): its newest point release.
bool cuda_from_pin(VersionContext& context)
{
    const PinnedValue& pin = context.raw.pinned.cuda;
    auto version = Version::parse(pin.value.value);
    context.image = version ? context.tables.current_image(version->major(), version->minor()) : nullptr;
    if (!context.image) {
        context.diagnostics.error(k_no_such_cuda,
                                  "CUDA " + pin.value.value + ", pinned by " + pin.by +
                                      ", has no nvidia/cuda images (no such release in the tag table)",
                                  pin.value.where,
                                  "pin a build for a CUDA with images, or state cuda: in the profile (e.g. \"" +
                                      nearest_release_hint(context.tables, version.value_or(Version({0}))) + "\")");
        return false;
    }
    context.out.cuda = resolved(
        context.image->cuda.str(), Origin::derived,
        "pinned by " + pin.by + "; newest point release of CUDA " + pin.value.value + " with images", pin.value.where);
    return true;
}

bool resolve_cuda(VersionContext& context)
{
    const RawProfile& raw = context.raw;
    if (raw.cuda.present) {
        context.image = cuda_from_profile(context);
        if (!context.image) {
            return false;
        }
        std::string reason = raw.cuda.value == context.image->cuda.str()
                                 ? "as written in the profile"
                                 : "newest point release of CUDA " + raw.cuda.value + " with images";
        context.out.cuda = resolved(context.image->cuda.str(), Origin::profile, reason, raw.cuda.where);
        return true;
    }
    if (raw.pinned.cuda.value.present) {
        return cuda_from_pin(context);
    }
    std::string reason;
    context.image = framework_cuda(context, reason);
    SourceLocation where = raw.framework ? raw.framework->version.where : SourceLocation{};
    Origin origin = raw.framework ? Origin::derived : Origin::default_value;
    if (!context.image) {
        context.image = context.tables.newest_confirmed_image();
        reason = "newest CUDA release with confirmed nvidia/cuda images";
    }
    context.out.cuda = resolved(context.image->cuda.str(), origin, reason, where);
    return true;
}

void resolve_cudnn(VersionContext& context)
{
    const RawProfile& raw = context.raw;
    if (raw.cudnn.present) {
        context.out.cudnn = resolved(raw.cudnn.value, Origin::profile, "as written in the profile", raw.cudnn.where);
    } else if (auto why = context.choice ? context.choice->needs_image_cudnn() : std::nullopt) {
        context.out.cudnn = resolved(true, Origin::derived, *why, raw.framework->version.where);
    } else {
        std::string reason =
            raw.framework ? "the framework's wheels bring their own cuDNN" : "no framework needs cuDNN";
        context.out.cudnn = resolved(false, Origin::default_value, reason);
    }
    context.out.cudnn_flavor = context.out.cudnn.value ? context.image->cudnn_flavor : "";
}

std::vector<std::string> wanted_arches(const ResolvedProfile& out)
{
    std::vector<std::string> arches;
    for (const auto& platform : out.platforms.value) {
        arches.push_back(arch_of_platform(platform));
    }
    if (arches.empty()) {
        arches.push_back("amd64");
    }
    return arches;
}

bool serves(const ImageRelease& image, const std::string& os, const std::vector<std::string>& arches, bool cudnn)
{
    bool all_arches =
        std::all_of(arches.begin(), arches.end(), [&](const std::string& a) { return image.has_arch(os, a); });
    return all_arches && (!cudnn || image.has_cudnn(os));
}

// Ubuntu tokens of the release, newest first.
std::vector<std::string> ubuntu_tokens(const ImageRelease& image)
{
    std::vector<std::string> tokens;
    for (const auto& [os, arches] : image.os) {
        if (os.starts_with("ubuntu")) {
            tokens.push_back(os);
        }
    }
    std::sort(tokens.begin(), tokens.end(), [](const std::string& a, const std::string& b) {
        return Version::parse(a.substr(6)).value_or(Version()) > Version::parse(b.substr(6)).value_or(Version());
    });
    return tokens;
}

void resolve_os(VersionContext& context)
{
    const RawProfile& raw = context.raw;
    if (raw.os.present) {
        context.out.os = resolved(raw.os.value, Origin::profile, "as written in the profile", raw.os.where);
        return;
    }
    auto arches = wanted_arches(context.out);
    bool cudnn = context.out.cudnn.value;
    auto ubuntus = ubuntu_tokens(*context.image);
    std::string what = join(arches, " and ") + (cudnn ? " with cuDNN" : "");
    for (const auto& os : ubuntus) {
        if (serves(*context.image, os, arches, cudnn)) {
            context.out.os = resolved(os, Origin::default_value,
                                      "newest Ubuntu with CUDA " + context.out.cuda.value + " images for " + what);
            return;
        }
    }
    std::string fallback = ubuntus.empty() ? context.image->os.front().token : ubuntus.front();
    context.out.os =
        resolved(fallback, Origin::default_value,
                 "newest Ubuntu of CUDA " + context.out.cuda.value + " (none has images for " + what + ")");
}

// What the framework's own packages bring of the CUDA libraries; "" when it uses the image's.
std::string framework_brings_cuda(const VersionContext& context)
{
    return context.choice ? context.choice->brings_cuda(*context.out.framework) : "";
}

// The framework's packages, else the conda environment's, when they bring the CUDA libraries.
std::optional<CudaLibrariesSource> packages_bring_cuda(const VersionContext& context)
{
    std::string framework = framework_brings_cuda(context);
    if (!framework.empty()) {
        return CudaLibrariesSource{framework, context.out.framework->where};
    }
    return conda_env_brings_cuda(context.raw.dependencies, context.tables);
}

void resolve_images(VersionContext& context)
{
    ResolvedProfile& out = context.out;
    std::string prefix = out.base_registry.value + "/cuda:" + out.cuda.value + "-";
    out.devel_image =
        resolved(prefix + out.cudnn_flavor + "devel-" + out.os.value, Origin::derived,
                 "devel flavor of CUDA " + out.cuda.value + " on " + out.os.value +
                     (out.cudnn.value ? " with cuDNN (" + out.cudnn_flavor + " is this release's spelling)" : ""));
    if (auto brought = packages_bring_cuda(context)) {
        pick_runtime_without_cuda_libraries(*brought, out);
        return;
    }
    out.runtime_flavor = out.cudnn.value ? out.cudnn_flavor + "runtime" : "runtime";
    out.runtime_image =
        resolved(prefix + out.runtime_flavor + "-" + out.os.value, Origin::derived,
                 out.cudnn.value ? "smallest flavor with cuDNN" : "smallest flavor with the CUDA math libraries");
}

}  // namespace

}  // namespace detail

void resolve_versions(const RawProfile& raw, const Knowledge& knowledge, ResolvedProfile& out, Diagnostics& diagnostics)
{
    detail::VersionContext context{raw, knowledge.tables(), out, diagnostics};
    if (!detail::resolve_framework_version(context) || !detail::resolve_cuda(context)) {
        return;
    }
    detail::resolve_cudnn(context);
    detail::resolve_os(context);
    detail::resolve_images(context);
    detail::resolve_framework_details(context);
    detail::resolve_python(context);
    detail::resolve_conda(context);
    detail::resolve_gpu_archs(context);
}

}  // namespace cudagen
