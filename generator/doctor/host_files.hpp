// The file-system seam of `cudagen doctor`: every host file it reads (/proc,
// /etc, /usr/lib/wsl, /dev) goes through a HostFiles, so tests point it at a
// folder laid out like a host (`cudagen doctor --root DIR`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

class HostFiles {
public:
    explicit HostFiles(std::string root = {}) : m_root(std::move(root)) {}

    // `absolute` ("/etc/docker/daemon.json") under the root.
    std::string path(std::string_view absolute) const;
    std::optional<std::string> read(std::string_view absolute) const;
    bool exists(std::string_view absolute) const;
    // Names in a folder, sorted; empty when it cannot be read.
    std::vector<std::string> list(std::string_view folder) const;
    bool real() const { return m_root.empty() || m_root == "/"; }

private:
    std::string m_root;
};

}  // namespace cudagen
