// Internal to deps/: the line parser shared by requirements files and the
// pip section of a conda environment.
#pragma once

#include "deps/dependencies.hpp"

#include <variant>

namespace cudagen::deps::detail {

// Where a piece of pip text comes from and how its paths resolve.
struct PipSite {
    std::string file;          // relative to the build context (PipEntry::file)
    std::string display;       // the name diagnostics use
    std::string include_dir;   // -r/-c/--find-links paths are relative to this (context-relative, "" = root)
    std::string local_dir;     // local requirements are relative to this
    bool constraints = false;  // a constraints file: entries constrain, -e is not allowed
};

// One logical line's worth of pip input: its characters and where each was written.
struct PipLine {
    std::string text;
    std::vector<SourceLocation> places;  // one per character of text
    int first_line = 0;
    int last_line = 0;
};

using PipItem = std::variant<PipEntry, PipOption>;

// Splits a requirements file into logical lines: continuations joined, comments removed.
std::vector<PipLine> logical_lines(std::string_view text, const std::string& display);

// Parses one logical line into zero or more items, in order.
void parse_pip_line(const PipLine& line, const PipSite& site, std::vector<PipItem>& items, Diagnostics& diagnostics);

// base/relative, lexically normalised, relative to the build context; nothing
// when it leaves the context (absolute, or climbs above the root).
std::optional<std::string> context_path(std::string_view base, std::string_view relative);

bool is_archive_name(std::string_view path);

}  // namespace cudagen::deps::detail
