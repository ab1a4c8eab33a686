// The engine: one object that loads a project and runs it. The CLI, the tests, the benchmarks and
// the window's bridge all drive Fogbank through this header and nothing deeper.
//
// It owns one Asio event loop on its own thread; every public method is safe to call from any
// thread. Callbacks and observer notifications run on the engine's thread and must not block.
#pragma once

#include "emulator/engine_config.h"
#include "emulator/project/project.h"
#include "emulator/runtime/invocation.h"
#include "emulator/services/sqs/queue_snapshot.h"
#include "emulator/services/s3/bucket_browser_ops.h"
#include "emulator/services/scheduler/schedule_status.h"

#include <functional>
#include <future>
#include <memory>

namespace fogbank {

class InvocationStore;
namespace debug {
class Debugger;
}

// Receives what happens, on the engine's thread. Implementations copy what they need and return.
class EngineObserver {
  public:
    virtual ~EngineObserver() = default;
    virtual void invocationStarted(const std::string& requestId, const std::string& function,
                                   Trigger trigger) {
        (void)requestId, (void)function, (void)trigger;
    }
    // One line of a running invocation's log (START, the handler's output, END, REPORT).
    virtual void logLine(const std::string& requestId, const LogLine& line) {
        (void)requestId, (void)line;
    }
    virtual void invocationFinished(const InvocationResult& result) { (void)result; }
};

class Engine {
  public:
    // Loads the template; throws TemplateError when it cannot be used.
    explicit Engine(EngineConfig config);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Binds the edge port and starts the event loop. Throws when a port cannot be bound.
    void start();
    // Stops every sandbox and server; pending invocations complete as failed. Idempotent.
    void stop();

    const Project& project() const;
    const EngineConfig& config() const;
    // The bound edge port (useful with edgePort = 0), or 0 when the edge is disabled.
    std::uint16_t edgePort() const;

    // The HTTP APIs' port, or 0 when nothing listens (disabled, or the template has no routes).
    std::uint16_t httpPort() const;
    // One served route, in the order requests are matched against them.
    struct HttpRoute {
        std::string method;  // GET, POST, ... or ANY
        std::string path;    // "/pets/{id}", or "$default"
        std::string function;
        std::string api;             // the API's logical id (ServerlessRestApi, MyHttpApi, ...)
        std::string apiType;         // "REST" or "HTTP"
        std::string stage;           // Prod, $default, ...
        std::string payloadVersion;  // "1.0" or "2.0"
    };
    // Known from construction on (the table is built with the project); safe from any thread.
    std::vector<HttpRoute> httpRoutes() const;

    using Completion = std::function<void(InvocationResult)>;
    void invoke(InvokeRequest request, Completion done);
    std::future<InvocationResult> invoke(InvokeRequest request);

    // Observers are not owned and must outlive their registration.
    void addObserver(EngineObserver* observer);
    void removeObserver(EngineObserver* observer);

    // The debugger of debug invocations (InvokeRequest::debug): breakpoints, sessions, stepping.
    // Exists from construction on; its calls answer with an error while the engine is stopped.
    debug::Debugger& debugger();

    // The invocation history, or null when recording is off. Valid between start() and the
    // engine's destruction; its reads are safe from any thread.
    InvocationStore* store();

    // Warm sandboxes per function name (idle + busy), for the window and the tests.
    std::map<std::string, int> sandboxCounts();
    // Keeps `count` sandboxes of a function started and warm, as provisioned concurrency does:
    // never reaped while idle, replaced when they die or the code changes; 0 lets them go idle
    // as usual. Answers once on the engine's thread with an error text, empty on success.
    void setPrewarm(const std::string& function, int count, std::function<void(std::string)> done);

    // CPU-share mode where this machine allows it: which mode sandboxes get (cgroup-v2,
    // cgroup-v1, or estimate, with the reason no cgroup could be made). Found on first use; waits
    // for the engine's thread. Off while the engine is not running.
    struct CpuShareStatus {
        CpuMode mode = CpuMode::Off;
        std::string why;  // set in estimate mode
        std::filesystem::path cgroupDir;
    };
    CpuShareStatus cpuShareStatus();
    // Turns CPU-share mode on or off while running (config().cpuShare at start); warm sandboxes
    // are replaced so that the next invocations run in the new mode. Answers on the engine's
    // thread with the status now in force.
    void setCpuShare(bool on, std::function<void(CpuShareStatus)> done);
    bool cpuShare() const;

    // The queue browser's operations. Each answers once, on the engine's thread, with an error
    // text (unknown queue, a refused message, the engine not running) that is empty on success.
    // Peeking changes nothing a consumer of the queue would see.
    using QueuesDone = std::function<void(std::vector<sqs::QueueSummary>, std::string error)>;
    using PeekDone = std::function<void(std::vector<sqs::PeekedMessage>, std::string error)>;
    using QueueDone = std::function<void(std::string result, std::string error)>;
    void queues(QueuesDone done);
    void peekMessages(std::string queue, int max, PeekDone done);
    // `attributes` are MessageAttributes in the JSON protocol's shape; result: the MessageId.
    void sendMessage(std::string queue, std::string body, nlohmann::json attributes,
                     std::string groupId, std::string dedupId, QueueDone done);
    void deleteMessage(std::string queue, std::string messageId, QueueDone done);
    void purgeQueue(std::string queue, QueueDone done);
    // Moves every message of a dead-letter queue back to its source queue; result: how many.
    void redrive(std::string deadLetterQueue, QueueDone done);

    // The bucket browser. Each runs on S3's pool and answers there, from any thread; while S3
    // is not running (engine stopped, edge disabled) they answer at once with an error.
    // Uploads and deletions notify the bucket's functions as PutObject/DeleteObject do.
    using BucketsDone = std::function<void(s3::BucketNames)>;
    using ListingDone = std::function<void(s3::FolderListing)>;
    using PreviewDone = std::function<void(s3::ObjectPreview)>;
    using ErrorDone = std::function<void(std::string error)>;  // empty on success
    // One level under `prefix` at '/', at most `limit` entries.
    void listBuckets(BucketsDone done);
    void listFolder(const std::string& bucket, const std::string& prefix, int limit,
                    ListingDone done);
    void createBucket(const std::string& name, ErrorDone done);
    void deleteBucket(const std::string& name, ErrorDone done);
    void uploadFile(const std::string& bucket, const std::string& key,
                    const std::filesystem::path& file, ErrorDone done);
    void downloadObject(const std::string& bucket, const std::string& key,
                        const std::filesystem::path& file, ErrorDone done);
    void previewObject(const std::string& bucket, const std::string& key, std::int64_t maxBytes,
                       PreviewDone done);
    void deleteObject(const std::string& bucket, const std::string& key, ErrorDone done);

    // Schedules, on a virtual clock that starts at config().clockStart (else now) and runs at the
    // wall clock's pace. The clock's own calls work from construction on; the others answer
    // once, on the engine's thread (schedules() at once while the engine is not running).
    using SchedulesDone = std::function<void(std::vector<scheduler::ScheduleStatus>)>;
    using FiringDone = std::function<void(scheduler::Firing, std::string error)>;
    using AdvanceDone = std::function<void(scheduler::AdvanceReport)>;
    // Every schedule with its next `count` firings.
    void schedules(int count, SchedulesDone done);
    // Fires one schedule now, as if it were due at the clock's current second.
    void fireSchedule(const std::string& name, FiringDone done);
    // Moves the clock forward, firing every due schedule in due order, each invocation awaited
    // and carrying its due time as the event's time; answers with what fired.
    void advanceClock(std::chrono::seconds by, AdvanceDone done);
    void setScheduleEnabled(const std::string& name, bool enabled, ErrorDone done);
    void pauseClock();
    void resumeClock();
    bool clockPaused() const;
    Clock::time_point clockNow() const;

  private:
    // Runs `fn` on the engine's thread, or answers `fail` at once when the engine is not running.
    bool postToQueues(std::function<void()> fn, const std::function<void(std::string)>& fail);
    // Runs `work` on S3's pool; false when S3 is not running.
    bool browseS3(std::function<s3::Notifications(s3::BucketBrowserOps&)> work);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace fogbank
