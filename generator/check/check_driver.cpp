// compat/driver-*: with --driver, the host driver must start the image
// (NVIDIA_REQUIRE_CUDA cuda>=X.Y, or a datacenter driver on a forward-compat
// branch the image lists) and satisfy the framework's own CUDA major
// (minor-version compatibility floor).
#include "check/check_context.hpp"

#include <algorithm>

namespace cudagen::checks {

namespace {

// Newest confirmed CUDA X.Y whose images start on `driver`.
const ImageRelease* newest_image_for(const CheckContext& context, const Version& driver)
{
    for (const auto& image : context.tables.images) {
        const ToolkitDriver* row = context.tables.toolkit_driver(Version({image.cuda.major(), image.cuda.minor(), 0}));
        if (!image.unconfirmed && row && row->driver <= driver &&
            context.tables.current_image(image.cuda.major(), image.cuda.minor()) == &image) {
            return &image;
        }
    }
    return nullptr;
}

bool check_image_driver(const CheckContext& context, const Version& driver)
{
    Version ga({context.cuda.major(), context.cuda.minor(), 0});
    const ToolkitDriver* row = context.tables.toolkit_driver(ga);
    if (!row || driver >= row->driver) {
        return true;
    }
    std::string xy = context.cuda.major_minor().str();
    const auto& branches = context.image ? context.image->fc_branches : std::nullopt;
    if (branches && std::find(branches->begin(), branches->end(), driver.major()) != branches->end()) {
        context.report("compat/driver-needs-forward-compat",
                       "driver " + driver.str() + " is older than CUDA " + xy + " (" + row->driver.str() +
                           "); the image starts only on datacenter GPUs through its cuda-compat package (branch " +
                           std::to_string(driver.major()) + ")",
                       context.cuda_where(), "upgrade the driver to " + row->driver.str() + " or newer on consumer GPUs");
        return true;
    }
    const ImageRelease* fitting = newest_image_for(context, driver);
    std::string fix = "upgrade the driver to " + row->driver.str() + " or newer";
    if (fitting) {
        fix += ", or use cuda: \"" + fitting->cuda.str() + "\"";
    }
    context.report("compat/driver-too-old",
                   "driver " + driver.str() + " is too old for CUDA " + context.cuda.str() + " images (NVIDIA_REQUIRE_CUDA cuda>=" +
                       xy + " needs " + row->driver.str() + " or newer)",
                   context.cuda_where(), fix);
    return false;
}

// The CUDA major the framework's own wheels bundle (0 when it uses the image's).
int framework_cuda_major(const CheckContext& context)
{
    if (context.torch_variant) {
        return context.torch_variant->cuda.major();
    }
    if (context.tensorflow && context.tensorflow->pip_cuda) {
        return context.tensorflow->cuda.major();
    }
    return context.jax_extra ? context.jax_extra->cuda_major : 0;
}

void check_framework_driver(const CheckContext& context, const Version& driver)
{
    int major = framework_cuda_major(context);
    auto floor = context.tables.mvc_floor(major);
    if (!major || !floor || driver >= *floor) {
        return;
    }
    context.report("compat/driver-too-old",
                   context.framework_label() + " " + context.resolved.framework->cuda_variant.value + " needs driver " +
                       floor->str() + " or newer (CUDA " + std::to_string(major) + "); the host has " + driver.str(),
                   context.framework_where(), "upgrade the driver to " + floor->str() + " or newer");
}

}  // namespace

void check_driver(const CheckContext& context)
{
    if (context.host.driver.empty()) {
        return;
    }
    auto driver = Version::parse(context.host.driver);
    if (!driver) {
        context.report("compat/driver-unparsable", "--driver '" + context.host.driver + "' is not a driver version", {},
                       "pass the version nvidia-smi prints, e.g. --driver 535.104.05");
        return;
    }
    if (check_image_driver(context, *driver) && context.resolved.framework) {
        check_framework_driver(context, *driver);
    }
}

}  // namespace cudagen::checks
