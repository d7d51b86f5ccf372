// DT_NEEDED of a driver library, read from its ELF headers: which other NVIDIA
// libraries must go into the root with it. Only the headers, the dynamic section
// and the string table are read, never the whole (often 100 MB) file.
#include "verify/rootfs_plan.hpp"

#include "core/text.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <optional>

namespace cudagen {

namespace {

constexpr std::uint64_t k_max_table_bytes = 16 << 20;  // a dynamic string table is kilobytes

template <typename T>
bool read_at(std::ifstream& in, std::uint64_t offset, T& value)
{
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(reinterpret_cast<char*>(&value), sizeof(T));
    return static_cast<bool>(in);
}

bool read_bytes(std::ifstream& in, std::uint64_t offset, std::uint64_t size, std::string& bytes)
{
    if (size > k_max_table_bytes) {
        return false;
    }
    bytes.assign(size, '\0');
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    return static_cast<bool>(in);
}

bool is_native_elf64(const Elf64_Ehdr& header)
{
    bool little = header.e_ident[EI_DATA] == ELFDATA2LSB;
    bool host_little = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
    return std::memcmp(header.e_ident, ELFMAG, SELFMAG) == 0 && header.e_ident[EI_CLASS] == ELFCLASS64 &&
           little == host_little;
}

std::vector<Elf64_Phdr> program_headers(std::ifstream& in, const Elf64_Ehdr& header)
{
    std::vector<Elf64_Phdr> headers;
    for (std::uint16_t i = 0; i < header.e_phnum; ++i) {
        Elf64_Phdr phdr{};
        if (!read_at(in, header.e_phoff + std::uint64_t{i} * header.e_phentsize, phdr)) {
            return {};
        }
        headers.push_back(phdr);
    }
    return headers;
}

// The file offset of a virtual address, through the PT_LOAD segment that maps it.
std::optional<std::uint64_t> file_offset(const std::vector<Elf64_Phdr>& headers, std::uint64_t address)
{
    for (const Elf64_Phdr& phdr : headers) {
        if (phdr.p_type == PT_LOAD && address >= phdr.p_vaddr && address < phdr.p_vaddr + phdr.p_filesz) {
            return address - phdr.p_vaddr + phdr.p_offset;
        }
    }
    return std::nullopt;
}

struct DynamicInfo {
    std::vector<std::uint64_t> needed;  // offsets into the string table
    std::uint64_t strtab = 0, strsz = 0;
};

DynamicInfo read_dynamic(std::ifstream& in, const Elf64_Phdr& dynamic)
{
    DynamicInfo info;
    for (std::uint64_t at = 0; at + sizeof(Elf64_Dyn) <= dynamic.p_filesz; at += sizeof(Elf64_Dyn)) {
        Elf64_Dyn entry{};
        if (!read_at(in, dynamic.p_offset + at, entry) || entry.d_tag == DT_NULL) {
            break;
        }
        if (entry.d_tag == DT_NEEDED) {
            info.needed.push_back(entry.d_un.d_val);
        }
        if (entry.d_tag == DT_STRTAB) {
            info.strtab = entry.d_un.d_ptr;
        }
        if (entry.d_tag == DT_STRSZ) {
            info.strsz = entry.d_un.d_val;
        }
    }
    return info;
}

std::vector<std::string> needed_names(std::ifstream& in)
{
    Elf64_Ehdr header{};
    if (!read_at(in, 0, header) || !is_native_elf64(header)) {
        return {};
    }
    std::vector<Elf64_Phdr> headers = program_headers(in, header);
    for (const Elf64_Phdr& phdr : headers) {
        if (phdr.p_type != PT_DYNAMIC) {
            continue;
        }
        DynamicInfo info = read_dynamic(in, phdr);
        std::optional<std::uint64_t> strtab = file_offset(headers, info.strtab);
        std::string table;
        if (!strtab || !read_bytes(in, *strtab, info.strsz, table)) {
            return {};
        }
        std::vector<std::string> names;
        for (std::uint64_t offset : info.needed) {
            if (offset < table.size()) {
                names.emplace_back(table.c_str() + offset);
            }
        }
        return names;
    }
    return {};
}

}  // namespace

std::vector<std::string> elf_needed_driver_libraries(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return {};
    }
    std::vector<std::string> driver_libraries;
    for (std::string& name : needed_names(in)) {
        // The driver's own libraries; everything else (glibc, libgcc) is the image's business.
        if (starts_with(name, "libnvidia-") || starts_with(name, "libcuda")) {
            driver_libraries.push_back(std::move(name));
        }
    }
    return driver_libraries;
}

}  // namespace cudagen
