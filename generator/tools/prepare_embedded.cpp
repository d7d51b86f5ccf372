// Build-time helper for the verify sample, three modes (the knowledge tables
// are compiled by compile_knowledge.cpp):
//   prepare_embedded gzip IN OUT.gz          the verify sample, compressed once at
//       build time instead of on every run.
//   prepare_embedded sha256 IN OUT           the sample's digest (64 hex digits)
//   prepare_embedded base64 IN OUT           IN (the .gz) in base64, 76 characters
//       a line, as the Dockerfile's verify stage carries it
// Nothing that is the same on every run is computed at run time.
#include "core/encoding.hpp"
#include "core/gzip.hpp"

#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace {

std::string read_all(const char* path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read the file");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string base64_lines(std::string_view data)
{
    std::string encoded = cudagen::base64_encode(data);
    std::string out;
    for (std::size_t i = 0; i < encoded.size(); i += 76) {
        out += encoded.substr(i, 76);
        out += '\n';
    }
    return out;
}

std::string prepared(const std::string& mode, const char* in)
{
    if (mode == "gzip") {
        return cudagen::gzip_compress(read_all(in));
    }
    if (mode == "sha256") {
        return cudagen::sha256_hex(read_all(in));
    }
    if (mode == "base64") {
        return base64_lines(read_all(in));
    }
    throw std::runtime_error("unknown mode '" + mode + "' (gzip, sha256, base64)");
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::cerr << "usage: prepare_embedded gzip|sha256|base64 IN OUT\n";
        return 2;
    }
    try {
        std::string out = prepared(argv[1], argv[2]);
        std::ofstream(argv[3], std::ios::binary) << out;
    } catch (const std::exception& error) {
        std::cerr << argv[2] << ": " << error.what() << "\n";
        return 1;
    }
    return 0;
}
