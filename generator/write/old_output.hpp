// The output folder as the last run left it, looked at while the new set is
// staged: whether it holds only files cudagen wrote (the whole-set swap may
// then replace it), and which new files are byte for byte the old ones. Each
// of the folder's entries is checked once, by the thread that stages the first
// new file below it, with the same system calls that read the old file for the
// comparison; the entries no new file reaches are checked at the end.
#pragma once

#include "core/unique_fd.hpp"
#include "write/folder_walk.hpp"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cudagen {

// Which file on which file system, and when it last changed: what a
// comparison saw, so that a later link to it can be checked to reach that
// file, unchanged (a file made later in its place may reuse the inode number;
// its change time then differs).
struct FileIdentity {
    dev_t device = 0;
    ino_t inode = 0;
    std::int64_t changed_ns = 0;
    bool operator==(const FileIdentity&) const = default;
};

FileIdentity identity_of(const struct stat& info);

class OldOutput {
public:
    // Lists `folder`'s entries; the ones whose name starts with `skipped_prefix`
    // (staging folders) are counted but not looked into. At most `max_entries`
    // entries in all are looked at; more make the folder foreign. Nothing when
    // the folder cannot be opened or read.
    static std::unique_ptr<OldOutput> open(const std::filesystem::path& folder, std::string_view skipped_prefix,
                                           std::size_t max_entries);
    OldOutput(const OldOutput&) = delete;
    OldOutput& operator=(const OldOutput&) = delete;
    ~OldOutput();

    // True once something cudagen did not write has been found: a symbolic
    // link, another kind of file, a file whose head is not generated, a folder
    // that cannot be read, or too many entries.
    bool foreign() const { return m_foreign.load(std::memory_order_relaxed); }

    // Whether the old file at `path` (relative, '/'-separated) has exactly the
    // bytes `pieces` hold, is a regular file with the mode a new file gets, and
    // lies right in the folder or in a folder right in it that has the mode a
    // new folder gets and holds only generated files; `identity` is then the
    // file's. Checks the entry `path` lies in first, once: the answer depends
    // on that entry alone. Safe to call from several threads.
    bool same(const std::string& path, const std::vector<iovec>& pieces, FileIdentity& identity);

    // Checks the entries no call to same() reached (on up to `jobs` threads);
    // false when the folder is foreign.
    bool check_rest(unsigned jobs);

    // True when the new set `paths` is the old set: every one of them same()
    // (`same_count` of them), and no old entry beyond them.
    bool equals(const std::vector<std::string>& paths, std::size_t same_count) const;

    int fd() const { return m_fd.get(); }

private:
    struct Entry;
    OldOutput(std::size_t max_entries);

    struct Comparison {
        bool same = false;
        FileIdentity identity;
    };

    Entry* find(std::string_view name) const;
    void check(Entry& entry, const std::string* wanted, const std::vector<iovec>* pieces, Comparison& result);
    bool check_folder(Entry& entry, const std::string* wanted, const std::vector<iovec>* pieces, Comparison& result);
    bool check_file(int folder, const char* name, const std::vector<iovec>* pieces, Comparison& result) const;

    UniqueFd m_fd;
    std::unique_ptr<Entry[]> m_entries;  // sorted by name; each holds an atomic, so never moved
    std::size_t m_count = 0;
    std::size_t m_skipped = 0;
    EntryBudget m_budget;
    std::atomic<bool> m_foreign = false;
    mode_t m_file_mode = 0644;
    mode_t m_folder_mode = 0755;
};

}  // namespace cudagen
