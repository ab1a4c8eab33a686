#include "emulator/runtime/code_watcher.h"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <set>

namespace fogbank {

namespace {

constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
                                IN_CREATE | IN_ATTRIB | IN_DELETE_SELF;

bool skipped(const std::filesystem::path& dir) {
    static const std::set<std::string> names = {"node_modules", ".git", "__pycache__", ".fogbank",
                                                ".aws-sam"};
    return names.count(dir.filename().string()) > 0;
}

}  // namespace

CodeWatcher::CodeWatcher(boost::asio::io_context& io) : fd_(io) {
    int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        spdlog::warn("cannot watch code for changes (inotify: {}); restart to pick up edits",
                     std::strerror(errno));
        return;
    }
    fd_.assign(fd);
    arm();
}

CodeWatcher::~CodeWatcher() {
    boost::system::error_code ec;
    fd_.close(ec);
}

void CodeWatcher::watch(const std::filesystem::path& dir, std::function<void()> onChange) {
    if (!fd_.is_open()) return;
    auto canonical = std::filesystem::weakly_canonical(dir);
    auto [it, inserted] = rootIndex_.try_emplace(canonical, roots_.size());
    if (inserted) {
        roots_.emplace_back();
        addTree(canonical, it->second);
    }
    roots_[it->second].push_back(std::move(onChange));
}

void CodeWatcher::addTree(const std::filesystem::path& dir, std::size_t root) {
    int wd = ::inotify_add_watch(fd_.native_handle(), dir.c_str(), kMask);
    if (wd < 0) {
        spdlog::warn("cannot watch {}: {}", dir.string(), std::strerror(errno));
        return;
    }
    watches_[wd] = {dir, root};
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.is_directory(ec) && !entry.is_symlink(ec) && !skipped(entry.path()))
            addTree(entry.path(), root);
    }
}

void CodeWatcher::arm() {
    fd_.async_wait(boost::asio::posix::descriptor_base::wait_read,
                   [this](boost::system::error_code ec) {
                       if (ec) return;
                       poll();
                       arm();
                   });
}

void CodeWatcher::poll() {
    if (!fd_.is_open()) return;
    std::set<std::size_t> changed;
    alignas(inotify_event) std::array<char, 8192> buffer;
    for (;;) {
        ssize_t n = ::read(fd_.native_handle(), buffer.data(), buffer.size());
        if (n <= 0) break;
        for (ssize_t offset = 0; offset < n;) {
            auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + offset);
            offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            auto it = watches_.find(event->wd);
            if (it == watches_.end()) continue;
            std::string name = event->len ? event->name : "";
            auto [dir, root] = it->second;
            if (!name.empty() && (name.ends_with(".pyc") || name.ends_with(".swp") ||
                                  name.ends_with("~") || skipped(dir / name)))
                continue;
            if ((event->mask & IN_CREATE) && (event->mask & IN_ISDIR)) addTree(dir / name, root);
            changed.insert(root);
        }
    }
    for (auto root : changed) {
        for (auto& callback : roots_[root]) callback();
    }
}

}  // namespace fogbank
