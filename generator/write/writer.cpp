#include "write/writer.hpp"

#include "core/unique_fd.hpp"
#include "write/folder_walk.hpp"
#include "write/old_output.hpp"
#include "write/output_guard.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace cudagen {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_staging_prefix = ".cudagen-staging-";
constexpr std::size_t k_max_scanned_entries = 10000;

// Why the folder cannot be swapped as a whole; empty when it can.
struct Plan {
    fs::path output;  // absolute, normalised
    fs::path parent;
    bool exists = false;
    std::string in_place_reason;
};

// The file's pieces in order: its content with each insert between (see RenderedFile).
std::vector<iovec> file_pieces(const RenderedFile& file)
{
    std::vector<iovec> pieces;
    pieces.reserve(2 * file.inserts.size() + 1);
    auto add = [&pieces](const char* data, std::size_t size) {
        if (size > 0) {
            pieces.push_back({const_cast<char*>(data), size});  // NOLINT: iovec wants a mutable pointer; writev reads
        }
    };
    std::size_t done = 0;
    for (const auto& insert : file.inserts) {
        add(file.content.data() + done, insert.at - done);
        add(insert.text.data(), insert.text.size());
        done = insert.at;
    }
    add(file.content.data() + done, file.content.size() - done);
    return pieces;
}

// Writes every piece, going on after a short write.
bool write_pieces(int fd, std::vector<iovec> pieces)
{
    std::size_t first = 0;
    while (first < pieces.size()) {
        int count = static_cast<int>(std::min<std::size_t>(pieces.size() - first, IOV_MAX));
        ssize_t wrote = ::writev(fd, pieces.data() + first, count);
        if (wrote < 0 && errno == EINTR) {
            continue;
        }
        if (wrote <= 0) {
            return false;
        }
        auto left = static_cast<std::size_t>(wrote);
        while (first < pieces.size() && left >= pieces[first].iov_len) {
            left -= pieces[first].iov_len;
            ++first;
        }
        if (left > 0) {
            pieces[first].iov_base = static_cast<char*>(pieces[first].iov_base) + left;
            pieces[first].iov_len -= left;
        }
    }
    return true;
}

// `path` relative to the open folder `folder` (or AT_FDCWD). Not synced one
// by one: the staging folder's file system is synced once before the set goes
// into place (sync_file_system).
bool write_file(int folder, const char* path, std::vector<iovec> pieces)
{
    int fd = ::openat(folder, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        return false;
    }
    if (!write_pieces(fd, std::move(pieces))) {
        ::close(fd);
        return false;
    }
    return ::close(fd) == 0;
}

// A link at `path` in the open folder `to` to the file `path` of the open
// folder `from` (at most one folder deep, no link followed), which must still
// be the file `identity` names (the one found the same as the new file); a
// copy of it where the file system makes no links. False when it is gone or
// another file took its place since.
bool link_or_copy(int from, const std::string& path, const FileIdentity& identity, int to)
{
    std::size_t slash = path.find('/');
    UniqueFd below;
    if (slash != std::string::npos) {
        below.reset(::openat(from, path.substr(0, slash).c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!below) {
            errno = ESTALE;
            return false;
        }
    }
    int folder = slash == std::string::npos ? from : below.get();
    const char* name = path.c_str() + (slash == std::string::npos ? 0 : slash + 1);
    UniqueFd file(::openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    struct stat info {};
    if (!file || ::fstat(file.get(), &info) != 0 || !S_ISREG(info.st_mode) || identity_of(info) != identity) {
        errno = ESTALE;
        return false;
    }
    if (::linkat(folder, name, to, path.c_str(), 0) == 0) {
        // The name may have been given to another file between the check and the link.
        struct stat linked {};
        if (::fstatat(to, path.c_str(), &linked, AT_SYMLINK_NOFOLLOW) == 0 &&
            FileIdentity{linked.st_dev, linked.st_ino} == FileIdentity{identity.device, identity.inode}) {
            return true;
        }
        ::unlinkat(to, path.c_str(), 0);
    }
    std::string bytes;
    std::array<char, 65536> buffer;  // NOLINT: filled by read
    for (;;) {
        ssize_t got = ::read(file.get(), buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return false;
        }
        if (got == 0) {
            break;
        }
        bytes.append(buffer.data(), static_cast<std::size_t>(got));
    }
    return write_file(to, path.c_str(), {iovec{bytes.data(), bytes.size()}});
}

std::optional<fs::path> make_staging_dir(const fs::path& parent, const std::string& name)
{
    std::string pattern = (parent / (std::string(k_staging_prefix) + name + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        return std::nullopt;
    }
    return fs::path(pattern);
}

// Leftovers of runs that were killed (SIGKILL, power loss): safe to remove
// because the caller holds the lock every run takes before staging. Every run
// scans the output's parent, so names are compared as readdir gives them (no
// path object per entry) and only the matches are removed, after the scan.
void remove_stale_staging(const fs::path& folder, std::string_view prefix)
{
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(folder.c_str()), ::closedir);
    if (!dir) {
        return;
    }
    std::vector<std::string> stale;
    while (const dirent* entry = ::readdir(dir.get())) {
        if (std::string_view(entry->d_name).starts_with(prefix)) {
            stale.emplace_back(entry->d_name);
        }
    }
    dir.reset();
    for (const auto& name : stale) {
        remove_tree(folder / name);
    }
}

bool is_mount_point(const fs::path& output, const fs::path& parent)
{
    struct stat out {};
    struct stat up {};
    return ::stat(output.c_str(), &out) == 0 && ::stat(parent.c_str(), &up) == 0 && out.st_dev != up.st_dev;
}

std::string foreign_reason(const fs::path& output)
{
    return output.string() + " holds files cudagen did not write";
}

void set_folder_mode(const fs::path& staging, const Plan& plan)
{
    struct stat info {};
    mode_t mode = 0;
    if (plan.exists && ::stat(plan.output.c_str(), &info) == 0) {
        mode = info.st_mode & 07777;
    } else {
        mode_t mask = ::umask(022);
        ::umask(mask);
        mode = 0777 & ~mask;
    }
    ::chmod(staging.c_str(), mode);
}

// Everything written to the file system `folder` is on (syncfs): the staged
// files' data and the folders' entries, with one journal commit instead of
// one per file. Returns 0 or an errno.
int sync_file_system(const fs::path& folder, int open_folder)
{
    UniqueFd opened;
    if (open_folder < 0) {
        opened.reset(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        open_folder = opened.get();
    }
    if (open_folder < 0 || ::syncfs(open_folder) != 0) {
        return errno;
    }
    return 0;
}

void sync_folder(const fs::path& folder)
{
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// One step from old set to new set. Returns 0 or an errno.
int swap_into_place(const fs::path& staging, const Plan& plan)
{
    if (!plan.exists) {
        return ::rename(staging.c_str(), plan.output.c_str()) == 0 ? 0 : errno;
    }
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, plan.output.c_str(), RENAME_EXCHANGE) == 0) {
        return 0;
    }
    return errno;
}

std::string describe_errno(int error)
{
    return std::strerror(error);
}

// Problems that stop an in-place write before anything changes.
bool check_in_place_targets(const Plan& plan, const std::vector<std::string>& paths, bool force,
                            Diagnostics& diagnostics)
{
    bool ok = true;
    for (const auto& path : paths) {
        fs::path current = plan.output;
        fs::path relative(path);
        std::error_code error;
        for (const auto& part : relative.parent_path()) {
            current /= part;
            fs::file_status status = fs::symlink_status(current, error);
            if (fs::is_symlink(status) || (fs::exists(status) && !fs::is_directory(status))) {
                diagnostics.error("io/not-a-folder",
                                  current.string() + " is " + (fs::is_symlink(status) ? "a symbolic link" : "a file") +
                                      ", not a folder; cudagen does not write through it",
                                  {}, "move it away or choose another -o folder");
                return false;
            }
        }
        fs::path target = plan.output / relative;
        fs::file_status status = fs::symlink_status(target, error);
        if (!fs::exists(status) && !fs::is_symlink(status)) {
            continue;
        }
        if (fs::is_directory(status)) {
            diagnostics.error("io/not-a-file", target.string() + " is a folder; cudagen would write a file there", {},
                              "move the folder away or choose another -o folder");
            ok = false;
        } else if (!force && (fs::is_symlink(status) || !written_by_cudagen(target))) {
            diagnostics.error("io/foreign-file",
                              target.string() + " was not written by cudagen; replacing it would lose it", {},
                              "move it away, choose another -o folder, or pass --force to replace it");
            ok = false;
        }
    }
    return ok;
}

// Renames the staged files one by one; a failure (or a signal) part way is
// reported with how many files were already replaced.
WriteOutcome rename_one_by_one(const Plan& plan, const fs::path& staging, const std::vector<std::string>& paths,
                               const SignalGuard& signals, Diagnostics& diagnostics)
{
    WriteOutcome outcome{false, 0, true};
    for (const auto& path : paths) {
        fs::path target = plan.output / path;
        std::error_code error;
        if (signals.stop_requested()) {
            diagnostics.error("io/interrupted",
                              "interrupted after replacing " + std::to_string(outcome.replaced) + " of " +
                                  std::to_string(paths.size()) + " files in " + plan.output.string(),
                              {}, "run cudagen again");
            return outcome;
        }
        fs::create_directories(target.parent_path(), error);
        if (!error) {
            fs::rename(staging / path, target, error);
        }
        if (error) {
            diagnostics.error("io/cannot-write",
                              "cannot replace " + target.string() + " (" + error.message() + "); " +
                                  std::to_string(outcome.replaced) + " of " + std::to_string(paths.size()) +
                                  " files were replaced before it",
                              {}, "check the permissions of the output folder and run cudagen again");
            return outcome;
        }
        ++outcome.replaced;
    }
    outcome.ok = true;
    return outcome;
}

bool check_output_path(Plan& plan, Diagnostics& diagnostics)
{
    std::error_code error;
    fs::file_status status = fs::symlink_status(plan.output, error);
    if (fs::is_symlink(status)) {
        fs::path target = fs::read_symlink(plan.output, error);
        diagnostics.error("io/output-is-link",
                          "output path " + plan.output.string() + " is a symbolic link (to " + target.string() +
                              "); cudagen does not write through it",
                          {}, "pass the folder itself: -o " + target.string());
        return false;
    }
    if (fs::exists(status) && !fs::is_directory(status)) {
        diagnostics.error("io/not-a-folder", "output path " + plan.output.string() + " exists and is not a folder", {},
                          "choose another -o folder");
        return false;
    }
    fs::create_directories(plan.parent, error);
    if (error) {
        diagnostics.error("io/cannot-write", "cannot create " + plan.parent.string() + ": " + error.message(), {},
                          "choose an -o folder you may write to");
        return false;
    }
    return true;
}

// The folders above the output that do not exist yet, deepest first: a write
// that does not happen removes the ones it created.
std::vector<fs::path> missing_folders(const fs::path& folder)
{
    std::vector<fs::path> missing;
    std::error_code error;
    for (fs::path current = folder; !current.empty() && !fs::exists(fs::symlink_status(current, error));
         current = current.parent_path()) {
        missing.push_back(current);
        if (current == current.parent_path()) {
            break;
        }
    }
    return missing;
}

std::string read_staged(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

struct OutputWriter::State {
    SignalGuard signals;  // first in, last out: a signal during the write re-raises after the cleanup
    std::optional<OutputLock> lock;
    Plan plan;
    WriteOptions options;
    std::vector<fs::path> created;  // folders above the output this writer created
    std::optional<fs::path> staging;
    int staging_fd = -1;             // the staging folder, open
    bool swap = false;               // staging next to the output, swapped whole; else in place
    int staging_errno = 0;           // in place: the staging folder could not be made (reported at commit)
    std::vector<std::string> paths;  // staged, in order
    // Swapping over an existing output: what it held. The new files that are
    // byte for byte the old ones are not staged (`kept`); they go into the
    // staging folder as links to the old files only when something else
    // changed, and when nothing did the output folder is left as it was.
    std::unique_ptr<OldOutput> old;
    mutable std::mutex kept_mutex;
    mutable std::unordered_map<std::string, FileIdentity> kept;
    bool failed = false;
    bool committed = false;

    State() = default;
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ~State()
    {
        if (!committed) {
            drop_staging();
            for (const auto& folder : created) {
                ::rmdir(folder.c_str());  // only when still empty
            }
        }
        close_staging_fd();
    }

    void close_staging_fd()
    {
        if (staging_fd >= 0) {
            ::close(staging_fd);
            staging_fd = -1;
        }
    }

    void drop_staging()
    {
        close_staging_fd();
        if (staging) {
            remove_tree(*staging, options.jobs);
            staging.reset();
        }
    }

    void fail_interrupted(Diagnostics& diagnostics)
    {
        drop_staging();
        diagnostics.error("io/interrupted", "interrupted: the output folder was not changed", {}, "run cudagen again");
        failed = true;
    }

    void fail_staging(Diagnostics& diagnostics) { fail_staging(diagnostics, errno, true); }

    void fail_staging(Diagnostics& diagnostics, int error, bool drop)
    {
        if (drop) {
            drop_staging();
        }
        if (swap) {
            diagnostics.error("io/cannot-write",
                              "cannot write the new files into " + staging_name + ": " + describe_errno(error), {},
                              "check free space in " + plan.parent.string());
        } else {
            diagnostics.error("io/cannot-write",
                              "cannot write the new files into " + plan.output.string() + ": " + describe_errno(error),
                              {}, "check free space in the output folder");
        }
        failed = true;
    }

    // Why the write goes in place: `other`, unless the old output holds a file
    // cudagen did not write, which is said first (as when the whole folder
    // was checked before staging).
    std::string in_place_because(std::string other) const
    {
        if (old && !old->check_rest(options.jobs)) {
            return foreign_reason(plan.output);
        }
        return other;
    }

    // The folder the files are staged in: next to the output (swap), else inside it.
    void make_staging()
    {
        if (plan.in_place_reason.empty()) {
            staging = make_staging_dir(plan.parent, plan.output.filename().string());
            if (staging) {
                swap = true;
                staging_name = staging->string();
                set_folder_mode(*staging, plan);
                open_staging_fd();
                return;
            }
            plan.in_place_reason = in_place_because("its parent folder " + plan.parent.string() + " is not writable");
            old.reset();
        }
        std::error_code error;
        fs::create_directories(plan.output, error);
        staging = error ? std::nullopt : make_staging_dir(plan.output, "files");
        staging_errno = staging ? 0 : (error ? error.value() : errno);
        open_staging_fd();
    }

    // The staging folder, open: files are made relative to it (mkdirat,
    // openat), without the kernel walking the whole path for each one.
    void open_staging_fd()
    {
        close_staging_fd();
        if (staging) {
            staging_fd = ::open(staging->c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
    }

    bool stage(const RenderedFile& file) const
    {
        std::vector<iovec> pieces = file_pieces(file);
        FileIdentity identity;
        if (swap && old && staging_fd >= 0 && old->same(file.path, pieces, identity)) {
            std::lock_guard lock(kept_mutex);
            kept.emplace(file.path, identity);
            return true;
        }
        if (staging_fd < 0) {
            fs::path target = *staging / file.path;
            return make_folder(AT_FDCWD, target.parent_path().string()) &&
                   write_file(AT_FDCWD, target.c_str(), std::move(pieces));
        }
        return make_parent(file.path) && write_file(staging_fd, file.path.c_str(), std::move(pieces));
    }

    // The folder `path` (relative to the staging folder) goes into.
    bool make_parent(const std::string& path) const
    {
        std::size_t slash = path.rfind('/');
        return slash == std::string::npos || make_folder(staging_fd, path.substr(0, slash));
    }

    // The kept files into the staging folder: a link to each old file (or a
    // copy where the file system has no links), so the swap puts in a whole set.
    // `failed`: the path that could not be (errno ESTALE: another file is there now).
    bool stage_kept(std::string& failed) const
    {
        for (const auto& path : paths) {
            auto at = kept.find(path);
            if (at == kept.end()) {
                continue;
            }
            if (!make_parent(path) || !link_or_copy(old->fd(), path, at->second, staging_fd)) {
                failed = path;
                return false;
            }
        }
        return true;
    }

    // The paths the in-place write renames: all but the kept ones (the old
    // file there is already the new one).
    std::vector<std::string> changed_paths() const
    {
        std::vector<std::string> changed;
        changed.reserve(paths.size() - kept.size());
        for (const auto& path : paths) {
            if (!kept.contains(path)) {
                changed.push_back(path);
            }
        }
        return changed;
    }

    // One mkdir where the parent exists (a profile's folder right under the
    // staging folder: no stat calls), create_directories for deeper paths.
    bool make_folder(int folder, const std::string& path) const
    {
        if (::mkdirat(folder, path.c_str(), 0777) == 0 || errno == EEXIST) {
            return true;
        }
        std::error_code error;
        fs::create_directories(folder == AT_FDCWD ? fs::path(path) : *staging / path, error);
        return !error;
    }

    WriteOutcome commit_swap(Diagnostics& diagnostics);
    WriteOutcome commit_in_place(Diagnostics& diagnostics);
    bool restage_in_place(const fs::path& from, Diagnostics& diagnostics);

    std::string staging_name;
};

WriteOutcome OutputWriter::State::commit_swap(Diagnostics& diagnostics)
{
    int error = 0;
    if (old && !old->check_rest(options.jobs)) {
        plan.in_place_reason = foreign_reason(plan.output);
        error = EPERM;
    } else if (old && old->equals(paths, kept.size())) {
        drop_staging();
        return WriteOutcome{true, 0, false};  // nothing changed: the old folder stays, untouched
    } else if (std::string failed; old && !stage_kept(failed)) {
        if (errno != ESTALE) {
            fail_staging(diagnostics);
            return WriteOutcome{};
        }
        drop_staging();
        diagnostics.error("io/output-changed",
                          (plan.output / failed).string() + " changed while cudagen was writing " +
                              plan.output.string() + "; the output folder was not changed",
                          {}, "run cudagen again when nothing else writes there");
        return WriteOutcome{};
    } else if (int unsynced = sync_file_system(*staging, staging_fd); unsynced != 0) {
        fail_staging(diagnostics, unsynced, true);
        return WriteOutcome{};
    } else {
        error = swap_into_place(*staging, plan);
    }
    if (error == EXDEV || error == EBUSY || error == EINVAL || error == ENOSYS || error == EPERM) {
        if (plan.in_place_reason.empty()) {
            plan.in_place_reason =
                plan.output.string() + " cannot be replaced as one folder (" + describe_errno(error) + ")";
        }
        fs::path swap_staging = *staging;
        close_staging_fd();
        staging.reset();
        swap = false;
        if (changed_paths().empty()) {
            remove_tree(swap_staging);
            return WriteOutcome{true, 0, true};  // in place, and every file there already: nothing to do
        }
        bool restaged = restage_in_place(swap_staging, diagnostics);
        remove_tree(swap_staging);
        return restaged ? commit_in_place(diagnostics) : WriteOutcome{false, 0, true};
    }
    if (error != 0) {
        drop_staging();
        diagnostics.error("io/cannot-write",
                          "cannot move the new files into " + plan.output.string() + ": " + describe_errno(error), {},
                          "check that the output folder is writable");
        return WriteOutcome{};
    }
    sync_folder(plan.parent);
    drop_staging();  // now the old set
    return WriteOutcome{true, paths.size() - kept.size(), false};
}

// The swap was refused after staging: the staged files move to a staging
// folder inside the output, as if the write had been in place from the start.
bool OutputWriter::State::restage_in_place(const fs::path& from, Diagnostics& diagnostics)
{
    std::vector<std::string> changed = changed_paths();
    if (!check_in_place_targets(plan, changed, options.force, diagnostics)) {
        failed = true;
        return false;
    }
    make_staging();
    if (!staging) {
        return true;  // commit_in_place reports it
    }
    for (const auto& path : changed) {
        if (signals.stop_requested()) {
            fail_interrupted(diagnostics);
            return false;
        }
        if (!stage({path, read_staged(from / path)})) {
            fail_staging(diagnostics);
            return false;
        }
    }
    return true;
}

WriteOutcome OutputWriter::State::commit_in_place(Diagnostics& diagnostics)
{
    std::vector<std::string> changed = changed_paths();
    if (!check_in_place_targets(plan, changed, options.force, diagnostics)) {
        drop_staging();
        return WriteOutcome{false, 0, true};
    }
    if (!staging) {
        diagnostics.error("io/cannot-write",
                          "cannot create a folder in " + plan.output.string() + ": " + describe_errno(staging_errno),
                          {}, "check that the output folder is writable by you");
        return WriteOutcome{false, 0, true};
    }
    if (int unsynced = sync_file_system(*staging, staging_fd); unsynced != 0) {
        fail_staging(diagnostics, unsynced, true);
        return WriteOutcome{false, 0, true};
    }
    WriteOutcome outcome = rename_one_by_one(plan, *staging, changed, signals, diagnostics);
    drop_staging();
    if (outcome.ok) {
        diagnostics.add({Severity::note,
                         "io/replaced-in-place",
                         "files were replaced one by one, not as one set, because " + plan.in_place_reason,
                         {},
                         ""});
    }
    return outcome;
}

std::unique_ptr<OutputWriter> OutputWriter::open(const fs::path& output_dir, Diagnostics& diagnostics,
                                                 const WriteOptions& options)
{
    auto state = std::make_unique<State>();
    Plan& plan = state->plan;
    state->options = options;
    plan.output = fs::absolute(output_dir).lexically_normal();
    if (plan.output.filename().empty() && plan.output.has_relative_path()) {
        plan.output = plan.output.parent_path();
    }
    plan.parent = plan.output.parent_path();
    state->created = missing_folders(plan.parent);
    if (!check_output_path(plan, diagnostics)) {
        return nullptr;
    }
    std::optional<OutputLock> lock = OutputLock::acquire(plan.parent, plan.output, options.lock_patience, diagnostics);
    if (!lock) {
        if (state->signals.stop_requested()) {
            diagnostics.error("io/interrupted", "interrupted: the output folder was not changed", {},
                              "run cudagen again");
        }
        return nullptr;
    }
    state->lock.emplace(std::move(*lock));
    std::error_code error;
    plan.exists = fs::is_directory(fs::symlink_status(plan.output, error));
    remove_stale_staging(plan.parent, std::string(k_staging_prefix) + plan.output.filename().string() + "-");
    if (plan.exists) {
        remove_stale_staging(plan.output, k_staging_prefix);
        if (is_mount_point(plan.output, plan.parent)) {
            plan.in_place_reason = plan.output.string() + " is a mount point";
        } else {
            state->old = OldOutput::open(plan.output, k_staging_prefix, k_max_scanned_entries);
            if (!state->old || state->old->foreign()) {
                plan.in_place_reason = foreign_reason(plan.output);
            }
        }
    }
    if (plan.exists && plan.in_place_reason.empty() && fs::equivalent(plan.output, fs::current_path(error), error)) {
        plan.in_place_reason = state->in_place_because(plan.output.string() + " is the current folder");
    }
    if (plan.in_place_reason.empty() && options.keep_other_files) {
        plan.in_place_reason = state->in_place_because("the files are added to " + plan.output.string());
    }
    if (!plan.in_place_reason.empty()) {
        state->old.reset();
    }
    state->make_staging();
    return std::unique_ptr<OutputWriter>(new OutputWriter(std::move(state)));
}

OutputWriter::OutputWriter(std::unique_ptr<State> state) : m_state(std::move(state))
{
}

OutputWriter::~OutputWriter() = default;

bool OutputWriter::add(const RenderedFile& file, Diagnostics& diagnostics)
{
    State& state = *m_state;
    if (state.failed) {
        return false;
    }
    if (state.signals.stop_requested()) {
        state.fail_interrupted(diagnostics);
        return false;
    }
    state.paths.push_back(file.path);
    if (state.staging && !state.stage(file)) {
        state.fail_staging(diagnostics);
        return false;
    }
    return true;
}

int OutputWriter::stage(const RenderedFile& file) const
{
    const State& state = *m_state;
    if (!state.staging || state.stage(file)) {
        return 0;
    }
    return errno != 0 ? errno : EIO;
}

bool OutputWriter::add_staged(const std::string& path, int error, Diagnostics& diagnostics)
{
    State& state = *m_state;
    if (state.failed) {
        return false;
    }
    if (state.signals.stop_requested()) {
        diagnostics.error("io/interrupted", "interrupted: the output folder was not changed", {}, "run cudagen again");
        state.failed = true;
        return false;
    }
    state.paths.push_back(path);
    if (state.staging && error != 0) {
        state.fail_staging(diagnostics, error, false);
        return false;
    }
    return true;
}

WriteOutcome OutputWriter::commit(Diagnostics& diagnostics)
{
    State& state = *m_state;
    if (state.failed) {
        return WriteOutcome{false, 0, !state.swap};
    }
    state.committed = true;
    WriteOutcome outcome = state.swap ? state.commit_swap(diagnostics) : state.commit_in_place(diagnostics);
    if (!outcome.ok && outcome.replaced == 0) {
        state.committed = false;  // nothing changed: the destructor tidies up
    }
    return outcome;
}

WriteOutcome write_output(const fs::path& output_dir, const std::vector<RenderedFile>& files, Diagnostics& diagnostics,
                          const WriteOptions& options)
{
    std::unique_ptr<OutputWriter> writer = OutputWriter::open(output_dir, diagnostics, options);
    if (!writer) {
        return {};
    }
    for (const auto& file : files) {
        if (!writer->add(file, diagnostics)) {
            break;
        }
    }
    return writer->commit(diagnostics);
}

bool written_by_cudagen(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::string head(512, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head_is_generated(head);
}

}  // namespace cudagen
