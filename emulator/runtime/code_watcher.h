// Notices when a function's code changes on disk (inotify), so that warm sandboxes still running
// the old code are retired and the next call starts the new one.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <vector>

namespace fogbank {

class CodeWatcher {
  public:
    explicit CodeWatcher(boost::asio::io_context& io);
    ~CodeWatcher();
    CodeWatcher(const CodeWatcher&) = delete;
    CodeWatcher& operator=(const CodeWatcher&) = delete;

    // Watches `dir` and its subfolders (not node_modules, .git, __pycache__, .fogbank, .aws-sam:
    // large or written by tools, not by the user). Several callbacks may share a folder.
    void watch(const std::filesystem::path& dir, std::function<void()> onChange);
    // Handles whatever changes are already queued, without waiting. Called before each
    // invocation: a file saved a microsecond ago must count.
    void poll();

  private:
    void addTree(const std::filesystem::path& dir, std::size_t root);
    void arm();

    boost::asio::posix::stream_descriptor fd_;
    std::map<int, std::pair<std::filesystem::path, std::size_t>> watches_;  // wd -> (dir, root)
    std::vector<std::vector<std::function<void()>>> roots_;
    std::map<std::filesystem::path, std::size_t> rootIndex_;
};

}  // namespace fogbank
