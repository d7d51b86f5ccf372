// cudagen schema [--format markdown|json-schema]: the profile reference page, or
// the JSON Schema editors use, both from the schema the loader uses.
#include "cli/command.hpp"
#include "load/json_schema.hpp"
#include "load/schema.hpp"

#include <iostream>
#include <memory>

namespace cudagen {

CommandAction setup_schema(CLI::App& sub)
{
    auto format = std::make_shared<std::string>("markdown");
    sub.add_option("--format", *format,
                   "markdown (the reference page) or json-schema (for editors and check-jsonschema)")
        ->check(CLI::IsMember({"markdown", "json-schema"}));
    return [format] {
        std::cout << (*format == "json-schema" ? render_profile_json_schema() : render_schema_markdown());
        return 0;
    };
}

}  // namespace cudagen
