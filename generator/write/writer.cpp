#include "write/writer.hpp"

#include <cstdlib>
#include <fstream>

namespace cudagen {

namespace fs = std::filesystem;

namespace {

bool write_file(const fs::path& path, const std::string& content)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    return static_cast<bool>(out);
}

std::optional<fs::path> make_staging_dir(const fs::path& parent)
{
    std::string pattern = (parent / ".cudagen-staging-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        return std::nullopt;
    }
    return fs::path(pattern);
}

bool stage_files(const fs::path& staging, const std::vector<RenderedFile>& files)
{
    for (const auto& file : files) {
        fs::path target = staging / file.path;
        std::error_code error;
        fs::create_directories(target.parent_path(), error);
        if (error || !write_file(target, file.content)) {
            return false;
        }
    }
    return true;
}

bool move_into_place(const fs::path& staging, const fs::path& output_dir, const std::vector<RenderedFile>& files,
                     std::error_code& error)
{
    for (const auto& file : files) {
        fs::path target = output_dir / file.path;
        fs::create_directories(target.parent_path(), error);
        if (error) {
            return false;
        }
        fs::rename(staging / file.path, target, error);
        if (error) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool write_output(const fs::path& output_dir, const std::vector<RenderedFile>& files, Diagnostics& diagnostics)
{
    fs::path absolute = fs::absolute(output_dir).lexically_normal();
    if (absolute.filename().empty()) {
        absolute = absolute.parent_path();
    }
    std::error_code error;
    if (fs::exists(absolute, error) && !fs::is_directory(absolute, error)) {
        diagnostics.error("io/not-a-folder", "output path " + absolute.string() + " exists and is not a folder", {},
                          "choose another -o folder");
        return false;
    }
    fs::create_directories(absolute.parent_path(), error);
    std::optional<fs::path> staging = make_staging_dir(absolute.parent_path());
    if (!staging) {
        diagnostics.error("io/cannot-write", "cannot create a staging folder in " + absolute.parent_path().string(), {},
                          "check that the folder exists and is writable");
        return false;
    }
    bool staged = stage_files(*staging, files);
    bool moved = staged && move_into_place(*staging, absolute, files, error);
    fs::remove_all(*staging, error);
    if (!moved) {
        diagnostics.error("io/cannot-write", "cannot write the output into " + absolute.string(), {},
                          "check free space and permissions of the output folder");
        return false;
    }
    return true;
}

}  // namespace cudagen
