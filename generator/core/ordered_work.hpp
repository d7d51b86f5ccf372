// Work over many items on several threads, with the results taken in input order.
#pragma once

#include <cstddef>
#include <functional>

namespace cudagen {

// The cores this process may run on (its CPU affinity mask), at least 1.
unsigned available_cores();

// Calls produce(i) for every i in [0, count) on `jobs` threads (the calling
// thread and jobs - 1 helpers) and consume(i) on the calling thread in the
// order 0, 1, 2, ... as each item is produced; while the next item is not
// ready, the calling thread produces one itself rather than waiting. At most `window` items are produced ahead of the
// one being consumed, so the caller can keep the results in `window` slots (slot i % window): produce(i) starts only
// after consume(i - window) returned, and consume(i) only after produce(i) returned. With jobs <= 1 (or one item) no
// thread is started: produce(i) then consume(i), one item after the other.
// An exception thrown by either stops the work; it is rethrown here after the
// workers have stopped.
void run_in_order(std::size_t count, unsigned jobs, std::size_t window, const std::function<void(std::size_t)>& produce,
                  const std::function<void(std::size_t)>& consume);

}  // namespace cudagen
