#include "load/yaml_tree.hpp"

#include "load/yaml_plain.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <sstream>

namespace cudagen {

std::string_view yaml_kind_name(YamlNode::Kind kind)
{
    switch (kind) {
        case YamlNode::Kind::null:
            return "nothing";
        case YamlNode::Kind::scalar:
            return "a single value";
        case YamlNode::Kind::sequence:
            return "a list";
        case YamlNode::Kind::map:
            return "a mapping";
    }
    return "a value";
}

namespace {

// Aliases copy the anchored node; this bounds the total so that nested
// aliases ("billion laughs") cannot blow up memory.
constexpr std::size_t k_max_nodes = 200000;
// No profile or environment file nests deeply; a deep one is an attack on the
// recursive code that walks the tree.
constexpr std::size_t k_max_depth = 64;

class TreeBuilder : public YAML::EventHandler {
public:
    TreeBuilder(std::string file, Diagnostics& diagnostics) : m_file(std::move(file)), m_diagnostics(diagnostics) {}

    std::optional<YamlNode> take_root() { return std::move(m_root); }
    int documents() const { return m_documents; }
    bool failed() const { return m_failed; }

    void OnDocumentStart(const YAML::Mark&) override { ++m_documents; }
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override
    {
        YamlNode node;
        node.where = location(mark);
        finish(std::move(node), anchor);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override
    {
        auto found = m_anchors.find(anchor);
        if (found == m_anchors.end()) {
            fail(mark, "an alias refers to an anchor that is not defined",
                 "define the anchor (&name) before using *name");
            finish(YamlNode{}, 0);
            return;
        }
        m_nodes += count(found->second);
        if (m_nodes > k_max_nodes) {
            fail(mark, "aliases expand to more than 200000 values", "write the values out instead of nesting aliases",
                 "yaml/too-large");
            finish(YamlNode{}, 0);
            return;
        }
        YamlNode copy = found->second;
        copy.where = location(mark);
        finish(std::move(copy), 0);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override
    {
        YamlNode node;
        node.kind = YamlNode::Kind::scalar;
        node.value = value;
        node.plain = tag != "!";
        node.where = location(mark);
        finish(std::move(node), anchor);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override
    {
        open(YamlNode::Kind::sequence, mark, anchor);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override
    {
        open(YamlNode::Kind::map, mark, anchor);
    }
    void OnMapEnd() override
    {
        check_keys(m_stack.back().node);
        close();
    }

private:
    struct Open {
        YamlNode node;
        YAML::anchor_t anchor = 0;
        std::optional<YamlNode> pending_key;  // maps: the key waiting for its value
    };

    SourceLocation location(const YAML::Mark& mark) const { return {m_file, mark.line + 1, mark.column + 1}; }

    void fail(const YAML::Mark& mark, std::string message, std::string fix, std::string code = "yaml/syntax")
    {
        m_failed = true;
        m_diagnostics.error(std::move(code), std::move(message), location(mark), std::move(fix));
    }

    static std::size_t count(const YamlNode& node)
    {
        std::size_t total = 1;
        for (const auto& item : node.items) {
            total += count(item);
        }
        for (const auto& [key, value] : node.entries) {
            total += count(key) + count(value);
        }
        return total;
    }

    void open(YamlNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor)
    {
        if (m_stack.size() == k_max_depth) {
            fail(mark, "values nest deeper than " + std::to_string(k_max_depth) + " levels",
                 "flatten the file: no cudagen input nests that deep", "yaml/too-deep");
        }
        Open frame;
        frame.node.kind = kind;
        frame.node.where = location(mark);
        frame.anchor = anchor;
        m_stack.push_back(std::move(frame));
    }

    void close()
    {
        Open frame = std::move(m_stack.back());
        m_stack.pop_back();
        finish(std::move(frame.node), frame.anchor);
    }

    void finish(YamlNode node, YAML::anchor_t anchor)
    {
        ++m_nodes;
        if (anchor != 0) {
            m_anchors[anchor] = node;
        }
        if (m_stack.empty()) {
            m_root = std::move(node);
            return;
        }
        Open& parent = m_stack.back();
        if (parent.node.kind == YamlNode::Kind::sequence) {
            parent.node.items.push_back(std::move(node));
        } else if (!parent.pending_key) {
            parent.pending_key = std::move(node);
        } else {
            parent.node.entries.push_back({std::move(*parent.pending_key), std::move(node)});
            parent.pending_key.reset();
        }
    }

    void check_keys(const YamlNode& map)
    {
        std::map<std::string, const YamlNode*> seen;
        for (const auto& [key, value] : map.entries) {
            if (!key.is_scalar()) {
                m_failed = true;
                m_diagnostics.error("yaml/complex-key",
                                    "a key must be a single value, not " + std::string(yaml_kind_name(key.kind)),
                                    key.where, "write the key as plain text");
                continue;
            }
            auto [it, inserted] = seen.emplace(key.value, &key);
            if (!inserted) {
                m_failed = true;
                m_diagnostics.error("yaml/duplicate-key",
                                    "duplicate key '" + key.value + "' (first written at line " +
                                        std::to_string(it->second->where.line) + ")",
                                    key.where, "remove one of the two '" + key.value + "' entries");
            }
        }
    }

    std::string m_file;
    Diagnostics& m_diagnostics;
    std::vector<Open> m_stack;
    std::map<YAML::anchor_t, YamlNode> m_anchors;
    std::optional<YamlNode> m_root;
    std::size_t m_nodes = 0;
    int m_documents = 0;
    bool m_failed = false;
};

}  // namespace

std::optional<YamlNode> parse_yaml(std::string_view text, const std::string& file, Diagnostics& diagnostics)
{
    if (std::optional<YamlNode> plain = parse_plain_yaml(text, file)) {
        return plain;
    }
    return parse_yaml_with_yaml_cpp(text, file, diagnostics);
}

std::optional<YamlNode> parse_yaml_with_yaml_cpp(std::string_view text, const std::string& file,
                                                 Diagnostics& diagnostics)
{
    std::istringstream stream{std::string(text)};
    TreeBuilder builder(file, diagnostics);
    try {
        YAML::Parser parser(stream);
        while (parser.HandleNextDocument(builder)) {
            if (builder.documents() > 1) {
                diagnostics.error("yaml/several-documents",
                                  "the file holds more than one YAML document (a second '---')", {file, 0, 0},
                                  "keep one profile per file; pass several files to cudagen instead");
                return std::nullopt;
            }
        }
    } catch (const YAML::Exception& error) {
        diagnostics.error("yaml/syntax", error.msg, {file, error.mark.line + 1, error.mark.column + 1},
                          "fix the YAML syntax at this position (indentation, a missing ':' or an unclosed quote)");
        return std::nullopt;
    }
    if (builder.failed()) {
        return std::nullopt;
    }
    std::optional<YamlNode> root = builder.take_root();
    if (!root) {
        YamlNode empty;
        empty.where = {file, 1, 1};
        return empty;
    }
    return root;
}

}  // namespace cudagen
