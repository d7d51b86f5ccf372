// Build-time helper, two modes:
//   prepare_embedded json IN.yaml OUT.json  a knowledge table in its data form
//       (knowledge/data_node.hpp): cudagen parses JSON at start-up several
//       times faster than YAML, whose scanner dominated `cudagen generate`.
//   prepare_embedded gzip IN OUT.gz          the verify sample, compressed once at
//       build time instead of on every run.
#include "core/gzip.hpp"
#include "knowledge/data_node.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::cerr << "usage: prepare_embedded json|gzip IN OUT\n";
        return 2;
    }
    std::string mode = argv[1];
    try {
        if (mode == "json") {
            std::ofstream(argv[3], std::ios::binary) << cudagen::yaml_to_data(YAML::LoadFile(argv[2])).dump();
        } else {
            std::ostringstream text;
            text << std::ifstream(argv[2], std::ios::binary).rdbuf();
            std::ofstream(argv[3], std::ios::binary) << cudagen::gzip_compress(text.str());
        }
    } catch (const std::exception& error) {
        std::cerr << argv[2] << ": " << error.what() << "\n";
        return 1;
    }
    return 0;
}
