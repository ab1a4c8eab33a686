#include "ui/engine_bridge.h"

#include "emulator/debug/debugger.h"
#include "emulator/engine.h"
#include "emulator/events/event_template_library.h"
#include "emulator/events/saved_events.h"
#include "emulator/project/handler_source.h"

#include <QMetaObject>
#include <QUuid>

#include <nlohmann/json.hpp>

#include <exception>
#include <utility>

namespace fogbank::ui {

namespace {

QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

QString describe(const SourceLocation& where, const std::string& message) {
    const QString file = qs(where.file.filename().string());
    if (where.line <= 0) return QStringLiteral("%1: %2").arg(file, qs(message));
    return QStringLiteral("%1:%2:%3: %4")
        .arg(file)
        .arg(where.line)
        .arg(where.column)
        .arg(qs(message));
}

}  // namespace

// Lives as long as its engine and speaks on the engine's thread: it copies what it is told into
// Qt values and posts them across, never touching the bridge's state directly.
class EngineBridge::Observer final : public EngineObserver {
  public:
    Observer(EngineBridge* bridge, quint64 generation) : bridge_(bridge), generation_(generation) {}

    void invocationStarted(const std::string& requestId, const std::string& function,
                           Trigger trigger) override {
        bridge_->post(generation_,
                      [b = bridge_, id = qs(requestId), fn = qs(function),
                       t = triggerLabel(trigger)] { emit b->invocationStarted(id, fn, t); });
    }

    void logLine(const std::string& requestId, const LogLine& line) override {
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(line.time.time_since_epoch());
        bridge_->post(generation_, [b = bridge_, id = qs(requestId),
                                    time = QDateTime::fromMSecsSinceEpoch(ms.count()),
                                    text = qs(line.text)] { emit b->logLine(id, time, text); });
    }

    void invocationFinished(const InvocationResult& result) override {
        bridge_->post(generation_, [b = bridge_, record = InvocationRecord::fromResult(result)] {
            emit b->invocationFinished(record);
        });
    }

  private:
    EngineBridge* bridge_;
    quint64 generation_;
};

// An engine with its observers. They are declared first so that they outlive the engine.
struct EngineBridge::Session {
    quint64 generation = 0;
    std::unique_ptr<Observer> observer;
    std::unique_ptr<debug::DebugObserver> debugRelay;
    std::unique_ptr<Engine> engine;

    ~Session() { release(); }

    void attach() {
        engine->addObserver(observer.get());
        engine->debugger().addObserver(debugRelay.get());
    }

    void release() noexcept {
        if (!engine) return;
        engine->removeObserver(observer.get());
        engine->debugger().removeObserver(debugRelay.get());
        try {
            engine->stop();
        } catch (...) {
            // Stopping is best effort; the engine's destructor cleans up what is left.
        }
        engine.reset();
    }
};

// What the loading thread hands back: either a running session and a snapshot of its project,
// or the reason there is none.
struct EngineBridge::Opened {
    quint64 generation = 0;
    std::shared_ptr<Session> session;
    QString error;
    QString templatePath;
    QString stackName;
    QString bindAddress;
    QList<FunctionInfo> functions;
    QStringList warnings;
    quint16 edgePort = 0;
    QList<RouteInfo> routes;
    quint16 httpPort = 0;
    std::shared_ptr<const SavedEvents> savedEvents;
    std::shared_ptr<const EventTemplateLibrary> eventTemplates;
};

EngineBridge::EngineBridge(QObject* parent) : QObject(parent) {
    qRegisterMetaType<fogbank::ui::InvocationRecord>();
    qRegisterMetaType<QList<fogbank::ui::QueueInfo>>();
    qRegisterMetaType<QList<fogbank::ui::QueueMessage>>();
    qRegisterMetaType<fogbank::ui::BucketListing>();
    qRegisterMetaType<fogbank::ui::ObjectPreviewData>();
    qRegisterMetaType<fogbank::ui::HttpExchange>();
    qRegisterMetaType<QList<fogbank::ui::ScheduleInfo>>();
    qRegisterMetaType<QList<fogbank::ui::FiringInfo>>();
    qRegisterMetaType<fogbank::ui::MemorySweepInfo>();
    qRegisterMetaType<fogbank::ui::DebugSessionInfo>();
    qRegisterMetaType<fogbank::ui::DebugStopInfo>();
    qRegisterMetaType<fogbank::ui::DebugVariableInfo>();
    qRegisterMetaType<QList<fogbank::ui::DebugScopeInfo>>();
    qRegisterMetaType<QList<fogbank::ui::DebugVariableInfo>>();
    qRegisterMetaType<QList<fogbank::ui::DebugBreakpointInfo>>();
    // Loading and stopping are rare and short; two threads keep a slow stop from delaying an open.
    pool_.setMaxThreadCount(2);
}

EngineBridge::~EngineBridge() {
    ++generation_;
    if (sweepStop_) *sweepStop_ = true;
    if (session_) retire(std::move(session_));
    // Every engine must be stopped before this object goes: their threads post to it.
    pool_.waitForDone();
}

void EngineBridge::openProject(const QString& templatePath) {
    EngineConfig config;
    config.templatePath = templatePath.toStdString();
    open(std::move(config), true);
}

void EngineBridge::openProject(const EngineConfig& config) {
    open(config, false);
}

void EngineBridge::reopenProject() {
    if (!lastConfig_) return;
    open(*lastConfig_, lastReadConfigFile_);
}

void EngineBridge::closeProject() {
    const bool wasActive = session_ || opening_;
    ++generation_;
    // A sweep under way stops after its current run; its answer belongs to the old project.
    if (sweepStop_) *sweepStop_ = true;
    sweepStop_.reset();
    opening_ = false;
    if (session_) retire(std::move(session_));
    session_.reset();
    functions_.clear();
    warnings_.clear();
    edgePort_ = 0;
    routes_.clear();
    httpPort_ = 0;
    schedulesInFlight_ = false;
    schedulesAgain_ = 0;
    costInFlight_ = statsInFlight_ = false;
    costAgain_.reset();
    statsAgain_.clear();
    sandboxCounts_.clear();
    // The answer to a refresh of the closed project is dropped; the next project starts afresh.
    queuesInFlight_ = queuesAgain_ = false;
    savedEvents_.reset();
    eventTemplates_.reset();
    if (wasActive) emit projectClosed();
}

const FunctionInfo* EngineBridge::findFunction(const QString& nameOrLogicalId) const {
    for (const FunctionInfo& fn : functions_) {
        if (fn.name == nameOrLogicalId || fn.logicalId == nameOrLogicalId) return &fn;
    }
    return nullptr;
}

void EngineBridge::open(EngineConfig config, bool readConfigFile) {
    closeProject();
    lastConfig_ = std::make_unique<EngineConfig>(config);
    lastReadConfigFile_ = readConfigFile;
    const quint64 generation = ++generation_;
    opening_ = true;
    templatePath_ = qs(config.templatePath.string());
    stackName_.clear();
    emit projectOpening(templatePath_);

    pool_.start([this, generation, config, readConfigFile]() mutable {
        auto opened = std::make_shared<Opened>();
        opened->generation = generation;
        opened->templatePath = qs(config.templatePath.string());
        QStringList notes;
        try {
            if (readConfigFile) applyProjectConfigFile(config);
            auto session = std::make_shared<Session>();
            session->generation = generation;
            session->observer = std::make_unique<Observer>(this, generation);
            session->debugRelay = makeDebugRelay(generation);
            session->engine = std::make_unique<Engine>(config);
            session->attach();
            try {
                session->engine->start();
            } catch (const std::exception& e) {
                // Most often another emulator already holds 4566 (or another server 3000); free
                // ports keep the app usable, and the status bar says which ones it got.
                if (config.edgePort <= 0 && config.httpPort <= 0) throw;
                notes << QStringLiteral("A port could not be bound (%1); using free ports.")
                             .arg(QString::fromLocal8Bit(e.what()));
                session->release();
                if (config.edgePort > 0) config.edgePort = 0;
                if (config.httpPort > 0) config.httpPort = 0;
                session->engine = std::make_unique<Engine>(config);
                session->attach();
                session->engine->start();
            }

            const Project& project = session->engine->project();
            opened->savedEvents = std::make_shared<const SavedEvents>(
                session->engine->config().stateDir, project.rootDir);
            try {
                opened->eventTemplates = std::make_shared<const EventTemplateLibrary>();
            } catch (const std::exception& e) {
                notes << QStringLiteral("The event templates could not be read: %1")
                             .arg(QString::fromLocal8Bit(e.what()));
            }
            opened->templatePath = qs(project.templatePath.string());
            opened->stackName = qs(project.stackName);
            opened->bindAddress = qs(config.bindAddress);
            opened->edgePort = session->engine->edgePort();
            opened->httpPort = session->engine->httpPort();
            for (const auto& r : session->engine->httpRoutes())
                opened->routes.append(RouteInfo{qs(r.method), qs(r.path), qs(r.function), qs(r.api),
                                                qs(r.apiType), qs(r.stage), qs(r.payloadVersion)});
            for (const FunctionSpec& spec : project.functions) {
                FunctionInfo info;
                info.logicalId = qs(spec.logicalId);
                info.name = qs(spec.functionName);
                info.runtime = qs(spec.runtime);
                info.handler = qs(spec.handler);
                info.memoryMb = spec.memoryMb;
                info.timeoutSeconds = spec.timeoutSeconds;
                info.eventSources = static_cast<int>(spec.events.size());
                info.codeDir = qs(spec.codeUri.string());
                info.debuggable =
                    spec.family() == RuntimeFamily::Node || spec.family() == RuntimeFamily::Python;
                if (auto file = handlerSourceFile(spec)) info.handlerFile = qs(file->string());
                for (const auto& file : functionSourceFiles(spec))
                    info.sourceFiles.append(qs(file.string()));
                opened->functions.append(std::move(info));
            }
            for (const Warning& warning : project.warnings) {
                opened->warnings.append(describe(warning.where, warning.message));
            }
            opened->warnings.append(notes);
            opened->session = std::move(session);
        } catch (const TemplateError& e) {
            opened->error = QString::fromStdString(e.what());
        } catch (const std::exception& e) {
            opened->error = QStringLiteral("Could not start %1: %2")
                                .arg(opened->templatePath, QString::fromLocal8Bit(e.what()));
        }
        QMetaObject::invokeMethod(
            this, [this, opened] { adopt(opened); }, Qt::QueuedConnection);
    });
}

void EngineBridge::adopt(const std::shared_ptr<Opened>& opened) {
    if (opened->generation != generation_) {
        // Superseded by a later open or a close while it was loading.
        if (opened->session) retire(std::move(opened->session));
        return;
    }
    opening_ = false;
    if (!opened->session) {
        emit projectFailed(opened->error);
        return;
    }
    session_ = std::move(opened->session);
    templatePath_ = opened->templatePath;
    stackName_ = opened->stackName;
    bindAddress_ = opened->bindAddress;
    functions_ = opened->functions;
    warnings_ = opened->warnings;
    edgePort_ = opened->edgePort;
    routes_ = opened->routes;
    httpPort_ = opened->httpPort;
    schedulesInFlight_ = false;
    schedulesAgain_ = 0;
    costInFlight_ = statsInFlight_ = false;
    costAgain_.reset();
    statsAgain_.clear();
    savedEvents_ = opened->savedEvents;
    eventTemplates_ = opened->eventTemplates;
    queuesInFlight_ = queuesAgain_ = false;
    emit projectOpened();
    refreshSandboxCounts();
}

void EngineBridge::retire(std::shared_ptr<Session> session) {
    // Stopping kills sandboxes and joins the engine's thread: not something to do on this one.
    pool_.start([session = std::move(session)]() mutable { session.reset(); });
}

Engine* EngineBridge::engine() const {
    return session_ ? session_->engine.get() : nullptr;
}

void EngineBridge::post(quint64 generation, std::function<void()> fn) {
    QMetaObject::invokeMethod(
        this,
        [this, generation, fn = std::move(fn)] {
            if (generation == generation_) fn();
        },
        Qt::QueuedConnection);
}

quint64 EngineBridge::invoke(const QString& function, const QString& payloadJson) {
    return start(function, payloadJson, Trigger::Manual);
}

quint64 EngineBridge::replay(const QString& function, const QString& eventJson) {
    return start(function, eventJson, Trigger::Replay);
}

std::shared_ptr<InvocationStore> EngineBridge::store() const {
    if (!session_ || !session_->engine) return {};
    InvocationStore* store = session_->engine->store();
    // Shares the session's ownership: the engine lives as long as anyone holds its store.
    return store ? std::shared_ptr<InvocationStore>(session_, store) : nullptr;
}

quint64 EngineBridge::start(const QString& function, const QString& payloadJson, Trigger trigger,
                            QString* requestId, bool debug, bool stopOnEntry) {
    if (!session_) return 0;
    const quint64 ticket = ++nextTicket_;
    const quint64 generation = session_->generation;
    InvokeRequest request;
    request.function = function.toStdString();
    request.payload = payloadJson.trimmed().isEmpty() ? "{}" : payloadJson.toStdString();
    request.trigger = trigger;
    if (requestId) {
        *requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        request.requestId = requestId->toStdString();
    }
    if (debug) request.debug = DebugRequest{.ide = false, .stopOnEntry = stopOnEntry, .port = 0};
    try {
        session_->engine->invoke(
            std::move(request), [this, generation, ticket](InvocationResult result) {
                post(generation, [this, ticket, record = InvocationRecord::fromResult(result)] {
                    emit invokeReturned(ticket, record);
                });
            });
    } catch (const std::exception& e) {
        // Keep the promise that every ticket gets an answer, even when the engine refuses.
        InvocationRecord record;
        record.function = function;
        record.status = InvocationStatus::LaunchError;
        record.errorType = QStringLiteral("Fogbank.InvokeError");
        record.payload =
            QStringLiteral("{\"errorType\":\"Fogbank.InvokeError\",\"errorMessage\":%1}")
                .arg(QString::fromStdString(nlohmann::json(e.what()).dump()));
        post(generation, [this, ticket, record] { emit invokeReturned(ticket, record); });
    }
    return ticket;
}

bool EngineBridge::onPool(std::function<void(Engine&)> work) {
    if (!session_) return false;
    pool_.start([session = session_, work = std::move(work)] { work(*session->engine); });
    return true;
}

void EngineBridge::refreshSandboxCounts() {
    if (!session_ || countsInFlight_) return;
    countsInFlight_ = true;
    pool_.start([this, session = session_, generation = generation_] {
        QMap<QString, int> counts;
        try {
            for (const auto& [name, count] : session->engine->sandboxCounts()) {
                counts.insert(qs(name), count);
            }
        } catch (const std::exception&) {
            // A stopping engine may refuse; the next refresh will ask again.
        }
        QMetaObject::invokeMethod(
            this,
            [this, generation, counts] {
                countsInFlight_ = false;
                if (generation != generation_) return;
                sandboxCounts_ = counts;
                emit sandboxCountsChanged();
            },
            Qt::QueuedConnection);
    });
}

}  // namespace fogbank::ui

namespace fogbank::ui {

// Event files are a few kilobytes in a folder or two: read here, where the menu that shows them
// is being built, rather than answered later.
QList<SavedEventInfo> EngineBridge::savedEvents(const QString& function) const {
    QList<SavedEventInfo> out;
    if (!savedEvents_) return out;
    for (const SavedEvent& e : savedEvents_->list(function.toStdString())) {
        out.append({QString::fromStdString(e.name), e.source == SavedEvent::Source::Project,
                    QString::fromStdString(e.file.string())});
    }
    return out;
}

QString EngineBridge::readSavedEvent(const SavedEventInfo& event, QString* error) const {
    try {
        return QString::fromStdString(SavedEvents::read(
            {event.project ? SavedEvent::Source::Project : SavedEvent::Source::Saved,
             event.name.toStdString(), event.file.toStdString()}));
    } catch (const std::exception& e) {
        if (error) *error = QString::fromLocal8Bit(e.what());
        return {};
    }
}

bool EngineBridge::saveEvent(const QString& function, const QString& name, const QString& json,
                             QString* error) {
    if (!savedEvents_) {
        if (error) *error = tr("no project is open");
        return false;
    }
    try {
        savedEvents_->save(function.toStdString(), name.toStdString(), json.toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromLocal8Bit(e.what());
        return false;
    }
}

QList<EventTemplateInfo> EngineBridge::eventTemplates() const {
    QList<EventTemplateInfo> out;
    if (!eventTemplates_) return out;
    for (const std::string& service : eventTemplates_->services()) {
        for (const EventTemplate* t : eventTemplates_->templates(service)) {
            out.append({QString::fromStdString(t->service), QString::fromStdString(t->type),
                        QString::fromStdString(t->description)});
        }
    }
    return out;
}

QString EngineBridge::generateEvent(const QString& service, const QString& type,
                                    QString* error) const {
    const EventTemplate* t = eventTemplates_
                                 ? eventTemplates_->find(service.toStdString(), type.toStdString())
                                 : nullptr;
    if (!t) {
        if (error) *error = tr("there is no %1 %2 event template").arg(service, type);
        return {};
    }
    try {
        return QString::fromStdString(EventTemplateLibrary::generate(*t, {}).dump(2));
    } catch (const std::exception& e) {
        if (error) *error = QString::fromLocal8Bit(e.what());
        return {};
    }
}

// --- Queue browser -------------------------------------------------------------------------
// The engine answers on its own thread; the answers capture only this object and the generation,
// never the session, so that the engine is never destroyed from its own thread.

namespace {

QueueInfo toQueueInfo(const sqs::QueueSummary& q) {
    QueueInfo info;
    info.name = qs(q.name);
    info.url = qs(q.url);
    info.arn = qs(q.arn);
    info.fifo = q.fifo;
    info.deadLetterTarget = qs(q.deadLetterTarget);
    info.maxReceiveCount = q.maxReceiveCount;
    for (const auto& source : q.deadLetterSources) info.deadLetterSources << qs(source);
    info.visible = q.visible;
    info.inFlight = q.inFlight;
    info.delayed = q.delayed;
    return info;
}

QueueMessage toQueueMessage(const sqs::PeekedMessage& m) {
    QueueMessage message;
    message.id = qs(m.id);
    message.body = qs(m.body);
    for (const auto& [name, value] : m.attributes.items()) {
        const std::string type = value.value("DataType", "");
        const std::string text = value.contains("StringValue")
                                     ? value.value("StringValue", "")
                                     : "(" + std::to_string(value.value("BinaryValue", "").size()) +
                                           " base64 characters)";
        message.attributes.append({qs(name), qs(type + ": " + text)});
    }
    message.sent = QDateTime::fromMSecsSinceEpoch(m.sentMs);
    message.receiveCount = m.receiveCount;
    message.groupId = qs(m.groupId);
    message.dedupId = qs(m.dedupId);
    message.state = m.state == sqs::MessageState::InFlight  ? QueueMessage::State::InFlight
                    : m.state == sqs::MessageState::Delayed ? QueueMessage::State::Delayed
                                                            : QueueMessage::State::Visible;
    return message;
}

}  // namespace

void EngineBridge::refreshQueues() {
    if (!session_) return;
    if (queuesInFlight_) {
        queuesAgain_ = true;
        return;
    }
    queuesInFlight_ = true;
    const quint64 generation = generation_;
    session_->engine->queues(
        [this, generation](std::vector<sqs::QueueSummary> queues, std::string error) {
            QList<QueueInfo> infos;
            for (const auto& q : queues) infos << toQueueInfo(q);
            post(generation, [this, infos = std::move(infos), error = qs(error)] {
                queuesInFlight_ = false;
                emit queuesRefreshed(infos, error);
                if (std::exchange(queuesAgain_, false)) refreshQueues();
            });
        });
}

void EngineBridge::peekMessages(const QString& queue, int max) {
    if (!session_) return;
    const quint64 serial = ++peekSerial_;
    session_->engine->peekMessages(
        queue.toStdString(), max,
        [this, generation = generation_, serial, queue](std::vector<sqs::PeekedMessage> messages,
                                                        std::string error) {
            QList<QueueMessage> copies;
            for (const auto& m : messages) copies << toQueueMessage(m);
            post(generation, [this, serial, queue, copies = std::move(copies), error = qs(error)] {
                if (serial == peekSerial_) emit messagesPeeked(queue, copies, error);
            });
        });
}

namespace {

// Answers an operation on the bridge's thread as queueOperationFinished.
Engine::QueueDone answerAs(EngineBridge* bridge, const QString& operation, const QString& queue,
                           const std::function<void(std::function<void()>)>& post) {
    return [bridge, operation, queue, post](std::string result, std::string error) {
        post([bridge, operation, queue, result = qs(result), error = qs(error)] {
            emit bridge->queueOperationFinished(operation, queue, result, error);
        });
    };
}

}  // namespace

void EngineBridge::sendMessage(const QString& queue, const QString& body,
                               const QList<QPair<QString, QString>>& attributes,
                               const QString& groupId, const QString& dedupId) {
    if (!session_) return;
    nlohmann::json json = nlohmann::json::object();
    for (const auto& [name, value] : attributes)
        json[name.toStdString()] = {{"DataType", "String"}, {"StringValue", value.toStdString()}};
    session_->engine->sendMessage(
        queue.toStdString(), body.toStdString(), std::move(json), groupId.toStdString(),
        dedupId.toStdString(),
        answerAs(this, QStringLiteral("send"), queue,
                 [this, g = generation_](std::function<void()> fn) { post(g, std::move(fn)); }));
}

void EngineBridge::deleteMessage(const QString& queue, const QString& messageId) {
    if (!session_) return;
    session_->engine->deleteMessage(
        queue.toStdString(), messageId.toStdString(),
        answerAs(this, QStringLiteral("delete"), queue,
                 [this, g = generation_](std::function<void()> fn) { post(g, std::move(fn)); }));
}

void EngineBridge::purgeQueue(const QString& queue) {
    if (!session_) return;
    session_->engine->purgeQueue(
        queue.toStdString(),
        answerAs(this, QStringLiteral("purge"), queue,
                 [this, g = generation_](std::function<void()> fn) { post(g, std::move(fn)); }));
}

void EngineBridge::redriveToSource(const QString& deadLetterQueue) {
    if (!session_) return;
    session_->engine->redrive(
        deadLetterQueue.toStdString(),
        answerAs(this, QStringLiteral("redrive"), deadLetterQueue,
                 [this, g = generation_](std::function<void()> fn) { post(g, std::move(fn)); }));
}

// ---- bucket browser ----

namespace {

BucketListing toListing(const s3::FolderListing& in) {
    BucketListing out;
    out.bucket = qs(in.bucket);
    out.prefix = qs(in.prefix);
    for (const auto& prefix : in.prefixes) out.prefixes << qs(prefix);
    for (const auto& object : in.objects) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
            object.modified.time_since_epoch());
        out.objects.append({qs(object.key), object.size, QDateTime::fromMSecsSinceEpoch(ms.count()),
                            qs(object.etag), qs(object.contentType)});
    }
    out.truncated = in.truncated;
    out.error = qs(in.error);
    return out;
}

std::filesystem::path localPath(const QString& path) {
    return std::filesystem::path(path.toStdString());
}

}  // namespace

void EngineBridge::listBuckets() {
    if (!session_) {
        emit bucketsListed({}, tr("No project is open"));
        return;
    }
    session_->engine->listBuckets([this, generation = generation_](s3::BucketNames names) {
        QStringList list;
        for (const auto& name : names.names) list << qs(name);
        post(generation,
             [this, list, error = qs(names.error)] { emit bucketsListed(list, error); });
    });
}

void EngineBridge::listFolder(const QString& bucket, const QString& prefix) {
    const quint64 request = ++folderRequest_;
    if (!session_) return;
    session_->engine->listFolder(
        bucket.toStdString(), prefix.toStdString(), kFolderLimit,
        [this, generation = generation_, request](s3::FolderListing listing) {
            post(generation, [this, request, listing = toListing(listing)] {
                if (request == folderRequest_) emit folderListed(listing);
            });
        });
}

void EngineBridge::expandFolder(const QString& bucket, const QString& prefix) {
    if (!session_) return;
    session_->engine->listFolder(bucket.toStdString(), prefix.toStdString(), kFolderLimit,
                                 [this, generation = generation_](s3::FolderListing listing) {
                                     post(generation, [this, listing = toListing(listing)] {
                                         emit folderExpanded(listing);
                                     });
                                 });
}

void EngineBridge::previewObject(const QString& bucket, const QString& key, qint64 maxBytes) {
    const quint64 request = ++previewRequest_;
    if (!session_) return;
    session_->engine->previewObject(
        bucket.toStdString(), key.toStdString(), maxBytes,
        [this, generation = generation_, request](s3::ObjectPreview in) {
            ObjectPreviewData out;
            out.bucket = qs(in.bucket);
            out.key = qs(in.key);
            out.bytes = QByteArray::fromStdString(in.bytes);
            out.size = in.size;
            out.contentType = qs(in.contentType);
            out.error = qs(in.error);
            post(generation, [this, request, out] {
                if (request == previewRequest_) emit objectPreviewed(out);
            });
        });
}

std::function<void(std::string)> EngineBridge::answerOperation(const QString& what) {
    return [this, generation = generation_, what](std::string error) {
        post(generation,
             [this, what, error = qs(error)] { emit bucketOperationFinished(what, error); });
    };
}

void EngineBridge::createBucket(const QString& name) {
    const QString what = tr("Created bucket %1").arg(name);
    if (!session_) return emit bucketOperationFinished(what, tr("No project is open"));
    session_->engine->createBucket(name.toStdString(), answerOperation(what));
}

void EngineBridge::deleteBucket(const QString& name) {
    const QString what = tr("Deleted bucket %1").arg(name);
    if (!session_) return emit bucketOperationFinished(what, tr("No project is open"));
    session_->engine->deleteBucket(name.toStdString(), answerOperation(what));
}

void EngineBridge::uploadFile(const QString& bucket, const QString& key, const QString& path) {
    const QString what = tr("Uploaded s3://%1/%2").arg(bucket, key);
    if (!session_) return emit bucketOperationFinished(what, tr("No project is open"));
    session_->engine->uploadFile(bucket.toStdString(), key.toStdString(), localPath(path),
                                 answerOperation(what));
}

void EngineBridge::downloadObject(const QString& bucket, const QString& key, const QString& path) {
    const QString what = tr("Downloaded s3://%1/%2 to %3").arg(bucket, key, path);
    if (!session_) return emit bucketOperationFinished(what, tr("No project is open"));
    session_->engine->downloadObject(bucket.toStdString(), key.toStdString(), localPath(path),
                                     answerOperation(what));
}

void EngineBridge::deleteObject(const QString& bucket, const QString& key) {
    const QString what = tr("Deleted s3://%1/%2").arg(bucket, key);
    if (!session_) return emit bucketOperationFinished(what, tr("No project is open"));
    session_->engine->deleteObject(bucket.toStdString(), key.toStdString(), answerOperation(what));
}

}  // namespace fogbank::ui
