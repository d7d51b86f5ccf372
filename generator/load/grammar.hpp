// The grammar of each scalar field: what text is acceptable, in words for the
// reference page and as a check that says what is wrong and how to fix it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

struct GrammarError {
    std::string message;
    std::string fix;
};

// `value` is the scalar as written; `field` names it in messages.
std::optional<GrammarError> check_grammar(std::string_view grammar, std::string_view field, std::string_view value);
std::string_view grammar_summary(std::string_view grammar);
// The POSIX extended regex a value must match as a whole ("" when the check is code only).
std::string_view grammar_pattern(std::string_view grammar);
// Whether `value` matches the grammar's pattern as a whole (false when it has none).
bool grammar_accepts(std::string_view grammar, std::string_view value);
// Every grammar's name, in the table's order.
std::vector<std::string_view> grammar_names();
// The words of a grammar that is a plain list of choices ("pytorch|tensorflow|jax"), else empty.
std::vector<std::string> grammar_choices(std::string_view grammar);

}  // namespace cudagen
