// compat/driver-*: with --driver, the host driver must start the image
// (NVIDIA_REQUIRE_CUDA cuda>=X.Y, or a driver on a forward-compat branch the
// image lists, which helps only on datacenter and select professional GPUs),
// know the GPU's generation, and satisfy the framework's own CUDA major
// (minor-version compatibility floor). `--driver 12.2` (the CUDA version
// nvidia-smi prints) is read as "runs CUDA 12.2 and older".
#include "check/check_context.hpp"

#include <algorithm>

namespace cudagen::checks {

namespace {

// Newest confirmed CUDA release whose images start without forward compatibility.
const ImageRelease* newest_image_where(const CheckContext& context, const auto& starts)
{
    for (const auto& image : context.tables.images) {
        bool current = context.tables.current_image(image.cuda.major(), image.cuda.minor()) == &image;
        if (!image.unconfirmed && current && starts(image)) {
            return &image;
        }
    }
    return nullptr;
}

const ImageRelease* newest_image_for(const CheckContext& context, const Version& driver)
{
    return newest_image_where(context, [&](const ImageRelease& image) {
        const ToolkitDriver* row = context.tables.toolkit_driver(Version({image.cuda.major(), image.cuda.minor(), 0}));
        return row && row->driver <= driver;
    });
}

std::string driver_fix(const std::string& upgrade, const ImageRelease* fitting)
{
    std::string fix = "upgrade the driver to " + upgrade + " or newer";
    if (fitting) {
        fix += ", or use cuda: \"" + fitting->cuda.str() + "\"";
    }
    return fix;
}

const TargetGpu* host_gpu_of(const CheckContext& context, GpuBrand brand)
{
    const auto& gpus = context.host.gpus;
    auto found = std::find_if(gpus.begin(), gpus.end(),
                              [&](const TargetGpu& gpu) { return gpu.model && gpu.model->brand == brand; });
    return found == gpus.end() ? nullptr : &*found;
}

// The driver is on a forward-compat branch the image lists: fine on datacenter
// GPUs, refused or broken on GeForce.
bool check_forward_compat(const CheckContext& context, const Version& driver, const ToolkitDriver& row)
{
    std::string xy = context.cuda.major_minor().str();
    std::string older = "driver " + driver.str() + " is older than CUDA " + xy + " (" + row.driver.str() + ")";
    if (const TargetGpu* geforce = host_gpu_of(context, GpuBrand::geforce)) {
        std::string why =
            context.image->fc_geforce
                ? ": the container starts, but cuda-compat does not work on GeForce GPUs (CUDA error 804, "
                  "'forward compatibility was attempted on non supported HW')"
                : ": from CUDA 12.5 the image's NVIDIA_REQUIRE_CUDA accepts an older branch only on datacenter and "
                  "professional brands, so the container is refused at start";
        context.report("compat/forward-compat-unsupported-gpu",
                       older + " and " + geforce->arch.written + " is a GeForce GPU" + why, context.cuda_where(),
                       driver_fix(row.driver.str(), newest_image_for(context, driver)));
        return false;
    }
    std::string where = "datacenter GPUs";
    if (const TargetGpu* pro = host_gpu_of(context, GpuBrand::professional)) {
        where = "datacenter GPUs and select NGC-ready RTX parts (" + pro->arch.written + " may not be one)";
    }
    context.report("compat/driver-needs-forward-compat",
                   older + "; the image starts only on " + where + " through its cuda-compat package (branch " +
                       std::to_string(driver.major()) + ")",
                   context.cuda_where(), "upgrade the driver to " + row.driver.str() + " or newer on consumer GPUs");
    return true;
}

// A plain OS runtime stage (the packages bring the CUDA libraries) has no cuda-compat:
// the driver's branch would start NVIDIA's base image, not this one.
bool plain_os_has_no_forward_compat(const CheckContext& context, const Version& driver, const ToolkitDriver& row)
{
    std::string xy = context.cuda.major_minor().str();
    context.report("compat/driver-too-old",
                   "driver " + driver.str() + " is older than CUDA " + xy + " (" + row.driver.str() +
                       ") and the runtime stage is the plain OS without cuda-compat (NVIDIA_REQUIRE_CUDA cuda>=" + xy +
                       ")",
                   context.cuda_where(),
                   "upgrade the driver to " + row.driver.str() +
                       " or newer, or on datacenter GPUs set runtime_flavor: base (NVIDIA's base image carries "
                       "cuda-compat for branch " +
                       std::to_string(driver.major()) + ")");
    return false;
}

bool check_image_driver(const CheckContext& context, const Version& driver)
{
    Version ga({context.cuda.major(), context.cuda.minor(), 0});
    const ToolkitDriver* row = context.tables.toolkit_driver(ga);
    if (!row || driver >= row->driver) {
        return true;
    }
    const auto& branches = context.image ? context.image->fc_branches : std::nullopt;
    bool on_branch = branches && std::find(branches->begin(), branches->end(), driver.major()) != branches->end();
    if (on_branch && context.resolved.runtime_flavor == "os") {
        return plain_os_has_no_forward_compat(context, driver, *row);
    }
    if (on_branch) {
        return check_forward_compat(context, driver, *row);
    }
    context.report("compat/driver-too-old",
                   "driver " + driver.str() + " is too old for CUDA " + context.cuda.str() +
                       " images (NVIDIA_REQUIRE_CUDA cuda>=" + context.cuda.major_minor().str() + " needs " +
                       row->driver.str() + " or newer)",
                   context.cuda_where(), driver_fix(row->driver.str(), newest_image_for(context, driver)));
    return false;
}

// The CUDA major the framework's own wheels bundle (0 when it uses the image's).
int framework_cuda_major(const CheckContext& context)
{
    return context.rows ? context.rows->bundled_cuda_major() : 0;
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

// A driver older than the GPU's generation does not know the GPU at all.
void check_gpu_generation(const CheckContext& context, const Version& driver)
{
    for (const auto& gpu : context.host.gpus) {
        const DriverFloor* floor = context.tables.driver_floor(gpu.arch.major, gpu.arch.minor);
        if (!floor || driver >= floor->min_driver) {
            continue;
        }
        std::string generation = gpu.model ? gpu.model->arch + ", " : "";
        context.report("compat/driver-too-old-for-gpu",
                       "driver " + driver.str() + " predates " + gpu.arch.written + " (" + generation + "sm_" +
                           gpu.arch.sm() + "): its oldest driver branch is R" + floor->min_driver.str(),
                       {}, "upgrade the driver to R" + floor->min_driver.str() + " or newer");
    }
}

// --driver 12.2: the host runs CUDA 12.2 and older (no branch known, so no forward compatibility).
void check_driver_cuda(const CheckContext& context, const Version& runs)
{
    context.report(
        "compat/driver-is-cuda-version",
        "--driver " + runs.str() +
            " is the CUDA version nvidia-smi prints in its header, not a driver release: "
            "checked as a driver that runs CUDA " +
            runs.str() + " and older",
        {},
        "pass the 'Driver Version' nvidia-smi prints (e.g. 535.104.05) to also check forward compatibility and "
        "the GPU's driver branch");
    if (context.cuda.major_minor() > runs) {
        const ImageRelease* fitting =
            newest_image_where(context, [&](const ImageRelease& image) { return image.cuda.major_minor() <= runs; });
        const ToolkitDriver* row =
            context.tables.toolkit_driver(Version({context.cuda.major(), context.cuda.minor(), 0}));
        context.report("compat/driver-too-old",
                       "the host driver runs CUDA " + runs.str() +
                           " and older (nvidia-smi's 'CUDA Version'), but the image has CUDA " + context.cuda.str() +
                           " (NVIDIA_REQUIRE_CUDA cuda>=" + context.cuda.major_minor().str() + ")",
                       context.cuda_where(),
                       driver_fix(row ? row->driver.str() : "CUDA " + context.cuda.major_minor().str(), fitting));
        return;
    }
    int major = framework_cuda_major(context);
    if (major > runs.major()) {
        context.report("compat/driver-too-old",
                       context.framework_label() + " " + context.resolved.framework->cuda_variant.value +
                           " needs a CUDA " + std::to_string(major) + " driver; the host driver runs CUDA " +
                           runs.str() + " and older",
                       context.framework_where(), "upgrade the driver to one of CUDA " + std::to_string(major));
    }
}

}  // namespace

void check_driver(const CheckContext& context)
{
    if (context.host.driver_cuda) {
        check_driver_cuda(context, *context.host.driver_cuda);
    }
    if (!context.host.driver) {
        return;
    }
    const Version& driver = *context.host.driver;
    check_gpu_generation(context, driver);
    if (check_image_driver(context, driver) && context.resolved.framework) {
        check_framework_driver(context, driver);
    }
}

}  // namespace cudagen::checks
