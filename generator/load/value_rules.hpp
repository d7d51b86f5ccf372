// Rules every value of a profile obeys, whatever its field: what the
// Dockerfile, a terminal or a CI log would show differently from what
// BuildKit reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cudagen {

// BuildKit reads a Dockerfile line by line and refuses a line over 65535
// bytes. A value is written on one line with its instruction (ENV NAME="...",
// RUN [..., "..."]), so values keep 1 KiB of room for that.
inline constexpr std::size_t k_max_dockerfile_line = 65535;
inline constexpr std::size_t k_max_value_bytes = k_max_dockerfile_line - 1024;

struct ValueProblem {
    std::string code;  // schema/control-character, schema/too-long
    std::string message;
    std::string fix;
};

// A control character (C0, DEL, C1), a Unicode line separator or a
// bidirectional override: each can make a terminal or a code review show
// another instruction than the one BuildKit runs. And values over the limit.
std::optional<ValueProblem> check_any_value(std::string_view field, std::string_view value);

// The characters BuildKit interprets in a COPY source even in the JSON form
// ($VAR, globs, quotes, backslash); nothing when the path is literal.
std::optional<ValueProblem> check_copy_source(std::string_view field, std::string_view value);

}  // namespace cudagen

namespace cudagen {

// ENV values are written in double quotes with '\' escaped. hadolint (and
// other tools built on its parser) cannot read an escaped backslash followed
// by a quote: `ENV X="C:\\"`. Such a value is refused rather than written.
std::optional<ValueProblem> check_env_value(std::string_view field, std::string_view value);

}  // namespace cudagen
