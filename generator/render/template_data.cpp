#include "render/template_data.hpp"

#include <cstring>
#include <new>

namespace cudagen {

TemplateValue TemplateValue::boolean(bool flag)
{
    TemplateValue value;
    value.m_kind = Kind::boolean;
    value.m_flag = flag;
    return value;
}

TemplateValue TemplateValue::integer(long long number)
{
    TemplateValue value;
    value.m_kind = Kind::number;
    value.m_integer_set = true;
    value.m_integer = number;
    return value;
}

TemplateValue TemplateValue::number()
{
    TemplateValue value;
    value.m_kind = Kind::number;
    return value;
}

TemplateValue TemplateValue::string(std::string_view text)
{
    TemplateValue value;
    value.m_kind = Kind::string;
    value.m_text = text;
    return value;
}

TemplateValue TemplateValue::list(const TemplateList& items)
{
    TemplateValue value;
    value.m_kind = Kind::list;
    value.m_children = &items;
    return value;
}

TemplateValue TemplateValue::object(const TemplateMembers& members)
{
    TemplateValue value;
    value.m_kind = Kind::object;
    value.m_children = &members;
    return value;
}

const TemplateList& TemplateValue::items() const
{
    static const TemplateList k_none;
    return m_kind == Kind::list ? *static_cast<const TemplateList*>(m_children) : k_none;
}

const TemplateValue* TemplateValue::find(TemplateKey key) const
{
    if (m_kind != Kind::object) {
        return nullptr;
    }
    for (const auto& member : *static_cast<const TemplateMembers*>(m_children)) {
        if (member.key == key) {
            return &member.value;
        }
    }
    return nullptr;
}

const TemplateValue* TemplateValue::find(TemplateKey key, std::uint32_t& hint) const
{
    if (m_kind != Kind::object) {
        return nullptr;
    }
    const auto& members = *static_cast<const TemplateMembers*>(m_children);
    if (hint < members.size() && members[hint].key == key) {
        return &members[hint].value;
    }
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (members[i].key == key) {
            hint = static_cast<std::uint32_t>(i);
            return &members[i].value;
        }
    }
    return nullptr;
}

std::string_view TemplateValue::type_name() const
{
    switch (m_kind) {
        case Kind::null:
            return "null";
        case Kind::boolean:
            return "boolean";
        case Kind::number:
            return "number";
        case Kind::string:
            return "string";
        case Kind::list:
            return "array";
        case Kind::object:
            return "object";
    }
    return "null";
}

TemplateObject& TemplateObject::set(TemplateKey key, std::string_view text)
{
    return set(key, TemplateValue::string(m_arena->text(text)));
}

TemplateObject& TemplateObject::set(TemplateKey key, bool flag)
{
    return set(key, TemplateValue::boolean(flag));
}

TemplateObject& TemplateObject::set(TemplateKey key, const std::vector<std::string>& texts)
{
    return set(key, m_arena->strings(texts));
}

TemplateObject& TemplateObject::set(TemplateKey key, TemplateValue value)
{
    m_members->push_back({key, value});
    return *this;
}

TemplateListBuilder& TemplateListBuilder::push(std::string_view text)
{
    return push(TemplateValue::string(m_arena->text(text)));
}

TemplateListBuilder& TemplateListBuilder::push(TemplateValue value)
{
    m_items->push_back(value);
    return *this;
}

std::string_view TemplateArena::text(std::string_view text)
{
    if (text.empty()) {
        return {};
    }
    void* copy = m_memory.allocate(text.size(), 1);
    std::memcpy(copy, text.data(), text.size());
    return {static_cast<const char*>(copy), text.size()};
}

// The containers live in the arena too; their destructors never run, which is
// safe: they only hold trivially destructible values and arena memory.
TemplateObject TemplateArena::object(std::size_t expected_members)
{
    auto* members =
        new (m_memory.allocate(sizeof(TemplateMembers), alignof(TemplateMembers))) TemplateMembers(&m_memory);
    members->reserve(expected_members);
    return {*this, *members};
}

TemplateListBuilder TemplateArena::list(std::size_t expected_items)
{
    auto* items = new (m_memory.allocate(sizeof(TemplateList), alignof(TemplateList))) TemplateList(&m_memory);
    items->reserve(expected_items);
    return {*this, *items};
}

TemplateValue TemplateArena::strings(const std::vector<std::string>& texts)
{
    TemplateListBuilder list = this->list(texts.size());
    for (const auto& text : texts) {
        list.push(text);
    }
    return list.value();
}

}  // namespace cudagen
