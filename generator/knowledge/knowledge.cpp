// Loads generator/data/*.yaml into KnowledgeTables. Each file holds one or
// more tables: a mapping key with `source`, `read` and `rows`. A broken file
// is reported at file:line:column (the tables are data anyone may edit).
// cudagen itself reads them compiled (knowledge/table_archive.hpp): the build
// runs these loaders once and embeds what they produced.
#include "knowledge/knowledge.hpp"

#include "core/embedded.hpp"
#include "frameworks/registry.hpp"
#include "knowledge/data_node.hpp"
#include "knowledge/table_archive.hpp"
#include "knowledge/table_reader.hpp"
#include "knowledge/tables.hpp"

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace cudagen {

namespace {

constexpr std::string_view k_archive = "generator/data/knowledge.tables";
constexpr const char* k_bad_data = "knowledge/bad-data";

void load_cuda_releases(TableReader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "mvc_floors", out)) {
        out.mvc_floors.push_back({row["major"].as<int>(), reader.version(row, "min_driver")});
    }
    for (const auto& row : reader.table(root, "toolkit_drivers", out)) {
        out.toolkit_drivers.push_back(
            {reader.version(row, "cuda"), reader.version(row, "driver"), reader.flag(row, "unconfirmed")});
    }
}

void load_nvcc_targets(TableReader& reader, const DataNode& root, KnowledgeTables& out)
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

ImageRelease read_image(TableReader& reader, const DataNode& row)
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
        image.os.push_back({entry.first.as<std::string>(), entry.second.as<std::vector<std::string>>()});
    }
    std::sort(image.os.begin(), image.os.end(), [](const ImageOs& a, const ImageOs& b) { return a.token < b.token; });
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
void inherit_image_fields(TableReader& reader, KnowledgeTables& out)
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

void load_cuda_images(TableReader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "images", out)) {
        out.images.push_back(read_image(reader, row));
    }
    std::stable_sort(out.images.begin(), out.images.end(),
                     [](const ImageRelease& a, const ImageRelease& b) { return a.cuda > b.cuda; });
    inherit_image_fields(reader, out);
}

void load_platform_wheels(TableReader& reader, const DataNode& root, KnowledgeTables& out)
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

void load_gpus(TableReader& reader, const DataNode& root, KnowledgeTables& out)
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

void load_os_python(TableReader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "os_python", out)) {
        out.os_pythons.push_back({reader.text(row, "os"), reader.version(row, "python"), reader.text(row, "family"),
                                  reader.flag(row, "unconfirmed")});
    }
}

void load_micromamba(TableReader& reader, const DataNode& root, KnowledgeTables& out)
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

void load_conda_cuda(TableReader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "conda_cuda_packages", out)) {
        out.conda_cuda_packages.push_back(
            {reader.text(row, "name"), reader.text(row, "build_contains", false), reader.text(row, "brings")});
    }
}

// user_pins.yaml: CUDA selectors of the user's files, the pytorch channel's builds, breakages.
void load_user_pins(TableReader& reader, const DataNode& root, KnowledgeTables& out)
{
    UserPinTables& pins = out.user_pins;
    for (const auto& row : reader.table(root, "cuda_packages", out)) {
        pins.cuda_packages.push_back(reader.text(row, "package"));
        reader.text(row, "selects");
    }
    for (const auto& row : reader.table(root, "pytorch_channel", out)) {
        CondaTorchBuilds builds{reader.version(row, "pytorch"),         {},
                                reader.text(row, "torchvision", false), reader.text(row, "torchaudio", false),
                                reader.flag(row, "unconfirmed"),        reader.text(row, "note", false)};
        builds.cuda = reader.versions(row, "cuda");
        pins.pytorch_channel.push_back(std::move(builds));
    }
    for (const auto& row : reader.table(root, "breakages", out)) {
        pins.breakages.push_back(
            {reader.text(row, "package"), reader.text(row, "channel"), reader.version(row, "below"),
             reader.text(row, "needs"), reader.version(row, "broken_from"), reader.text(row, "fixed_pin"),
             reader.text(row, "symptom"), reader.text(row, "reference"), reader.flag(row, "unconfirmed")});
    }
}

// python_tools.yaml: the releases of uv and poetry the devel stage installs.
void load_python_tools(TableReader& reader, const DataNode& root, KnowledgeTables& out)
{
    for (const auto& row : reader.table(root, "python_tools", out)) {
        out.python_tools.push_back({reader.text(row, "name"), reader.text(row, "version")});
    }
}

using FileLoader = std::function<void(TableReader&, const DataNode&, KnowledgeTables&)>;

// Every data file and its loader, in load order: the CUDA, GPU and OS tables, each
// framework's own table (its unit loads it), then the platform wheels.
std::vector<std::pair<std::string, FileLoader>> file_loaders(const FrameworkList& frameworks)
{
    std::vector<std::pair<std::string, FileLoader>> loaders = {
        {"cuda_releases.yaml", load_cuda_releases}, {"nvcc_targets.yaml", load_nvcc_targets},
        {"cuda_images.yaml", load_cuda_images},     {"gpus.yaml", load_gpus},
        {"os_python.yaml", load_os_python},         {"micromamba.yaml", load_micromamba},
        {"conda_cuda.yaml", load_conda_cuda},
    };
    for (const Framework* framework : frameworks) {
        loaders.emplace_back(std::string(framework->data_file()),
                             [framework](TableReader& reader, const DataNode& root, KnowledgeTables& out) {
                                 framework->load(reader, root, out);
                             });
    }
    loaders.emplace_back("platform_wheels.yaml", load_platform_wheels);
    loaders.emplace_back("user_pins.yaml", load_user_pins);
    loaders.emplace_back("python_tools.yaml", load_python_tools);
    return loaders;
}

// The package names a user's pin of each framework is written with, from its unit (one
// list, frameworks/registry.cpp): its pip package and its conda packages.
void add_framework_packages(KnowledgeTables& out)
{
    for (const Framework* framework : out.frameworks) {
        FrameworkPackages packages{
            std::string(framework->name()), std::string(framework->package()), {std::string(framework->package())}, {}};
        for (std::string_view conda : framework->conda_packages()) {
            packages.conda.emplace_back(conda);
        }
        out.user_pins.frameworks.push_back(std::move(packages));
    }
}

std::string base_name(const std::string& name)
{
    std::size_t slash = name.rfind('/');
    return slash == std::string::npos ? name : name.substr(slash + 1);
}

void load_file(const std::string& file, const std::string& text, const FileLoader& loader, KnowledgeTables& out,
               Diagnostics& diagnostics)
{
    TableReader reader(file, diagnostics);
    try {
        nlohmann::json document = yaml_to_data(YAML::Load(text), true);
        loader(reader, DataNode(&document), out);
    } catch (const YAML::Exception& error) {
        SourceLocation where{file, error.mark.line + 1, error.mark.column + 1};
        diagnostics.error(k_bad_data, error.msg, where, "fix the knowledge table (see docs/knowledge.md)");
    }
}

// The built-in tables: compiled from generator/data/*.yaml at build time
// (generator/tools/compile_knowledge.cpp), read here without parsing anything.
std::unique_ptr<Knowledge> load_builtin()
{
    auto tables = std::make_shared<KnowledgeTables>();
    tables->frameworks = builtin_frameworks();
    std::optional<std::string_view> archive = embedded_file(k_archive);
    if (!archive || !read_table_archive(*archive, *tables)) {
        return nullptr;
    }
    return std::make_unique<Knowledge>(std::move(tables));
}

}  // namespace

Knowledge::Knowledge(std::shared_ptr<const KnowledgeTables> tables) : m_tables(std::move(tables))
{
}

const Knowledge& Knowledge::builtin()
{
    // Never destroyed: freeing thousands of rows at exit cost more than loading them.
    static const Knowledge* const knowledge = [] {
        std::unique_ptr<Knowledge> loaded = load_builtin();
        if (!loaded) {
            std::fprintf(stderr, "cudagen: the built-in knowledge tables (%s) are missing or broken\n",
                         std::string(k_archive).c_str());
            std::abort();
        }
        return loaded.release();
    }();
    return *knowledge;
}

std::unique_ptr<Knowledge> Knowledge::from_texts(const std::map<std::string, std::string>& texts,
                                                 Diagnostics& diagnostics)
{
    return from_texts(texts, diagnostics, builtin_frameworks());
}

std::unique_ptr<Knowledge> Knowledge::from_texts(const std::map<std::string, std::string>& texts,
                                                 Diagnostics& diagnostics, const FrameworkList& frameworks)
{
    std::map<std::string, std::string> by_base;
    for (const auto& [name, text] : texts) {
        by_base[base_name(name)] = text;
    }
    auto tables = std::make_shared<KnowledgeTables>();
    tables->frameworks = frameworks;
    for (const auto& [file, loader] : file_loaders(frameworks)) {
        auto found = by_base.find(file);
        if (found == by_base.end()) {
            diagnostics.error(k_bad_data, "knowledge table file " + file + " is missing", {file, 0, 0},
                              "add generator/data/" + file);
            continue;
        }
        load_file(file, found->second, loader, *tables, diagnostics);
    }
    add_framework_packages(*tables);
    return std::make_unique<Knowledge>(std::move(tables));
}

}  // namespace cudagen
