// Credentials in URLs. A URL in a profile (or in a file it names: requirements,
// environment.yml) is written into the Dockerfile or read by a RUN step, so a password or
// token in it ends up in the image's history. One check for every such URL: it names
// what the URL carries and points to BuildKit secrets instead (docs/build.md).
#pragma once

#include "core/diagnostic.hpp"

#include <string>
#include <string_view>

namespace cudagen {

inline constexpr const char* k_credentials_in_url = "secret/credentials-in-url";

// What secret the URL carries: "a user name and password", "a user name or token" (in the
// authority, user@host; not a bare user of ssh://), "a token path (/t/<token>/)" (anaconda.org)
// or "a 'token' query parameter"; "" when none.
std::string url_secret(std::string_view url);

inline constexpr std::string_view k_url_in_dockerfile =
    "the URL is written into the Dockerfile, so the secret would stay in the image's history";
inline constexpr std::string_view k_url_in_copied_file =
    "the file is copied into the image to install from, so the secret would stay in a layer";

// Reports secret/credentials-in-url at `where` when `url` carries a secret; `what` names
// where the URL is ("pip.index_url", "requirements.txt --index-url"), `consequence` why
// that leaks it. True when clean.
bool check_url_secret(std::string_view url, std::string_view what, const SourceLocation& where,
                      Diagnostics& diagnostics, std::string_view consequence = k_url_in_dockerfile);

// A warning (schema/plain-http-index) when `url` is plain http://: packages fetched that
// way can be swapped on the network path.
void check_plain_http_url(std::string_view url, std::string_view what, const SourceLocation& where,
                          Diagnostics& diagnostics);

}  // namespace cudagen
