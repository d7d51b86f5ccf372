// gzip (RFC 1952) at level 9 with a zero timestamp: the same bytes on every
// run. Header-only because the build-time helper (tools/) uses it too.
#pragma once

#include <zlib.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace cudagen {

inline std::string gzip_compress(std::string_view data)
{
    z_stream stream{};
    // windowBits 15 + 16 asks zlib for a gzip wrapper; its header has mtime 0.
    if (deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("zlib: deflateInit2 failed");
    }
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())) + 32, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    int status = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (status != Z_STREAM_END) {
        throw std::runtime_error("zlib: deflate did not finish");
    }
    return out;
}

}  // namespace cudagen
