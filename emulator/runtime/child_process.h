// One child process with its stdout and stderr captured line by line, killed with its whole
// process group when the object goes away. The only place Boost.Process is compiled.
#pragma once

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fogbank {

struct LaunchSpec {
    std::filesystem::path executable;
    std::vector<std::string> args;
    std::map<std::string, std::string> environment;  // the whole environment, nothing inherited
    std::filesystem::path workingDirectory;
    // A cgroup's cgroup.procs, open for writing, or -1: the child joins that cgroup before it
    // executes anything (CPU-share mode).
    int cgroupProcsFd = -1;
};

class ChildProcess {
  public:
    enum class Stream { Stdout, Stderr };
    using LineHandler = std::function<void(Stream, std::string line)>;
    // `description` reads like Lambda's: "exit status 3", "signal: killed".
    using ExitHandler = std::function<void(int rawStatus, std::string description)>;

    // Starts the process; throws std::system_error (with the executable named) when it cannot.
    ChildProcess(boost::asio::io_context& io, const LaunchSpec& spec, LineHandler onLine,
                 ExitHandler onExit);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    int pid() const;
    // SIGKILL to the process group; the exit handler still runs once the process is reaped.
    void kill();
    // Delivers whatever output is already in the pipes without waiting; with `flushPartial`, a
    // last line without its newline too. Handlers write their logs before they answer, so after a
    // /response this gives every line the invocation printed.
    void drainOutput(bool flushPartial);
    // Peak resident set size (VmHWM) in KiB, 0 when unknown.
    long peakRssKb() const;

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

// Looks `name` up on PATH (or returns it when it already has a slash); empty when not found.
std::filesystem::path findExecutable(const std::string& name);
// Runs a short command and returns its stdout (trimmed); empty on failure. For version probes.
std::string captureOutput(const std::filesystem::path& executable,
                          const std::vector<std::string>& args);

}  // namespace fogbank
