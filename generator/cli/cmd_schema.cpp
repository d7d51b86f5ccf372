// cudagen schema: the profile reference page, from the schema the loader uses.
#include "cli/command.hpp"
#include "load/schema.hpp"

#include <iostream>

namespace cudagen {

CommandAction setup_schema(CLI::App&)
{
    return [] {
        std::cout << render_schema_markdown();
        return 0;
    };
}

}  // namespace cudagen
