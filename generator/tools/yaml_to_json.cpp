// Build-time helper: converts a knowledge table from YAML to JSON, so that
// cudagen parses its built-in tables with a fast JSON parser at start-up
// instead of yaml-cpp's scanner (which dominated `cudagen generate`'s time).
// Scalars stay strings: the table loader converts them as it always did.
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iostream>

namespace {

nlohmann::json to_json(const YAML::Node& node)
{
    switch (node.Type()) {
    case YAML::NodeType::Sequence: {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : node) {
            out.push_back(to_json(item));
        }
        return out;
    }
    case YAML::NodeType::Map: {
        // An array of [key, value] pairs keeps the file's key order.
        nlohmann::json out = nlohmann::json::array();
        for (const auto& entry : node) {
            out.push_back({entry.first.as<std::string>(), to_json(entry.second)});
        }
        return nlohmann::json{{"m", out}};
    }
    case YAML::NodeType::Scalar: return node.as<std::string>();
    default: return nullptr;
    }
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::cerr << "usage: yaml_to_json IN.yaml OUT.json\n";
        return 2;
    }
    try {
        std::ofstream(argv[2]) << to_json(YAML::LoadFile(argv[1])).dump();
    } catch (const std::exception& error) {
        std::cerr << argv[1] << ": " << error.what() << "\n";
        return 1;
    }
    return 0;
}
