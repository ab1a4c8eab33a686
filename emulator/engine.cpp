#include "emulator/engine.h"

#include "emulator/cost/lambda_price_table.h"
#include "emulator/debug/debugger.h"
#include "emulator/debug/ide_launch_config.h"
#include "emulator/edge/edge_server.h"
#include "emulator/resources.h"
#include "emulator/runtime/invoker.h"
#include "emulator/services/apigateway/http_api_server.h"
#include "emulator/services/lambda/lambda_api.h"
#include "emulator/services/s3/s3_api.h"
#include "emulator/services/scheduler/scheduler.h"
#include "emulator/services/sqs/sqs_service.h"
#include "emulator/trace/invocation_store.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace fogbank {

namespace asio = boost::asio;

namespace {

// Lambda bills whatever ran, failed or not; nothing is billed when nothing ran.
bool billed(InvocationStatus status) {
    return status != InvocationStatus::Throttled && status != InvocationStatus::NotFound &&
           status != InvocationStatus::LaunchError;
}

}  // namespace

struct Engine::Impl : InvocationListener {
    explicit Impl(EngineConfig c) : config(std::move(c)) {}

    // Declared first so that it is destroyed last: everything below holds handles into it.
    asio::io_context io;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    EngineConfig config;
    Project project;
    std::unique_ptr<EdgeServer> edge;
    std::unique_ptr<LambdaApi> lambdaApi;
    std::unique_ptr<s3::S3Api> s3Api;
    std::unique_ptr<InvocationStore> store;
    std::optional<LambdaPriceTable> prices;
    std::unique_ptr<debug::Debugger> debugger;  // before the invoker, whose sandboxes it hears
    std::unique_ptr<Invoker> invoker;
    std::unique_ptr<sqs::SqsService> sqs;
    std::unique_ptr<scheduler::Scheduler> scheduler;  // from the constructor on: it has the clock
    std::shared_ptr<const apigw::RouteTable> routes;  // built with the project, never changed
    std::unique_ptr<apigw::HttpApiServer> httpApi;
    std::thread thread;
    bool running = false;
    bool stopped = false;
    std::atomic<bool> cpuShare{false};  // what setCpuShare last asked for

    std::mutex s3Mutex;  // s3Api's lifetime against the browser's calls from other threads

    std::mutex observersMutex;
    std::vector<EngineObserver*> observers;

    template <typename F>
    void notify(F&& f) {
        std::lock_guard lock(observersMutex);
        for (auto* observer : observers) f(*observer);
    }
    void started(const std::string& requestId, const std::string& function,
                 Trigger trigger) override {
        notify([&](EngineObserver& o) { o.invocationStarted(requestId, function, trigger); });
    }
    void log(const std::string& requestId, const LogLine& line) override {
        notify([&](EngineObserver& o) { o.logLine(requestId, line); });
    }
    void finished(const InvocationResult& result) override {
        notify([&](EngineObserver& o) { o.invocationFinished(result); });
    }
};

Engine::Engine(EngineConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {
    auto& c = impl_->config;
    // Queue URLs in the template (Ref of a queue) point at the edge; a chosen port is known now,
    // a free one (0) once it is bound (start() loads the template again then).
    if (c.edgePort > 0) c.load.edgeUrl = "http://127.0.0.1:" + std::to_string(c.edgePort);
    // Loaded by the path as the user typed it, so errors quote it the way they wrote it.
    impl_->project = loadProject(c.templatePath, c.load);
    c.templatePath = impl_->project.templatePath;
    if (c.stateDir.empty()) c.stateDir = impl_->project.rootDir / ".fogbank";
    impl_->routes = std::make_shared<const apigw::RouteTable>(
        apigw::RouteTable::build(impl_->project, impl_->project.warnings));
    for (const auto& warning : impl_->project.warnings)
        spdlog::warn("{}:{}:{}: {}", warning.where.file.string(), warning.where.line,
                     warning.where.column, warning.message);
    // A malformed schedule is the template's error, reported when it is loaded.
    auto schedules = scheduler::readSchedules(impl_->project);
    for (const auto& warning : schedules.warnings)
        spdlog::warn("{}:{}:{}: {}", warning.where.file.string(), warning.where.line,
                     warning.where.column, warning.message);
    impl_->scheduler = std::make_unique<scheduler::Scheduler>(
        impl_->project, std::move(schedules.schedules), c.clockStart);
    for (const auto& [name, port] : c.ideDebug)
        if (!impl_->project.findFunction(name))
            throw std::runtime_error("cannot debug " + name + ": " +
                                     impl_->project.templatePath.string() +
                                     " has no such function");
    impl_->debugger = std::make_unique<debug::Debugger>(
        impl_->io.get_executor(), resourcesDir() / "runtimes", [this](const std::string& name) {
            const auto* fn = impl_->project.findFunction(name);
            return fn ? fn->functionName : std::string();
        });
}

Engine::~Engine() {
    stop();
}

void Engine::start() {
    auto& d = *impl_;
    if (d.running) return;
    std::uint16_t edgePort = 0;
    if (d.config.edgePort >= 0) {
        try {
            d.edge = std::make_unique<EdgeServer>(d.io, d.config.bindAddress,
                                                  static_cast<std::uint16_t>(d.config.edgePort));
        } catch (const boost::system::system_error& e) {
            throw std::runtime_error("cannot listen on " + d.config.bindAddress + ":" +
                                     std::to_string(d.config.edgePort) + ": " + e.code().message() +
                                     " (is another fogbank serve running? pick another port "
                                     "with --edge-port)");
        }
        edgePort = d.edge->port();
        const std::string edgeUrl = "http://127.0.0.1:" + std::to_string(edgePort);
        if (d.config.load.edgeUrl != edgeUrl) {
            d.config.load.edgeUrl = edgeUrl;
            try {
                d.project = loadProject(d.config.templatePath, d.config.load);
                const auto& routeWarnings = d.routes->warnings();
                d.project.warnings.insert(d.project.warnings.end(), routeWarnings.begin(),
                                          routeWarnings.end());
            } catch (const std::exception& e) {
                // Changed on disk since the constructor read it: keep what was read then.
                spdlog::warn("queue URLs keep port {}: {}", d.project.edgeUrl, e.what());
            }
        }
    }
    if (d.config.httpPort >= 0 && !d.routes->empty()) {
        try {
            d.httpApi = std::make_unique<apigw::HttpApiServer>(
                d.io, d.config.bindAddress, static_cast<std::uint16_t>(d.config.httpPort), d.routes,
                d.project.accountId,
                [this](InvokeRequest request, std::function<void(InvocationResult)> done) {
                    impl_->invoker->invoke(std::move(request), std::move(done));
                });
        } catch (const boost::system::system_error& e) {
            throw std::runtime_error("cannot listen on " + d.config.bindAddress + ":" +
                                     std::to_string(d.config.httpPort) + " for the HTTP APIs: " +
                                     e.code().message() + " (pick another port with --http-port)");
        }
    }
    InvokerSettings settings;
    settings.launch.region = d.project.region;
    settings.launch.resources = resourcesDir();
    if (edgePort) settings.launch.edgeUrl = "http://127.0.0.1:" + std::to_string(edgePort);
    settings.python = d.config.python;
    settings.node = d.config.node;
    settings.idleTimeout = d.config.idleTimeout;
    settings.defaultConcurrency = d.config.defaultConcurrency;
    settings.watchCode = d.config.watchCode;
    settings.debugHost = d.debugger.get();
    for (const auto& [name, port] : d.config.ideDebug)
        if (const auto* fn = d.project.findFunction(name))
            settings.ideDebug[fn->functionName] = port > 0 ? port : debug::defaultDebugPort(*fn);
    settings.cpuShare = d.config.cpuShare;
    d.cpuShare = d.config.cpuShare;
    if (d.config.record) {
        d.store = std::make_unique<InvocationStore>(d.config.stateDir, d.config.retention);
        try {
            d.prices = LambdaPriceTable::loadDefault();
        } catch (const std::exception& e) {
            spdlog::warn("invocations are recorded without their cost: {}", e.what());
        }
        settings.record = [this](InvocationResult result,
                                 std::function<void(InvocationResult)> then) {
            auto& d = *impl_;
            if (d.prices && billed(result.status))
                result.costUsd = d.prices->invocationCost(result.billedMs, result.memorySizeMb,
                                                          result.architecture);
            d.store->record(std::move(result), std::move(then));
        };
    }
    d.invoker = std::make_unique<Invoker>(d.io, d.project, settings, d);
    d.invoker->resolveInterpreters();
    if (d.config.cpuShare) d.invoker->cpuShareHost();  // says now when it can only estimate
    // Queues exist, with their stored messages, before the edge answers anyone.
    d.sqs = std::make_unique<sqs::SqsService>(
        d.io.get_executor(), d.project, d.config.stateDir,
        [this](InvokeRequest request, std::function<void(InvocationResult)> done) {
            impl_->invoker->invoke(std::move(request), std::move(done));
        });
    asio::post(d.io, [this] { impl_->sqs->start(); });
    asio::post(d.io, [this] {
        impl_->scheduler->start(impl_->io.get_executor(),
                                [this](InvokeRequest request, Completion done) {
                                    impl_->invoker->invoke(std::move(request), std::move(done));
                                });
    });
    if (d.edge) {
        d.lambdaApi = std::make_unique<LambdaApi>(
            [this](InvokeRequest request, std::function<void(InvocationResult)> done) {
                impl_->invoker->invoke(std::move(request), std::move(done));
            },
            [this](const std::string& name) {
                return impl_->project.findFunction(name) != nullptr;
            });
        d.edge->addService("lambda", [this](net::Request&& request, ServiceCall call) {
            impl_->lambdaApi->handle(std::move(request), std::move(call));
        });
        d.s3Api = std::make_unique<s3::S3Api>(
            d.io, d.project, d.config.stateDir,
            [this](InvokeRequest request) {
                const std::string function = request.function;
                impl_->invoker->invoke(std::move(request), [function](InvocationResult result) {
                    if (!result.ok())
                        spdlog::warn("S3 notification to {} failed: {}", function,
                                     result.errorType);
                });
            },
            [this](const std::string& name) {
                return impl_->project.findFunction(name) != nullptr;
            });
        d.edge->addService("s3", [this](net::Request&& request, ServiceCall call) {
            impl_->s3Api->handle(std::move(request), std::move(call));
        });
        d.edge->spoolBodies("s3", d.s3Api->spoolDir());
        d.edge->addService("sqs", [this](net::Request&& request, ServiceCall call) {
            impl_->sqs->handle(std::move(request), std::move(call));
        });
        if (d.store)
            d.edge->setSpanSink(
                [this](ServiceSpan span) { impl_->store->recordSpan(std::move(span)); });
    }
    // Provisioned-concurrency style warm sandboxes, from fogbank.json / --prewarm first, else the
    // template; started on the loop so that start() does not wait for them.
    asio::post(d.io, [&d] {
        for (const auto& fn : d.project.functions) {
            int count = fn.provisionedConcurrency;
            for (const auto* name : {&fn.logicalId, &fn.functionName})
                if (auto it = d.config.prewarm.find(*name); it != d.config.prewarm.end())
                    count = it->second;
            if (count <= 0) continue;
            if (auto error = d.invoker->setPrewarm(fn.functionName, count); !error.empty())
                spdlog::error("{}: cannot keep {} sandbox(es) warm: {}", fn.functionName, count,
                              error);
        }
    });
    d.work.emplace(asio::make_work_guard(d.io));
    d.thread = std::thread([this] {
        for (;;) {
            try {
                impl_->io.run();
                return;
            } catch (const std::exception& e) {
                // A bug in one handler must not take every function down with it.
                spdlog::error("engine loop: {}", e.what());
            }
        }
    });
    d.running = true;
}

void Engine::stop() {
    auto& d = *impl_;
    if (!d.running || d.stopped) return;
    d.stopped = true;
    std::promise<void> drained;
    asio::post(d.io, [&] {
        if (d.edge) d.edge->close();
        d.scheduler->shutdown();
        if (d.httpApi) d.httpApi->close();
        d.sqs->shutdown();
        d.debugger->shutdown();
        d.invoker->shutdown();
        drained.set_value();
    });
    drained.get_future().wait();
    if (d.store) {
        // The invocations the shutdown failed are committed and answered before the loop ends.
        d.store->flush();
        std::promise<void> answered;
        asio::post(d.io, [&] { answered.set_value(); });
        answered.get_future().wait();
    }
    d.work.reset();
    d.io.stop();
    d.thread.join();
    // Its pool finishes what it started; the answers it posts are never run.
    {
        std::lock_guard lock(d.s3Mutex);
        d.s3Api.reset();
    }
    d.httpApi.reset();
    d.sqs.reset();
    d.invoker.reset();
    d.edge.reset();
}

debug::Debugger& Engine::debugger() {
    return *impl_->debugger;
}

InvocationStore* Engine::store() {
    return impl_->store.get();
}

const Project& Engine::project() const {
    return impl_->project;
}
const EngineConfig& Engine::config() const {
    return impl_->config;
}
std::uint16_t Engine::edgePort() const {
    return impl_->edge ? impl_->edge->port() : 0;
}

std::uint16_t Engine::httpPort() const {
    return impl_->httpApi ? impl_->httpApi->port() : 0;
}

std::vector<Engine::HttpRoute> Engine::httpRoutes() const {
    std::vector<HttpRoute> out;
    const auto& table = *impl_->routes;
    for (const auto& route : table.routes()) {
        const auto& api = table.apiOf(route);
        out.push_back({route.method, route.path, route.function, api.id,
                       api.kind == apigw::ApiKind::Rest ? "REST" : "HTTP", api.stage,
                       route.payload == apigw::PayloadVersion::V2 ? "2.0" : "1.0"});
    }
    return out;
}

void Engine::invoke(InvokeRequest request, Completion done) {
    auto& d = *impl_;
    if (!d.running || d.stopped) {
        InvocationResult result;
        result.function = request.function;
        result.status = InvocationStatus::LaunchError;
        result.errorType = "Fogbank.EngineStopped";
        result.payload =
            R"({"errorType":"Fogbank.EngineStopped","errorMessage":"the engine is not running"})";
        done(std::move(result));
        return;
    }
    asio::post(d.io, [this, request = std::move(request), done = std::move(done)]() mutable {
        impl_->invoker->invoke(std::move(request), std::move(done));
    });
}

std::future<InvocationResult> Engine::invoke(InvokeRequest request) {
    auto promise = std::make_shared<std::promise<InvocationResult>>();
    auto future = promise->get_future();
    invoke(std::move(request),
           [promise](InvocationResult result) { promise->set_value(std::move(result)); });
    return future;
}

void Engine::addObserver(EngineObserver* observer) {
    std::lock_guard lock(impl_->observersMutex);
    impl_->observers.push_back(observer);
}

void Engine::removeObserver(EngineObserver* observer) {
    std::lock_guard lock(impl_->observersMutex);
    auto& v = impl_->observers;
    v.erase(std::remove(v.begin(), v.end(), observer), v.end());
}

void Engine::setPrewarm(const std::string& function, int count, ErrorDone done) {
    auto& d = *impl_;
    if (!d.running || d.stopped) {
        done("the engine is not running");
        return;
    }
    asio::post(d.io, [&d, function, count, done = std::move(done)] {
        done(d.invoker->setPrewarm(function, count));
    });
}

Engine::CpuShareStatus Engine::cpuShareStatus() {
    auto& d = *impl_;
    if (!d.running || d.stopped) return {CpuMode::Off, "the engine is not running", {}};
    std::promise<CpuShareStatus> promise;
    asio::post(d.io, [&] {
        const auto& host = d.invoker->cpuShareHost();
        promise.set_value({host.mode(), host.why(), host.parentDir()});
    });
    return promise.get_future().get();
}

void Engine::setCpuShare(bool on, std::function<void(CpuShareStatus)> done) {
    auto& d = *impl_;
    if (!d.running || d.stopped) {
        done({CpuMode::Off, "the engine is not running", {}});
        return;
    }
    d.cpuShare = on;
    asio::post(d.io, [&d, on, done = std::move(done)] {
        d.invoker->setCpuShare(on);
        if (!on) {
            done({CpuMode::Off, {}, {}});
            return;
        }
        const auto& host = d.invoker->cpuShareHost();
        done({host.mode(), host.why(), host.parentDir()});
    });
}

bool Engine::cpuShare() const {
    return impl_->cpuShare;
}

std::map<std::string, int> Engine::sandboxCounts() {
    auto& d = *impl_;
    if (!d.running || d.stopped) return {};
    std::promise<std::map<std::string, int>> promise;
    asio::post(d.io, [&] { promise.set_value(d.invoker->sandboxCounts()); });
    return promise.get_future().get();
}

// --- Queue browser -------------------------------------------------------------------------

bool Engine::postToQueues(std::function<void()> fn, const std::function<void(std::string)>& fail) {
    auto& d = *impl_;
    if (!d.running || d.stopped || !d.sqs) {
        fail("the engine is not running");
        return false;
    }
    asio::post(d.io, std::move(fn));
    return true;
}

namespace {

// Runs a broker operation, turning what it throws into the answer's error text.
template <typename F>
std::string attempt(F&& f) {
    try {
        f();
        return {};
    } catch (const std::exception& e) {
        return e.what();
    }
}

}  // namespace

void Engine::queues(QueuesDone done) {
    postToQueues(
        [this, done] {
            std::vector<sqs::QueueSummary> out;
            auto error = attempt([&] { out = impl_->sqs->broker().summaries(); });
            const auto port = edgePort();
            const std::string base =
                port ? "http://127.0.0.1:" + std::to_string(port) + "/" + impl_->project.accountId
                     : std::string();
            for (auto& q : out)
                if (!base.empty()) q.url = base + "/" + q.name;
            done(std::move(out), std::move(error));
        },
        [&done](std::string error) { done({}, std::move(error)); });
}

void Engine::peekMessages(std::string queue, int max, PeekDone done) {
    postToQueues(
        [this, queue, max, done] {
            std::vector<sqs::PeekedMessage> out;
            auto error = attempt([&] { out = impl_->sqs->broker().peek(queue, max); });
            done(std::move(out), std::move(error));
        },
        [&done](std::string error) { done({}, std::move(error)); });
}

void Engine::sendMessage(std::string queue, std::string body, nlohmann::json attributes,
                         std::string groupId, std::string dedupId, QueueDone done) {
    postToQueues(
        [this, queue, body = std::move(body), attributes = std::move(attributes),
         groupId = std::move(groupId), dedupId = std::move(dedupId), done]() mutable {
            std::string id;
            auto error = attempt([&] {
                sqs::SendInput input;
                input.body = std::move(body);
                input.attributes = std::move(attributes);
                input.groupId = std::move(groupId);
                input.dedupId = std::move(dedupId);
                id = impl_->sqs->broker().send(queue, std::move(input)).messageId;
            });
            done(std::move(id), std::move(error));
        },
        [&done](std::string error) { done({}, std::move(error)); });
}

void Engine::deleteMessage(std::string queue, std::string messageId, QueueDone done) {
    postToQueues(
        [this, queue, messageId, done] {
            bool found = false;
            auto error =
                attempt([&] { found = impl_->sqs->broker().deleteById(queue, messageId); });
            if (error.empty() && !found)
                error = "queue " + queue + " holds no message " + messageId;
            done(messageId, std::move(error));
        },
        [&done](std::string error) { done({}, std::move(error)); });
}

void Engine::purgeQueue(std::string queue, QueueDone done) {
    postToQueues(
        [this, queue, done] {
            auto error = attempt([&] { impl_->sqs->broker().purgeQueue(queue); });
            done(queue, std::move(error));
        },
        [&done](std::string error) { done({}, std::move(error)); });
}

void Engine::redrive(std::string deadLetterQueue, QueueDone done) {
    postToQueues(
        [this, deadLetterQueue, done] {
            int moved = 0;
            auto error = attempt([&] { moved = impl_->sqs->broker().redrive(deadLetterQueue); });
            done(std::to_string(moved), std::move(error));
        },
        [&done](std::string error) { done({}, std::move(error)); });
}

// ---- bucket browser ----

namespace {

const char* const kS3NotRunning = "S3 is not running (no project open, or the edge is disabled)";

}  // namespace

bool Engine::browseS3(std::function<s3::Notifications(s3::BucketBrowserOps&)> work) {
    auto& d = *impl_;
    std::lock_guard lock(d.s3Mutex);
    if (!d.running || d.stopped || !d.s3Api) return false;
    d.s3Api->browse(std::move(work));
    return true;
}

void Engine::listBuckets(BucketsDone done) {
    auto shared = std::make_shared<BucketsDone>(std::move(done));
    if (!browseS3([shared](s3::BucketBrowserOps& ops) {
            (*shared)(ops.buckets());
            return s3::Notifications{};
        }))
        (*shared)(s3::BucketNames{{}, kS3NotRunning});
}

void Engine::listFolder(const std::string& bucket, const std::string& prefix, int limit,
                        ListingDone done) {
    auto shared = std::make_shared<ListingDone>(std::move(done));
    if (!browseS3([shared, bucket, prefix, limit](s3::BucketBrowserOps& ops) {
            (*shared)(ops.list(bucket, prefix, limit));
            return s3::Notifications{};
        })) {
        s3::FolderListing listing;
        listing.bucket = bucket;
        listing.prefix = prefix;
        listing.error = kS3NotRunning;
        (*shared)(std::move(listing));
    }
}

namespace {

// Adapts an operation that answers with an error string to browseS3's shape.
template <typename Op>
std::function<s3::Notifications(s3::BucketBrowserOps&)> answering(Op op, Engine::ErrorDone done) {
    return [op = std::move(op), done = std::move(done)](s3::BucketBrowserOps& ops) {
        s3::Notifications notify;
        done(op(ops, notify));
        return notify;
    };
}

}  // namespace

void Engine::createBucket(const std::string& name, ErrorDone done) {
    auto shared = std::make_shared<ErrorDone>(std::move(done));
    if (!browseS3(answering([name](s3::BucketBrowserOps& ops,
                                   s3::Notifications&) { return ops.createBucket(name); },
                            [shared](std::string e) { (*shared)(std::move(e)); })))
        (*shared)(kS3NotRunning);
}

void Engine::deleteBucket(const std::string& name, ErrorDone done) {
    auto shared = std::make_shared<ErrorDone>(std::move(done));
    if (!browseS3(answering([name](s3::BucketBrowserOps& ops,
                                   s3::Notifications&) { return ops.deleteBucket(name); },
                            [shared](std::string e) { (*shared)(std::move(e)); })))
        (*shared)(kS3NotRunning);
}

void Engine::uploadFile(const std::string& bucket, const std::string& key,
                        const std::filesystem::path& file, ErrorDone done) {
    auto shared = std::make_shared<ErrorDone>(std::move(done));
    if (!browseS3(answering(
            [bucket, key, file](s3::BucketBrowserOps& ops, s3::Notifications& notify) {
                return ops.putFile(bucket, key, file, notify);
            },
            [shared](std::string e) { (*shared)(std::move(e)); })))
        (*shared)(kS3NotRunning);
}

void Engine::downloadObject(const std::string& bucket, const std::string& key,
                            const std::filesystem::path& file, ErrorDone done) {
    auto shared = std::make_shared<ErrorDone>(std::move(done));
    if (!browseS3(answering(
            [bucket, key, file](s3::BucketBrowserOps& ops, s3::Notifications&) {
                return ops.getToFile(bucket, key, file);
            },
            [shared](std::string e) { (*shared)(std::move(e)); })))
        (*shared)(kS3NotRunning);
}

void Engine::previewObject(const std::string& bucket, const std::string& key, std::int64_t maxBytes,
                           PreviewDone done) {
    auto shared = std::make_shared<PreviewDone>(std::move(done));
    if (!browseS3([shared, bucket, key, maxBytes](s3::BucketBrowserOps& ops) {
            (*shared)(ops.preview(bucket, key, maxBytes));
            return s3::Notifications{};
        })) {
        s3::ObjectPreview preview;
        preview.bucket = bucket;
        preview.key = key;
        preview.error = kS3NotRunning;
        (*shared)(std::move(preview));
    }
}

void Engine::deleteObject(const std::string& bucket, const std::string& key, ErrorDone done) {
    auto shared = std::make_shared<ErrorDone>(std::move(done));
    if (!browseS3(answering(
            [bucket, key](s3::BucketBrowserOps& ops, s3::Notifications& notify) {
                return ops.deleteObject(bucket, key, notify);
            },
            [shared](std::string e) { (*shared)(std::move(e)); })))
        (*shared)(kS3NotRunning);
}

// ---- schedules ----

void Engine::schedules(int count, SchedulesDone done) {
    auto& d = *impl_;
    if (!d.running || d.stopped) {
        done(d.scheduler->list(count));  // no engine thread to race with
        return;
    }
    asio::post(d.io,
               [this, count, done = std::move(done)] { done(impl_->scheduler->list(count)); });
}

void Engine::fireSchedule(const std::string& name, FiringDone done) {
    postToQueues([this, name, done] { impl_->scheduler->fireNow(name, done); },
                 [&](std::string error) {
                     done(scheduler::Firing{name, {}, {}}, std::move(error));
                 });
}

void Engine::advanceClock(std::chrono::seconds by, AdvanceDone done) {
    postToQueues([this, by, done] { impl_->scheduler->advance(by, done); },
                 [&](std::string error) {
                     scheduler::AdvanceReport report;
                     report.from = report.to = clockNow();
                     report.error = std::move(error);
                     done(std::move(report));
                 });
}

void Engine::setScheduleEnabled(const std::string& name, bool enabled, ErrorDone done) {
    postToQueues([this, name, enabled, done] { done(impl_->scheduler->setEnabled(name, enabled)); },
                 [&](std::string error) { done(std::move(error)); });
}

void Engine::pauseClock() {
    impl_->scheduler->clock().pause();
    if (impl_->running && !impl_->stopped)
        asio::post(impl_->io, [this] { impl_->scheduler->rearm(); });
}

void Engine::resumeClock() {
    impl_->scheduler->clock().resume();
    if (impl_->running && !impl_->stopped)
        asio::post(impl_->io, [this] { impl_->scheduler->rearm(); });
}

bool Engine::clockPaused() const {
    return impl_->scheduler->clock().paused();
}

Clock::time_point Engine::clockNow() const {
    return impl_->scheduler->clock().now();
}

}  // namespace fogbank
