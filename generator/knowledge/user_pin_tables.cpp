#include "knowledge/user_pin_tables.hpp"

#include <algorithm>

namespace cudagen {

namespace {

bool holds(const std::vector<std::string>& names, std::string_view key)
{
    return std::find(names.begin(), names.end(), key) != names.end();
}

}  // namespace

const FrameworkPackages* UserPinTables::framework_of(std::string_view key, bool conda) const
{
    for (const auto& row : frameworks) {
        if (holds(conda ? row.conda : row.pip, key)) {
            return &row;
        }
    }
    return nullptr;
}

const FrameworkPackages* UserPinTables::framework(std::string_view name) const
{
    for (const auto& row : frameworks) {
        if (row.framework == name) {
            return &row;
        }
    }
    return nullptr;
}

bool UserPinTables::selects_cuda(std::string_view conda_key) const
{
    return holds(cuda_packages, conda_key);
}

const CondaTorchBuilds* UserPinTables::pytorch_channel_builds(const Version& pytorch) const
{
    const CondaTorchBuilds* minor = nullptr;
    for (const auto& row : pytorch_channel) {
        if (row.pytorch.size() > 2 && row.pytorch == pytorch) {
            return &row;
        }
        if (row.pytorch.size() == 2 && pytorch.starts_with(row.pytorch)) {
            minor = &row;
        }
    }
    return minor;
}

}  // namespace cudagen
