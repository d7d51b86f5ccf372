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

// The hand-over between the workers and the consuming thread.
class OrderedQueue {
public:
    OrderedQueue(std::size_t count, std::size_t window) : m_count(count), m_window(window), m_done(window, false) {}

    // The next item to produce, waiting while it would run too far ahead; false when there is none.
    bool take(std::size_t& item)
    {
        std::unique_lock lock(m_mutex);
        m_room.wait(lock, [this] { return m_stop || m_next >= m_count || m_next < m_consumed + m_window; });
        if (m_stop || m_next >= m_count) {
            return false;
        }
        item = m_next++;
        return true;
    }

    void produced(std::size_t item)
    {
        {
            std::lock_guard lock(m_mutex);
            m_done[item % m_window] = true;
        }
        m_ready.notify_all();
    }

    // Waits for `item`; false when the work stopped on an error first.
    bool wait_for(std::size_t item)
    {
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [&] { return m_stop || m_done[item % m_window]; });
        return m_done[item % m_window] && !m_error;
    }

    void consumed(std::size_t item)
    {
        {
            std::lock_guard lock(m_mutex);
            m_done[item % m_window] = false;
            m_consumed = item + 1;
        }
        m_room.notify_all();
    }

    void fail(std::exception_ptr error)
    {
        {
            std::lock_guard lock(m_mutex);
            if (!m_error) {
                m_error = std::move(error);
            }
            m_stop = true;
        }
        m_room.notify_all();
        m_ready.notify_all();
    }

    std::exception_ptr error()
    {
        std::lock_guard lock(m_mutex);
        return m_error;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_room;   // a worker may take the next item
    std::condition_variable m_ready;  // an item was produced
    std::size_t m_count;
    std::size_t m_window;
    std::size_t m_next = 0;
    std::size_t m_consumed = 0;
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
    auto work = [&queue, &produce] {
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
    workers.reserve(std::min<std::size_t>(jobs, count));
    for (std::size_t i = 0; i < std::min<std::size_t>(jobs, count); ++i) {
        workers.emplace_back(work);
    }
    for (std::size_t i = 0; i < count; ++i) {
        if (!queue.wait_for(i)) {
            break;
        }
        try {
            consume(i);
        } catch (...) {
            queue.fail(std::current_exception());
            break;
        }
        queue.consumed(i);
    }
    workers.clear();  // joins
    if (std::exception_ptr error = queue.error()) {
        std::rethrow_exception(error);
    }
}

}  // namespace cudagen
