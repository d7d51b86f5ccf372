// What the user's own files pin decides what the profile leaves out: a
// framework pinned exactly in pip.packages, a requirements file or the conda
// environment becomes the profile's framework; a CUDA named by a conda CUDA
// package, a conda build string, a +cuXYZ local version or a .../whl/cuXYZ
// index becomes its CUDA; the environment's python its Python. Each adopted
// value is located at its pin, so resolve shows where it came from and every
// finding about it points there. When the profile states the value too, the
// check rules compare the two instead (check_env_pins.cpp, check_pins.cpp).
#include "resolve/resolve.hpp"

#include "deps/user_pins.hpp"
#include "knowledge/tables.hpp"

#include <algorithm>

namespace cudagen {

namespace {

LocatedString at_pin(std::string value, const deps::UserPin& pin)
{
    return {std::move(value), pin.where, true};
}

std::string by(const deps::UserPin& pin)
{
    return pin.text + " (" + pin.shown + ")";
}

// A constraints file limits versions and installs nothing: its pin counts only for a package that is installed.
bool installed(const std::vector<deps::UserPin>& pins, const deps::UserPin& pin)
{
    if (pin.installs()) {
        return true;
    }
    return std::any_of(pins.begin(), pins.end(),
                       [&](const deps::UserPin& other) { return other.installs() && other.spec.key == pin.spec.key; });
}

void adopt_framework(RawProfile& raw, const std::vector<deps::UserPin>& pins, const UserPinTables& tables)
{
    for (const deps::UserPin& pin : pins) {
        if (!installed(pins, pin)) {
            continue;
        }
        const FrameworkPackages* framework = tables.framework_of(pin.spec.key, pin.conda());
        auto version = framework ? deps::exact_release(pin.spec, pin.conda()) : std::nullopt;
        if (!version) {
            continue;
        }
        RawFramework adopted;
        adopted.name = at_pin(framework->framework, pin);
        adopted.version = at_pin(version->str(), pin);
        if (pin.conda()) {
            adopted.channel = at_pin("conda", pin);
        }
        adopted.where = pin.where;
        adopted.pinned_by = by(pin);
        raw.framework = std::move(adopted);
        return;
    }
}

// A conda CUDA package pinned to one X.Y ("pytorch-cuda=11.7", "cudatoolkit 11.3", "cuda-version=12.4").
std::optional<Version> conda_cuda(const deps::UserPin& pin, const UserPinTables& tables)
{
    if (!pin.conda() || !tables.selects_cuda(pin.spec.key)) {
        return std::nullopt;
    }
    auto version = deps::exact_release(pin.spec, true);
    return version ? std::optional<Version>(version->major_minor()) : std::nullopt;
}

void adopt_cuda(RawProfile& raw, const std::vector<deps::UserPin>& pins, const UserPinTables& tables)
{
    for (bool conda_packages : {true, false}) {
        for (const deps::UserPin& pin : pins) {
            auto cuda = conda_packages ? conda_cuda(pin, tables) : deps::cuda_of_pin(pin);
            if (cuda) {
                raw.pinned.cuda = {at_pin(cuda->str(), pin), by(pin)};
                return;
            }
        }
    }
}

void adopt_python(RawProfile& raw, const std::vector<deps::UserPin>& pins, const UserPinTables& tables)
{
    for (const deps::UserPin& pin : pins) {
        auto python = pin.conda() && pin.spec.key == "python" ? deps::exact_release(pin.spec, true) : std::nullopt;
        if (python) {
            raw.pinned.python = {at_pin(python->major_minor().str(), pin), by(pin)};
            return;
        }
    }
    for (const deps::UserPin& pin : pins) {
        bool framework = pin.conda() && tables.framework_of(pin.spec.key, true);
        auto python = framework ? deps::python_of_build(pin.spec.build) : std::nullopt;
        if (python) {
            raw.pinned.python = {at_pin(python->str(), pin), by(pin)};
            return;
        }
    }
}

}  // namespace

void adopt_user_pins(RawProfile& raw, const KnowledgeTables& tables)
{
    const std::vector<deps::UserPin>& pins = raw.user_pins;
    if (!raw.framework) {
        adopt_framework(raw, pins, tables.user_pins);
    }
    if (!raw.cuda.present) {
        adopt_cuda(raw, pins, tables.user_pins);
    }
    if (!raw.python.present) {
        adopt_python(raw, pins, tables.user_pins);
    }
}

}  // namespace cudagen
