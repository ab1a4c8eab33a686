// Boost.Process v2 in 1.81 needs these two before its own headers (it forgets to include them
// when BOOST_PROCESS_USE_STD_FS is set). It is header-only and slow to compile: this is the one
// translation unit that includes it.
#include <boost/optional.hpp>
#include <boost/type_traits.hpp>
#include <boost/process/v2.hpp>
// ...and forgets process_environment's definitions in header-only mode.
#include <boost/process/v2/impl/environment.ipp>

#include "emulator/runtime/child_process.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <fcntl.h>
#include <signal.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <fstream>
#include <system_error>

namespace fogbank {

namespace asio = boost::asio;
namespace bp = boost::process::v2;

namespace {

// The environment as execve wants it, built before the fork: the child must not allocate.
struct ExecArgs {
    std::vector<std::string> storage;
    std::vector<char*> argv;
    std::vector<char*> envp;

    ExecArgs(const LaunchSpec& spec, bool inheritEnvironment) {
        storage.reserve(1 + spec.args.size() + spec.environment.size());
        storage.push_back(spec.executable.string());
        for (const auto& a : spec.args) storage.push_back(a);
        const std::size_t argc = storage.size();
        for (const auto& [key, value] : spec.environment) storage.push_back(key + "=" + value);
        for (std::size_t i = 0; i < argc; ++i) argv.push_back(storage[i].data());
        argv.push_back(nullptr);
        if (inheritEnvironment) {
            for (char** e = ::environ; *e; ++e) envp.push_back(*e);
        } else {
            for (std::size_t i = argc; i < storage.size(); ++i) envp.push_back(storage[i].data());
        }
        envp.push_back(nullptr);
    }
};

// Starts `spec` with stdin from /dev/null and stdout/stderr on the given descriptors, in a
// process group of its own (so that a kill reaches what the runtime spawned too, a bash
// bootstrap's curl) that dies with the engine's thread (so that a killed engine leaves no
// orphans). Returns the pid; throws std::system_error naming the executable when exec fails.
//
// Not Boost.Process's launcher: between fork and exec it re-initialises the io_context's reactor
// and resizes vectors, which lock and allocate, and the engine has other threads (the store's
// writer, the window's) that may hold those locks at the moment of the fork. The child then
// waits forever on a lock nobody will release; that hung sandboxes under AddressSanitizer. Here
// the child makes only async-signal-safe system calls on memory prepared before the fork.
// Boost.Process still owns the running process, by pid: waiting and reaping.
int spawn(const LaunchSpec& spec, int stdoutFd, int stderrFd, bool inheritEnvironment = false) {
    ExecArgs exec(spec, inheritEnvironment);
    const std::string dir = spec.workingDirectory.string();
    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devNull < 0) throw std::system_error(errno, std::generic_category(), "open /dev/null");
    int report[2];  // the child's errno when exec fails; closed by a successful exec
    if (::pipe2(report, O_CLOEXEC) != 0) {
        const int err = errno;
        ::close(devNull);
        throw std::system_error(err, std::generic_category(), "pipe2");
    }
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);  // the engine died before prctl took
        sigset_t none;
        ::sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::signal(SIGPIPE, SIG_DFL);
        int err = 0;
        // "0" is the writing process itself: the runtime starts inside its cgroup. A failure is
        // reported negated, to tell it from exec's.
        if (spec.cgroupProcsFd >= 0 && ::write(spec.cgroupProcsFd, "0", 1) != 1) err = -errno;
        if (!err && (::dup2(devNull, 0) < 0 || ::dup2(stdoutFd, 1) < 0 || ::dup2(stderrFd, 2) < 0))
            err = errno;
        if (!err && !dir.empty() && ::chdir(dir.c_str()) != 0) err = errno;
        if (!err) {
            // Sockets and files the engine opened without O_CLOEXEC (Asio does not set it)
            // must not leak into a handler's process.
            ::syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC);
            ::execve(exec.argv[0], exec.argv.data(), exec.envp.data());
            err = errno;
        }
        [[maybe_unused]] auto written = ::write(report[1], &err, sizeof err);
        ::_exit(127);
    }
    const int forkErr = errno;
    ::close(report[1]);
    ::close(devNull);
    if (pid < 0) {
        ::close(report[0]);
        throw std::system_error(forkErr, std::generic_category(), "fork");
    }
    int childErr = 0;
    ssize_t n;
    while ((n = ::read(report[0], &childErr, sizeof childErr)) < 0 && errno == EINTR) {
    }
    ::close(report[0]);
    if (n > 0) {
        ::waitpid(pid, nullptr, 0);
        if (childErr < 0)
            throw std::system_error(-childErr, std::generic_category(),
                                    "joining the sandbox's cgroup (cgroup.procs)");
        throw std::system_error(childErr, std::generic_category(),
                                "execve " + spec.executable.string());
    }
    return pid;
}

std::string describeExit(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGKILL) return "signal: killed";
        if (sig == SIGSEGV) return "signal: segmentation fault";
        if (sig == SIGABRT) return "signal: aborted";
        const char* name = ::strsignal(sig);
        return std::string("signal: ") + (name ? name : std::to_string(sig));
    }
    return "unknown exit (" + std::to_string(status) + ")";
}

struct Pipe {
    int read = -1;
    int write = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
            throw std::system_error(errno, std::generic_category(), "pipe2");
        read = fds[0];
        write = fds[1];
    }
    void closeWrite() {
        if (write >= 0) ::close(write);
        write = -1;
    }
    ~Pipe() {
        closeWrite();
        if (read >= 0) ::close(read);
    }
};

}  // namespace

struct ChildProcess::Impl : std::enable_shared_from_this<Impl> {
    Impl(asio::io_context& io) : out(io), err(io) {}

    struct Output {
        explicit Output(asio::io_context& io) : descriptor(io) {}
        asio::posix::stream_descriptor descriptor;
        std::string partial;
        bool eof = false;
    };

    std::optional<bp::process> process;
    int pid = -1;
    Output out;
    Output err;
    LineHandler onLine;
    ExitHandler onExit;
    bool exited = false;

    Output& output(Stream s) { return s == Stream::Stdout ? out : err; }

    void watch(Stream s) {
        auto& o = output(s);
        if (o.eof) return;
        o.descriptor.async_wait(asio::posix::descriptor_base::wait_read,
                                [weak = weak_from_this(), s](boost::system::error_code ec) {
                                    auto self = weak.lock();
                                    if (!self || ec) return;
                                    self->read(s, false);
                                    self->watch(s);
                                });
    }

    // Reads until the pipe is empty; never blocks (the descriptor is non-blocking).
    void read(Stream s, bool flushPartial) {
        auto self = shared_from_this();  // a line handler may drop the owner
        auto& o = output(s);
        std::array<char, 16384> chunk;
        while (!o.eof) {
            ssize_t n = ::read(o.descriptor.native_handle(), chunk.data(), chunk.size());
            if (n > 0) {
                o.partial.append(chunk.data(), static_cast<std::size_t>(n));
                continue;
            }
            if (n == 0) o.eof = true;
            if (n < 0 && errno == EINTR) continue;
            break;
        }
        std::size_t begin = 0;
        for (std::size_t nl; (nl = o.partial.find('\n', begin)) != std::string::npos;
             begin = nl + 1) {
            std::string line = o.partial.substr(begin, nl - begin);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            onLine(s, std::move(line));
        }
        o.partial.erase(0, begin);
        if ((flushPartial || o.eof) && !o.partial.empty()) {
            onLine(s, std::move(o.partial));
            o.partial.clear();
        }
    }
};

ChildProcess::ChildProcess(asio::io_context& io, const LaunchSpec& spec, LineHandler onLine,
                           ExitHandler onExit)
    : impl_(std::make_shared<Impl>(io)) {
    impl_->onLine = std::move(onLine);
    impl_->onExit = std::move(onExit);

    Pipe outPipe, errPipe;
    impl_->pid = spawn(spec, outPipe.write, errPipe.write);
    impl_->process.emplace(io.get_executor(), impl_->pid);
    outPipe.closeWrite();
    errPipe.closeWrite();

    for (auto [stream, pipe] : {std::pair{Stream::Stdout, &outPipe}, {Stream::Stderr, &errPipe}}) {
        auto& o = impl_->output(stream);
        o.descriptor.assign(pipe->read);
        pipe->read = -1;
        o.descriptor.non_blocking(true);
        impl_->watch(stream);
    }

    impl_->process->async_wait([weak = std::weak_ptr<Impl>(impl_)](bp::error_code waitEc, int) {
        auto self = weak.lock();
        if (!self) return;
        self->exited = true;
        // The handler's argument is already decoded and cannot tell `exit 3` from SIGQUIT.
        const int status = self->process->native_exit_code();
        // Whatever the runtime printed on its way out belongs to the invocation it ends.
        self->read(Stream::Stdout, true);
        self->read(Stream::Stderr, true);
        self->onExit(status, waitEc ? "wait failed: " + waitEc.message() : describeExit(status));
    });
}

ChildProcess::~ChildProcess() {
    kill();
    // bp::process's destructor reaps it; the handlers must not run for a gone owner.
    impl_->onLine = [](Stream, std::string) {};
    impl_->onExit = [](int, std::string) {};
}

int ChildProcess::pid() const {
    return impl_->pid;
}

void ChildProcess::kill() {
    if (impl_->pid > 0 && !impl_->exited) {
        ::kill(-impl_->pid, SIGKILL);
        ::kill(impl_->pid, SIGKILL);
    }
}

void ChildProcess::drainOutput(bool flushPartial) {
    impl_->read(Stream::Stdout, flushPartial);
    impl_->read(Stream::Stderr, flushPartial);
}

long ChildProcess::peakRssKb() const {
    if (impl_->pid <= 0 || impl_->exited) return 0;
    std::ifstream status("/proc/" + std::to_string(impl_->pid) + "/status");
    std::string key;
    while (status >> key) {
        if (key == "VmHWM:") {
            long kb = 0;
            status >> kb;
            return kb;
        }
        status.ignore(4096, '\n');
    }
    return 0;
}

std::filesystem::path findExecutable(const std::string& name) {
    if (name.empty()) return {};
    if (name.find('/') != std::string::npos)
        return ::access(name.c_str(), X_OK) == 0 ? std::filesystem::path(name)
                                                 : std::filesystem::path();
    const char* path = std::getenv("PATH");
    std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (!dirs.empty()) {
        auto colon = dirs.find(':');
        std::string dir(dirs.substr(0, colon));
        dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
        if (dir.empty()) continue;
        auto candidate = std::filesystem::path(dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return {};
}

std::string captureOutput(const std::filesystem::path& executable,
                          const std::vector<std::string>& args) {
    try {
        Pipe out;
        LaunchSpec spec;
        spec.executable = executable;
        spec.args = args;
        const int devNull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        const pid_t pid = spawn(spec, out.write, devNull >= 0 ? devNull : out.write, true);
        if (devNull >= 0) ::close(devNull);
        out.closeWrite();
        std::string text;
        std::array<char, 4096> chunk;
        for (;;) {
            const ssize_t n = ::read(out.read, chunk.data(), chunk.size());
            if (n > 0) {
                text.append(chunk.data(), static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                break;
            }
        }
        ::kill(-pid, SIGKILL);  // a probe that forked a daemon leaves nothing behind
        ::waitpid(pid, nullptr, 0);
        while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
        return text;
    } catch (const std::exception&) {
        return {};
    }
}

}  // namespace fogbank
