#include "doctor/host_files.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <filesystem>

namespace cudagen {

std::string HostFiles::path(std::string_view absolute) const
{
    if (real()) {
        return std::string(absolute);
    }
    std::string root = m_root;
    drop_trailing_slashes(root);
    return root + std::string(absolute);
}

std::optional<std::string> HostFiles::read(std::string_view absolute) const
{
    return read_file(path(absolute));
}

bool HostFiles::exists(std::string_view absolute) const
{
    std::error_code ignored;
    // A device node in a fake root is an empty file; symlink_status so dangling links count too.
    return std::filesystem::exists(std::filesystem::symlink_status(path(absolute), ignored));
}

std::vector<std::string> HostFiles::list(std::string_view folder) const
{
    std::vector<std::string> names;
    std::error_code error;
    for (std::filesystem::directory_iterator it(path(folder), error), end; !error && it != end; it.increment(error)) {
        names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace cudagen
