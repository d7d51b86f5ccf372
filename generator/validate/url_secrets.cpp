#include "validate/url_secrets.hpp"

#include "core/text.hpp"

#include <array>

namespace cudagen {

namespace {

// Query parameters that carry a secret by name (GitLab's private_token, signed URLs' sig...).
constexpr std::array<std::string_view, 9> k_secret_parameters = {
    "token", "access_token", "private_token", "auth", "api_key", "apikey", "password", "secret", "sig"};

std::string_view authority_of(std::string_view url)
{
    std::size_t scheme = url.find("://");
    if (scheme == std::string_view::npos) {
        return {};
    }
    std::string_view rest = url.substr(scheme + 3);
    return rest.substr(0, rest.find_first_of("/?#"));
}

std::string secret_parameter(std::string_view url)
{
    std::size_t query = url.find('?');
    if (query == std::string_view::npos) {
        return "";
    }
    std::string_view rest = url.substr(query + 1, url.find('#', query) - query - 1);
    for (const auto& pair : split(rest, '&')) {
        std::string name = to_lower(pair.substr(0, pair.find('=')));
        for (auto secret : k_secret_parameters) {
            if (name == secret) {
                return "a '" + name + "' query parameter";
            }
        }
    }
    return "";
}

}  // namespace

std::string url_secret(std::string_view url)
{
    std::string_view authority = authority_of(url);
    std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
        bool password = authority.substr(0, at).find(':') != std::string_view::npos;
        if (password) {
            return "a user name and password";
        }
        // ssh://git@host names the account a key logs in to; the key is the secret, not the name.
        if (!to_lower(url.substr(0, url.find("://"))).ends_with("ssh")) {
            return "a user name or token";
        }
    }
    // Anaconda's token channels: https://conda.anaconda.org/t/<token>/<channel>.
    std::size_t path = url.find("://");
    path = path == std::string_view::npos ? path : url.find('/', path + 3);
    if (path != std::string_view::npos && url.substr(path).starts_with("/t/") && url.size() > path + 3 &&
        url[path + 3] != '/') {
        return "a token path (/t/<token>/)";
    }
    return secret_parameter(url);
}

bool check_url_secret(std::string_view url, std::string_view what, const SourceLocation& where,
                      Diagnostics& diagnostics, std::string_view consequence)
{
    std::string secret = url_secret(url);
    if (secret.empty()) {
        return true;
    }
    diagnostics.error(
        k_credentials_in_url, std::string(what) + " carries " + secret + ": " + std::string(consequence), where,
        "remove it from the URL; put it in a netrc file (machine HOST login USER password SECRET) and build with "
        "CUDAGEN_NETRC=/path/to/netrc cudagen build: the bake file hands it to pip as a BuildKit secret "
        "(RUN --mount=type=secret), never a layer (docs/build.md, 'Private indexes and mirrors')");
    return false;
}

void check_plain_http_url(std::string_view url, std::string_view what, const SourceLocation& where,
                          Diagnostics& diagnostics)
{
    if (to_lower(url).starts_with("http://")) {
        diagnostics.warning("schema/plain-http-index",
                            std::string(what) + " '" + std::string(url) +
                                "' is fetched over plain http://: anyone on the network path can change the packages",
                            where, "use the index's https:// address");
    }
}

}  // namespace cudagen
