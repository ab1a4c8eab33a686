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
#include <boost/asio/read.hpp>
#include <boost/asio/readable_pipe.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
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

// Runs in the child between fork and exec: its own process group, so that a kill reaches what
// the runtime spawned too (a bash bootstrap's curl), and death with the engine's thread, so that
// a killed engine leaves no orphans.
struct IsolateChild {
    bp::error_code on_exec_setup(bp::posix::default_launcher&, const bp::filesystem::path&,
                                 const char* const*) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        return {};
    }
};

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
    ~Pipe() { closeWrite(); }
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
    std::vector<std::string> env;
    env.reserve(spec.environment.size());
    for (const auto& [key, value] : spec.environment) env.push_back(key + "=" + value);

    impl_->process.emplace(io.get_executor(), spec.executable, spec.args,
                           bp::process_stdio{nullptr, outPipe.write, errPipe.write},
                           bp::process_environment(env),
                           bp::process_start_dir(spec.workingDirectory), IsolateChild{});
    impl_->pid = impl_->process->id();
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
        asio::io_context io;
        asio::readable_pipe pipe(io);
        bp::process proc(io.get_executor(), executable, args,
                         bp::process_stdio{nullptr, pipe, nullptr});
        std::string out;
        bp::error_code ec;
        asio::read(pipe, asio::dynamic_buffer(out), ec);
        proc.wait();
        while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
        return out;
    } catch (const std::exception&) {
        return {};
    }
}

}  // namespace fogbank
