#include "write/old_output.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace cudagen {

struct OldOutput::Entry {
    std::string name;
    unsigned char type = DT_UNKNOWN;
    std::atomic<int> state = 0;  // 0: not checked, 1: being checked, 2: checked
    bool plain = false;          // once checked: a folder with a new folder's mode holding only regular files
    std::size_t entries = 0;     // once checked: a folder's entries
};

namespace {

std::size_t total_size(const std::vector<iovec>& pieces)
{
    std::size_t size = 0;
    for (const auto& piece : pieces) {
        size += piece.iov_len;
    }
    return size;
}

// Whether `bytes` are the pieces' bytes from offset `at` of their whole.
bool equal_at(const std::vector<iovec>& pieces, std::size_t at, std::string_view bytes)
{
    for (const auto& piece : pieces) {
        if (bytes.empty()) {
            break;
        }
        if (at >= piece.iov_len) {
            at -= piece.iov_len;
            continue;
        }
        std::size_t length = std::min(piece.iov_len - at, bytes.size());
        if (std::memcmp(bytes.data(), static_cast<const char*>(piece.iov_base) + at, length) != 0) {
            return false;
        }
        bytes.remove_prefix(length);
        at = 0;
    }
    return bytes.empty();
}

// Reads up to `want` bytes from offset `at` into `buffer`; fewer at the end of
// the file, which a short read of a regular file means (no read to see 0).
std::size_t read_up_to(int fd, std::string& buffer, std::size_t want, std::size_t at = 0)
{
    buffer.resize(want);
    std::size_t size = 0;
    while (size < want) {
        std::size_t asked = want - size;
        ssize_t got = ::pread(fd, buffer.data() + size, asked, static_cast<off_t>(at + size));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        size += static_cast<std::size_t>(got);
        if (static_cast<std::size_t>(got) < asked) {
            break;
        }
    }
    return size;
}

// The modes a new file and a new folder get (the writer asks for 0666 and 0777).
mode_t current_umask()
{
    mode_t mask = ::umask(022);
    ::umask(mask);
    return mask;
}

// Runs `check` unless another call did or does (then waits for it to end);
// true when this call ran it. An atomic rather than std::call_once, which
// makes a futex call each time. A check that throws still ends the wait.
template <class Check>
bool check_once(std::atomic<int>& state, const Check& check)
{
    int seen = 0;
    if (state.compare_exchange_strong(seen, 1, std::memory_order_acquire)) {
        struct Done {
            std::atomic<int>& state;
            explicit Done(std::atomic<int>& done) : state(done) {}
            Done(const Done&) = delete;
            Done& operator=(const Done&) = delete;
            ~Done()
            {
                state.store(2, std::memory_order_release);
                state.notify_all();
            }
        } done(state);
        check();
        return true;
    }
    while (seen != 2) {
        state.wait(seen, std::memory_order_acquire);
        seen = state.load(std::memory_order_acquire);
    }
    return false;
}

}  // namespace

FileIdentity identity_of(const struct stat& info)
{
    return {info.st_dev, info.st_ino,
            static_cast<std::int64_t>(info.st_ctim.tv_sec) * 1000000000 + info.st_ctim.tv_nsec};
}

OldOutput::OldOutput(std::size_t max_entries) : m_budget(static_cast<std::ptrdiff_t>(max_entries))
{
    mode_t mask = current_umask();
    m_file_mode = 0666 & ~mask;
    m_folder_mode = 0777 & ~mask;
}

OldOutput::~OldOutput() = default;

std::unique_ptr<OldOutput> OldOutput::open(const std::filesystem::path& folder, std::string_view skipped_prefix,
                                           std::size_t max_entries)
{
    std::unique_ptr<OldOutput> old(new OldOutput(max_entries));
    old->m_fd.reset(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    std::vector<FolderEntry> listed;
    if (!old->m_fd || !list_folder(old->m_fd.get(), listed)) {
        return nullptr;
    }
    std::sort(listed.begin(), listed.end(), [](const FolderEntry& a, const FolderEntry& b) { return a.name < b.name; });
    old->m_entries = std::make_unique<Entry[]>(listed.size());
    for (auto& item : listed) {
        if (old->m_budget.fetch_sub(1, std::memory_order_relaxed) <= 0) {
            old->m_foreign = true;
            break;
        }
        if (!skipped_prefix.empty() && std::string_view(item.name).starts_with(skipped_prefix)) {
            ++old->m_skipped;
            continue;
        }
        unsigned char type = entry_type(old->m_fd.get(), item);
        Comparison head_only;
        // A file right in the folder (a README.md, say) is looked at now, one
        // short read: found only at the end it would cost staging everything twice.
        if ((type != DT_DIR && type != DT_REG) ||
            (type == DT_REG && !old->check_file(old->m_fd.get(), item.name.c_str(), nullptr, head_only))) {
            old->m_foreign = true;
            break;
        }
        Entry& entry = old->m_entries[old->m_count++];
        entry.name = std::move(item.name);
        entry.type = type;
    }
    return old;
}

OldOutput::Entry* OldOutput::find(std::string_view name) const
{
    Entry* end = m_entries.get() + m_count;
    Entry* at = std::lower_bound(m_entries.get(), end, name,
                                 [](const Entry& entry, std::string_view key) { return entry.name < key; });
    return at != end && at->name == name ? at : nullptr;
}

// Opens `name` in `folder` without following a link: a file whose head is
// generated. With `pieces`: `same` when it is a regular file with a new file's
// mode holding exactly those bytes. It is read in parts, its first and last
// 4 KB before the middle, and only as far as it agrees: a changed Dockerfile
// mostly differs near its start (base images) or its end (packages, the app).
// The last part's read asks for one byte more, so a longer file shows there
// without an fstat; the mode is looked at only when every byte agreed.
bool OldOutput::check_file(int folder, const char* name, const std::vector<iovec>* pieces, Comparison& result) const
{
    constexpr std::size_t k_end_part = 4096;
    result.same = false;
    if (pieces == nullptr) {
        return file_is_generated(folder, name);
    }
    bool same = false;
    UniqueFd file(::openat(folder, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!file) {
        return false;
    }
    std::size_t size = total_size(*pieces);
    std::size_t first = std::max(std::min(size, k_end_part), k_generated_head_size);
    thread_local std::string buffer;
    std::size_t got = read_up_to(file.get(), buffer, first);
    std::string_view bytes(buffer.data(), got);
    if (!head_is_generated(bytes.substr(0, k_generated_head_size))) {
        return false;
    }
    if (got < std::min(size, first) || !equal_at(*pieces, 0, bytes.substr(0, size))) {
        return true;
    }
    if (size <= first) {
        same = got == size;
    } else {
        std::size_t last = std::max(first, size - k_end_part);
        same = read_up_to(file.get(), buffer, size - last + 1, last) == size - last &&
               equal_at(*pieces, last, std::string_view(buffer.data(), size - last)) &&
               (last == first || (read_up_to(file.get(), buffer, last - first, first) == last - first &&
                                  equal_at(*pieces, first, std::string_view(buffer.data(), last - first))));
    }
    struct stat info {};
    result.same = same && ::fstat(file.get(), &info) == 0 && S_ISREG(info.st_mode) &&
                  static_cast<std::size_t>(info.st_size) == size && (info.st_mode & 07777) == m_file_mode;
    result.identity = identity_of(info);
    return true;
}

// A folder right in the output: its entries checked as entry_is_generated()
// does, the one named `wanted` (if any) compared with `pieces` on the way.
// Whether the folder is plain (a new folder's mode, regular files only) is
// worked out only when the file was the same: nothing else asks.
bool OldOutput::check_folder(Entry& entry, const std::string* wanted, const std::vector<iovec>* pieces,
                             Comparison& result)
{
    UniqueFd folder(::openat(m_fd.get(), entry.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    std::vector<FolderEntry> listed;
    if (!folder || !list_folder(folder.get(), listed)) {
        return false;
    }
    entry.entries = listed.size();
    bool only_files = true;
    for (const auto& item : listed) {
        unsigned char type = entry_type(folder.get(), item);
        only_files = only_files && type == DT_REG;
        bool generated = false;
        if (type == DT_REG && wanted != nullptr && item.name == *wanted) {
            generated = m_budget.fetch_sub(1, std::memory_order_relaxed) > 0 &&
                        check_file(folder.get(), item.name.c_str(), pieces, result);
        } else {
            generated = entry_is_generated(folder.get(), item, m_budget);
        }
        if (!generated) {
            result.same = false;
            return false;
        }
    }
    // Permission bits only: a folder made under a set-group-ID parent has that bit too.
    struct stat info {};
    entry.plain = result.same && only_files && ::fstat(folder.get(), &info) == 0 &&
                  (info.st_mode & 0777) == (m_folder_mode & 0777);
    return true;
}

void OldOutput::check(Entry& entry, const std::string* wanted, const std::vector<iovec>* pieces, Comparison& result)
{
    bool generated = false;
    if (entry.type == DT_DIR) {
        generated = check_folder(entry, wanted, pieces, result);
    } else {
        generated = check_file(m_fd.get(), entry.name.c_str(), wanted == nullptr ? pieces : nullptr, result);
        entry.plain = generated;
    }
    if (!generated) {
        result.same = false;
        m_foreign = true;
    }
}

bool OldOutput::same(const std::string& path, const std::vector<iovec>& pieces, FileIdentity& identity)
{
    std::size_t slash = path.find('/');
    Entry* entry = find(std::string_view(path).substr(0, slash));
    if (entry == nullptr) {
        return false;  // a new entry
    }
    bool here = slash == std::string::npos;
    bool below = !here && path.find('/', slash + 1) == std::string::npos;
    if ((here && entry->type != DT_REG) || (!here && entry->type != DT_DIR)) {
        check_once(entry->state, [&] {
            Comparison ignored;
            check(*entry, nullptr, nullptr, ignored);
        });
        return false;  // a file where a folder was, or the other way: replaced whole
    }
    std::string name = here ? std::string() : path.substr(slash + 1);
    Comparison result;
    bool ran = check_once(entry->state, [&] {
        check(*entry, here || !below ? nullptr : &name, here || below ? &pieces : nullptr, result);
    });
    if (!ran && !here && below && entry->plain) {
        // The folder was checked for another of its files: this one on its own.
        UniqueFd folder(::openat(m_fd.get(), entry->name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        ran = folder && check_file(folder.get(), name.c_str(), &pieces, result);
    }
    identity = result.identity;
    return ran && result.same;
}

bool OldOutput::check_rest(unsigned jobs)
{
    if (foreign()) {
        return false;
    }
    return for_each_shared(m_count, jobs, [this](std::size_t i) {
        Entry& entry = m_entries[i];
        check_once(entry.state, [&] {
            Comparison ignored;
            check(entry, nullptr, nullptr, ignored);
        });
        return !foreign();
    });
}

bool OldOutput::equals(const std::vector<std::string>& paths, std::size_t same_count) const
{
    if (foreign() || m_skipped > 0 || same_count != paths.size()) {
        return false;
    }
    std::vector<std::size_t> below(m_count, 0);  // new files per old entry
    for (const auto& path : paths) {
        Entry* entry = find(std::string_view(path).substr(0, path.find('/')));
        if (entry == nullptr) {
            return false;
        }
        ++below[static_cast<std::size_t>(entry - m_entries.get())];
    }
    for (std::size_t i = 0; i < m_count; ++i) {
        const Entry& entry = m_entries[i];
        bool whole = below[i] > 0 && entry.plain && (entry.type == DT_DIR ? entry.entries == below[i] : below[i] == 1);
        if (!whole) {
            return false;
        }
    }
    return true;
}

}  // namespace cudagen
