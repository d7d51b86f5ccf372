// cudagen gpus [--format json]: the GPU names --gpu and gpu_archs accept, with
// their compute capability, brand and oldest driver branch.
#include "cli/command.hpp"
#include "core/text.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/tables.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace cudagen {

namespace {

std::string min_driver_text(const KnowledgeTables& tables, const GpuModel& gpu)
{
    const DriverFloor* floor = tables.driver_floor(gpu.major, gpu.minor);
    return floor ? "R" + floor->min_driver.str() + (floor->unconfirmed ? " (unconfirmed)" : "") : "";
}

nlohmann::json gpus_json(const KnowledgeTables& tables)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& gpu : tables.gpus) {
        list.push_back({{"names", gpu.names},
                        {"compute_capability", gpu.cc()},
                        {"sm", "sm_" + std::to_string(gpu.major * 10 + gpu.minor)},
                        {"architecture", gpu.arch},
                        {"brand", gpu_brand_name(gpu.brand)},
                        {"min_driver", min_driver_text(tables, gpu)},
                        {"unconfirmed", gpu.unconfirmed}});
    }
    return list;
}

void print_gpus(const KnowledgeTables& tables)
{
    std::cout << "CC    SM      ARCHITECTURE     BRAND         MIN DRIVER         NAMES\n";
    for (const auto& gpu : tables.gpus) {
        std::string sm = "sm_" + std::to_string(gpu.major * 10 + gpu.minor);
        std::string line = gpu.cc();
        line.resize(6, ' ');
        line += sm;
        line.resize(14, ' ');
        line += gpu.arch;
        line.resize(31, ' ');
        line += gpu_brand_name(gpu.brand);
        line.resize(45, ' ');
        line += min_driver_text(tables, gpu);
        line.resize(64, ' ');
        line += join(gpu.names, ", ") + (gpu.unconfirmed ? " (unconfirmed)" : "");
        std::cout << line << "\n";
    }
    std::cout
        << "\nNames match as nvidia-smi prints them too (\"NVIDIA H100 80GB HBM3\", \"NVIDIA GeForce RTX 4090\").\n";
}

}  // namespace

CommandAction setup_gpus(CLI::App& sub)
{
    auto format = std::make_shared<std::string>("text");
    sub.add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
    return [format] {
        const KnowledgeTables& tables = Knowledge::builtin().tables();
        if (*format == "json") {
            std::cout << gpus_json(tables).dump(2) << "\n";
        } else {
            print_gpus(tables);
        }
        return 0;
    };
}

}  // namespace cudagen
