// A value read from an input file, with where it was read.
#pragma once

#include "core/diagnostic.hpp"

namespace cudagen {

template <class T>
struct Located {
    T value{};
    SourceLocation where;
    bool present = false;  // false: the key was absent and `value` is a placeholder

    const T& operator*() const { return value; }
    const T* operator->() const { return &value; }
    explicit operator bool() const { return present; }
};

}  // namespace cudagen
