// The build-time tools link the library's code without the files it embeds
// (they make some of them): here nothing is embedded.
#include "core/embedded.hpp"

namespace cudagen {

std::optional<std::string_view> embedded_file(std::string_view /*name*/)
{
    return std::nullopt;
}

std::vector<std::string_view> embedded_names()
{
    return {};
}

}  // namespace cudagen
