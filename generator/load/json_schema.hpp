// The profile schema as a JSON Schema (draft-07), made from the same table the
// loader walks (schema.hpp), so editors complete and check cudagen.yaml with
// exactly the keys, types and value grammars cudagen accepts.
#pragma once

#include <string>

namespace cudagen {

// docs/cudagen.schema.json is this text (a unit test keeps them equal).
std::string render_profile_json_schema();

}  // namespace cudagen
