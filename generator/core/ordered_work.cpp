#include "core/ordered_work.hpp"

#include <sched.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace cudagen {

unsigned available_cores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof(set), &set) == 0) {
        int count = CPU_COUNT(&set);
        if (count > 0) {
            return static_cast<unsigned>(count);
        }
    }
    return std::max(1U, std::thread::hardware_concurrency());
}

namespace {

// The hand-over between the helper threads and the calling thread, which
// takes the results in order and, while the next one is not ready, works on
// an item itself instead of sleeping: on a machine with few cores every sleep
// and wake-up of the taking thread per item cost more than the items' hand-over.
class OrderedQueue {
public:
    OrderedQueue(std::size_t count, std::size_t window) : m_count(count), m_window(window), m_done(window, false) {}

    // A helper: the next item to produce, waiting while it would run too far
    // ahead; false when there is none left (or the work stopped).
    bool take(std::size_t& item)
    {
        std::unique_lock lock(m_mutex);
        ++m_helpers_waiting;
        m_room.wait(lock, [this] { return m_stop || m_next >= m_count || has_room(); });
        --m_helpers_waiting;
        if (m_stop || m_next >= m_count) {
            return false;
        }
        item = m_next++;
        return true;
    }

    void produced(std::size_t item)
    {
        std::lock_guard lock(m_mutex);
        m_done[item % m_window] = true;
        if (m_taker_waiting && item == m_taking) {
            m_ready.notify_one();
        }
    }

    // The calling thread: what to do for `item`, the next to take in order.
    enum class Step { take, produce, stop };
    Step next_step(std::size_t item, std::size_t& produce)
    {
        std::unique_lock lock(m_mutex);
        m_taking = item;
        for (;;) {
            if (m_stop) {
                return Step::stop;
            }
            if (m_done[item % m_window]) {
                return Step::take;
            }
            if (m_next < m_count && has_room()) {
                produce = m_next++;
                return Step::produce;
            }
            m_taker_waiting = true;
            m_ready.wait(lock);
            m_taker_waiting = false;
        }
    }

    void consumed(std::size_t item)
    {
        std::lock_guard lock(m_mutex);
        m_done[item % m_window] = false;
        m_consumed = item + 1;
        if (m_helpers_waiting > 0) {
            m_room.notify_all();
        }
    }

    void fail(std::exception_ptr error)
    {
        std::lock_guard lock(m_mutex);
        if (!m_error) {
            m_error = std::move(error);
        }
        m_stop = true;
        m_room.notify_all();
        m_ready.notify_all();
    }

    std::exception_ptr error()
    {
        std::lock_guard lock(m_mutex);
        return m_error;
    }

private:
    // Slot m_next % window is free: its last item was taken.
    bool has_room() const { return m_next < m_consumed + m_window; }

    std::mutex m_mutex;
    std::condition_variable m_room;   // a helper may take the next item
    std::condition_variable m_ready;  // the item the calling thread waits for was produced
    std::size_t m_count;
    std::size_t m_window;
    std::size_t m_next = 0;
    std::size_t m_consumed = 0;
    std::size_t m_taking = 0;  // the item the calling thread takes next
    bool m_taker_waiting = false;
    std::size_t m_helpers_waiting = 0;
    std::vector<bool> m_done;  // per slot: produced and not yet consumed
    bool m_stop = false;
    std::exception_ptr m_error;
};

}  // namespace

void run_in_order(std::size_t count, unsigned jobs, std::size_t window, const std::function<void(std::size_t)>& produce,
                  const std::function<void(std::size_t)>& consume)
{
    if (jobs <= 1 || count <= 1) {
        for (std::size_t i = 0; i < count; ++i) {
            produce(i);
            consume(i);
        }
        return;
    }
    OrderedQueue queue(count, std::max<std::size_t>(window, 1));
    auto help = [&queue, &produce] {
        std::size_t item = 0;
        while (queue.take(item)) {
            try {
                produce(item);
            } catch (...) {
                queue.fail(std::current_exception());
                return;
            }
            queue.produced(item);
        }
    };
    std::vector<std::jthread> workers;
    std::size_t helpers = std::min<std::size_t>(jobs, count) - 1;  // the calling thread is one of the jobs
    workers.reserve(helpers);
    for (std::size_t i = 0; i < helpers; ++i) {
        workers.emplace_back(help);
    }
    try {
        for (std::size_t i = 0; i < count;) {
            std::size_t item = 0;
            OrderedQueue::Step step = queue.next_step(i, item);
            if (step == OrderedQueue::Step::stop) {
                break;
            }
            if (step == OrderedQueue::Step::produce) {
                produce(item);
                queue.produced(item);
                continue;
            }
            consume(i);
            queue.consumed(i);
            ++i;
        }
    } catch (...) {
        queue.fail(std::current_exception());
    }
    workers.clear();  // joins
    if (std::exception_ptr error = queue.error()) {
        std::rethrow_exception(error);
    }
}

}  // namespace cudagen
