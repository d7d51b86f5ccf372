// Pins of the user's files and what they say about versions: the exact
// release a pin names, whether a range admits a release, the CUDA named by a
// +cuXYZ local version, a .../whl/cuXYZ index or a conda build string.
#include "deps/user_pins.hpp"

#include "core/text.hpp"

#include <cctype>
#include <filesystem>

namespace cudagen::deps {

namespace {

std::string shown_at(const SourceLocation& where)
{
    return std::filesystem::path(where.file).filename().string() + ":" + std::to_string(where.line);
}

void add_pip_section(const PipSection& section, PinSource source, std::vector<UserPin>& pins)
{
    for (const PipEntry& entry : section.entries) {
        PinSource kind = entry.constraint ? PinSource::constraints : source;
        pins.push_back({kind, entry.text, shown_at(entry.where), entry.spec, "", entry.where});
    }
    for (const PipOption& option : section.options) {
        if (option.kind == PipOptionKind::index_url || option.kind == PipOptionKind::extra_index_url) {
            pins.push_back({source,
                            option.name + " " + option.value,
                            shown_at(option.value_where),
                            {},
                            option.value,
                            option.value_where});
        }
    }
}

bool is_digit(char c)
{
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// The digits at the start of `text`.
std::string_view leading_digits(std::string_view text)
{
    std::size_t end = 0;
    while (end < text.size() && is_digit(text[end])) {
        ++end;
    }
    return text.substr(0, end);
}

// One clause ("<2", ">=1.13", "=1.13", "1.13.*", "!=2.0.0") against a version.
std::optional<bool> clause_admits(std::string clause, const Version& version, bool conda)
{
    clause = trim(clause);
    std::size_t start = clause.find_first_not_of("=<>!~");
    std::string op = clause.substr(0, start == std::string::npos ? clause.size() : start);
    std::string text = start == std::string::npos ? "" : trim(clause.substr(start));
    std::size_t plus = text.find('+');
    text = plus == std::string::npos ? text : text.substr(0, plus);
    bool wildcard = text.ends_with(".*") || (conda && (op.empty() || op == "="));
    if (text.ends_with(".*")) {
        text.resize(text.size() - 2);
    }
    auto wanted = Version::parse(text);
    if (!wanted) {
        return std::nullopt;
    }
    if (op.empty() || op == "=" || op == "==" || op == "===") {
        return wildcard ? version.starts_with(*wanted) : version == *wanted;
    }
    if (op == "!=") {
        return wildcard ? !version.starts_with(*wanted) : version != *wanted;
    }
    if (op == ">=") {
        return version >= *wanted;
    }
    if (op == "<=") {
        return version <= *wanted;
    }
    if (op == ">") {
        return version > *wanted;
    }
    if (op == "<") {
        return version < *wanted;
    }
    if (op == "~=" && wanted->size() >= 2) {  // ~=1.4.2 means >=1.4.2, ==1.4.*
        std::vector<int> prefix;
        for (std::size_t i = 0; i + 1 < wanted->size(); ++i) {
            prefix.push_back(wanted->part(i));
        }
        return version >= *wanted && version.starts_with(Version(prefix));
    }
    return std::nullopt;
}

}  // namespace

std::vector<UserPin> collect_user_pins(const DependencySet& set, const ProfilePins& profile)
{
    static const std::vector<Located<std::string>> k_none;
    const auto& pip_packages = profile.packages ? *profile.packages : k_none;
    const auto& extra_index_urls = profile.extra_index_urls ? *profile.extra_index_urls : k_none;
    std::vector<UserPin> pins;
    if (set.conda) {
        for (const CondaDependency& dependency : set.conda->dependencies) {
            pins.push_back(
                {PinSource::conda, dependency.text, shown_at(dependency.where), dependency.spec, "", dependency.where});
        }
    }
    for (const auto& package : pip_packages) {
        auto spec = parse_pip_spec(package.value);
        pins.push_back({PinSource::profile_packages, package.value, "pip.packages",
                        std::move(spec).value_or(PackageSpec{}), "", package.where});
    }
    for (const auto& url : extra_index_urls) {
        pins.push_back({PinSource::profile_index, url.value, "pip.extra_index_urls", {}, url.value, url.where});
    }
    add_pip_section(set.requirements, PinSource::requirements, pins);
    if (set.conda) {
        add_pip_section(set.conda->pip, PinSource::conda_pip, pins);
    }
    return pins;
}

std::optional<bool> spec_admits(const PackageSpec& spec, const Version& version, bool conda)
{
    std::string text = trim(spec.specifier);
    if (text.empty() && spec.version.empty()) {
        return true;
    }
    if (text.empty()) {
        text = spec.op + spec.version;
    }
    if (conda && !text.empty() && text.front() == '=' && text.find(',') == std::string::npos) {
        text = "=" + spec.version;  // "=1.13.1=py3.9_cuda11.7_0": the build string is not a clause
    }
    if (text.find('|') != std::string::npos || text.front() == '[') {
        return std::nullopt;
    }
    bool all = true;
    for (const std::string& clause : split(text, ',')) {
        auto admitted = clause_admits(clause, version, conda);
        if (!admitted) {
            return std::nullopt;
        }
        all = all && *admitted;
    }
    return all;
}

std::optional<Version> exact_release(const PackageSpec& spec, bool conda)
{
    bool exact_op = spec.op == "==" || spec.op == "===" || (conda && spec.op == "=");
    if (!exact_op || spec.version.empty() || spec.specifier.find(',') != std::string::npos) {
        return std::nullopt;
    }
    std::string text = spec.version;
    if (text.ends_with(".*")) {
        text.resize(text.size() - 2);
    }
    auto version = Version::parse(text);
    if (!version || version->size() < 2 || version->size() > 3) {
        return std::nullopt;
    }
    return version;
}

std::optional<Version> cuda_of_tag(std::string_view digits)
{
    if (digits.size() == 3) {
        return Version({(digits[0] - '0') * 10 + (digits[1] - '0'), digits[2] - '0'});
    }
    if (digits.size() == 2) {
        return Version({digits[0] - '0', digits[1] - '0'});
    }
    return std::nullopt;
}

std::optional<Version> cuda_of_pin(const UserPin& pin)
{
    if (!pin.index.empty()) {
        std::size_t at = pin.index.find("/whl/cu");
        return at == std::string::npos ? std::nullopt : cuda_of_tag(leading_digits(pin.index.substr(at + 7)));
    }
    if (pin.spec.local.starts_with("cu")) {
        std::string_view rest = std::string_view(pin.spec.local).substr(2);
        std::string_view digits = leading_digits(rest);
        return digits.size() == rest.size() ? cuda_of_tag(digits) : std::nullopt;
    }
    std::size_t at = pin.conda() ? pin.spec.build.find("cuda") : std::string::npos;
    if (at == std::string::npos) {
        return std::nullopt;
    }
    std::string_view rest = std::string_view(pin.spec.build).substr(at + 4);
    std::size_t end = rest.find_first_not_of("0123456789.");
    auto version = Version::parse(rest.substr(0, end));
    return version && version->size() >= 2 ? std::optional<Version>(version->major_minor()) : std::nullopt;
}

std::optional<Version> python_of_build(std::string_view build)
{
    if (!build.starts_with("py") || build.size() < 4 || !is_digit(build[2])) {
        return std::nullopt;
    }
    std::string_view rest = build.substr(2);
    if (rest.size() > 1 && rest[1] == '.') {  // "py3.9_..."
        std::string_view minor = leading_digits(rest.substr(2));
        return minor.empty() ? std::nullopt : Version::parse(std::string(rest.substr(0, 2)) + std::string(minor));
    }
    std::string_view digits = leading_digits(rest);  // "py310h..."
    if (digits.size() < 2 || digits.size() > 3) {
        return std::nullopt;
    }
    return Version::parse(std::string(digits.substr(0, 1)) + "." + std::string(digits.substr(1)));
}

}  // namespace cudagen::deps
