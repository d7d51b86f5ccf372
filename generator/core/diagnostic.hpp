// One diagnostic type for every stage: load, validate, resolve, check.
#pragma once

#include "core/exit_codes.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

enum class Severity { error, warning, note };

std::string_view severity_name(Severity severity);

// A place in an input file. Lines and columns are 1-based; 0 means unknown.
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;

    bool known() const { return line > 0; }
};

struct Diagnostic {
    Severity severity = Severity::error;
    std::string code;     // stable, e.g. "E-SCHEMA-UNKNOWN-KEY" or "CG101"
    std::string message;  // one line: what is wrong
    SourceLocation where;
    std::string fix;  // one line: what to do about it
};

// Collects diagnostics; stages add to it and the pipeline stops at checkpoints.
class Diagnostics {
public:
    void add(Diagnostic diagnostic) { m_items.push_back(std::move(diagnostic)); }
    void error(std::string code, std::string message, SourceLocation where, std::string fix = {});
    void warning(std::string code, std::string message, SourceLocation where, std::string fix = {});

    bool has_errors() const;
    std::size_t error_count() const;
    const std::vector<Diagnostic>& items() const { return m_items; }
    bool empty() const { return m_items.empty(); }
    void append(const Diagnostics& other);

private:
    std::vector<Diagnostic> m_items;
};

// Compiler style: "profile.yaml:7:3: error: message [code]", the source line,
// a caret under the column, then "  fix: ...". `source` is the whole text of
// the file the diagnostic points into (may be empty: then no caret is shown).
std::string format_diagnostic(const Diagnostic& diagnostic, std::string_view source = {});

// The lines of a file, indexed once: printing many diagnostics of one file
// costs time linear in their number, not in number times file size.
class SourceLines {
public:
    explicit SourceLines(std::string_view text);
    std::string_view line(int number) const;  // 1-based; empty when out of range

private:
    std::string_view m_text;
    std::vector<std::size_t> m_starts;
};

std::string format_diagnostic(const Diagnostic& diagnostic, const SourceLines& source);

// How many diagnostics a command prints before it only counts the rest.
inline constexpr std::size_t k_max_printed_diagnostics = 100;

}  // namespace cudagen
