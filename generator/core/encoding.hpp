// Encodings for embedding files in generated output.
#pragma once

#include <string>
#include <string_view>

namespace cudagen {

std::string base64_encode(std::string_view data);
std::string sha256_hex(std::string_view data);
// gzip (RFC 1952) at level 9 with a zero timestamp: the same bytes on every run.
std::string gzip_compress(std::string_view data);

}  // namespace cudagen
