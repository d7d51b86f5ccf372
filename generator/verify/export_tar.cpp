#include "verify/export_tar.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <vector>

namespace cudagen {

namespace {

constexpr std::size_t k_block = 512;
constexpr std::size_t k_copy_chunk = 1 << 20;
// pax and GNU long-name records are a few hundred bytes; more means a broken archive.
constexpr std::uint64_t k_max_meta_bytes = 1 << 20;
constexpr int k_gzip_level = 9;  // the archive travels (64 MiB cap): smaller beats faster

using Block = std::array<char, k_block>;

// Header fields (POSIX ustar; GNU shares the first 345 bytes).
struct Field {
    std::size_t offset, length;
};
constexpr Field k_name{0, 100}, k_mode{100, 8}, k_uid{108, 8}, k_gid{116, 8}, k_size{124, 12}, k_mtime{136, 12},
    k_checksum{148, 8}, k_linkname{157, 100}, k_magic{257, 6}, k_version{263, 2}, k_uname{265, 32}, k_gname{297, 32},
    k_prefix{345, 155};
constexpr std::size_t k_typeflag = 156;

std::string field_text(const Block& block, Field field)
{
    const char* begin = block.data() + field.offset;
    return std::string(begin, strnlen(begin, field.length));
}

// Octal, or base-256 (high bit of the first byte set) for values octal cannot hold.
std::uint64_t field_number(const Block& block, Field field)
{
    const auto* bytes = reinterpret_cast<const unsigned char*>(block.data() + field.offset);
    std::uint64_t value = 0;
    if (bytes[0] & 0x80) {
        value = bytes[0] & 0x7f;
        for (std::size_t i = 1; i < field.length; ++i) {
            value = (value << 8) | bytes[i];
        }
        return value;
    }
    for (std::size_t i = 0; i < field.length && bytes[i] != 0; ++i) {
        if (bytes[i] >= '0' && bytes[i] <= '7') {
            value = value * 8 + (bytes[i] - '0');
        }
    }
    return value;
}

unsigned checksum_of(const Block& block)
{
    unsigned sum = 0;
    for (std::size_t i = 0; i < k_block; ++i) {
        bool in_field = i >= k_checksum.offset && i < k_checksum.offset + k_checksum.length;
        sum += in_field ? ' ' : static_cast<unsigned char>(block[i]);
    }
    return sum;
}

bool is_zero(const Block& block)
{
    return std::all_of(block.begin(), block.end(), [](char c) { return c == 0; });
}

std::uint64_t padded(std::uint64_t size)
{
    return (size + k_block - 1) / k_block * k_block;
}

std::string_view normalized(std::string_view path)
{
    while (true) {
        if (path.starts_with("./")) {
            path.remove_prefix(2);
        } else if (path.starts_with("/")) {
            path.remove_prefix(1);
        } else {
            break;
        }
    }
    while (path.ends_with("/")) {
        path.remove_suffix(1);
    }
    return path;
}

// "NN key=value\n" records; NN counts the whole record.
void read_pax_records(std::string_view data, std::string& path, std::string& link, std::optional<std::uint64_t>& size)
{
    while (!data.empty()) {
        std::size_t space = data.find(' ');
        if (space == std::string_view::npos) {
            return;
        }
        std::size_t length = std::strtoull(std::string(data.substr(0, space)).c_str(), nullptr, 10);
        if (length <= space || length > data.size()) {
            return;
        }
        std::string_view record = data.substr(space + 1, length - space - 2);  // without the '\n'
        std::size_t equals = record.find('=');
        if (equals != std::string_view::npos) {
            std::string_view key = record.substr(0, equals), value = record.substr(equals + 1);
            if (key == "path") {
                path = value;
            }
            if (key == "linkpath") {
                link = value;
            }
            if (key == "size") {
                size = std::strtoull(std::string(value).c_str(), nullptr, 10);
            }
        }
        data.remove_prefix(length);
    }
}

struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
};

struct TarEntry {
    std::string meta;  // raw pax 'x' / GNU 'L' 'K' headers (+ data) that precede `header`
    Block header{};
    char type = '0';
    std::string path, link;
    std::uint64_t size = 0;  // data bytes after the header (before padding)
};

class TarReader {
public:
    explicit TarReader(const std::filesystem::path& path) : m_path(path.string())
    {
        m_file.reset(std::fopen(m_path.c_str(), "rb"));
        if (!m_file) {
            throw std::runtime_error("cannot read " + m_path + ": " + std::strerror(errno));
        }
    }

    // The next entry, or nothing at the end-of-archive marker (or a clean end of file).
    std::optional<TarEntry> next()
    {
        TarEntry entry;
        std::string pax_path, pax_link, gnu_path, gnu_link;
        std::optional<std::uint64_t> pax_size;
        while (true) {
            Block block{};
            if (!read_block(block) || is_zero(block)) {
                return std::nullopt;
            }
            if (field_number(block, k_checksum) != checksum_of(block)) {
                fail("bad header checksum");
            }
            char type = block[k_typeflag];
            std::uint64_t size = field_number(block, k_size);
            if (type == 'x' || type == 'L' || type == 'K') {
                std::string data = read_meta(size);
                entry.meta.append(block.data(), k_block).append(data);
                if (type == 'x') {
                    read_pax_records(data, pax_path, pax_link, pax_size);
                }
                std::string text(data.c_str());  // GNU names end at their NUL
                if (type == 'L') {
                    gnu_path = text;
                }
                if (type == 'K') {
                    gnu_link = text;
                }
                continue;
            }
            entry.header = block;
            entry.type = type;
            entry.size = pax_size.value_or(size);
            entry.path = !pax_path.empty() ? pax_path : !gnu_path.empty() ? gnu_path : header_path(block);
            entry.link = !pax_link.empty() ? pax_link : !gnu_link.empty() ? gnu_link : field_text(block, k_linkname);
            return entry;
        }
    }

    void skip_data(const TarEntry& entry)
    {
        if (std::fseek(m_file.get(), static_cast<long>(padded(entry.size)), SEEK_CUR) != 0) {
            fail("cannot seek");
        }
    }

    // Hands the entry's data, padding included, to `sink` in chunks.
    template <typename Sink>
    void copy_data(const TarEntry& entry, Sink&& sink)
    {
        std::vector<char> buffer(k_copy_chunk);
        for (std::uint64_t left = padded(entry.size); left > 0;) {
            std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
            if (std::fread(buffer.data(), 1, n, m_file.get()) != n) {
                fail("truncated file data");
            }
            sink(buffer.data(), n);
            left -= n;
        }
    }

    std::uint64_t size() const { return std::filesystem::file_size(m_path); }
    std::uint64_t position() const { return static_cast<std::uint64_t>(std::max<off_t>(0, ::ftello(m_file.get()))); }

private:
    static std::string header_path(const Block& block)
    {
        std::string name = field_text(block, k_name);
        bool posix = std::memcmp(block.data() + k_magic.offset, "ustar\0", 6) == 0;
        std::string prefix = posix ? field_text(block, k_prefix) : std::string();
        return prefix.empty() ? name : prefix + "/" + name;
    }

    bool read_block(Block& block)
    {
        std::size_t n = std::fread(block.data(), 1, k_block, m_file.get());
        if (n == 0 && std::feof(m_file.get())) {
            return false;
        }
        if (n != k_block) {
            fail("truncated header");
        }
        return true;
    }

    std::string read_meta(std::uint64_t size)
    {
        if (size > k_max_meta_bytes) {
            fail("extended header too large");
        }
        std::string data(padded(size), '\0');
        if (std::fread(data.data(), 1, data.size(), m_file.get()) != data.size()) {
            fail("truncated extended header");
        }
        return data;
    }

    [[noreturn]] void fail(const std::string& what) const
    {
        throw std::runtime_error(m_path + ": not a readable tar archive (" + what + ")");
    }

    std::string m_path;
    std::unique_ptr<std::FILE, FileCloser> m_file;
};

class GzipWriter {
public:
    explicit GzipWriter(const std::filesystem::path& path) : m_path(path.string())
    {
        m_file = gzopen(m_path.c_str(), ("wb" + std::to_string(k_gzip_level)).c_str());
        if (m_file == nullptr) {
            throw std::runtime_error("cannot write " + m_path + ": " + std::strerror(errno));
        }
    }
    GzipWriter(const GzipWriter&) = delete;
    GzipWriter& operator=(const GzipWriter&) = delete;
    ~GzipWriter()
    {
        if (m_file != nullptr) {
            gzclose(m_file);
        }
    }

    void write(const char* data, std::size_t size)
    {
        if (size == 0) {
            return;
        }
        if (gzwrite(m_file, data, static_cast<unsigned>(size)) != static_cast<int>(size)) {
            fail();
        }
    }

    void close()
    {
        int result = gzclose(m_file);
        m_file = nullptr;
        if (result != Z_OK) {
            fail();
        }
    }

private:
    [[noreturn]] void fail() const { throw std::runtime_error("cannot write " + m_path + " (disk full?)"); }

    std::string m_path;
    gzFile m_file = nullptr;
};

void put_octal(Block& block, Field field, std::uint64_t value)
{
    std::snprintf(block.data() + field.offset, field.length, "%0*llo", static_cast<int>(field.length - 1),
                  static_cast<unsigned long long>(value));
}

void put_text(Block& block, Field field, std::string_view text)
{
    std::memcpy(block.data() + field.offset, text.data(), std::min(text.size(), field.length));
}

// A POSIX ustar header owned by root, dated 0 so that exports are reproducible.
Block make_header(std::string_view path, char type, unsigned mode, std::uint64_t size)
{
    if (path.size() >= k_name.length) {
        throw std::logic_error("tar name too long: " + std::string(path));
    }
    Block block{};
    put_text(block, k_name, path);
    put_octal(block, k_mode, mode);
    put_octal(block, k_uid, 0);
    put_octal(block, k_gid, 0);
    put_octal(block, k_size, size);
    put_octal(block, k_mtime, 0);
    block[k_typeflag] = type;
    put_text(block, k_magic, std::string_view("ustar\0", 6));
    put_text(block, k_version, "00");
    put_text(block, k_uname, "root");
    put_text(block, k_gname, "root");
    std::snprintf(block.data() + k_checksum.offset, 7, "%06o", checksum_of(block));
    block[k_checksum.offset + 7] = ' ';
    return block;
}

void write_extra(GzipWriter& out, const ExtraFile& extra)
{
    std::filesystem::path folder = std::filesystem::path(extra.path).parent_path();
    if (!folder.empty()) {
        out.write(make_header(folder.string() + "/", '5', 0755, 0).data(), k_block);
    }
    out.write(make_header(extra.path, '0', 0644, extra.content.size()).data(), k_block);
    out.write(extra.content.data(), extra.content.size());
    std::string padding(padded(extra.content.size()) - extra.content.size(), '\0');
    out.write(padding.data(), padding.size());
}

bool prunable(const TarEntry& entry)
{
    return entry.type != '5' && is_pruned_path(entry.path);
}

// Targets of hard links that stay although the targets themselves would be pruned.
std::set<std::string, std::less<>> rescued_link_targets(const std::filesystem::path& tar)
{
    std::set<std::string, std::less<>> rescued;
    TarReader reader(tar);
    while (std::optional<TarEntry> entry = reader.next()) {
        if (entry->type == '1' && !prunable(*entry) && is_pruned_path(entry->link)) {
            rescued.emplace(normalized(entry->link));
        }
        reader.skip_data(*entry);
    }
    return rescued;
}

}  // namespace

bool is_pruned_path(std::string_view path)
{
    std::string_view relative = normalized(path);
    return std::any_of(k_pruned_folders.begin(), k_pruned_folders.end(), [&](std::string_view folder) {
        return relative.size() > folder.size() + 1 && relative.starts_with(folder) && relative[folder.size()] == '/';
    });
}

PruneStats prune_tar_to_gzip(const std::filesystem::path& tar, const std::filesystem::path& gz, const ExtraFile& extra,
                             const PruneProgress& progress)
{
    std::set<std::string, std::less<>> rescued = rescued_link_targets(tar);
    PruneStats stats;
    TarReader reader(tar);
    stats.input_bytes = reader.size();
    GzipWriter out(gz);
    std::uint64_t step = std::max<std::uint64_t>(1, stats.input_bytes / 100), reported = 0;
    auto report = [&] {
        if (progress && reader.position() >= reported + step) {
            reported = reader.position();
            progress(std::min(reported, stats.input_bytes), stats.input_bytes);
        }
    };
    while (std::optional<TarEntry> entry = reader.next()) {
        report();
        if (prunable(*entry) && !rescued.contains(normalized(entry->path))) {
            ++stats.pruned_entries;
            stats.pruned_bytes += entry->size;
            reader.skip_data(*entry);
            continue;
        }
        ++stats.kept_entries;
        out.write(entry->meta.data(), entry->meta.size());
        out.write(entry->header.data(), k_block);
        reader.copy_data(*entry, [&](const char* data, std::size_t n) { out.write(data, n); });
    }
    if (!extra.path.empty()) {
        write_extra(out, extra);
    }
    Block end{};
    out.write(end.data(), k_block);
    out.write(end.data(), k_block);
    out.close();
    stats.output_bytes = std::filesystem::file_size(gz);
    if (progress) {
        progress(stats.input_bytes, stats.input_bytes);
    }
    return stats;
}

}  // namespace cudagen
