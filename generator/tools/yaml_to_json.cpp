// Build-time helper: converts a knowledge table from YAML to JSON, so that
// cudagen parses its built-in tables with a fast JSON parser at start-up
// instead of yaml-cpp's scanner (which dominated `cudagen generate`'s time).
// The data form is defined in knowledge/data_node.hpp.
#include "knowledge/data_node.hpp"

#include <fstream>
#include <iostream>

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::cerr << "usage: yaml_to_json IN.yaml OUT.json\n";
        return 2;
    }
    try {
        std::ofstream(argv[2]) << cudagen::yaml_to_data(YAML::LoadFile(argv[1])).dump();
    } catch (const std::exception& error) {
        std::cerr << argv[1] << ": " << error.what() << "\n";
        return 1;
    }
    return 0;
}
