// Query helpers over the loaded tables.
#include "knowledge/tables.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>

namespace cudagen {

const ImageOs* ImageRelease::find_os(std::string_view os_token) const
{
    auto found = std::find_if(os.begin(), os.end(), [&](const ImageOs& entry) { return entry.token == os_token; });
    return found == os.end() ? nullptr : &*found;
}

const std::vector<std::string>& ImageRelease::arches(std::string_view os_token) const
{
    static const std::vector<std::string> k_none;
    const ImageOs* entry = find_os(os_token);
    return entry ? entry->arches : k_none;
}

bool ImageRelease::has_arch(std::string_view os_token, std::string_view arch) const
{
    const std::vector<std::string>& built = arches(os_token);
    return std::find(built.begin(), built.end(), arch) != built.end();
}

bool ImageRelease::has_cudnn(std::string_view os_token) const
{
    return !cudnn_flavor.empty() && has_os(os_token) && !no_cudnn_os.contains(std::string(os_token));
}

bool PythonRange::contains(const Version& python) const
{
    Version wanted = python.major_minor();
    return (wanted >= min && wanted <= max) || experimental_only(python);
}

bool PythonRange::experimental_only(const Version& python) const
{
    Version wanted = python.major_minor();
    return std::any_of(experimental.begin(), experimental.end(), [&](const Version& v) { return v == wanted; });
}

std::string PythonRange::str() const
{
    std::string out = min.str() + "-" + max.str();
    if (!experimental.empty()) {
        std::vector<std::string> names;
        for (const auto& version : experimental) {
            names.push_back(version.str());
        }
        out += " (" + join(names, ", ") + " experimental)";
    }
    return out;
}

const TorchVariant* TorchRelease::variant(std::string_view name) const
{
    auto found = std::find_if(variants.begin(), variants.end(), [&](const TorchVariant& v) { return v.name == name; });
    return found == variants.end() ? nullptr : &*found;
}

const TorchPatch* TorchRelease::patch(const Version& wanted) const
{
    auto found = std::find_if(patches.begin(), patches.end(), [&](const TorchPatch& p) { return p.version == wanted; });
    return found == patches.end() ? nullptr : &*found;
}

const ImageRelease* KnowledgeTables::image(const Version& cuda) const
{
    if (cuda.size() != 3) {
        return nullptr;
    }
    auto found = std::find_if(images.begin(), images.end(), [&](const ImageRelease& i) { return i.cuda == cuda; });
    return found == images.end() ? nullptr : &*found;
}

const ImageRelease* KnowledgeTables::current_image(int major, int minor) const
{
    const ImageRelease* newest_unconfirmed = nullptr;
    for (const auto& release : images) {  // newest first
        if (release.cuda.major() != major || release.cuda.minor() != minor) {
            continue;
        }
        if (!release.unconfirmed) {
            return &release;
        }
        if (!newest_unconfirmed) {
            newest_unconfirmed = &release;
        }
    }
    return newest_unconfirmed;
}

bool KnowledgeTables::superseded(const ImageRelease& release) const
{
    const ImageRelease* current = current_image(release.cuda.major(), release.cuda.minor());
    return current && current->cuda > release.cuda && !current->unconfirmed;
}

const ImageRelease* KnowledgeTables::newest_confirmed_image() const
{
    auto found = std::find_if(images.begin(), images.end(), [](const ImageRelease& i) { return !i.unconfirmed; });
    return found == images.end() ? nullptr : &*found;
}

std::vector<std::string> KnowledgeTables::image_versions() const
{
    std::vector<std::string> out;
    for (const auto& release : images) {
        out.push_back(release.cuda.str());
    }
    return out;
}

std::optional<Version> KnowledgeTables::mvc_floor(int major) const
{
    for (const auto& floor : mvc_floors) {
        if (floor.major == major) {
            return floor.min_driver;
        }
    }
    return std::nullopt;
}

const ToolkitDriver* KnowledgeTables::toolkit_driver(const Version& cuda) const
{
    const ToolkitDriver* newest_of_minor = nullptr;
    for (const auto& row : toolkit_drivers) {
        if (row.cuda == cuda) {
            return &row;
        }
        if (row.cuda.starts_with(cuda.major_minor()) && (!newest_of_minor || row.cuda > newest_of_minor->cuda)) {
            newest_of_minor = &row;
        }
    }
    return newest_of_minor;
}

const NvccTarget* KnowledgeTables::nvcc_target(std::string_view sm) const
{
    auto found =
        std::find_if(nvcc_targets.begin(), nvcc_targets.end(), [&](const NvccTarget& t) { return t.sm == sm; });
    return found == nvcc_targets.end() ? nullptr : &*found;
}

bool KnowledgeTables::compilable(const NvccTarget& target, const Version& cuda) const
{
    Version release = cuda.major_minor();
    return release >= target.min_cuda && (!target.max_cuda || release <= *target.max_cuda);
}

std::vector<const NvccTarget*> KnowledgeTables::compilable_targets(const Version& cuda) const
{
    std::vector<const NvccTarget*> out;
    for (const auto& target : nvcc_targets) {
        if (compilable(target, cuda)) {
            out.push_back(&target);
        }
    }
    return out;
}

namespace {

// Words of a product name that say nothing about the chip: the brand words,
// memory (80gb, hbm3e), form factor (pcie, sxm5, nvl), MIG profiles (1g.10gb),
// and nvidia-smi's decorations ("Laptop GPU", "Server Edition", "(nvgpu)").
bool is_decoration(std::string_view word)
{
    static constexpr std::array<std::string_view, 16> k_words = {
        "nvidia", "geforce", "tesla",       "quadro",     "laptop",  "gpu", "mig", "pcie",
        "nvl",    "server",  "workstation", "generation", "edition", "max", "q",   "blackwell"};
    if (std::find(k_words.begin(), k_words.end(), word) != k_words.end()) {
        return true;
    }
    if (word.starts_with("(") || word.starts_with("sxm") || word.starts_with("hbm")) {
        return true;
    }
    // 80gb, 1g.10gb, 141gb
    if (word.ends_with("gb") && word.size() > 2 && std::isdigit(static_cast<unsigned char>(word.front()))) {
        return true;
    }
    return false;
}

}  // namespace

std::string normalize_gpu_name(std::string_view name)
{
    std::string lowered = to_lower(name);
    std::string out;
    std::size_t start = 0;
    while (start <= lowered.size()) {
        std::size_t end = lowered.find_first_of(" -_", start);
        std::string_view word =
            std::string_view(lowered).substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!word.empty() && !is_decoration(word)) {
            out += word;
        }
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    return out;
}

std::string_view gpu_brand_name(GpuBrand brand)
{
    switch (brand) {
        case GpuBrand::datacenter:
            return "datacenter";
        case GpuBrand::professional:
            return "professional";
        case GpuBrand::geforce:
            return "geforce";
        case GpuBrand::jetson:
            return "jetson";
    }
    return "datacenter";
}

const TorchArm64Wheel* KnowledgeTables::torch_arm64_wheel(const Version& release, std::string_view variant) const
{
    Version xy = release.major_minor();
    auto found = std::find_if(torch_arm64.begin(), torch_arm64.end(), [&](const TorchArm64Wheel& row) {
        return row.variant == variant && row.from <= xy && xy <= row.to;
    });
    return found == torch_arm64.end() ? nullptr : &*found;
}

const DriverFloor* KnowledgeTables::driver_floor(int major, int minor) const
{
    auto found = std::find_if(driver_floors.begin(), driver_floors.end(), [&](const DriverFloor& row) {
        return row.cc == Version({major, minor});
    });
    return found == driver_floors.end() ? nullptr : &*found;
}

const JetsonBase* KnowledgeTables::jetson_base(int major, int minor) const
{
    auto found = std::find_if(jetson_bases.begin(), jetson_bases.end(), [&](const JetsonBase& row) {
        return row.cc == Version({major, minor});
    });
    return found == jetson_bases.end() ? nullptr : &*found;
}

const GpuModel* KnowledgeTables::gpu(std::string_view name) const
{
    std::string wanted = normalize_gpu_name(name);
    for (const auto& model : gpus) {
        if (std::find(model.names.begin(), model.names.end(), wanted) != model.names.end()) {
            return &model;
        }
    }
    return nullptr;
}

std::vector<std::string> KnowledgeTables::gpu_names() const
{
    std::vector<std::string> out;
    for (const auto& model : gpus) {
        out.insert(out.end(), model.names.begin(), model.names.end());
    }
    return out;
}

const OsPython* KnowledgeTables::os_python(std::string_view os) const
{
    auto found = std::find_if(os_pythons.begin(), os_pythons.end(), [&](const OsPython& row) { return row.os == os; });
    return found == os_pythons.end() ? nullptr : &*found;
}

std::string KnowledgeTables::python_tool_version(std::string_view name) const
{
    auto found =
        std::find_if(python_tools.begin(), python_tools.end(), [&](const PythonTool& row) { return row.name == name; });
    return found == python_tools.end() ? std::string() : found->version;
}

std::vector<std::string> KnowledgeTables::os_tokens() const
{
    std::set<std::string> tokens;
    for (const auto& release : images) {
        for (const auto& [os, arches] : release.os) {
            tokens.insert(os);
        }
    }
    return {tokens.begin(), tokens.end()};
}

const TorchRelease* KnowledgeTables::torch_release(const Version& version) const
{
    Version wanted = version.major_minor();
    auto found = std::find_if(torch.begin(), torch.end(), [&](const TorchRelease& r) { return r.version == wanted; });
    return found == torch.end() ? nullptr : &*found;
}

std::string pypi_platform(std::string_view platform)
{
    std::size_t slash = platform.find('/');
    return std::string(slash == std::string_view::npos ? platform : platform.substr(slash + 1));
}

const PypiWheel* TorchPatch::pypi_wheel(std::string_view platform) const
{
    auto found = pypi.find(pypi_platform(platform));
    return found == pypi.end() ? nullptr : &found->second;
}

bool PypiReleases::contains(const Version& version) const
{
    return std::find(versions.begin(), versions.end(), version) != versions.end();
}

const Version* PypiReleases::newest() const
{
    return versions.empty() ? nullptr : &versions.back();
}

namespace {

// (major, minor, patch) distance; a lexicographic comparison of these ranks candidates.
std::array<int, 4> distance(const Version& wanted, const Version& candidate)
{
    std::array<int, 4> out{};
    for (std::size_t i = 0; i < 3; ++i) {
        out[i] = std::abs(wanted.part(i) - candidate.part(i));
    }
    out[3] = candidate > wanted ? 1 : 0;  // prefer the older one on a tie
    return out;
}

}  // namespace

std::optional<Version> nearest_version(const Version& wanted, const std::vector<Version>& known)
{
    const Version* best = nullptr;
    for (const auto& candidate : known) {
        if (!best || distance(wanted, candidate) < distance(wanted, *best)) {
            best = &candidate;
        }
    }
    return best ? std::optional<Version>(*best) : std::nullopt;
}

std::vector<Version> KnowledgeTables::torch_patch_versions() const
{
    std::vector<Version> out;
    for (const auto& release : torch) {
        for (const auto& patch : release.patches) {
            out.push_back(patch.version);
        }
    }
    return out;
}

std::vector<std::string> KnowledgeTables::torch_versions() const
{
    std::vector<std::string> out;
    for (const auto& release : torch) {
        out.push_back(release.version.str());
        for (const auto& patch : release.patches) {
            out.push_back(patch.version.str());
        }
    }
    return out;
}

const TensorflowRelease* KnowledgeTables::tensorflow_release(const Version& version) const
{
    for (const auto& release : tensorflow) {  // newest first: X.Y picks the newest listed patch
        bool same = version.size() >= 3 ? release.version == version : release.version.starts_with(version);
        if (same) {
            return &release;
        }
    }
    return nullptr;
}

std::vector<std::string> KnowledgeTables::tensorflow_versions() const
{
    std::vector<std::string> out;
    for (const auto& release : tensorflow) {
        out.push_back(release.version.str());
    }
    return out;
}

const JaxRelease* KnowledgeTables::jax_release(const Version& version) const
{
    const JaxRelease* applying = nullptr;
    for (const auto& release : jax) {  // oldest first
        if (release.version <= version) {
            applying = &release;
        }
    }
    return applying;
}

const JaxExtra* KnowledgeTables::jax_extra(std::string_view name) const
{
    auto found = std::find_if(jax_extras.begin(), jax_extras.end(), [&](const JaxExtra& e) { return e.name == name; });
    return found == jax_extras.end() ? nullptr : &*found;
}

}  // namespace cudagen
