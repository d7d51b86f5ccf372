#include "core/context_path.hpp"

#include <sys/stat.h>

namespace cudagen {

bool may_leave_context(const std::filesystem::path& root, const std::filesystem::path& relative)
{
    if (relative.is_absolute() || relative.has_root_name()) {
        return true;
    }
    std::filesystem::path current = root;
    for (const auto& part : relative) {
        if (part == "..") {
            return true;
        }
        if (part.empty() || part == ".") {
            continue;
        }
        current /= part;
        struct stat info {};
        if (::lstat(current.c_str(), &info) != 0 || S_ISLNK(info.st_mode)) {
            return true;
        }
    }
    return false;
}

}  // namespace cudagen
