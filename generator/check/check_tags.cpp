// tag/*: the nvidia/cuda tags the profile resolves to must exist (OS built for
// that CUDA, cuDNN flavor for that OS, an image per platform) and should be
// the supported point release.
#include "check/check_context.hpp"

#include "core/text.hpp"

namespace cudagen::checks {

namespace {

std::string arch_of_platform(const std::string& platform)
{
    std::size_t slash = platform.find('/');
    std::string arch = slash == std::string::npos ? platform : platform.substr(slash + 1);
    return arch.substr(0, arch.find('/'));
}

std::vector<std::string> os_names(const ImageRelease& image)
{
    std::vector<std::string> names;
    for (const auto& [os, arches] : image.os) {
        names.push_back(os);
    }
    return names;
}

// Newest confirmed CUDA release built for `os` (with cuDNN when asked).
const ImageRelease* newest_release_with(const CheckContext& context, const std::string& os, bool cudnn)
{
    for (const auto& image : context.tables.images) {
        if (!image.unconfirmed && image.has_os(os) && (!cudnn || image.has_cudnn(os))) {
            return &image;
        }
    }
    return nullptr;
}

// First Ubuntu of the image (newest first) that has `arch` (and cuDNN when asked).
std::string ubuntu_with(const ImageRelease& image, const std::string& arch, bool cudnn)
{
    std::string best;
    for (const auto& [os, arches] : image.os) {
        bool fits = os.starts_with("ubuntu") && image.has_arch(os, arch) && (!cudnn || image.has_cudnn(os));
        if (fits && os > best) {
            best = os;
        }
    }
    return best;
}

bool check_os_exists(const CheckContext& context)
{
    const std::string& os = context.resolved.os.value;
    if (context.image->has_os(os)) {
        return true;
    }
    const ImageRelease* other = newest_release_with(context, os, false);
    std::string ubuntu = ubuntu_with(*context.image, "amd64", false);
    std::string fix = "use os: " + (ubuntu.empty() ? os_names(*context.image).front() : ubuntu);
    fix += other ? ", or a CUDA release built for " + os + " (newest: " + other->cuda.str() + ")" : "";
    context.report("tag/no-such-os",
                   "nvidia/cuda " + context.cuda.str() + " is not built for " + os + " (it has " +
                       join(os_names(*context.image), ", ") + ")",
                   context.os_where(), fix);
    return false;
}

void check_cudnn_flavor(const CheckContext& context)
{
    const std::string& os = context.resolved.os.value;
    if (!context.resolved.cudnn.value || context.image->has_cudnn(os)) {
        return;
    }
    std::string ubuntu = ubuntu_with(*context.image, "amd64", true);
    const ImageRelease* other = newest_release_with(context, os, true);
    std::string fix = ubuntu.empty() ? "" : "use os: " + ubuntu;
    if (other) {
        fix += (fix.empty() ? "use cuda: \"" : ", or cuda: \"") + other->cuda.major_minor().str() + "\"";
    }
    if (fix.empty()) {
        fix =
            "set cudnn: false and install cuDNN from pip (nvidia-cudnn-cu" + std::to_string(context.cuda.major()) + ")";
    }
    std::string why = context.image->cudnn_flavor.empty() ? " (this release has no cudnn images at all)" : "";
    context.report("tag/no-cudnn-for-os", "nvidia/cuda " + context.cuda.str() + " has no cudnn images for " + os + why,
                   context.resolved.cudnn.where.known() ? context.resolved.cudnn.where : context.os_where(), fix);
}

void check_platforms(const CheckContext& context)
{
    const std::string& os = context.resolved.os.value;
    const auto& platforms = context.resolved.platforms;
    for (const auto& platform : platforms.value) {
        std::string arch = arch_of_platform(platform);
        if (context.image->has_arch(os, arch)) {
            continue;
        }
        std::string ubuntu = ubuntu_with(*context.image, arch, context.resolved.cudnn.value);
        std::string fix = ubuntu.empty() ? "drop " + platform + " or use another CUDA release"
                                         : "use os: " + ubuntu + " or drop " + platform;
        context.report("tag/no-image-for-platform",
                       "nvidia/cuda " + context.cuda.str() + " has no " + arch + " image for " + os + " (only " +
                           join(context.image->arches(os), ", ") + ")",
                       platforms.where, fix);
    }
}

void check_support(const CheckContext& context)
{
    const ImageRelease& image = *context.image;
    const ImageRelease* current = context.tables.current_image(context.cuda.major(), context.cuda.minor());
    if (image.eol) {
        context.report("tag/eol",
                       "nvidia/cuda " + context.cuda.str() +
                           " is end-of-life: its tags may be deleted from Docker Hub at any time",
                       context.cuda_where(), "move to a supported release such as CUDA 11.8 or 12.x");
    } else if (context.tables.superseded(image)) {
        context.report("tag/superseded",
                       "CUDA " + context.cuda.str() + " is superseded by " + current->cuda.str() +
                           "; NVIDIA supports only the newest point release and deletes old tags",
                       context.cuda_where(), "use cuda: \"" + current->cuda.str() + "\"");
    }
    if (image.unconfirmed) {
        const ImageRelease* confirmed = context.tables.newest_confirmed_image();
        context.report("tag/unconfirmed",
                       "nvidia/cuda " + context.cuda.str() +
                           " tags were only seen in public Dockerfiles, not in NVIDIA's repository",
                       context.cuda_where(),
                       "check with 'docker manifest inspect " + context.resolved.devel_image.value +
                           "', or use cuda: \"" + confirmed->cuda.str() + "\"");
    }
}

}  // namespace

void check_tags(const CheckContext& context)
{
    if (!context.image) {
        return;  // resolution already reported tag/no-such-cuda
    }
    check_support(context);
    if (!check_os_exists(context)) {
        return;
    }
    check_cudnn_flavor(context);
    check_platforms(context);
}

}  // namespace cudagen::checks
