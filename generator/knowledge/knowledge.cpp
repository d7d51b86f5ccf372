// Loads generator/data/*.yaml into KnowledgeTables. Each file holds one or
// more tables: a mapping key with `source`, `read` and `rows`. A broken file
// is reported at file:line:column (the tables are data anyone may edit).
#include "knowledge/knowledge.hpp"

#include "core/embedded.hpp"
#include "knowledge/data_node.hpp"
#include "knowledge/tables.hpp"

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace cudagen {

namespace {

constexpr std::string_view k_data_prefix = "generator/data/";
constexpr const char* k_bad_data = "knowledge/bad-data";
const nlohmann::json k_empty_list = nlohmann::json::array();

class Reader {
public:
    Reader(std::string file, Diagnostics& diagnostics) : m_file(std::move(file)), m_diagnostics(diagnostics) {}

    const std::string& file() const { return m_file; }

    void fail(const DataNode& node, const std::string& message)
    {
        SourceLocation where{m_file, node.Mark().line + 1, node.Mark().column + 1};
        m_diagnostics.error(k_bad_data, message, where, "fix the knowledge table (see docs/knowledge.md)");
    }

    std::string text(const DataNode& row, const char* key, bool required = true)
    {
        const DataNode value = row[key];
        if (!value) {
            if (required) {
                fail(row, std::string("missing '") + key + "'");
            }
            return {};
        }
        if (!value.IsScalar()) {
            fail(value, std::string("'") + key + "' must be a scalar");
            return {};
        }
        return value.as<std::string>();
    }

    Version version(const DataNode& row, const char* key)
    {
        std::string value = text(row, key);
        if (value.empty()) {
            return {};
        }
        auto parsed = Version::parse(value);
        if (!parsed) {
            fail(row[key], std::string("'") + key + "' is not a version: " + value);
            return {};
        }
        return *parsed;
    }

    std::optional<Version> optional_version(const DataNode& row, const char* key)
    {
        if (!row[key]) {
            return std::nullopt;
        }
        return version(row, key);
    }

    bool flag(const DataNode& row, const char* key)
    {
        const DataNode value = row[key];
        return value && value.IsScalar() && value.as<bool>();
    }

    std::vector<std::string> strings(const DataNode& row, const char* key)
    {
        std::vector<std::string> out;
        const DataNode list = row[key];
        if (!list) {
            return out;
        }
        if (!list.IsSequence()) {
            fail(list, std::string("'") + key + "' must be a list");
            return out;
        }
        for (const auto& item : list) {
            out.push_back(item.as<std::string>());
        }
        return out;
    }

    // The rows of table `name`; records its source and read date.
    DataNode table(const DataNode& root, const char* name, KnowledgeTables& out)
    {
        const DataNode table = root[name];
        if (!table || !table.IsMap()) {
            fail(root, std::string("missing table '") + name + "'");
            return DataNode(&k_empty_list);
        }
        TableInfo info{m_file, name, text(table, "source"), text(table, "read"), 0};
        const DataNode rows = table["rows"];
        if (!rows || !rows.IsSequence()) {
            fail(table, std::string("table '") + name + "' has no 'rows' list");
            return DataNode(&k_empty_list);
        }
        info.rows = rows.size();
        out.tables.push_back(std::move(info));
        return rows;
    }

private:
    std::string m_file;
    Diagnostics& m_diagnostics;
};

PythonRange read_python_range(Reader& reader, const DataNode& node)
{
    PythonRange range;
    range.min = reader.version(node, "min");
    range.max = reader.version(node, "max");
    for (const auto& text : reader.strings(node, "experimental")) {
        if (auto parsed = Version::parse(text)) {
            range.experimental.push_back(*parsed);
        }
    }
    return range;
}

void load_cuda_releases(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "mvc_floors", out)) {
        out.mvc_floors.push_back({row["major"].as<int>(), reader.version(row, "min_driver")});
    }
    for (const auto& row : reader.table(root, "toolkit_drivers", out)) {
        out.toolkit_drivers.push_back(
            {reader.version(row, "cuda"), reader.version(row, "driver"), reader.flag(row, "unconfirmed")});
    }
}

void load_nvcc_targets(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "targets", out)) {
        NvccTarget target;
        target.sm = reader.text(row, "sm");
        std::size_t digits = target.sm.find_first_not_of("0123456789");
        target.number = std::atoi(target.sm.substr(0, digits).c_str());
        target.suffix = digits == std::string::npos ? "" : target.sm.substr(digits);
        target.min_cuda = reader.version(row, "min_cuda");
        target.max_cuda = reader.optional_version(row, "max_cuda");
        target.unconfirmed = reader.flag(row, "unconfirmed");
        out.nvcc_targets.push_back(std::move(target));
    }
    for (const auto& row : reader.table(root, "coverage", out)) {
        out.nvcc_unconfirmed_cuda.insert(reader.text(row, "cuda"));
    }
}

ImageRelease read_image(Reader& reader, const DataNode& row)
{
    ImageRelease image;
    image.cuda = reader.version(row, "cuda");
    image.unconfirmed = reader.flag(row, "unconfirmed");
    image.eol = reader.flag(row, "eol");
    image.cudnn = reader.text(row, "cudnn", false);
    image.note = reader.text(row, "note", false);
    if (!row["os"]) {
        image.inherited = true;
        return image;
    }
    image.cudnn_flavor = reader.text(row, "cudnn_flavor", true);
    for (const auto& entry : row["os"]) {
        image.os[entry.first.as<std::string>()] = entry.second.as<std::vector<std::string>>();
    }
    for (const auto& os : reader.strings(row, "no_cudnn_os")) {
        image.no_cudnn_os.insert(os);
    }
    if (row["fc_branches"]) {
        image.fc_branches = row["fc_branches"].as<std::vector<int>>();
    }
    image.fc_geforce = reader.flag(row, "fc_geforce");
    return image;
}

// Rows without `os` take it (and the cuDNN spelling, forward-compat branches)
// from the newest confirmed row of their X.Y.
void inherit_image_fields(Reader& reader, KnowledgeTables& out)
{
    for (auto& image : out.images) {
        if (!image.inherited) {
            continue;
        }
        const ImageRelease* current = out.current_image(image.cuda.major(), image.cuda.minor());
        if (!current || current->inherited) {
            reader.fail(DataNode(), "image " + image.cuda.str() + " has no os list and no newer release of its X.Y");
            continue;
        }
        image.os = current->os;
        image.no_cudnn_os = current->no_cudnn_os;
        image.cudnn_flavor = current->cudnn_flavor;
        image.fc_branches = current->fc_branches;
        image.fc_geforce = current->fc_geforce;
        image.eol = image.eol || current->eol;
    }
}

void load_cuda_images(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "images", out)) {
        out.images.push_back(read_image(reader, row));
    }
    std::stable_sort(out.images.begin(), out.images.end(),
                     [](const ImageRelease& a, const ImageRelease& b) { return a.cuda > b.cuda; });
    inherit_image_fields(reader, out);
}

void load_platform_wheels(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "torch_arm64", out)) {
        out.torch_arm64.push_back({reader.version(row, "from"), reader.version(row, "to"), reader.text(row, "variant"),
                                   reader.strings(row, "arch_list"), reader.flag(row, "ptx"),
                                   reader.flag(row, "unconfirmed")});
    }
    for (const auto& row : reader.table(root, "cpu_only_arm64", out)) {
        out.cpu_only_arm64.insert(reader.text(row, "framework"));
    }
}

std::optional<GpuBrand> parse_brand(std::string_view text)
{
    for (GpuBrand brand : {GpuBrand::datacenter, GpuBrand::professional, GpuBrand::geforce, GpuBrand::jetson}) {
        if (gpu_brand_name(brand) == text) {
            return brand;
        }
    }
    return std::nullopt;
}

void load_gpus(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "gpus", out)) {
        GpuModel gpu;
        Version cc = reader.version(row, "cc");
        gpu.major = cc.major();
        gpu.minor = cc.minor();
        gpu.arch = reader.text(row, "arch");
        std::string brand = reader.text(row, "brand");
        if (auto parsed = parse_brand(brand)) {
            gpu.brand = *parsed;
        } else if (!brand.empty()) {
            reader.fail(row["brand"], "'brand' must be datacenter, professional, geforce or jetson, not " + brand);
        }
        for (const auto& name : reader.strings(row, "names")) {
            gpu.names.push_back(normalize_gpu_name(name));
        }
        gpu.unconfirmed = reader.flag(row, "unconfirmed");
        out.gpus.push_back(std::move(gpu));
    }
    for (const auto& row : reader.table(root, "driver_floors", out)) {
        out.driver_floors.push_back({reader.version(row, "cc"), reader.version(row, "min_driver"),
                                     reader.flag(row, "unconfirmed"), reader.text(row, "note", false)});
    }
    for (const auto& row : reader.table(root, "jetson", out)) {
        out.jetson_bases.push_back(
            {reader.version(row, "cc"), reader.text(row, "base"), reader.optional_version(row, "sbsa_from_cuda")});
    }
}

void load_os_python(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "os_python", out)) {
        out.os_pythons.push_back({reader.text(row, "os"), reader.version(row, "python"), reader.text(row, "family"),
                                  reader.flag(row, "unconfirmed")});
    }
}

void load_micromamba(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "micromamba", out)) {
        MicromambaRelease release;
        release.version = reader.text(row, "version");
        for (const auto& asset : row["assets"]) {
            std::string arch = asset.first.as<std::string>();
            release.file[arch] = reader.text(asset.second, "file");
            release.sha256[arch] = reader.text(asset.second, "sha256");
        }
        out.micromamba.push_back(std::move(release));
    }
}

void load_conda_cuda(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "conda_cuda_packages", out)) {
        out.conda_cuda_packages.push_back(
            {reader.text(row, "name"), reader.text(row, "build_contains", false), reader.text(row, "brings")});
    }
}

TorchRelease read_torch_release(Reader& reader, const DataNode& row)
{
    TorchRelease release;
    release.version = reader.version(row, "version");
    release.python = read_python_range(reader, row["python"]);
    release.pypi_default = reader.text(row["pypi_default"], "variant", false);
    release.pypi_default_unconfirmed = reader.flag(row["pypi_default"], "unconfirmed");
    release.note = reader.text(row, "note", false);
    for (const auto& item : row["variants"]) {
        release.variants.push_back({reader.text(item, "name"), reader.version(item, "cuda"),
                                    reader.flag(item, "experimental"), reader.strings(item, "arch_list"),
                                    reader.flag(item, "ptx"), reader.flag(item, "unconfirmed")});
    }
    for (const auto& item : row["patches"]) {
        release.patches.push_back({reader.version(item, "version"),
                                   reader.text(item, "torchvision"),
                                   reader.text(item, "torchaudio"),
                                   reader.flag(item, "unconfirmed"),
                                   {},
                                   {}});
    }
    if (release.variants.empty()) {
        reader.fail(row, "torch " + release.version.str() + " needs at least one variant");
    }
    return release;
}

// A text field that may be null (a generated row with nothing to say).
std::string optional_text(const DataNode& row, const char* key)
{
    const DataNode value = row[key];
    return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

std::vector<Version> read_versions(Reader& reader, const DataNode& row, const char* key)
{
    std::vector<Version> out;
    for (const auto& text : reader.strings(row, key)) {
        if (auto parsed = Version::parse(text)) {
            out.push_back(*parsed);
        } else {
            reader.fail(row[key], "'" + text + "' is not a version");
        }
    }
    return out;
}

PypiWheel read_pypi_wheel(Reader& reader, const DataNode& node)
{
    PypiWheel wheel;
    wheel.variant = optional_text(node, "variant");
    if (!optional_text(node, "cuda").empty()) {
        wheel.cuda = reader.version(node, "cuda");
    }
    wheel.cudnn = optional_text(node, "cudnn");
    return wheel;
}

// A generated `pypi` row becomes the patch of its X.Y release (made when the
// release row lists no patches); rows of X.Y without a release row only say
// that PyPI has the release.
void attach_torch_pypi_row(Reader& reader, const DataNode& row, KnowledgeTables& out)
{
    Version version = reader.version(row, "version");
    out.torch_pypi.versions.push_back(version);
    auto release = std::find_if(out.torch.begin(), out.torch.end(),
                                [&](const TorchRelease& r) { return r.version == version.major_minor(); });
    if (release == out.torch.end()) {
        return;
    }
    auto found = std::find_if(release->patches.begin(), release->patches.end(),
                              [&](const TorchPatch& p) { return p.version == version; });
    TorchPatch* patch = found == release->patches.end() ? &release->patches.emplace_back() : &*found;
    patch->version = version;
    patch->torchvision = optional_text(row, "torchvision");
    patch->torchaudio = optional_text(row, "torchaudio");
    patch->python = read_versions(reader, row, "python");
    for (const char* platform : {"amd64", "arm64"}) {
        if (row[platform]) {
            patch->pypi[platform] = read_pypi_wheel(reader, row[platform]);
        }
    }
}

void finish_torch_releases(Reader& reader, KnowledgeTables& out)
{
    for (auto& release : out.torch) {
        std::stable_sort(release.patches.begin(), release.patches.end(),
                         [](const TorchPatch& a, const TorchPatch& b) { return a.version < b.version; });
        if (release.patches.empty()) {
            reader.fail(DataNode(),
                        "torch " + release.version.str() + " has no patch release (no pypi row, no patches)");
            continue;
        }
        if (const PypiWheel* wheel = release.patches.back().pypi_wheel("amd64")) {
            release.pypi_default = wheel->variant;
            release.pypi_default_unconfirmed = false;
        }
    }
}

void load_pytorch(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "releases", out)) {
        out.torch.push_back(read_torch_release(reader, row));
    }
    std::stable_sort(out.torch.begin(), out.torch.end(),
                     [](const TorchRelease& a, const TorchRelease& b) { return a.version < b.version; });
    if (root["pypi"]) {
        for (const auto& row : reader.table(root, "pypi", out)) {
            attach_torch_pypi_row(reader, row, out);
        }
        out.torch_pypi.read = reader.text(root["pypi"], "read");
        std::sort(out.torch_pypi.versions.begin(), out.torch_pypi.versions.end());
    }
    finish_torch_releases(reader, out);
}

// `and_cuda` of a generated tensorflow row: the wheel has tensorflow[and-cuda].
PypiWheel read_tensorflow_wheel(Reader& reader, const DataNode& node)
{
    PypiWheel wheel = read_pypi_wheel(reader, node);
    wheel.variant = reader.flag(node, "and_cuda") ? "and-cuda" : "";
    return wheel;
}

PythonRange python_range_of(const std::vector<Version>& pythons, const PythonRange& fallback)
{
    if (pythons.empty()) {
        return fallback;
    }
    return {pythons.front(), pythons.back(), {}};
}

// Each generated pypi row is a release of its hand-kept X.Y row (the tested configuration).
void expand_tensorflow_pypi_rows(Reader& reader, const DataNode& root, const std::vector<TensorflowRelease>& minors,
                                 KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "pypi", out)) {
        Version version = reader.version(row, "version");
        out.tensorflow_pypi.versions.push_back(version);
        auto minor = std::find_if(minors.begin(), minors.end(),
                                  [&](const TensorflowRelease& r) { return r.version == version.major_minor(); });
        if (minor == minors.end()) {
            continue;
        }
        TensorflowRelease release = *minor;
        release.version = version;
        release.python = python_range_of(read_versions(reader, row, "python"), minor->python);
        for (const char* platform : {"amd64", "arm64"}) {
            if (row[platform]) {
                release.pypi[platform] = read_tensorflow_wheel(reader, row[platform]);
            }
        }
        if (const auto found = release.pypi.find("amd64"); found != release.pypi.end()) {
            release.pip_cuda = found->second.variant == "and-cuda";
        }
        out.tensorflow.push_back(std::move(release));
    }
    out.tensorflow_pypi.read = reader.text(root["pypi"], "read");
    std::sort(out.tensorflow_pypi.versions.begin(), out.tensorflow_pypi.versions.end());
}

void load_tensorflow(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    std::vector<TensorflowRelease> minors;
    for (const auto& row : reader.table(root, "releases", out)) {
        minors.push_back({reader.version(row, "version"),
                          read_python_range(reader, row["python"]),
                          reader.version(row, "cuda"),
                          reader.text(row, "cudnn"),
                          reader.flag(row, "pip_cuda"),
                          {}});
    }
    if (root["pypi"]) {
        expand_tensorflow_pypi_rows(reader, root, minors, out);
    } else {
        out.tensorflow = minors;
    }
    std::stable_sort(out.tensorflow.begin(), out.tensorflow.end(),
                     [](const TensorflowRelease& a, const TensorflowRelease& b) { return a.version > b.version; });
}

// ">=3.11" (Requires-Python) -> 3.11
std::optional<Version> requires_python_min(const std::string& text)
{
    std::size_t at = text.find(">=");
    if (at == std::string::npos) {
        return std::nullopt;
    }
    std::size_t end = text.find_first_not_of("0123456789.", at + 2);
    return Version::parse(text.substr(at + 2, end == std::string::npos ? std::string::npos : end - at - 2));
}

// One JAX release per generated pypi row, up to newest_known: its minimum Python from
// Requires-Python and the CUDA extras it provides that the extras table knows and whose
// plugin PyPI has for that version.
void expand_jax_pypi_rows(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    std::vector<JaxRelease> releases;
    for (const auto& row : reader.table(root, "pypi", out)) {
        Version version = reader.version(row, "version");
        out.jax_pypi.versions.push_back(version);
        if (version > out.jax_newest_known) {
            continue;
        }
        JaxRelease release{version, {}, {}, {}};
        if (auto min = requires_python_min(optional_text(row, "requires_python"))) {
            release.python_min = *min;
        }
        for (const auto& extra : reader.strings(row, "extras")) {
            // an extra whose jax-cudaNN-plugin has no release of this version cannot install
            if (out.jax_extra(extra) && row["plugins"][extra]) {
                release.extras.push_back(extra);
                release.plugin_platforms[extra] = reader.strings(row["plugins"][extra], "platforms");
            }
        }
        releases.push_back(std::move(release));
    }
    out.jax_pypi.read = reader.text(root["pypi"], "read");
    std::sort(out.jax_pypi.versions.begin(), out.jax_pypi.versions.end());
    out.jax_requirement_rows = std::move(out.jax);
    out.jax = std::move(releases);
}

void load_jax(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "extras", out)) {
        out.jax_extras.push_back({reader.text(row, "name"), row["cuda_major"].as<int>(),
                                  reader.version(row, "built_with"), reader.version(row, "min_cuda"),
                                  reader.version(row, "min_driver"), reader.version(row, "min_cc"),
                                  reader.version(row, "since")});
    }
    for (const auto& row : reader.table(root, "releases", out)) {
        out.jax.push_back(
            {reader.version(row, "version"), reader.version(row, "python_min"), reader.strings(row, "extras"), {}});
    }
    std::stable_sort(out.jax.begin(), out.jax.end(),
                     [](const JaxRelease& a, const JaxRelease& b) { return a.version < b.version; });
    out.jax_newest_known = reader.version(root["releases"], "newest_known");
    if (root["pypi"]) {
        expand_jax_pypi_rows(reader, root, out);
    }
}

// user_pins.yaml: package names of the user's files, the pytorch channel's builds, breakages.
void load_user_pins(Reader& reader, const DataNode& root, KnowledgeTables& out)
{
    UserPinTables& pins = out.user_pins;
    for (const auto& row : reader.table(root, "framework_packages", out)) {
        pins.frameworks.push_back({reader.text(row, "framework"), reader.text(row, "label"), reader.strings(row, "pip"),
                                   reader.strings(row, "conda")});
    }
    for (const auto& row : reader.table(root, "cuda_packages", out)) {
        pins.cuda_packages.push_back(reader.text(row, "package"));
        reader.text(row, "selects");
    }
    for (const auto& row : reader.table(root, "pytorch_channel", out)) {
        CondaTorchBuilds builds{reader.version(row, "pytorch"),         {},
                                reader.text(row, "torchvision", false), reader.text(row, "torchaudio", false),
                                reader.flag(row, "unconfirmed"),        reader.text(row, "note", false)};
        builds.cuda = read_versions(reader, row, "cuda");
        pins.pytorch_channel.push_back(std::move(builds));
    }
    for (const auto& row : reader.table(root, "breakages", out)) {
        pins.breakages.push_back(
            {reader.text(row, "package"), reader.text(row, "channel"), reader.version(row, "below"),
             reader.text(row, "needs"), reader.version(row, "broken_from"), reader.text(row, "fixed_pin"),
             reader.text(row, "symptom"), reader.text(row, "reference"), reader.flag(row, "unconfirmed")});
    }
}

using FileLoader = std::function<void(Reader&, const DataNode&, KnowledgeTables&)>;

// Every data file and its loader, in load order (images before nothing else needs them).
const std::vector<std::pair<std::string, FileLoader>>& file_loaders()
{
    static const std::vector<std::pair<std::string, FileLoader>> k_loaders = {
        {"cuda_releases.yaml", load_cuda_releases},
        {"nvcc_targets.yaml", load_nvcc_targets},
        {"cuda_images.yaml", load_cuda_images},
        {"gpus.yaml", load_gpus},
        {"os_python.yaml", load_os_python},
        {"micromamba.yaml", load_micromamba},
        {"conda_cuda.yaml", load_conda_cuda},
        {"pytorch.yaml", load_pytorch},
        {"tensorflow.yaml", load_tensorflow},
        {"jax.yaml", load_jax},
        {"platform_wheels.yaml", load_platform_wheels},
        {"user_pins.yaml", load_user_pins},
    };
    return k_loaders;
}

std::string base_name(const std::string& name)
{
    std::size_t slash = name.rfind('/');
    return slash == std::string::npos ? name : name.substr(slash + 1);
}

void load_file(const std::string& file, const std::string& text, const FileLoader& loader, KnowledgeTables& out,
               Diagnostics& diagnostics)
{
    Reader reader(file, diagnostics);
    try {
        nlohmann::json document = yaml_to_data(YAML::Load(text), true);
        loader(reader, DataNode(&document), out);
    } catch (const YAML::Exception& error) {
        SourceLocation where{file, error.mark.line + 1, error.mark.column + 1};
        diagnostics.error(k_bad_data, error.msg, where, "fix the knowledge table (see docs/knowledge.md)");
    }
}

// The built-in tables: the JSON forms when this build has them (fast), else the YAML.
std::unique_ptr<Knowledge> load_builtin(Diagnostics& diagnostics)
{
    auto tables = std::make_shared<KnowledgeTables>();
    for (const auto& [file, loader] : file_loaders()) {
        std::string stem = file.substr(0, file.rfind('.'));
        auto json_text = embedded_file(std::string(k_data_prefix) + stem + ".json");
        if (!json_text) {
            return nullptr;
        }
        Reader reader(file, diagnostics);
        try {
            nlohmann::json document = nlohmann::json::parse(*json_text);
            loader(reader, DataNode(&document), *tables);
        } catch (const std::exception& error) {
            diagnostics.error(k_bad_data, error.what(), {file, 0, 0},
                              "fix the knowledge table (see docs/knowledge.md)");
        }
    }
    return std::make_unique<Knowledge>(std::move(tables));
}

}  // namespace

Knowledge::Knowledge(std::shared_ptr<const KnowledgeTables> tables) : m_tables(std::move(tables))
{
}

const Knowledge& Knowledge::builtin()
{
    static const Knowledge knowledge = [] {
        Diagnostics diagnostics;
        std::unique_ptr<Knowledge> loaded = load_builtin(diagnostics);
        if (!loaded) {
            std::map<std::string, std::string> texts;
            for (std::string_view name : embedded_names()) {
                if (name.starts_with(k_data_prefix) && name.ends_with(".yaml")) {
                    texts[std::string(name)] = std::string(*embedded_file(name));
                }
            }
            loaded = from_texts(texts, diagnostics);
        }
        if (diagnostics.has_errors()) {
            for (const auto& diagnostic : diagnostics.items()) {
                std::fprintf(stderr, "%s\n", format_diagnostic(diagnostic).c_str());
            }
            std::fprintf(stderr, "cudagen: the built-in knowledge tables are broken\n");
            std::abort();
        }
        return *loaded;
    }();
    return knowledge;
}

std::unique_ptr<Knowledge> Knowledge::from_texts(const std::map<std::string, std::string>& texts,
                                                 Diagnostics& diagnostics)
{
    std::map<std::string, std::string> by_base;
    for (const auto& [name, text] : texts) {
        by_base[base_name(name)] = text;
    }
    auto tables = std::make_shared<KnowledgeTables>();
    for (const auto& [file, loader] : file_loaders()) {
        auto found = by_base.find(file);
        if (found == by_base.end()) {
            diagnostics.error(k_bad_data, "knowledge table file " + file + " is missing", {file, 0, 0},
                              "add generator/data/" + file);
            continue;
        }
        load_file(file, found->second, loader, *tables, diagnostics);
    }
    return std::make_unique<Knowledge>(std::move(tables));
}

}  // namespace cudagen
