// One switch for every generated-file test: CUDAGEN_UPDATE_GOLDEN=1 rewrites the
// expected files; any other value, or none, compares.
#pragma once

#include <cstdlib>
#include <string_view>

namespace cudagen::testing {

inline bool golden_update_requested()
{
    const char* value = std::getenv("CUDAGEN_UPDATE_GOLDEN");
    return value != nullptr && std::string_view(value) == "1";
}

}  // namespace cudagen::testing
