// The template engine: strictness, sections, partials, escaping per context.
#include "render/template.hpp"

#include <gtest/gtest.h>

namespace cudagen {
namespace {

struct Rendered {
    std::optional<std::string> text;
    Diagnostics diagnostics;
};

Rendered render(const std::string& text, const nlohmann::json& context, PartialLoader partials = {})
{
    Rendered out;
    out.text = render_template({"t.tmpl", text}, context, partials, out.diagnostics);
    return out;
}

std::string error_of(const Rendered& rendered)
{
    if (rendered.diagnostics.items().empty()) {
        return "";
    }
    const Diagnostic& d = rendered.diagnostics.items()[0];
    return d.where.file + ":" + std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.message;
}

TEST(Template, SubstitutesValues)
{
    EXPECT_EQ(render("FROM {{image}} AS devel\n", {{"image", "nvidia/cuda:12.4.1-devel-ubuntu22.04"}}).text,
              "FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS devel\n");
}

TEST(Template, GitHubExpressionsAreText)
{
    EXPECT_EQ(render("ref: ${{ github.ref }} {{x}} ${{ a }}\n", {{"x", "v"}}).text,
              "ref: ${{ github.ref }} v ${{ a }}\n");
}

TEST(Template, UndefinedVariableIsAnErrorWithLocation)
{
    Rendered r = render("a\n  {{missing}}\n", nlohmann::json::object());
    EXPECT_FALSE(r.text);
    EXPECT_EQ(error_of(r), "t.tmpl:2:3: 'missing' is not defined");
}

TEST(Template, UnclosedSectionIsAnError)
{
    Rendered r = render("{{#list}}x", {{"list", {1}}});
    EXPECT_FALSE(r.text);
    EXPECT_EQ(error_of(r), "t.tmpl:1:11: '{{#list}}' is never closed");
}

TEST(Template, IteratesListsWithFirstAndLast)
{
    Rendered r = render("[{{#items}}{{.|json}}{{^@last}}, {{/@last}}{{/items}}]", {{"items", {"a", "b\"c"}}});
    EXPECT_EQ(r.text, "[\"a\", \"b\\\"c\"]");
}

TEST(Template, StandaloneSectionLinesVanish)
{
    Rendered r = render("a\n{{#on}}\nb\n{{/on}}\n{{^on}}\nc\n{{/on}}\nd\n", {{"on", true}});
    EXPECT_EQ(r.text, "a\nb\nd\n");
}

TEST(Template, PartialsAreIndentedAndMissingOnesAreErrors)
{
    PartialLoader loader = [](std::string_view name) -> std::optional<std::string> {
        if (name == "inner") {
            return std::string("x\ny\n");
        }
        return std::nullopt;
    };
    EXPECT_EQ(render("  {{> inner}}\n", nlohmann::json::object(), loader).text, "  x\n  y\n");
    Rendered missing = render("{{> nope}}\n", nlohmann::json::object(), loader);
    EXPECT_EQ(error_of(missing), "t.tmpl:1:1: partial 'nope' not found (templates/nope.tmpl)");
}

TEST(Template, UnfilteredValuesMustBePlainTokens)
{
    Rendered r = render("RUN {{cmd}}\n", {{"cmd", "echo hi; rm -rf /"}});
    EXPECT_FALSE(r.text);
    EXPECT_EQ(error_of(r),
              "t.tmpl:1:5: 'cmd' = 'echo hi; rm -rf /' needs an escaping filter (json, hcl or sh) for this context");
}

TEST(Template, EscapesForEachOutputContext)
{
    EXPECT_EQ(escape_shell_word("it's"), "'it'\\''s'");
    EXPECT_EQ(escape_hcl_string("a\"b${HOME}%{x}\n"), "\"a\\\"b$${HOME}%%{x}\\n\"");
    EXPECT_EQ(escape_json_string("a\"b\n"), "\"a\\\"b\\n\"");
    EXPECT_EQ(escape_dockerfile_value("a $HOME \"q\" \\"), "\"a \\$HOME \\\"q\\\" \\\\\"");
}

TEST(Template, TextFilterRejectsNewlines)
{
    Rendered r = render("# {{note|text}}\n", {{"note", "a\nRUN evil"}});
    EXPECT_FALSE(r.text);
}

}  // namespace
}  // namespace cudagen
