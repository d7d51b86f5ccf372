// Whether a path inside a build context can leave it: only through a symbolic
// link on its way (or a ".." step). Paths that pass no link are inside without
// resolving anything, which spares resolving every component of every path
// (one failing readlink per component).
#pragma once

#include <filesystem>

namespace cudagen {

// True when `relative`, followed from `root`, meets a symbolic link, a ".."
// step or a component that cannot be examined; false when it stays inside
// `root` as written. An absolute `relative` counts as leaving.
bool may_leave_context(const std::filesystem::path& root, const std::filesystem::path& relative);

}  // namespace cudagen
