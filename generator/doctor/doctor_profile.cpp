// Will a profile's image run on this host? The answer comes from the check
// rules themselves (`cudagen check --driver --gpu`): the findings with the
// host's driver and GPUs that are not there without them.
#include "doctor/doctor.hpp"

#include "check/check.hpp"
#include "core/text.hpp"
#include "knowledge/gpu_arch.hpp"

#include <algorithm>

namespace cudagen {

namespace {

Diagnostics checks_with(const RawProfile& raw, const ResolvedProfile& resolved, const Knowledge& knowledge,
                        const HostFacts& host)
{
    Diagnostics diagnostics;
    run_checks(raw, resolved, knowledge, host, diagnostics);
    return diagnostics;
}

// The probes' driver version and GPU argument as `check --driver --gpu` reads them.
HostFacts host_facts_of(const std::string& driver, const std::vector<std::string>& gpus, const Knowledge& knowledge)
{
    Diagnostics unreadable;  // a value the tables cannot read leaves that fact out
    return read_host_facts(driver, gpus, knowledge.tables(), unreadable).value_or(HostFacts{});
}

bool same(const Diagnostic& a, const Diagnostic& b)
{
    return a.code == b.code && a.message == b.message && a.fix == b.fix;
}

// Diagnostics of `with` that `without` lacks: what the host facts added.
std::vector<Diagnostic> added(const Diagnostics& with, const Diagnostics& without)
{
    std::vector<Diagnostic> extra;
    for (const auto& diagnostic : with.items()) {
        auto match = [&](const Diagnostic& other) { return same(diagnostic, other); };
        if (std::none_of(without.items().begin(), without.items().end(), match)) {
            extra.push_back(diagnostic);
        }
    }
    return extra;
}

// The GPU as --gpu takes it: its name when the tables know that name (brand
// rules then apply), else its compute capability.
std::string gpu_argument(const HostGpu& gpu, const Knowledge& knowledge)
{
    auto named = gpu.name.empty() ? std::nullopt : parse_gpu_arch(gpu.name, knowledge.tables());
    if (named && named->major == gpu.cc_major && named->minor == gpu.cc_minor) {
        return gpu.name;
    }
    return gpu.cc();
}

std::string archs_text(const ResolvedProfile& resolved)
{
    std::vector<std::string> sms;
    for (const GpuArch& arch : resolved.gpu_archs.value) {
        sms.push_back("sm_" + arch.sm());
    }
    return join(sms, " ") + (resolved.ptx && !sms.empty() ? " + PTX" : "");
}

std::string framework_text(const ResolvedFramework& framework)
{
    return framework.name + " " + framework.version.value + " " + framework.cuda_variant.value;
}

std::string wheel_text(const ResolvedFramework& framework)
{
    std::string label = framework_text(framework);
    if (framework.arch_list.empty()) {
        return label;
    }
    return label + " (" + join(framework.arch_list, ";") + (framework.arch_list_has_ptx ? "+PTX" : "") + ")";
}

// What the GPU was checked against, for its ✓ line.
std::string gpu_covered_text(const ResolvedProfile& resolved)
{
    std::vector<std::string> parts;
    if (!resolved.gpu_archs.value.empty()) {
        parts.push_back("the image's arch list (" + archs_text(resolved) + ")");
    }
    if (resolved.framework) {
        parts.push_back("the " + wheel_text(*resolved.framework) + " wheel");
    }
    return parts.empty() ? "the image compiles no CUDA code" : "kernels in " + join(parts, " and in ");
}

class ProfileFindings {
public:
    explicit ProfileFindings(const ResolvedProfile& resolved) : m_resolved(resolved) {}

    void add(FindingStatus status, std::string code, const std::string& message, std::string fix)
    {
        m_items.push_back({status, std::move(code), m_resolved.name + ": " + message, std::move(fix),
                           m_resolved.profile_file.empty() ? m_resolved.name : m_resolved.profile_file});
    }
    // Errors become problems, warnings notes; true when any was an error.
    bool add_all(const std::vector<Diagnostic>& diagnostics, const std::string& prefix = {})
    {
        bool error = false;
        for (const auto& diagnostic : diagnostics) {
            bool is_error = diagnostic.severity == Severity::error;
            error = error || is_error;
            add(is_error ? FindingStatus::problem : FindingStatus::note, diagnostic.code, prefix + diagnostic.message,
                diagnostic.fix);
        }
        return error;
    }
    std::vector<Finding> take() { return std::move(m_items); }

private:
    const ResolvedProfile& m_resolved;
    std::vector<Finding> m_items;
};

void judge_gpus(const RawProfile& raw, const ResolvedProfile& resolved, const Knowledge& knowledge,
                const DriverFacts& driver, const Diagnostics& driver_only, ProfileFindings& out)
{
    for (const HostGpu& gpu : driver.gpus) {
        std::string label = "GPU " + std::to_string(gpu.index) + " (" + gpu.name + ", sm_" +
                            std::to_string(gpu.cc_major * 10 + gpu.cc_minor) + ")";
        if (gpu.cc_major == 0) {
            out.add(FindingStatus::note, "doctor/gpu-unknown-cc", label + ": its compute capability is unknown",
                    "run cudagen check --gpu CC with the GPU's compute capability");
            continue;
        }
        HostFacts host = host_facts_of(driver.version, {gpu_argument(gpu, knowledge)}, knowledge);
        Diagnostics with_gpu = checks_with(raw, resolved, knowledge, host);
        if (!out.add_all(added(with_gpu, driver_only), label + ": ")) {
            out.add(FindingStatus::ok, "doctor/profile-gpu", label + ": " + gpu_covered_text(resolved), {});
        }
    }
}

}  // namespace

std::vector<Finding> judge_profile(const RawProfile& raw, const ResolvedProfile& resolved, const Knowledge& knowledge,
                                   const DriverFacts& driver)
{
    ProfileFindings out(resolved);
    Diagnostics own = checks_with(raw, resolved, knowledge, HostFacts{});
    if (own.has_errors()) {
        const Diagnostic& first = *std::find_if(own.items().begin(), own.items().end(),
                                                [](const Diagnostic& d) { return d.severity == Severity::error; });
        out.add(FindingStatus::problem, "doctor/profile-incompatible",
                "the profile cannot work anywhere: " + std::to_string(own.error_count()) +
                    " error(s), first: " + first.message + " [" + first.code + "]",
                "cudagen check " + resolved.profile_file);
        return out.take();
    }
    if (!driver.found || driver.source == "/proc/driver/nvidia/version") {
        out.add(FindingStatus::problem, "doctor/profile-no-driver",
                "its image cannot use a GPU here: no working NVIDIA driver", "fix the driver first (see above)");
        return out.take();
    }
    Diagnostics driver_only = checks_with(raw, resolved, knowledge, host_facts_of(driver.version, {}, knowledge));
    if (!out.add_all(added(driver_only, own))) {
        std::string framework = resolved.framework ? " and " + framework_text(*resolved.framework) : "";
        out.add(FindingStatus::ok, "doctor/profile-driver",
                "driver " + driver.version + " starts its CUDA " + resolved.cuda.value + " image" + framework, {});
    }
    judge_gpus(raw, resolved, knowledge, driver, driver_only, out);
    return out.take();
}

}  // namespace cudagen
