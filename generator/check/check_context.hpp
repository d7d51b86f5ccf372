// Shared state of the check rules (one CheckContext per profile) and the
// helpers every rule file uses. Rule severities come from the catalog
// (rules.cpp), so a rule file only says what is wrong and what to do.
#pragma once

#include "check/check.hpp"
#include "frameworks/framework.hpp"
#include "knowledge/tables.hpp"

namespace cudagen::checks {

struct CheckContext {
    const RawProfile& raw;
    const ResolvedProfile& resolved;
    const KnowledgeTables& tables;
    const HostFacts& host;
    Diagnostics& diagnostics;

    Version cuda{};                         // the image's X.Y.Z
    const ImageRelease* image = nullptr;    // its row in cuda_images.yaml
    const FrameworkChoice* rows = nullptr;  // the rows resolve chose for the framework (null: none, unchecked)

    // Adds a finding with the severity the catalog gives `code`.
    void report(std::string_view code, std::string message, SourceLocation where, std::string fix) const;

    // Where the CUDA version came from (the cuda line, else the framework's version line).
    SourceLocation cuda_where() const;
    SourceLocation os_where() const;
    SourceLocation framework_where() const;
    std::string framework_label() const;  // "torch 2.3.1"
};

void check_tags(const CheckContext& context);
void check_framework(const CheckContext& context);
void check_archs(const CheckContext& context);
void check_driver(const CheckContext& context);
void check_conda(const CheckContext& context);
void check_platform(const CheckContext& context);

// "rtx 5090 (sm_120)" for a named GPU, "sm_90" for a bare compute capability.
std::string gpu_label(const GpuArch& arch);

// A GPU the image must run on (gpu_archs the profile writes, every --gpu) and where it is named.
struct GpuTarget {
    GpuArch arch;
    SourceLocation where;
};
// Where the platforms come from (the platforms line, else the CUDA's).
SourceLocation platforms_where(const CheckContext& context);

// "torchvision==0.17.0+cu121" -> {"torchvision", "==", "0.17.0"}; empty name when unparsable.
struct Requirement {
    std::string name;
    std::string op;
    std::string version;
};
Requirement parse_pip_requirement(std::string_view text);
// "torchvision=0.17=py310_0", "torchvision 0.17.0" -> {"torchvision", "=", "0.17"}
Requirement parse_conda_spec(std::string_view text);
// The version cudagen pins for `package` (torch, torchvision, ...) or "".
std::string pinned_version(const CheckContext& context, const std::string& package);
// True when `written` (with operator op) is compatible with the pinned version.
bool pin_agrees(const std::string& op, const std::string& written, const std::string& pinned,
                const std::string& package);

}  // namespace cudagen::checks
