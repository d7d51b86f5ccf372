#include "knowledge/gpu_arch.hpp"

#include <algorithm>
#include <charconv>

namespace cudagen {

namespace {

std::optional<int> parse_int(std::string_view text)
{
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

// "90a" -> 9.0 + "a"; "120" -> 12.0; "103f" -> 10.3 + "f".
std::optional<GpuArch> parse_sm_number(std::string_view text)
{
    std::string_view suffix;
    if (!text.empty() && (text.back() == 'a' || text.back() == 'f')) {
        suffix = text.substr(text.size() - 1);
        text.remove_suffix(1);
    }
    auto number = parse_int(text);
    if (!number || *number < 10 || *number > 999) {
        return std::nullopt;
    }
    GpuArch arch;
    arch.major = *number / 10;
    arch.minor = *number % 10;
    arch.suffix = std::string(suffix);
    return arch;
}

}  // namespace

std::optional<GpuArch> parse_compute_capability(std::string_view text)
{
    if (text.ends_with("+PTX")) {
        text.remove_suffix(4);
    }
    std::string_view suffix;
    if (!text.empty() && (text.back() == 'a' || text.back() == 'f')) {
        suffix = text.substr(text.size() - 1);
        text.remove_suffix(1);
    }
    std::size_t dot = text.find('.');
    if (dot == std::string_view::npos) {
        return std::nullopt;
    }
    auto major = parse_int(text.substr(0, dot));
    auto minor = parse_int(text.substr(dot + 1));
    if (!major || !minor || *minor > 9 || *major < 1 || *major > 99) {
        return std::nullopt;
    }
    GpuArch arch;
    arch.major = *major;
    arch.minor = *minor;
    arch.suffix = std::string(suffix);
    return arch;
}

std::optional<GpuArch> parse_gpu_arch(std::string_view text, const KnowledgeTables& tables)
{
    std::optional<GpuArch> arch;
    if (text.starts_with("sm_")) {
        arch = parse_sm_number(text.substr(3));
    } else if (text.starts_with("compute_")) {
        arch = parse_sm_number(text.substr(8));
    } else if (text.find('.') != std::string_view::npos) {
        arch = parse_compute_capability(text);
    } else if (const GpuModel* model = tables.gpu(text)) {
        arch = GpuArch{model->major, model->minor, "", "", {}};
    }
    if (arch) {
        arch->written = std::string(text);
    }
    return arch;
}

bool sass_runs_on(const GpuArch& target, int major, int minor)
{
    if (target.suffix == "a") {
        return target.major == major && target.minor == minor;
    }
    return target.major == major && target.minor <= minor;
}

bool ptx_runs_on(const GpuArch& target, int major, int minor)
{
    return std::pair(target.major, target.minor) <= std::pair(major, minor);
}

bool runs_on(const std::vector<GpuArch>& sass, bool ptx, int major, int minor)
{
    bool any_sass =
        std::any_of(sass.begin(), sass.end(), [&](const GpuArch& a) { return sass_runs_on(a, major, minor); });
    if (any_sass || !ptx) {
        return any_sass;
    }
    // PTX is emitted for the newest plain (not "a"/"f") arch.
    const GpuArch* newest = nullptr;
    for (const auto& arch : sass) {
        if (arch.suffix.empty() &&
            (!newest || std::pair(arch.major, arch.minor) > std::pair(newest->major, newest->minor))) {
            newest = &arch;
        }
    }
    return newest && ptx_runs_on(*newest, major, minor);
}

}  // namespace cudagen
