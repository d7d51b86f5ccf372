// What a template sees: booleans, strings, numbers, lists and objects, built for
// one render in an arena (one block of memory, freed at once), with keys that
// are string literals hashed as cudagen compiles. Rendering a Dockerfile builds
// this instead of a JSON document: no map node, key string or value allocated
// one by one.
#pragma once

#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

constexpr std::uint32_t template_key_hash(std::string_view name)
{
    std::uint32_t hash = 2166136261U;  // FNV-1a
    for (char c : name) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 16777619U;
    }
    return hash;
}

// A key: a string literal (hashed at compile time), or with `of` a name that
// outlives the data (the template's own text, the arena).
class TemplateKey {
public:
    template <std::size_t N>
    consteval TemplateKey(const char (&name)[N])  // NOLINT(google-explicit-constructor): keys read as literals
        : m_name(name, N - 1), m_hash(template_key_hash(m_name))
    {
    }
    static constexpr TemplateKey of(std::string_view name) { return {name, template_key_hash(name)}; }

    std::string_view name() const { return m_name; }
    bool operator==(const TemplateKey& other) const { return m_hash == other.m_hash && m_name == other.m_name; }

private:
    constexpr TemplateKey(std::string_view name, std::uint32_t hash) : m_name(name), m_hash(hash) {}
    std::string_view m_name;
    std::uint32_t m_hash;
};

struct TemplateMember;
class TemplateValue;
using TemplateList = std::pmr::vector<TemplateValue>;
using TemplateMembers = std::pmr::vector<TemplateMember>;

// One value. Strings, lists and objects point into an arena (or other storage
// that outlives the render); the value itself is a few words, copied freely.
class TemplateValue {
public:
    enum class Kind : std::uint8_t { null, boolean, number, string, list, object };

    TemplateValue() = default;
    static TemplateValue boolean(bool flag);
    static TemplateValue integer(long long number);
    static TemplateValue number();  // not an integer: never a single value in a template
    static TemplateValue string(std::string_view text);
    static TemplateValue list(const TemplateList& items);
    static TemplateValue object(const TemplateMembers& members);

    Kind kind() const { return m_kind; }
    bool flag() const { return m_flag; }
    bool is_integer() const { return m_kind == Kind::number && m_integer_set; }
    long long integer_value() const { return m_integer; }
    std::string_view text() const { return m_text; }
    const TemplateList& items() const;                 // a list's items (none for anything else)
    const TemplateValue* find(TemplateKey key) const;  // an object's member, or null
    // The same, trying the member at `hint` first; `hint` becomes where it was found.
    const TemplateValue* find(TemplateKey key, std::uint32_t& hint) const;
    std::string_view type_name() const;  // as JSON names it: "array", "object", ...

private:
    Kind m_kind = Kind::null;
    bool m_flag = false;
    bool m_integer_set = false;
    long long m_integer = 0;
    std::string_view m_text;
    const void* m_children = nullptr;  // TemplateList or TemplateMembers
};

struct TemplateMember {
    TemplateKey key;
    TemplateValue value;
};

class TemplateArena;

// Builders: an object or a list in an arena, filled in place. Strings given to
// them are copied into the arena, so the data never points at a temporary.
class TemplateObject {
public:
    TemplateObject& set(TemplateKey key, std::string_view text);
    TemplateObject& set(TemplateKey key, const char* text) { return set(key, std::string_view(text)); }
    TemplateObject& set(TemplateKey key, const std::string& text) { return set(key, std::string_view(text)); }
    TemplateObject& set(TemplateKey key, bool flag);
    TemplateObject& set(TemplateKey key, const std::vector<std::string>& texts);
    TemplateObject& set(TemplateKey key, TemplateValue value);
    TemplateObject& set(TemplateKey key, const TemplateObject& object) { return set(key, object.value()); }
    TemplateValue value() const { return TemplateValue::object(*m_members); }
    TemplateArena& arena() const { return *m_arena; }

private:
    friend class TemplateArena;
    TemplateObject(TemplateArena& arena, TemplateMembers& members) : m_arena(&arena), m_members(&members) {}
    TemplateArena* m_arena;
    TemplateMembers* m_members;
};

class TemplateListBuilder {
public:
    TemplateListBuilder& push(std::string_view text);
    TemplateListBuilder& push(const std::string& text) { return push(std::string_view(text)); }
    TemplateListBuilder& push(TemplateValue value);
    TemplateListBuilder& push(const TemplateObject& object) { return push(object.value()); }
    TemplateValue value() const { return TemplateValue::list(*m_items); }
    bool empty() const { return m_items->empty(); }

private:
    friend class TemplateArena;
    TemplateListBuilder(TemplateArena& arena, TemplateList& items) : m_arena(&arena), m_items(&items) {}
    TemplateArena* m_arena;
    TemplateList* m_items;
};

// The memory of one render's data: one block from the heap, more when it is full,
// all released when the arena goes.
class TemplateArena {
public:
    explicit TemplateArena(std::size_t initial_bytes = 16384) : m_memory(initial_bytes) {}
    TemplateArena(const TemplateArena&) = delete;
    TemplateArena& operator=(const TemplateArena&) = delete;

    std::string_view text(std::string_view text);  // a copy that lives as long as the arena
    TemplateObject object(std::size_t expected_members = 8);
    TemplateListBuilder list(std::size_t expected_items = 4);
    TemplateValue strings(const std::vector<std::string>& texts);  // a list of copies

private:
    std::pmr::monotonic_buffer_resource m_memory;
};

}  // namespace cudagen
