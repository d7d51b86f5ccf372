#include "load/load_profile.hpp"

#include "core/input_file.hpp"
#include "core/text.hpp"
#include "load/grammar.hpp"
#include "load/schema.hpp"
#include "load/value_rules.hpp"
#include "load/yaml_tree.hpp"

#include <algorithm>
#include <charconv>

namespace cudagen {

namespace {

LocatedString located(const YamlNode& node)
{
    return {node.value, node.where, true};
}

class ProfileLoader {
public:
    ProfileLoader(RawProfile& profile, Diagnostics& diagnostics) : m_profile(profile), m_diagnostics(diagnostics) {}

    void load_section(const YamlNode& node, std::string_view prefix);

private:
    void load_field(const FieldSpec& field, const YamlNode& key, const YamlNode& value);
    void report_unknown(const YamlNode& key, std::string_view prefix);
    void report_dotted(const YamlNode& key, std::string_view prefix);
    void report_missing(const YamlNode& section, std::string_view prefix);
    bool expect_kind(const FieldSpec& field, const YamlNode& value, YamlNode::Kind kind, std::string_view wanted);
    std::optional<LocatedString> scalar(const FieldSpec& field, const YamlNode& value);
    std::optional<Located<bool>> boolean(const FieldSpec& field, const YamlNode& value);
    LocatedStrings string_list(const FieldSpec& field, const YamlNode& value);
    std::vector<Located<int>> port_list(const FieldSpec& field, const YamlNode& value);
    std::vector<RawCopy> copy_list(const FieldSpec& field, const YamlNode& value);
    std::optional<RawCopy> copy_entry(const FieldSpec& field, const YamlNode& item, bool from_context);
    std::vector<RawBuildStep> step_list(const FieldSpec& field, const YamlNode& value);
    std::optional<RawBuildStep> step_entry(const FieldSpec& field, const YamlNode& item);
    std::vector<std::pair<LocatedString, LocatedString>> string_map(const FieldSpec& field, const YamlNode& value);
    void bind(const FieldSpec& field, const YamlNode& value);
    void set_string(LocatedString& target, const FieldSpec& field, const YamlNode& value);
    void set_bool(Located<bool>& target, const FieldSpec& field, const YamlNode& value);
    void set_list(LocatedStrings& target, const FieldSpec& field, const YamlNode& value);

    RawProfile& m_profile;
    Diagnostics& m_diagnostics;
};

const FieldSpec* child_field(const std::vector<SchemaChild>& children, std::string_view key)
{
    for (const auto& child : children) {
        if (child.key == key) {
            return child.field;
        }
    }
    return nullptr;
}

void ProfileLoader::load_section(const YamlNode& node, std::string_view prefix)
{
    if (!node.is_map()) {
        std::string section(prefix);
        std::string what = prefix.empty() ? "the profile" : "'" + section + "'";
        m_diagnostics.error(
            "schema/wrong-type", what + " must be a mapping of keys, not " + std::string(yaml_kind_name(node.kind)),
            node.where,
            prefix.empty() ? "start the file with 'name: my-image'" : "indent the keys under '" + section + ":'");
        return;
    }
    const std::vector<SchemaChild>& children = schema_children(prefix);
    for (const auto& [key, value] : node.entries) {
        // A key is one name: 'framework.with' written as one key is not the
        // nested field (and must not reach a section that was never opened).
        if (key.value.find('.') != std::string::npos) {
            report_dotted(key, prefix);
            continue;
        }
        const FieldSpec* field = child_field(children, key.value);
        if (!field) {
            report_unknown(key, prefix);
            continue;
        }
        load_field(*field, key, value);
    }
    report_missing(node, prefix);
}

void ProfileLoader::report_unknown(const YamlNode& key, std::string_view prefix)
{
    std::vector<std::string> keys = child_keys(prefix);
    std::string where = prefix.empty() ? "at the top level" : "in '" + std::string(prefix) + "'";
    std::string suggestion = did_you_mean(key.value, keys);
    m_diagnostics.error("schema/unknown-key", "unknown key '" + key.value + "' " + where + suggestion, key.where,
                        suggestion.empty() ? "allowed keys: " + join(keys, ", ")
                                           : "rename it to '" + *closest_match(key.value, keys) + "'");
}

void ProfileLoader::report_dotted(const YamlNode& key, std::string_view prefix)
{
    std::string where = prefix.empty() ? "at the top level" : "in '" + std::string(prefix) + "'";
    std::string full = prefix.empty() ? key.value : std::string(prefix) + "." + key.value;
    std::string fix = "write each part as its own key, one indented under the other";
    if (const FieldSpec* field = find_field(full)) {
        std::string_view path = field->path;
        std::size_t dot = path.rfind('.');
        std::string parent(path.substr(0, dot));
        std::string leaf(path.substr(dot + 1));
        fix = "write it nested: '" + parent + ":' and under it '" + leaf + ": " + std::string(field->example) + "'";
    }
    m_diagnostics.error("schema/unknown-key", "unknown key '" + key.value + "' " + where + " (a key holds no '.')",
                        key.where, fix);
}

void ProfileLoader::report_missing(const YamlNode& section, std::string_view prefix)
{
    for (const auto& [key, field] : schema_children(prefix)) {
        if (!field->required) {
            continue;
        }
        bool present = false;
        for (const auto& entry : section.entries) {
            present = present || entry.first.value == key;
        }
        if (!present) {
            std::string where = prefix.empty() ? "the profile" : "'" + std::string(prefix) + "'";
            m_diagnostics.error("schema/missing-key", where + " needs '" + std::string(key) + "'", section.where,
                                "add '" + std::string(key) + ": " + std::string(field->example) + "'");
        }
    }
}

void ProfileLoader::load_field(const FieldSpec& field, const YamlNode& key, const YamlNode& value)
{
    if (value.is_null()) {
        m_diagnostics.error("schema/missing-value", "'" + std::string(field.path) + "' has no value", key.where,
                            "give it a value, e.g. " + std::string(field.path) + ": " + std::string(field.example) +
                                ", or remove the key");
        return;
    }
    if (field.kind == FieldKind::section) {
        if (field.path == "framework") {
            m_profile.framework.emplace();
            m_profile.framework->where = key.where;
        }
        load_section(value, field.path);
        return;
    }
    bind(field, value);
}

bool ProfileLoader::expect_kind(const FieldSpec& field, const YamlNode& value, YamlNode::Kind kind,
                                std::string_view wanted)
{
    if (value.kind == kind) {
        return true;
    }
    std::string fix =
        "write it as " + std::string(wanted) + ", e.g. " + std::string(field.path) + ": " + std::string(field.example);
    m_diagnostics.error("schema/wrong-type",
                        "'" + std::string(field.path) + "' must be " + std::string(wanted) + ", not " +
                            std::string(yaml_kind_name(value.kind)),
                        value.where, fix);
    return false;
}

std::optional<LocatedString> ProfileLoader::scalar(const FieldSpec& field, const YamlNode& value)
{
    if (!expect_kind(field, value, YamlNode::Kind::scalar, "a single value")) {
        return std::nullopt;
    }
    std::optional<ValueProblem> problem = check_any_value(field.path, value.value);
    if (!problem && field.grammar == "context-path") {
        problem = check_copy_source(field.path, value.value);
    }
    if (problem) {
        m_diagnostics.error(problem->code, problem->message, value.where, problem->fix);
        return std::nullopt;
    }
    if (auto error = check_grammar(field.grammar, field.path, value.value)) {
        m_diagnostics.error("schema/bad-value", error->message, value.where, error->fix);
        return std::nullopt;
    }
    return located(value);
}

std::optional<Located<bool>> ProfileLoader::boolean(const FieldSpec& field, const YamlNode& value)
{
    if (!expect_kind(field, value, YamlNode::Kind::scalar, "true or false")) {
        return std::nullopt;
    }
    // YAML 1.2 booleans only: 'yes', 'on' and quoted "true" are the classic traps.
    if (value.plain && (value.value == "true" || value.value == "false")) {
        return Located<bool>{value.value == "true", value.where, true};
    }
    m_diagnostics.error(
        "schema/wrong-type", "'" + std::string(field.path) + "' must be true or false, not '" + value.value + "'",
        value.where,
        "write " + std::string(field.path) + ": true or " + std::string(field.path) + ": false, without quotes");
    return std::nullopt;
}

LocatedStrings ProfileLoader::string_list(const FieldSpec& field, const YamlNode& value)
{
    LocatedStrings out;
    if (!expect_kind(field, value, YamlNode::Kind::sequence, "a list")) {
        return out;
    }
    for (const auto& item : value.items) {
        if (auto text = scalar(field, item)) {
            out.push_back(std::move(*text));
        }
    }
    return out;
}

std::vector<Located<int>> ProfileLoader::port_list(const FieldSpec& field, const YamlNode& value)
{
    std::vector<Located<int>> out;
    if (!expect_kind(field, value, YamlNode::Kind::sequence, "a list of ports")) {
        return out;
    }
    for (const auto& item : value.items) {
        int port = 0;
        auto [end, ec] = std::from_chars(item.value.data(), item.value.data() + item.value.size(), port);
        bool ok = item.is_scalar() && item.plain && ec == std::errc{} && end == item.value.data() + item.value.size() &&
                  port >= 1 && port <= 65535;
        if (!ok) {
            // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "'" + std::string.
            std::string message = "'";
            message.append(field.path).append("' entry '").append(item.value).append("' is not a port number");
            m_diagnostics.error("schema/bad-value", message, item.where, "use a number from 1 to 65535, e.g. 8000");
            continue;
        }
        out.push_back({port, item.where, true});
    }
    return out;
}

std::vector<RawCopy> ProfileLoader::copy_list(const FieldSpec& field, const YamlNode& value)
{
    std::vector<RawCopy> out;
    if (!expect_kind(field, value, YamlNode::Kind::sequence, "a list of {src, dst}")) {
        return out;
    }
    bool from_context = field.path != "build.artifacts";
    for (const auto& item : value.items) {
        if (auto copy = copy_entry(field, item, from_context)) {
            out.push_back(std::move(*copy));
        }
    }
    return out;
}

std::optional<RawCopy> ProfileLoader::copy_entry(const FieldSpec& field, const YamlNode& item, bool from_context)
{
    if (!expect_kind(field, item, YamlNode::Kind::map, "a list of {src, dst}")) {
        return std::nullopt;
    }
    FieldSpec src{field.path, FieldKind::string, true, from_context ? "context-path" : "absolute-path", "", "", "src/"};
    FieldSpec dst{field.path, FieldKind::string, true, "absolute-path", "", "", "/src"};
    RawCopy copy;
    copy.where = item.where;
    for (const auto& [key, entry] : item.entries) {
        if (key.value == "src") {
            copy.src = scalar(src, entry).value_or(LocatedString{});
        } else if (key.value == "dst") {
            copy.dst = scalar(dst, entry).value_or(LocatedString{});
        } else {
            m_diagnostics.error("schema/unknown-key",
                                "unknown key '" + key.value + "' in a '" + std::string(field.path) + "' entry" +
                                    did_you_mean(key.value, {"src", "dst"}),
                                key.where, "each entry has exactly 'src' and 'dst'");
        }
    }
    if (!copy.src.present || !copy.dst.present) {
        m_diagnostics.error(
            "schema/missing-key", "a '" + std::string(field.path) + "' entry needs both 'src' and 'dst'", item.where,
            "write it as {src: " + std::string(from_context ? "app/" : "/src/build/app") + ", dst: /app}");
        return std::nullopt;
    }
    return copy;
}

std::vector<RawBuildStep> ProfileLoader::step_list(const FieldSpec& field, const YamlNode& value)
{
    std::vector<RawBuildStep> out;
    if (!expect_kind(field, value, YamlNode::Kind::sequence, "a list of {run: ...} or {copy: {src, dst}}")) {
        return out;
    }
    for (const auto& item : value.items) {
        if (auto step = step_entry(field, item)) {
            out.push_back(std::move(*step));
        }
    }
    return out;
}

std::optional<RawBuildStep> ProfileLoader::step_entry(const FieldSpec& field, const YamlNode& item)
{
    if (!expect_kind(field, item, YamlNode::Kind::map, "a list of {run: ...} or {copy: {src, dst}}")) {
        return std::nullopt;
    }
    if (item.entries.size() != 1 || (item.entries[0].first.value != "run" && item.entries[0].first.value != "copy")) {
        const YamlNode& at = item.entries.empty()       ? item
                             : item.entries.size() == 1 ? item.entries[0].first
                                                        : item.entries[1].first;
        std::string suggestion =
            item.entries.size() == 1 ? did_you_mean(item.entries[0].first.value, {"run", "copy"}) : "";
        m_diagnostics.error("schema/bad-value", "a build step has exactly one key, run or copy" + suggestion, at.where,
                            "write each step as {run: \"make\"} or {copy: {src: src/, dst: /src}}");
        return std::nullopt;
    }
    RawBuildStep step;
    step.where = item.where;
    const YamlNode& value = item.entries[0].second;
    if (item.entries[0].first.value == "run") {
        FieldSpec run{field.path, FieldKind::string, true, "shell-command", "", "", "make"};
        auto text = scalar(run, value);
        if (!text) {
            return std::nullopt;
        }
        step.run = std::move(*text);
        return step;
    }
    step.copy = copy_entry(field, value, true);
    return step.copy ? std::optional<RawBuildStep>(step) : std::nullopt;
}

std::vector<std::pair<LocatedString, LocatedString>> ProfileLoader::string_map(const FieldSpec& field,
                                                                               const YamlNode& value)
{
    std::vector<std::pair<LocatedString, LocatedString>> out;
    if (!expect_kind(field, value, YamlNode::Kind::map, "a mapping of NAME: value")) {
        return out;
    }
    for (const auto& [key, entry] : value.entries) {
        std::string label = std::string(field.path) + "." + key.value;
        FieldSpec text{label, FieldKind::string, false, "", "", "", "info"};
        auto name = scalar(field, key);
        if (entry.is_null()) {
            m_diagnostics.error("schema/missing-value", "environment variable '" + key.value + "' has no value",
                                key.where, "write " + key.value + ": \"\" for an empty value");
            continue;
        }
        auto content = scalar(text, entry);
        if (name && content) {
            if (auto problem = check_env_value(label, content->value)) {
                m_diagnostics.error(problem->code, problem->message, entry.where, problem->fix);
                continue;
            }
            out.emplace_back(std::move(*name), std::move(*content));
        }
    }
    return out;
}

}  // namespace

// Where each field lands in RawProfile: adding a field is one line here plus
// one row in the schema. Looked up by the row, not by comparing its path.
void ProfileLoader::bind(const FieldSpec& field, const YamlNode& value)
{
    using L = ProfileLoader;
    using F = FieldSpec;
    using N = YamlNode;
    using Bind = void (*)(L&, const F&, const N&);
    static const std::vector<std::pair<std::string_view, Bind>> k_bindings = {
        {"name", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.name, f, v); }},
        {"cuda", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.cuda, f, v); }},
        {"os", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.os, f, v); }},
        {"cudnn", [](L& l, const F& f, const N& v) { l.set_bool(l.m_profile.cudnn, f, v); }},
        {"python", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.python, f, v); }},
        {"framework.name", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.framework->name, f, v); }},
        {"framework.version", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.framework->version, f, v); }},
        {"framework.with", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.framework->with, f, v); }},
        {"framework.channel", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.framework->channel, f, v); }},
        {"conda.environment", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.conda_environment, f, v); }},
        {"pip.requirements", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.pip_requirements, f, v); }},
        {"pip.packages", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.pip_packages, f, v); }},
        {"pip.extra_index_urls",
         [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.pip_extra_index_urls, f, v); }},
        {"pip.find_links", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.pip_find_links, f, v); }},
        {"pip.project", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.pip_project, f, v); }},
        {"pip.project_extras", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.pip_project_extras, f, v); }},
        {"pip.index_url", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.pip_index_url, f, v); }},
        {"pip.framework_index_url",
         [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.pip_framework_index_url, f, v); }},
        {"apt", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.apt, f, v); }},
        {"apt_build", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.apt_build, f, v); }},
        {"gpu_archs", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.gpu_archs, f, v); }},
        {"ptx", [](L& l, const F& f, const N& v) { l.set_bool(l.m_profile.ptx, f, v); }},
        {"platforms", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.platforms, f, v); }},
        {"runtime_flavor", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.runtime_flavor, f, v); }},
        {"build.copy", [](L& l, const F& f, const N& v) { l.m_profile.build.copy = l.copy_list(f, v); }},
        {"build.run", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.build.run, f, v); }},
        {"build.steps", [](L& l, const F& f, const N& v) { l.m_profile.build.steps = l.step_list(f, v); }},
        {"build.artifacts", [](L& l, const F& f, const N& v) { l.m_profile.build.artifacts = l.copy_list(f, v); }},
        {"app.copy", [](L& l, const F& f, const N& v) { l.m_profile.app.copy = l.copy_list(f, v); }},
        {"app.workdir", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.app.workdir, f, v); }},
        {"app.env", [](L& l, const F& f, const N& v) { l.m_profile.app.env = l.string_map(f, v); }},
        {"app.expose", [](L& l, const F& f, const N& v) { l.m_profile.app.expose = l.port_list(f, v); }},
        {"app.cmd", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.app.cmd, f, v); }},
        {"app.entrypoint", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.app.entrypoint, f, v); }},
        {"app.user", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.app.user, f, v); }},
        {"app.path", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.app.path, f, v); }},
        {"app.library_path", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.app.library_path, f, v); }},
        {"app.run", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.app.run, f, v); }},
        {"image.registry", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.image.registry, f, v); }},
        {"image.tags", [](L& l, const F& f, const N& v) { l.set_list(l.m_profile.image.tags, f, v); }},
        {"image.base_registry",
         [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.image.base_registry, f, v); }},
        {"verify", [](L& l, const F& f, const N& v) { l.set_bool(l.m_profile.verify, f, v); }},
        {"dockerfile_syntax", [](L& l, const F& f, const N& v) { l.set_string(l.m_profile.dockerfile_syntax, f, v); }},
    };
    static const std::vector<Bind> k_by_row = [] {
        std::vector<Bind> rows;
        for (const auto& row : profile_schema()) {
            auto found = std::find_if(k_bindings.begin(), k_bindings.end(),
                                      [&row](const auto& binding) { return binding.first == row.path; });
            rows.push_back(found == k_bindings.end() ? nullptr : found->second);
        }
        return rows;
    }();
    const std::vector<FieldSpec>& schema = profile_schema();
    if (&field < schema.data() || &field >= schema.data() + schema.size()) {
        return;  // not a schema row: nothing binds it
    }
    if (Bind bind = k_by_row[static_cast<std::size_t>(&field - schema.data())]) {
        bind(*this, field, value);
    }
}

void ProfileLoader::set_string(LocatedString& target, const FieldSpec& field, const YamlNode& value)
{
    if (auto text = scalar(field, value)) {
        target = std::move(*text);
    }
}

void ProfileLoader::set_bool(Located<bool>& target, const FieldSpec& field, const YamlNode& value)
{
    if (auto flag = boolean(field, value)) {
        target = *flag;
    }
}

void ProfileLoader::set_list(LocatedStrings& target, const FieldSpec& field, const YamlNode& value)
{
    target = string_list(field, value);
}

namespace {

// Byte offset of the first invalid UTF-8 sequence, or npos. Everything cudagen
// writes (Dockerfile, HCL, JSON) is UTF-8; a bad byte is reported at its place.
std::size_t invalid_utf8_at(std::string_view text)
{
    unsigned high = 0;  // ASCII text (most profiles) is valid: one branch-free pass decides it
    for (char c : text) {
        high |= static_cast<unsigned char>(c);
    }
    if (high < 0x80) {
        return std::string_view::npos;
    }
    std::size_t i = 0;
    while (i < text.size()) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (length == 0 || i + length > text.size()) {
            return i;
        }
        for (std::size_t k = 1; k < length; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) {
                return i;
            }
        }
        i += length;
    }
    return std::string_view::npos;
}

SourceLocation location_of_offset(std::string_view text, std::size_t offset, const std::string& file)
{
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        line += text[i] == '\n';
        column = text[i] == '\n' ? 1 : column + 1;
    }
    return {file, line, column};
}

}  // namespace

std::optional<RawProfile> load_profile_from_string(std::string text, const std::string& file,
                                                   const std::filesystem::path& context_dir, Diagnostics& diagnostics)
{
    // Built in place and returned by name on every path: a RawProfile is large to move.
    std::optional<RawProfile> result(std::in_place);
    RawProfile& profile = *result;
    profile.file = file;
    profile.context_dir = context_dir;
    profile.text = std::move(text);
    std::size_t errors_before = diagnostics.error_count();
    if (std::size_t bad = invalid_utf8_at(profile.text); bad != std::string::npos) {
        diagnostics.error("yaml/encoding", "the profile is not valid UTF-8 (byte " + std::to_string(bad) + ")",
                          location_of_offset(profile.text, bad, file), "save the file as UTF-8");
        result.reset();
        return result;
    }
    std::optional<YamlNode> root = parse_yaml(profile.text, file, diagnostics);
    if (root) {
        ProfileLoader loader(profile, diagnostics);
        loader.load_section(*root, "");
    }
    if (!root || diagnostics.error_count() > errors_before) {
        result.reset();
    }
    return result;
}

std::optional<std::string> find_profile_upwards(const std::filesystem::path& start)
{
    std::error_code error;
    std::filesystem::path folder = std::filesystem::absolute(start, error).lexically_normal();
    std::string relative;
    while (!error) {
        std::error_code missing;  // set when the file does not exist: not an error here
        if (std::filesystem::is_regular_file(folder / "cudagen.yaml", missing)) {
            return relative + "cudagen.yaml";
        }
        if (!folder.has_relative_path()) {
            break;
        }
        folder = folder.parent_path();
        relative += "../";
    }
    return std::nullopt;
}

std::optional<RawProfile> load_profile_file(const std::string& path, Diagnostics& diagnostics)
{
    return load_profile_file(path, {}, diagnostics);
}

std::optional<RawProfile> load_profile_file(const std::string& path, const std::filesystem::path& working_dir,
                                            Diagnostics& diagnostics)
{
    std::filesystem::path asked = working_dir.empty() ? std::filesystem::current_path() : std::filesystem::path();
    const std::filesystem::path& here = working_dir.empty() ? asked : working_dir;
    std::string file = path.empty() ? find_profile_upwards(here).value_or("cudagen.yaml") : path;
    InputFile input = read_input_file(file, file);
    if (input.error && input.error->code == "io/not-found") {
        std::string fix = path.empty() ? "pass a profile, e.g. cudagen generate profiles/cuda-cpp/cudagen.yaml, or "
                                         "create one with cudagen init"
                                       : "check the path";
        diagnostics.error("io/not-found", "cannot read profile '" + file + "': no such file", {file, 0, 0}, fix);
        return std::nullopt;
    }
    if (input.error) {
        diagnostics.add(input_file_diagnostic(*input.error, {file, 0, 0}));
        return std::nullopt;
    }
    if (file.find('/') == std::string::npos) {  // in the current folder, already absolute and normal
        return load_profile_from_string(std::move(input.text), file, here, diagnostics);
    }
    std::filesystem::path context = (here / file).parent_path();
    return load_profile_from_string(std::move(input.text), file, context.lexically_normal(), diagnostics);
}

}  // namespace cudagen
