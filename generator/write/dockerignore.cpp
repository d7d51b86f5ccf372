#include "write/dockerignore.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <fstream>
#include <ostream>

namespace cudagen {

namespace fs = std::filesystem;

std::string dockerignore_pattern(const fs::path& context, const fs::path& output)
{
    fs::path base = context.lexically_normal();
    fs::path inner = output.lexically_normal();
    std::string relative = inner.lexically_relative(base).generic_string();
    while (!relative.empty() && relative.back() == '/') {
        relative.pop_back();
    }
    if (relative.empty() || relative == "." || relative == ".." || starts_with(relative, "../")) {
        return "";  // outside the context (or the context itself: nothing sensible to exclude)
    }
    return relative;
}

bool dockerignore_has(std::string_view text, std::string_view pattern)
{
    for (const auto& raw : split(text, '\n')) {
        std::string line = trim(raw);
        while (!line.empty() && line.front() == '/') {
            line.erase(0, 1);
        }
        while (!line.empty() && line.back() == '/') {
            line.pop_back();
        }
        if (line == pattern || line == std::string(pattern) + "/**") {
            return true;
        }
    }
    return false;
}

namespace {

bool write_atomically(const fs::path& file, const std::string& text)
{
    fs::path temporary = file;
    temporary += ".cudagen-tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            return false;
        }
    }
    std::error_code error;
    fs::rename(temporary, file, error);
    if (error) {
        fs::remove(temporary, error);
        return false;
    }
    return true;
}

}  // namespace

std::vector<DockerignoreUpdate> update_dockerignores(const std::vector<fs::path>& contexts, const fs::path& output,
                                                     Diagnostics& diagnostics)
{
    std::vector<DockerignoreUpdate> updates;
    std::vector<fs::path> seen;
    for (const auto& context : contexts) {
        fs::path normal = context.lexically_normal();
        if (std::find(seen.begin(), seen.end(), normal) != seen.end()) {
            continue;
        }
        seen.push_back(normal);
        std::string pattern = dockerignore_pattern(normal, output);
        if (pattern.empty()) {
            continue;
        }
        fs::path file = normal / ".dockerignore";
        std::string text = read_file(file.string()).value_or("");
        if (dockerignore_has(text, pattern)) {
            continue;
        }
        if (!text.empty() && text.back() != '\n') {
            text += '\n';
        }
        text += "# cudagen's generated output (Dockerfile, bake file, build cache) stays out of the image\n" + pattern +
                "\n";
        if (!write_atomically(file, text)) {
            diagnostics.warning("generate/dockerignore",
                                "cannot update " + file.string() + ": the generated folder " + pattern +
                                    " may be copied into the image",
                                {file.string(), 0, 0},
                                "add the line '" + pattern +
                                    "' to that .dockerignore, or write the output outside the profile's folder");
            continue;
        }
        updates.push_back({file, pattern});
    }
    return updates;
}

void report_dockerignore_updates(const std::vector<ResolvedProfile>& profiles, const fs::path& output,
                                 std::ostream& out)
{
    std::vector<fs::path> contexts;
    for (const auto& profile : profiles) {
        contexts.emplace_back(profile.context_dir);
    }
    report_dockerignore_updates(contexts, output, out);
}

void report_dockerignore_updates(const std::vector<fs::path>& contexts, const fs::path& output, std::ostream& out)
{
    Diagnostics diagnostics;
    for (const auto& update : update_dockerignores(contexts, output, diagnostics)) {
        out << "cudagen: added '" << update.pattern << "' to " << update.file.string()
            << " (the generated output stays out of the image)\n";
    }
    for (const auto& diagnostic : diagnostics.items()) {
        out << format_diagnostic(diagnostic);
    }
}

}  // namespace cudagen
