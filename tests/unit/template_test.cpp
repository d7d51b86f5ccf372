// The template engine: strictness, sections, partials, escaping per context.
#include "render/template.hpp"

#include "core/embedded.hpp"
#include "render/template_parse.hpp"

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

TEST(Template, UnknownFilterIsAnErrorEvenWhereNothingRendersIt)
{
    Rendered r = render("a\n{{#off}}{{x|shell}}{{/off}}\n", {{"off", false}, {"x", "v"}});
    EXPECT_FALSE(r.text);
    EXPECT_EQ(error_of(r), "t.tmpl:2:9: unknown filter 'shell' (known: json, hcl, sh, env, text)");
}

TEST(Template, DottedPathsSectionsAndScalarsFollowTheData)
{
    nlohmann::json context = {{"base", {{"devel", "img:1"}, {"n", 3}}},
                              {"items", {{{"name", "a"}}, {{"name", "b"}}}},
                              {"empty", nlohmann::json::array()},
                              {"blank", ""},
                              {"none", nullptr}};
    Rendered r = render(
        "{{base.devel}} {{base.n}}{{#items}} {{name}}{{/items}}{{^empty}} E{{/empty}}"
        "{{^blank}} B{{/blank}}{{^none}} N{{/none}}{{#base}} {{devel}}{{/base}}\n",
        context);
    EXPECT_EQ(r.text, "img:1 3 a b E B N img:1\n");
    EXPECT_EQ(error_of(render("{{base.tag}}", context)), "t.tmpl:1:1: 'base.tag' is not defined (no 'tag')");
    EXPECT_EQ(error_of(render("{{items}}", context)), "t.tmpl:1:1: 'items' is array, not a single value");
    EXPECT_EQ(error_of(render("{{@first}}", context)), "t.tmpl:1:1: '@first' used outside a list");
}

TEST(Template, RendersDataBuiltInAnArena)
{
    TemplateArena arena;
    std::vector<std::string> packages = {"git", "curl"};
    TemplateValue data = arena.object()
                             .set("name", std::string("fastapi"))
                             .set("on", true)
                             .set("packages", packages)
                             .set("port", arena.list().push(TemplateValue::integer(8000)).value())
                             .value();
    Diagnostics diagnostics;
    std::optional<std::string> text =
        render_template({"t.tmpl",
                         "{{name}}{{#on}}:{{#packages}}{{.}}{{^@last}},{{/@last}}{{/packages}}{{/on}} "
                         "{{#port}}{{.}}{{/port}}"},
                        data, {}, diagnostics);
    EXPECT_EQ(text, "fastapi:git,curl 8000");
    EXPECT_FALSE(diagnostics.has_errors());
}

TEST(TemplateData, AHintOnlySpeedsUpFinding)
{
    TemplateArena arena;
    TemplateValue data = arena.object().set("a", "1").set("b", "2").set("c", "3").value();
    std::uint32_t hint = 7;  // out of range
    ASSERT_NE(data.find("c", hint), nullptr);
    EXPECT_EQ(data.find("c", hint)->text(), "3");
    EXPECT_EQ(hint, 2U);
    EXPECT_EQ(data.find("a", hint)->text(), "1");  // a hint at another key
    EXPECT_EQ(hint, 0U);
    EXPECT_EQ(data.find("d", hint), nullptr);
    EXPECT_EQ(TemplateValue::string("x").find("a", hint), nullptr);
}

TEST(Template, JsonEscapingMatchesTheJsonLibrary)
{
    std::string every_byte;
    for (int c = 1; c < 256; ++c) {
        every_byte += static_cast<char>(c);
    }
    for (const std::string& text :
         {std::string("plain"), std::string("a\"b\\c\n\t\x01\x1f\x7f/"), std::string("\xc3\xa9t\xc3\xa9"),
          std::string("\xff bad"), every_byte.substr(0, 127), every_byte}) {
        EXPECT_EQ(escape_json_string(text),
                  nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
}

bool same_node(const template_engine::Node& a, const template_engine::Node& b)
{
    return a.kind == b.kind && a.filter == b.filter && a.path == b.path && a.line == b.line && a.column == b.column &&
           a.keys_begin == b.keys_begin && a.keys_end == b.keys_end && a.end == b.end && a.text == b.text &&
           a.indent == b.indent;
}

TEST(CompiledTemplates, AreWhatTheParserMakesOfTheEmbeddedText)
{
    std::vector<std::string> names;
    for (const auto& compiled : template_engine::compiled_templates()) {
        names.emplace_back(compiled.bare_name);
        const template_engine::TemplateView& view = compiled.view;
        std::optional<std::string_view> text = embedded_file(view.name);
        ASSERT_TRUE(text) << view.name;
        auto parsed = template_engine::parse_template(std::string(view.name), *text, false);
        EXPECT_EQ(view.name, "templates/" + names.back() + ".tmpl");
        EXPECT_EQ(view.text_size, text->size());
        ASSERT_EQ(view.nodes.size(), parsed->nodes.size()) << view.name;
        for (std::size_t i = 0; i < view.nodes.size(); ++i) {
            EXPECT_TRUE(same_node(view.nodes[i], parsed->nodes[i])) << view.name << " node " << i;
        }
        ASSERT_EQ(view.keys.size(), parsed->keys.size()) << view.name;
        for (std::size_t i = 0; i < view.keys.size(); ++i) {
            EXPECT_EQ(view.keys[i], parsed->keys[i]) << view.name << " key " << i;
        }
    }
    for (const char* name : {"Dockerfile", "docker-bake.hcl", "micromamba", "verify_sample"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
    }
}

TEST(Template, TextFilterRejectsNewlines)
{
    Rendered r = render("# {{note|text}}\n", {{"note", "a\nRUN evil"}});
    EXPECT_FALSE(r.text);
}

}  // namespace
}  // namespace cudagen
