// run_checks: builds the context (the knowledge rows the resolved profile
// points at) and runs every rule group. Rules never stop early: all findings
// of a profile are reported together.
#include "check/check.hpp"

#include "check/check_context.hpp"
#include "check/rules.hpp"
#include "core/text.hpp"
#include "frameworks/registry.hpp"
#include "knowledge/knowledge.hpp"

namespace cudagen {

namespace checks {

void check_pins(const CheckContext& context);      // check_pins.cpp
void check_env_pins(const CheckContext& context);  // check_env_pins.cpp

void CheckContext::report(std::string_view code, std::string message, SourceLocation where, std::string fix) const
{
    const RuleInfo& info = rule_info(code);
    diagnostics.add({info.severity, std::string(code), std::move(message), std::move(where), std::move(fix)});
}

SourceLocation CheckContext::cuda_where() const
{
    if (raw.cuda.present) {
        return raw.cuda.where;
    }
    if (raw.pinned.cuda.value.present) {
        return raw.pinned.cuda.value.where;
    }
    return raw.framework ? raw.framework->version.where : resolved.cuda.where;
}

SourceLocation CheckContext::os_where() const
{
    return raw.os.present ? raw.os.where : cuda_where();
}

SourceLocation CheckContext::framework_where() const
{
    if (!raw.framework) {
        return {};
    }
    return raw.framework->version.present ? raw.framework->version.where : raw.framework->where;
}

std::string CheckContext::framework_label() const
{
    if (!resolved.framework) {
        return {};
    }
    return std::string(resolved.framework->unit->package()) + " " + resolved.framework->version.value;
}

Requirement parse_pip_requirement(std::string_view text)
{
    std::string spec = trim(text);
    std::size_t end = spec.find_first_of("=<>!~;[ @");
    Requirement requirement{to_lower(spec.substr(0, end)), "", ""};
    if (end == std::string::npos) {
        return requirement;
    }
    std::size_t op = spec.find_first_of("=<>!~", end);
    if (op == std::string::npos) {
        return requirement;
    }
    std::size_t version = spec.find_first_not_of("=<>!~", op);
    requirement.op = spec.substr(op, version == std::string::npos ? std::string::npos : version - op);
    if (version != std::string::npos) {
        std::size_t stop = spec.find_first_of(" ,;+", version);  // "+cu121" is a local tag, not the version
        requirement.version = spec.substr(version, stop == std::string::npos ? std::string::npos : stop - version);
    }
    return requirement;
}

Requirement parse_conda_spec(std::string_view text)
{
    std::string spec = trim(text);
    std::size_t channel = spec.find("::");
    if (channel != std::string::npos) {
        spec = spec.substr(channel + 2);
    }
    std::size_t end = spec.find_first_of("=<>! ");
    Requirement requirement{to_lower(spec.substr(0, end)), "", ""};
    if (end == std::string::npos) {
        return requirement;
    }
    std::size_t version = spec.find_first_not_of("=<>! ", end);
    std::string op = trim(spec.substr(end, version == std::string::npos ? std::string::npos : version - end));
    requirement.op = op.empty() ? "=" : op;  // "torchvision 0.17.0" means =0.17.0
    if (version != std::string::npos) {
        std::size_t stop = spec.find_first_of(" =,", version);  // "=py310_cu121" is a build string
        requirement.version = spec.substr(version, stop == std::string::npos ? std::string::npos : stop - version);
    }
    return requirement;
}

std::string pinned_version(const CheckContext& context, const std::string& package)
{
    const auto& framework = context.resolved.framework;
    if (!framework) {
        return {};
    }
    if (framework_of_package({framework->unit}, package) || package == framework->name) {
        return framework->version.value;
    }
    return context.rows ? context.rows->companion_version(package) : std::string();
}

bool pin_agrees(const std::string& op, const std::string& written, const std::string& pinned,
                const std::string& package)
{
    auto wanted = Version::parse(written);
    auto ours = Version::parse(pinned);
    if (!wanted || !ours || (op != "==" && op != "=" && op != "===")) {
        return true;  // ranges and wildcards are left to the solver
    }
    // torchaudio 2.11 is built on the stable ABI and serves every torch from 2.11 on.
    if (package == "torchaudio" && *ours == Version({2, 11, 0}) && *wanted >= Version({2, 11})) {
        return true;
    }
    // conda's "=0.17" means 0.17.*; pip's "==2.3" means 2.3.0.
    return op == "=" ? ours->starts_with(*wanted) : *ours == *wanted;
}

}  // namespace checks

void run_checks(const RawProfile& raw, const ResolvedProfile& resolved, const Knowledge& knowledge,
                const HostFacts& host, Diagnostics& diagnostics)
{
    const KnowledgeTables& tables = knowledge.tables();
    auto cuda = Version::parse(resolved.cuda.value);
    if (!cuda) {
        return;
    }
    checks::CheckContext context{raw, resolved, tables, host, diagnostics, *cuda};
    context.image = tables.image(*cuda);
    if (resolved.framework && !resolved.framework->unchecked) {
        context.rows = resolved.framework->rows.get();
    }
    checks::check_tags(context);
    checks::check_framework(context);
    checks::check_archs(context);
    checks::check_driver(context);
    checks::check_conda(context);
    checks::check_platform(context);
    checks::check_pins(context);
    checks::check_env_pins(context);
}

}  // namespace cudagen
