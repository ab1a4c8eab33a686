// fogbank-bench-invoke: how fast Fogbank runs a function that does nothing.
//
//   latency     one keep-alive client, sequential Invoke API calls: p50/p90/p99/max
//   throughput  C clients, each with its own keep-alive connection, against a function with
//               ReservedConcurrentExecutions: 2: invocations per second
//   cold        a fresh Engine per sample, one invoke: the engine's Init Duration, next to the
//               wall time of the bare interpreter (`node -e ''`, `python3 -c ''`) in the same run
//
// The engine runs in this process (its own thread, its own event loop, the real edge port on
// 127.0.0.1) unless --url names a running `fogbank serve`. The client is deliberately thin: one
// blocking socket per client, TCP_NODELAY, the request bytes built once, one reused read buffer,
// so that what is measured is the server. See bench/README.md.
#include "emulator/engine.h"

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <sstream>
#include <thread>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using json = nlohmann::json;

double msBetween(SteadyClock::time_point from, SteadyClock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

// ------------------------------------------------------------------------------------------------
// Statistics

struct Summary {
    std::size_t n = 0;
    double min = 0, p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
};

// Nearest-rank percentiles: p99 of 20000 samples is the 19800th smallest.
Summary summarize(std::vector<double> samples) {
    Summary s;
    if (samples.empty()) return s;
    std::sort(samples.begin(), samples.end());
    auto rank = [&](double p) {
        auto index = static_cast<std::size_t>(std::ceil(p / 100.0 * samples.size()));
        return samples[std::clamp<std::size_t>(index, 1, samples.size()) - 1];
    };
    s.n = samples.size();
    s.min = samples.front();
    s.p50 = rank(50);
    s.p90 = rank(90);
    s.p99 = rank(99);
    s.max = samples.back();
    s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / samples.size();
    return s;
}

json toJson(const Summary& s) {
    auto r = [](double v) { return std::round(v * 1000.0) / 1000.0; };
    return {{"n", s.n},        {"min", r(s.min)}, {"p50", r(s.p50)},  {"p90", r(s.p90)},
            {"p99", r(s.p99)}, {"max", r(s.max)}, {"mean", r(s.mean)}};
}

// ------------------------------------------------------------------------------------------------
// CPU accounting: who burns the two cores, the client, the engine or the runtimes?

double cpuSeconds(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// utime + stime of each live child of this process (the sandboxes), by pid.
std::map<int, double> childCpuSeconds() {
    std::map<int, double> out;
    static const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
        std::ifstream children(task.path() / "children");
        int pid = 0;
        while (children >> pid) {
            std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
            std::string text((std::istreambuf_iterator<char>(stat)), {});
            auto paren = text.rfind(')');
            if (paren == std::string::npos) continue;
            std::istringstream fields(text.substr(paren + 2));
            std::vector<std::string> f{std::istream_iterator<std::string>(fields), {}};
            // Fields after the command: state is field 3, utime 14, stime 15.
            if (f.size() > 12) out[pid] = (std::stod(f[11]) + std::stod(f[12])) / tick;
        }
    }
    return out;
}

struct CpuSnapshot {
    double process = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
    std::map<int, double> children = childCpuSeconds();
    SteadyClock::time_point at = SteadyClock::now();
};

// Splits the CPU time between two snapshots; clientSeconds is the client threads' own share.
json cpuReport(const CpuSnapshot& a, const CpuSnapshot& b, double clientSeconds, bool inProcess) {
    double wall = msBetween(a.at, b.at) / 1000.0;
    double runtimes = 0;
    for (const auto& [pid, seconds] : b.children) {
        auto it = a.children.find(pid);
        runtimes += seconds - (it == a.children.end() ? 0 : it->second);
    }
    auto r = [](double v) { return std::round(v * 1000.0) / 1000.0; };
    json j = {{"wall_s", r(wall)}, {"client_cpu_s", r(clientSeconds)}};
    if (inProcess) {
        j["engine_cpu_s"] = r(b.process - a.process - clientSeconds);
        j["runtimes_cpu_s"] = r(runtimes);
    }
    return j;
}

// ------------------------------------------------------------------------------------------------
// The client: one blocking keep-alive connection, the request serialised once.

struct Target {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
};

Target parseUrl(const std::string& url) {
    constexpr std::string_view scheme = "http://";
    std::string_view rest = url;
    if (!rest.starts_with(scheme)) throw std::runtime_error("--url must start with http://");
    rest.remove_prefix(scheme.size());
    rest = rest.substr(0, rest.find('/'));
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) throw std::runtime_error("--url needs a port");
    Target t;
    t.host = std::string(rest.substr(0, colon));
    if (t.host == "localhost") t.host = "127.0.0.1";
    if (t.host != "127.0.0.1") throw std::runtime_error("--url must be on 127.0.0.1 (loopback)");
    t.port = static_cast<std::uint16_t>(std::stoi(std::string(rest.substr(colon + 1))));
    return t;
}

class InvokeClient {
  public:
    InvokeClient(const Target& target, const std::string& function, const std::string& payload)
        : socket_(io_) {
        socket_.connect({asio::ip::make_address(target.host), target.port});
        socket_.set_option(tcp::no_delay(true));
        request_ = fmt::format(
            "POST /2015-03-31/functions/{}/invocations HTTP/1.1\r\nHost: {}:{}\r\n"
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
            function, target.host, target.port, payload.size(), payload);
    }

    // One Invoke call; returns the HTTP status and, if asked, the response body.
    unsigned invoke(std::string* body = nullptr) {
        asio::write(socket_, asio::buffer(request_));
        http::response<http::string_body> response;
        http::read(socket_, buffer_, response);
        if (!response.keep_alive()) throw std::runtime_error("the server closed the connection");
        if (body) *body = std::move(response.body());
        return response.result_int();
    }

  private:
    asio::io_context io_;
    tcp::socket socket_;
    beast::flat_buffer buffer_;
    std::string request_;
};

// ------------------------------------------------------------------------------------------------
// The engine, in this process, or a server given by --url.

struct Server {
    std::unique_ptr<fogbank::Engine> engine;
    Target target;
    bool inProcess() const { return engine != nullptr; }
};

// What every engine in this process shares: a state dir of its own (a fresh, empty invocation
// store per run, removed at exit, so that runs compare), and whether invocations are recorded.
struct EngineSettings {
    std::string templatePath;
    std::filesystem::path stateDir;
    bool record = true;

    fogbank::EngineConfig config() const {
        fogbank::EngineConfig c;
        c.templatePath = templatePath;
        c.stateDir = stateDir;
        c.record = record;
        return c;
    }
};

class TempDir {
  public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "fogbank-bench-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

Server startServer(const std::string& url, const EngineSettings& settings) {
    Server s;
    if (!url.empty()) {
        s.target = parseUrl(url);
        return s;
    }
    fogbank::EngineConfig config = settings.config();
    config.edgePort = 0;  // a free port on 127.0.0.1; everything else as `fogbank serve` has it
    s.engine = std::make_unique<fogbank::Engine>(config);
    s.engine->start();
    s.target.port = s.engine->edgePort();
    return s;
}

void expectNoop(InvokeClient& client, const std::string& function) {
    std::string body;
    unsigned status = client.invoke(&body);
    if (status != 200 || body != "{}")
        throw std::runtime_error(fmt::format("{} answered {} {} (expected 200 {{}})", function,
                                             status, body.substr(0, 300)));
}

// ------------------------------------------------------------------------------------------------
// latency

json runLatency(const Server& server, const std::string& function, int warmup, int requests) {
    InvokeClient client(server.target, function, "{}");
    expectNoop(client, function);  // cold start, and a check that the function answers {}
    for (int i = 0; i < warmup; ++i) client.invoke();

    std::vector<double> samples;
    samples.reserve(static_cast<std::size_t>(requests));
    int failures = 0;
    const double clientStart = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
    CpuSnapshot before;
    for (int i = 0; i < requests; ++i) {
        auto t0 = SteadyClock::now();
        unsigned status = client.invoke();
        auto t1 = SteadyClock::now();
        if (status != 200) ++failures;
        samples.push_back(msBetween(t0, t1));
    }
    CpuSnapshot after;
    const double clientCpu = cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - clientStart;
    double wall = msBetween(before.at, after.at) / 1000.0;

    Summary s = summarize(samples);
    fmt::print("\nlatency: {} sequential invokes of {} on one keep-alive connection ({} warm-up)\n",
               requests, function, warmup);
    fmt::print("  {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}   (ms)\n", "min", "p50", "p90", "p99", "max",
               "mean");
    fmt::print("  {:8.3f} {:8.3f} {:8.3f} {:8.3f} {:8.3f} {:8.3f}\n", s.min, s.p50, s.p90, s.p99,
               s.max, s.mean);
    fmt::print("  {:.0f} invokes/s sequential, {} non-200\n", requests / wall, failures);
    json cpu = cpuReport(before, after, clientCpu, server.inProcess());
    fmt::print("  cpu: {}\n", cpu.dump());
    return {{"bench", "latency"},
            {"function", function},
            {"in_process", server.inProcess()},
            {"warmup", warmup},
            {"ms", toJson(s)},
            {"rate_per_s", std::round(requests / wall)},
            {"non_200", failures},
            {"cpu", cpu}};
}

// ------------------------------------------------------------------------------------------------
// throughput

json runThroughput(const Server& server, const std::string& function, int clients, int total,
                   int warmupEach, double timeCapSeconds) {
    struct PerClient {
        std::unique_ptr<InvokeClient> client;
        std::vector<double> samples;
        int ok = 0, throttled = 0, other = 0;
        double cpu = 0;
        std::string error;
    };
    std::vector<PerClient> per(static_cast<std::size_t>(clients));
    for (auto& p : per) p.client = std::make_unique<InvokeClient>(server.target, function, "{}");

    std::atomic<long> remaining{total};
    std::atomic<bool> measuring{false};
    std::optional<CpuSnapshot> before, after;
    SteadyClock::time_point deadline;
    // Two phases in lock step: everyone warms up (which starts the sandboxes side by side), then
    // everyone measures; the completion step takes the snapshots while nobody is calling.
    std::barrier sync(clients, [&]() noexcept {
        if (!measuring) {
            before.emplace();
            deadline = before->at + std::chrono::duration_cast<SteadyClock::duration>(
                                        std::chrono::duration<double>(timeCapSeconds));
            measuring = true;
        } else {
            after.emplace();
        }
    });
    std::vector<std::thread> threads;
    for (auto& p : per) {
        threads.emplace_back([&] {
            try {
                for (int i = 0; i < warmupEach; ++i) p.client->invoke();
            } catch (const std::exception& e) {
                p.error = e.what();
            }
            sync.arrive_and_wait();
            const double cpu0 = cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
            p.samples.reserve(static_cast<std::size_t>(total));
            try {
                while (p.error.empty() && remaining.fetch_sub(1, std::memory_order_relaxed) > 0) {
                    auto t0 = SteadyClock::now();
                    if (t0 >= deadline) break;
                    unsigned status = p.client->invoke();
                    p.samples.push_back(msBetween(t0, SteadyClock::now()));
                    if (status == 200)
                        ++p.ok;
                    else if (status == 429)
                        ++p.throttled;
                    else
                        ++p.other;
                }
            } catch (const std::exception& e) {
                p.error = e.what();
            }
            p.cpu = cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - cpu0;
            sync.arrive_and_wait();
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& p : per)
        if (!p.error.empty()) throw std::runtime_error("throughput client: " + p.error);

    int ok = 0, throttled = 0, other = 0;
    double clientCpu = 0;
    std::vector<double> all;
    for (const auto& p : per) {
        ok += p.ok, throttled += p.throttled, other += p.other, clientCpu += p.cpu;
        all.insert(all.end(), p.samples.begin(), p.samples.end());
    }
    const double wall = msBetween(before->at, after->at) / 1000.0;
    const bool capped = ok + throttled + other < total;
    Summary s = summarize(all);
    std::map<std::string, int> sandboxes;
    if (server.engine) sandboxes = server.engine->sandboxCounts();

    fmt::print("\nthroughput: {} clients, each on its own keep-alive connection, against {}\n",
               clients, function);
    fmt::print("  {} invokes in {:.2f} s{}: {:.0f} invokes/s ({} ok, {} throttled, {} other)\n",
               ok + throttled + other, wall, capped ? " (time cap reached)" : "", ok / wall, ok,
               throttled, other);
    fmt::print("  latency under load: p50 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms\n", s.p50, s.p99,
               s.max);
    if (server.engine) fmt::print("  warm sandboxes of {}: {}\n", function, sandboxes[function]);
    json cpu = cpuReport(*before, *after, clientCpu, server.inProcess());
    fmt::print("  cpu: {}\n", cpu.dump());
    json j = {{"bench", "throughput"},
              {"function", function},
              {"in_process", server.inProcess()},
              {"clients", clients},
              {"requested", total},
              {"completed", ok + throttled + other},
              {"time_capped", capped},
              {"ok", ok},
              {"throttled", throttled},
              {"other", other},
              {"wall_s", std::round(wall * 1000.0) / 1000.0},
              {"invokes_per_s", std::round(ok / wall)},
              {"ms", toJson(s)},
              {"cpu", cpu}};
    if (server.engine) j["sandboxes"] = sandboxes[function];
    return j;
}

// ------------------------------------------------------------------------------------------------
// cold

// The engine reports the runtime's own init breakdown at debug level; keep those lines.
class BreakdownSink : public spdlog::sinks::base_sink<std::mutex> {
  public:
    std::vector<std::string> take() {
        std::lock_guard lock(mutex_);
        return std::exchange(lines_, {});
    }

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        std::string_view text(msg.payload.data(), msg.payload.size());
        if (text.find("runtime says") != std::string_view::npos)
            lines_.emplace_back(text);
        else if (msg.level >= spdlog::level::warn)
            std::fprintf(stderr, "engine: %.*s\n", static_cast<int>(text.size()), text.data());
    }
    void flush_() override {}

  private:
    std::vector<std::string> lines_;
};

// The bare interpreters run in the environment a sandbox starts from (what the engine passes on
// from the host, see emulator/runtime/launch_plan.cpp), not in ours: a variable such as
// NODE_EXTRA_CA_CERTS alone costs node tens of milliseconds at startup.
class BareEnvironment {
  public:
    BareEnvironment() {
        for (const char* name : {"PATH", "HOME", "LD_LIBRARY_PATH", "SSL_CERT_FILE"})
            if (const char* value = std::getenv(name))
                entries_.push_back(std::string(name) + "=" + value);
        entries_.push_back("TZ=:UTC");
        entries_.push_back("LANG=en_US.UTF-8");
        for (auto& e : entries_) pointers_.push_back(e.data());
        pointers_.push_back(nullptr);
    }
    char** get() { return pointers_.data(); }

  private:
    std::vector<std::string> entries_;
    std::vector<char*> pointers_;
};

char** bareEnvironment() {
    static BareEnvironment environment;
    return environment.get();
}

// Wall time of spawn .. exit of `executable args...`, output to /dev/null.
double timeBare(const std::string& executable, const std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(executable.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    auto t0 = SteadyClock::now();
    pid_t pid = 0;
    int rc =
        posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), bareEnvironment());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot spawn " + executable);
    int status = 0;
    waitpid(pid, &status, 0);
    auto t1 = SteadyClock::now();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(executable + " failed");
    return msBetween(t0, t1);
}

// Wall time of spawn .. the first byte the program writes to stdout: how long the bare
// interpreter takes to run a line of user code, without its exit (Init Duration has no exit).
double timeBareFirstByte(const std::string& executable, const std::vector<std::string>& args) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(executable.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    auto t0 = SteadyClock::now();
    pid_t pid = 0;
    int rc =
        posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), bareEnvironment());
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        throw std::runtime_error("cannot spawn " + executable);
    }
    char byte = 0;
    ssize_t n = read(fds[0], &byte, 1);
    auto t1 = SteadyClock::now();
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (n != 1) throw std::runtime_error(executable + " wrote nothing");
    return msBetween(t0, t1);
}

// Waits until the previous sample's processes are gone (a killed sandbox still frees its memory
// for a while), then a little more, so that no sample pays for the one before it.
void settle() {
    const auto until = SteadyClock::now() + std::chrono::seconds(2);
    while (!childCpuSeconds().empty() && SteadyClock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

struct ColdSample {
    double initMs = 0;
    double invokeMs = 0;  // engine.invoke() until the result, client side
    std::string interpreter;
    std::string breakdown;
};

ColdSample coldOnce(const EngineSettings& settings, const std::string& function,
                    BreakdownSink& sink) {
    fogbank::EngineConfig config = settings.config();
    config.edgePort = -1;  // not needed: the invoke goes straight to the engine
    config.watchCode = false;
    fogbank::Engine engine(config);
    engine.start();
    sink.take();
    fogbank::InvokeRequest request;
    request.function = function;
    auto t0 = SteadyClock::now();
    auto result = engine.invoke(std::move(request)).get();
    auto t1 = SteadyClock::now();
    engine.stop();
    if (!result.ok() || !result.cold || result.payload != "{}")
        throw std::runtime_error(fmt::format("cold invoke of {}: {} cold={} {}", function,
                                             fogbank::toString(result.status), result.cold,
                                             result.payload.substr(0, 300)));
    ColdSample s{result.initMs, msBetween(t0, t1), result.interpreter, {}};
    if (auto lines = sink.take(); !lines.empty()) {
        auto says = lines.back().find("runtime says ");
        if (says != std::string::npos) s.breakdown = lines.back().substr(says + 13);
    }
    return s;
}

// "/usr/bin/node (v20.20.2)" -> "/usr/bin/node"
std::string executableOf(const std::string& label) {
    return label.substr(0, label.find(" ("));
}

json runCold(const EngineSettings& settings, const std::string& nodeFunction,
             const std::string& pythonFunction, int samples) {
    auto sink = std::make_shared<BreakdownSink>();
    auto previous = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("bench", sink));
    spdlog::set_level(spdlog::level::debug);

    struct Runtime {
        std::string name, function;
        std::vector<std::string> bareArgs, firstByteArgs;
        std::string executable;
        std::vector<double> init, invoke, bare, firstByte;
        std::vector<json> breakdowns;
    };
    std::vector<Runtime> runtimes = {
        {"node",
         nodeFunction,
         {"-e", ""},
         {"-e", "process.stdout.write('x')"},
         {},
         {},
         {},
         {},
         {},
         {}},
        {"python",
         pythonFunction,
         {"-c", ""},
         {"-c", "import os; os.write(1, b'x')"},
         {},
         {},
         {},
         {},
         {},
         {}},
    };
    // One round that is not recorded: page cache, interpreter paths, the engine's own warm-up.
    for (auto& r : runtimes) {
        auto first = coldOnce(settings, r.function, *sink);
        r.executable = executableOf(first.interpreter);
        timeBare(r.executable, r.bareArgs);
        timeBareFirstByte(r.executable, r.firstByteArgs);
    }
    // Interleaved, so that a change of machine state hits both sides alike.
    for (int i = 0; i < samples; ++i) {
        for (auto& r : runtimes) {
            settle();
            r.bare.push_back(timeBare(r.executable, r.bareArgs));
            settle();
            auto s = coldOnce(settings, r.function, *sink);
            r.init.push_back(s.initMs);
            r.invoke.push_back(s.invokeMs);
            if (!s.breakdown.empty())
                r.breakdowns.push_back(json::parse(s.breakdown, nullptr, false));
            settle();
            r.firstByte.push_back(timeBareFirstByte(r.executable, r.firstByteArgs));
        }
    }
    spdlog::set_default_logger(previous);
    spdlog::set_level(spdlog::level::warn);

    json out = {{"bench", "cold"}, {"samples", samples}};
    fmt::print("\ncold start: {} samples per runtime, a fresh engine each, medians in ms\n",
               samples);
    fmt::print("  {:<7} {:>9} {:>9} {:>10} {:>10} {:>10} {:>12}  {}\n", "runtime", "init p50",
               "bare p50", "overhead", "1st-byte", "overhead", "invoke p50", "interpreter");
    for (auto& r : runtimes) {
        Summary init = summarize(r.init), bare = summarize(r.bare), first = summarize(r.firstByte),
                invoke = summarize(r.invoke);
        // The runtime's own view (runtimeStartMs = its clock at the bootstrap's first line,
        // handlerLoadMs = require/import of the handler), medians.
        json breakdown;
        for (const char* key : {"runtimeStartMs", "handlerLoadMs"}) {
            std::vector<double> v;
            for (const auto& b : r.breakdowns)
                if (b.is_object() && b.contains(key) && b[key].is_number())
                    v.push_back(b[key].get<double>());
            if (!v.empty()) breakdown[key] = toJson(summarize(v))["p50"];
        }
        fmt::print("  {:<7} {:9.2f} {:9.2f} {:10.2f} {:10.2f} {:10.2f} {:12.2f}  {}\n", r.name,
                   init.p50, bare.p50, init.p50 - bare.p50, first.p50, init.p50 - first.p50,
                   invoke.p50, r.executable);
        if (!breakdown.empty())
            fmt::print("          runtime's own breakdown: {}\n", breakdown.dump());
        auto r3 = [](double v) { return std::round(v * 1000.0) / 1000.0; };
        out[r.name] = {{"function", r.function},
                       {"interpreter", r.executable},
                       {"init_ms", toJson(init)},
                       {"bare_exit_ms", toJson(bare)},
                       {"bare_first_byte_ms", toJson(first)},
                       {"invoke_ms", toJson(invoke)},
                       {"overhead_ms", r3(init.p50 - bare.p50)},
                       {"overhead_vs_first_byte_ms", r3(init.p50 - first.p50)},
                       {"runtime_breakdown_p50", breakdown}};
    }
    return out;
}

// One line of JSON per benchmark, with what a reader needs to judge it: the load the machine was
// under when it ran, and whether the engine recorded invocations.
void printJson(json j, const std::string& loadBefore, const Server* server, bool record,
               const std::string& jsonOut) {
    j["loadavg_before"] = loadBefore;
    j["loadavg_after"] = loadAverage();
    if (!server || server->inProcess()) j["record"] = record;
    std::cout << j.dump() << std::endl;
    if (!jsonOut.empty()) {
        std::ofstream out(jsonOut, std::ios::app);
        out << j.dump() << '\n';
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"fogbank-bench-invoke: Fogbank's function benchmarks (see bench/README.md)"};
    std::string mode = "all";
    std::string url, jsonOut;
    std::string templatePath = FOGBANK_BENCH_TEMPLATE;
    std::string latencyFunction = "bench-node-noop";
    std::string throughputFunction = "bench-node-noop-pair";
    std::string pythonFunction = "bench-python-noop";
    int warmup = 500, requests = 20000, clients = 2, total = 40000, samples = 20;
    double timeCap = 30;
    app.add_option("mode", mode, "latency, throughput, cold or all")
        ->check(CLI::IsMember({"latency", "throughput", "cold", "all"}))
        ->capture_default_str();
    app.add_option("--url", url,
                   "Invoke API of a running `fogbank serve` (http://127.0.0.1:PORT) instead of an "
                   "engine in this process (latency and throughput only)");
    app.add_option("-t,--template", templatePath, "Template with the bench functions")
        ->capture_default_str();
    app.add_option("--function", latencyFunction, "Function for latency")->capture_default_str();
    app.add_option("--throughput-function", throughputFunction, "Function for throughput")
        ->capture_default_str();
    app.add_option("--python-function", pythonFunction, "Python function for cold")
        ->capture_default_str();
    app.add_option("--warmup", warmup, "Warm-up invokes (latency; per client for throughput)")
        ->check(CLI::Range(0, 1000000))
        ->capture_default_str();
    app.add_option("-n,--requests", requests, "Measured invokes (latency)")
        ->check(CLI::Range(1, 10000000))
        ->capture_default_str();
    app.add_option("-c,--clients", clients, "Client connections (throughput)")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    app.add_option("--total", total, "Invokes in all (throughput)")
        ->check(CLI::Range(1, 10000000))
        ->capture_default_str();
    app.add_option("--time-cap", timeCap, "Seconds at most (throughput)")
        ->check(CLI::Range(0.1, 600.0))
        ->capture_default_str();
    app.add_option("-k,--samples", samples, "Cold starts per runtime (cold)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    app.add_option("--json-out", jsonOut, "Also append the JSON summary lines to this file");
    bool noRecord = false;
    app.add_flag("--no-record", noRecord,
                 "Engine in this process: do not keep invocations in the store (to see its cost)");
    CLI11_PARSE(app, argc, argv);

    spdlog::set_level(spdlog::level::warn);
    try {
        TempDir stateDir;
        EngineSettings settings{templatePath, stateDir.path(), !noRecord};
        const bool all = mode == "all";
        if (mode == "latency" || mode == "throughput" || all) {
            std::string load = loadAverage();
            Server server = startServer(url, settings);
            fmt::print("server: {} on 127.0.0.1:{}{}; load average {}\n",
                       server.inProcess() ? "engine in this process" : url, server.target.port,
                       server.inProcess() && noRecord ? " (not recording)" : "", load);
            if (mode == "latency" || all)
                printJson(runLatency(server, latencyFunction, warmup, requests), load, &server,
                          settings.record, jsonOut);
            if (mode == "throughput" || all) {
                load = loadAverage();
                printJson(
                    runThroughput(server, throughputFunction, clients, total, warmup, timeCap),
                    load, &server, settings.record, jsonOut);
            }
            if (server.engine) server.engine->stop();
        }
        if (mode == "cold" || all) {
            if (!url.empty()) throw std::runtime_error("cold needs the engine in this process");
            std::string load = loadAverage();
            printJson(runCold(settings, latencyFunction, pythonFunction, samples), load, nullptr,
                      settings.record, jsonOut);
        }
    } catch (const std::exception& e) {
        std::cerr << "fogbank-bench-invoke: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
