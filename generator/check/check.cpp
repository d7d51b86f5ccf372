// STUB (to be replaced by the knowledge module).
#include "check/check.hpp"

namespace cudagen {

void run_checks(const RawProfile&, const ResolvedProfile&, const Knowledge&, const HostFacts&, Diagnostics&) {}

}  // namespace cudagen
