#include "validate/dependency_urls.hpp"

#include "validate/url_secrets.hpp"

namespace cudagen {

namespace {

using deps::PipOptionKind;

bool is_index_option(const deps::PipOption& option)
{
    return option.kind == PipOptionKind::index_url || option.kind == PipOptionKind::extra_index_url ||
           (option.kind == PipOptionKind::find_links && option.path.empty());
}

// An index chosen inside a dependency file decides where every package comes from, and a
// change to that file (a pull request) changes it without touching the profile.
void warn_index_in_file(const deps::PipOption& option, Diagnostics& diagnostics)
{
    diagnostics.warning("deps/index-in-file",
                        option.file + " sets " + option.name + " " + option.value +
                            ": an index named inside a dependency file decides where packages come from, out of "
                            "the profile's sight",
                        option.where,
                        "name indexes in the profile (pip.index_url, pip.extra_index_urls, pip.find_links), where a "
                        "review of the profile sees them");
}

void check_option(const deps::PipOption& option, Diagnostics& diagnostics)
{
    std::string what = option.file + " " + option.name;
    if (option.kind == PipOptionKind::trusted_host) {
        diagnostics.warning("deps/trusted-host",
                            what + " " + option.value +
                                " turns off pip's certificate check for that host: anyone on the network path can "
                                "change the packages",
                            option.where,
                            "remove it, and reach the index over https:// with a certificate the image trusts");
        return;
    }
    if (!is_index_option(option)) {
        return;
    }
    if (!check_url_secret(option.value, what, option.value_where, diagnostics, k_url_in_copied_file)) {
        return;
    }
    check_plain_http_url(option.value, what, option.value_where, diagnostics);
    warn_index_in_file(option, diagnostics);
}

void check_entry(const deps::PipEntry& entry, Diagnostics& diagnostics)
{
    if (entry.kind != deps::PipEntryKind::vcs && entry.kind != deps::PipEntryKind::url) {
        return;
    }
    std::string what = entry.file + " requirement";
    if (check_url_secret(entry.spec.url, what, entry.url_where, diagnostics, k_url_in_copied_file)) {
        check_plain_http_url(entry.spec.url, what, entry.url_where, diagnostics);
    }
}

}  // namespace

void check_dependency_urls(const deps::DependencySet& dependencies, Diagnostics& diagnostics)
{
    for (const deps::PipOption* option : dependencies.pip_options()) {
        check_option(*option, diagnostics);
    }
    for (const deps::PipEntry* entry : dependencies.pip_entries()) {
        check_entry(*entry, diagnostics);
    }
    if (!dependencies.conda) {
        return;
    }
    std::string what = dependencies.conda->path + " channels";
    for (const auto& channel : dependencies.conda->channels) {
        if (check_url_secret(channel.value, what, channel.where, diagnostics, k_url_in_copied_file)) {
            check_plain_http_url(channel.value, what, channel.where, diagnostics);
        }
    }
}

}  // namespace cudagen
