// Whether a value matches a grammar's pattern (load/grammar.cpp) as a whole,
// by a hand-written matcher per grammar. Nothing for a grammar without one
// (no pattern, or a plain list of words: grammar_accepts checks those).
#pragma once

#include <optional>
#include <string_view>

namespace cudagen {

std::optional<bool> grammar_matches(std::string_view grammar, std::string_view value);

}  // namespace cudagen
