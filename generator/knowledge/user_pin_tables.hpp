// The tables of generator/data/user_pins.yaml: which conda package names in a
// user's environment files select a CUDA version, where the pytorch conda channel
// pairs versions differently from pip, and combinations known to break at import;
// and which package names install a framework (from the framework units, not the file).
#pragma once

#include "core/version.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

struct FrameworkPackages {
    std::string framework;           // pytorch
    std::string label;               // torch (as messages name it)
    std::vector<std::string> pip;    // PyPI names, normalised: torch
    std::vector<std::string> conda;  // conda names: pytorch, pytorch-gpu
};

// The builds the pytorch conda channel has for one release (X.Y, or X.Y.Z where a patch differs).
struct CondaTorchBuilds {
    Version pytorch;
    std::vector<Version> cuda;  // X.Y of pytorch-cuda / cudatoolkit builds
    std::string torchvision;    // set where the channel pairs another release than pip
    std::string torchaudio;
    bool unconfirmed = false;
    std::string note;
};

// A combination that installs but fails at run time.
struct KnownBreakage {
    std::string package;  // pytorch
    std::string channel;  // pytorch
    Version below;        // releases older than this are affected
    std::string needs;    // mkl
    Version broken_from;  // `needs` releases from this one break it
    std::string fixed_pin;
    std::string symptom;
    std::string reference;
    bool unconfirmed = false;
};

struct UserPinTables {
    std::vector<FrameworkPackages> frameworks;  // one per framework unit, in the registry's order
    std::vector<std::string> cuda_packages;     // conda names whose version is a CUDA X.Y
    std::vector<CondaTorchBuilds> pytorch_channel;
    std::vector<KnownBreakage> breakages;

    // The framework a PyPI (conda = false) or conda package name installs; null when none.
    const FrameworkPackages* framework_of(std::string_view key, bool conda) const;
    const FrameworkPackages* framework(std::string_view name) const;
    bool selects_cuda(std::string_view conda_key) const;
    // The channel's row for an exact release, else its X.Y row; null when the channel has none.
    const CondaTorchBuilds* pytorch_channel_builds(const Version& pytorch) const;
};

}  // namespace cudagen
