// Encodings for embedding files in generated output.
#pragma once

#include <string>
#include <string_view>

namespace cudagen {

std::string base64_encode(std::string_view data);
std::string sha256_hex(std::string_view data);

}  // namespace cudagen
