#include "core/diagnostic.hpp"

#include "core/text.hpp"

#include <algorithm>

namespace cudagen {

std::string_view severity_name(Severity severity)
{
    switch (severity) {
        case Severity::error:
            return "error";
        case Severity::warning:
            return "warning";
        case Severity::note:
            return "note";
    }
    return "error";
}

void Diagnostics::error(std::string code, std::string message, SourceLocation where, std::string fix)
{
    add({Severity::error, std::move(code), std::move(message), std::move(where), std::move(fix)});
}

void Diagnostics::warning(std::string code, std::string message, SourceLocation where, std::string fix)
{
    add({Severity::warning, std::move(code), std::move(message), std::move(where), std::move(fix)});
}

bool Diagnostics::has_errors() const
{
    return error_count() > 0;
}

std::size_t Diagnostics::error_count() const
{
    return static_cast<std::size_t>(std::count_if(m_items.begin(), m_items.end(),
                                                  [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

void Diagnostics::append(const Diagnostics& other)
{
    m_items.insert(m_items.end(), other.m_items.begin(), other.m_items.end());
}

namespace {

std::string_view line_of(std::string_view source, int line)
{
    std::size_t start = 0;
    for (int current = 1; current < line; ++current) {
        std::size_t next = source.find('\n', start);
        if (next == std::string_view::npos) {
            return {};
        }
        start = next + 1;
    }
    std::size_t end = source.find('\n', start);
    std::string_view text = source.substr(start, end == std::string_view::npos ? source.size() - start : end - start);
    if (!text.empty() && text.back() == '\r') {
        text.remove_suffix(1);
    }
    return text;
}

std::string location_prefix(const SourceLocation& where)
{
    if (where.file.empty()) {
        return "cudagen: ";
    }
    if (!where.known()) {
        return printable(where.file) + ": ";
    }
    return printable(where.file) + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": ";
}

}  // namespace

static std::string format_with_line(const Diagnostic& diagnostic, std::string_view text, bool have_source)
{
    std::string out = location_prefix(diagnostic.where);
    out += severity_name(diagnostic.severity);
    out += ": ";
    out += printable(diagnostic.message);
    if (!diagnostic.code.empty()) {
        out += " [" + diagnostic.code + "]";
    }
    out += '\n';
    if (diagnostic.where.known() && have_source) {
        if (!text.empty()) {
            out += "  " + printable(text, true) + "\n";
            std::string pad;
            for (int i = 1; i < diagnostic.where.column && i <= static_cast<int>(text.size()); ++i) {
                pad += text[static_cast<std::size_t>(i - 1)] == '\t' ? '\t' : ' ';
            }
            out += "  " + pad + "^\n";
        }
    }
    if (!diagnostic.fix.empty()) {
        out += "  fix: " + printable(diagnostic.fix) + "\n";
    }
    return out;
}

std::string format_diagnostic(const Diagnostic& diagnostic, std::string_view source)
{
    bool have_source = !source.empty() && diagnostic.where.known();
    return format_with_line(diagnostic, have_source ? line_of(source, diagnostic.where.line) : std::string_view{},
                            have_source);
}

SourceLines::SourceLines(std::string_view text) : m_text(text)
{
    m_starts.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            m_starts.push_back(i + 1);
        }
    }
}

std::string_view SourceLines::line(int number) const
{
    if (number < 1 || static_cast<std::size_t>(number) > m_starts.size()) {
        return {};
    }
    std::size_t start = m_starts[static_cast<std::size_t>(number - 1)];
    std::size_t end = m_text.find('\n', start);
    std::string_view text = m_text.substr(start, end == std::string_view::npos ? m_text.size() - start : end - start);
    if (!text.empty() && text.back() == '\r') {
        text.remove_suffix(1);
    }
    return text;
}

std::string format_diagnostic(const Diagnostic& diagnostic, const SourceLines& source)
{
    return format_with_line(diagnostic, source.line(diagnostic.where.line), true);
}

}  // namespace cudagen
