// The one object through which the window talks to the engine. QtCore only, so that headless
// tests drive it exactly as the window does.
//
// Everything that may take time (loading a template, binding ports, stopping sandboxes, asking
// for sandbox counts) runs on a private thread pool; the engine's own thread reports through an
// observer that re-posts every event to this object's thread. No call here ever waits.
#pragma once

#include "emulator/engine_config.h"
#include "ui/bucket_listing.h"
#include "ui/cost_snapshot.h"
#include "ui/debug_snapshot.h"
#include "ui/invocation_record.h"
#include "ui/queue_snapshot.h"
#include "ui/route_info.h"
#include "ui/schedule_snapshot.h"
#include "ui/sweep_snapshot.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

class QNetworkAccessManager;

namespace fogbank {
class Engine;
class EventTemplateLibrary;
class InvocationStore;
class SavedEvents;
namespace debug {
class DebugObserver;
}
}  // namespace fogbank

namespace fogbank::ui {

struct FunctionInfo {
    QString logicalId;
    QString name;  // FunctionName, what the engine reports invocations under
    QString runtime;
    QString handler;
    int memoryMb = 0;
    double timeoutSeconds = 0;
    int eventSources = 0;
    QString codeDir;
    bool debuggable = false;  // a runtime the engine's debugger can start (Node, Python)
    // Node and Python only: the file the runtime loads the handler from (empty when it is not
    // there) and the function's own source files, for the debugger.
    QString handlerFile;
    QStringList sourceFiles;
};

// An event kept to send again: saved from the window, or one of the project's events/*.json.
struct SavedEventInfo {
    QString name;
    bool project = false;  // from the project's events/ folder rather than saved here
    QString file;
};

// A sample event in the shape AWS sends (templates/events/<service>/<type>.json).
struct EventTemplateInfo {
    QString service;
    QString type;
    QString description;
};

class EngineBridge : public QObject {
    Q_OBJECT
  public:
    explicit EngineBridge(QObject* parent = nullptr);
    ~EngineBridge() override;

    // Reads fogbank.json beside the template, then loads and starts; projectOpened or
    // projectFailed follows. Opening closes whatever was open.
    void openProject(const QString& templatePath);
    // As above with a caller-made configuration (tests: edgePort = 0, a temporary stateDir);
    // fogbank.json is not consulted.
    void openProject(const fogbank::EngineConfig& config);
    // Opens the last project again, with the same configuration.
    void reopenProject();
    void closeProject();

    bool isOpen() const { return session_ != nullptr; }
    bool isOpening() const { return opening_; }
    QString templatePath() const { return templatePath_; }
    QString stackName() const { return stackName_; }
    const QList<FunctionInfo>& functions() const { return functions_; }
    const FunctionInfo* findFunction(const QString& nameOrLogicalId) const;
    // Template warnings as "template.yaml:LINE:COL: message", plus the bridge's own notes (such
    // as the edge port having been taken).
    const QStringList& warnings() const { return warnings_; }
    QString bindAddress() const { return bindAddress_; }
    // The edge port actually bound; 0 when nothing is open or the edge is disabled.
    quint16 edgePort() const { return edgePort_; }
    // Warm sandboxes per function name, as of the last sandboxCountsChanged.
    const QMap<QString, int>& sandboxCounts() const { return sandboxCounts_; }

    // Starts an invocation and returns at once with a ticket (0 when no project is open); the
    // result arrives as invokeReturned(ticket, ...), besides the invocationFinished every
    // invocation produces.
    quint64 invoke(const QString& function, const QString& payloadJson);
    // As invoke(), recorded with the Replay trigger: a stored event sent again.
    quint64 replay(const QString& function, const QString& eventJson);
    // The open project's invocation store, or null (no project, or recording off). Holding it
    // keeps that engine alive: keep a weak_ptr, and lock it only off this thread, so that the
    // engine is never stopped here.
    std::shared_ptr<fogbank::InvocationStore> store() const;
    // The event library: saved events of a function and the project's sample events, and the
    // templates. Empty while no project is open. Errors come back as text for the user.
    QList<SavedEventInfo> savedEvents(const QString& function) const;
    QString readSavedEvent(const SavedEventInfo& event, QString* error = nullptr) const;
    bool saveEvent(const QString& function, const QString& name, const QString& json,
                   QString* error = nullptr);
    QList<EventTemplateInfo> eventTemplates() const;
    QString generateEvent(const QString& service, const QString& type,
                          QString* error = nullptr) const;

    // Asks the engine for its sandbox counts off this thread; sandboxCountsChanged follows.
    void refreshSandboxCounts();

    // --- Queue browser: every answer comes back as a signal on this object's thread.
    // Asks for every queue with its counts; queuesRefreshed follows. While one refresh is under
    // way, further requests become one more refresh after it.
    void refreshQueues();
    // Up to `max` messages of `queue` without receiving them; messagesPeeked follows, unless a
    // newer peek was asked for meanwhile.
    void peekMessages(const QString& queue, int max = 100);
    // Each answers with queueOperationFinished(operation, queue, result, error); `attributes`
    // are String message attributes by name.
    void sendMessage(const QString& queue, const QString& body,
                     const QList<QPair<QString, QString>>& attributes, const QString& groupId,
                     const QString& dedupId);
    void deleteMessage(const QString& queue, const QString& messageId);
    void purgeQueue(const QString& queue);
    void redriveToSource(const QString& deadLetterQueue);
    // ---- bucket browser (S3). Each call returns at once; its answer is the signal below. ----
    // Listings hold at most kFolderLimit entries, so a huge bucket never loads whole.
    static constexpr int kFolderLimit = 1000;
    void listBuckets();
    // One level under `prefix` for the object table; a newer call drops an older pending answer.
    void listFolder(const QString& bucket, const QString& prefix);
    // One level for the folder tree; every call answers (folderExpanded).
    void expandFolder(const QString& bucket, const QString& prefix);
    // The first `maxBytes`; a newer call drops an older pending answer.
    void previewObject(const QString& bucket, const QString& key, qint64 maxBytes);
    // These answer with bucketOperationFinished(what, error), error empty on success; `what` is
    // a sentence for the status line ("Uploaded s3://b/k").
    void createBucket(const QString& name);
    void deleteBucket(const QString& name);
    void uploadFile(const QString& bucket, const QString& key, const QString& localPath);
    void downloadObject(const QString& bucket, const QString& key, const QString& localPath);
    void deleteObject(const QString& bucket, const QString& key);

    // ---- HTTP APIs (the APIs tab) ----
    // The routes the open project serves, in the order requests are matched, and their port
    // (0 when nothing listens). Known once projectOpened is emitted.
    const QList<RouteInfo>& routes() const { return routes_; }
    quint16 httpPort() const { return httpPort_; }
    // Sends a real HTTP request to the routes' port, as curl would, and returns a ticket (0 when
    // nothing is open); httpExchanged follows with the same ticket. `path` may carry a query.
    quint64 sendHttpRequest(const QString& method, const QString& path,
                            const QList<QPair<QString, QString>>& headers, const QByteArray& body);

    // ---- Schedules and the virtual clock (the Schedules tab) ----
    // Every schedule with its next `count` firings; schedulesRefreshed follows. While one refresh
    // is under way, further requests become one more refresh after it.
    void refreshSchedules(int count = 3);
    // Each answers with schedulesFired (what fired, in due order, or the error).
    void fireSchedule(const QString& name);
    void advanceClock(qint64 seconds);
    // Answers with scheduleOperationFinished and a refresh.
    void setScheduleEnabled(const QString& name, bool enabled);
    void pauseClock();
    void resumeClock();
    bool clockPaused() const;
    // The virtual clock's time (UTC); invalid while nothing is open.
    QDateTime clockNow() const;

    // ---- Cost and cold starts ----
    // The bill of what ran and, with `traffic`, the monthly projection; costReady follows. Reads
    // the whole history on the pool: a newer request replaces one that has not started.
    // freeTier: none, legacy or credit.
    void refreshCost(const QString& traffic, const QString& freeTier);
    // One function's cold and warm statistics; coldStartsReady follows (newest request wins).
    void refreshColdStarts(const QString& function);
    // Keeps `count` sandboxes of the function warm (0: none); prewarmSet follows.
    void setPrewarm(const QString& function, int count);
    // Runs `eventJson` at each memory size (CPU-share mode), a cold run then `runs` warm ones per
    // size, on the pool; memorySweepProgress after each run, then memorySweepFinished. One sweep
    // at a time: false (and nothing happens) while one runs or no project is open. Closing the
    // project stops it after the run under way.
    bool runMemorySweep(const QString& function, const QString& eventJson,
                        const QList<int>& memoryMb, int runs);
    bool sweepRunning() const { return sweepStop_ != nullptr; }
    // CPU-share mode of the open project, as it started (fogbank.json "cpuShare") or was last set;
    // cpuShareChanged follows a change, with the mode in force (off, cgroup-v1, cgroup-v2,
    // estimate) and why the durations are estimated, when they are.
    bool cpuShare() const;
    void setCpuShare(bool on);

    // ---- Debugger (the Debugger tab) ----
    // As invoke(), in a debug sandbox under Fogbank's debugger: it pauses on the function's
    // breakpoints and, with `stopOnEntry`, on its handler's first line. `requestId` receives the
    // invocation's id, to follow its log. Only invocations asked for here ever pause.
    quint64 debugInvoke(const QString& function, const QString& payloadJson, bool stopOnEntry,
                        QString* requestId = nullptr);
    // Replaces the breakpoints of `file` (absolute) for the function, in its live debug sessions
    // and those to come; breakpointsSet follows with what the debugger made of them.
    void setBreakpoints(const QString& function, const QString& file,
                        const QList<fogbank::ui::DebugBreakpointInfo>& breakpoints);
    // Where to stop on exceptions in every session: "none", "uncaught" (the default) or "all".
    void setBreakOnExceptions(const QString& mode);
    // On a stopped session. Each returns a ticket (0: nothing is open) that its answer carries.
    quint64 debugScopes(int session, int frame);
    quint64 debugVariables(int session, int reference);
    quint64 debugEvaluate(int session, int frame, const QString& expression);
    // Continue and the steps on a stopped session, Pause on a running one, Stop on either (the
    // invocation runs on to its end). debugStopped, debugResumed or debugSessionEnded follow;
    // debugCommandFailed when it could not be done.
    void debugCommand(int session, fogbank::ui::DebugCommand command);

  signals:
    void debugSessionStarted(const fogbank::ui::DebugSessionInfo& session);
    void debugStopped(const fogbank::ui::DebugStopInfo& stop);
    void debugResumed(int session);
    void debugSessionEnded(int session, const QString& why);
    void breakpointsSet(const QString& function, const QString& file,
                        const QList<fogbank::ui::DebugBreakpointInfo>& breakpoints,
                        const QString& error);
    void debugScopesReady(quint64 ticket, const QList<fogbank::ui::DebugScopeInfo>& scopes,
                          const QString& error);
    void debugVariablesReady(quint64 ticket, const QList<fogbank::ui::DebugVariableInfo>& variables,
                             const QString& error);
    void debugEvaluated(quint64 ticket, const fogbank::ui::DebugVariableInfo& result,
                        const QString& error);
    void debugCommandFailed(int session, const QString& what, const QString& error);

    void prewarmSet(const QString& function, int count, const QString& error);
    void cpuShareChanged(bool on, const QString& mode, const QString& why);
    void memorySweepProgress(const QString& function, int memoryMb, int run);
    void memorySweepFinished(const fogbank::ui::MemorySweepInfo& sweep);
    void costReady(const fogbank::ui::CostReport& report);
    void coldStartsReady(const fogbank::ui::ColdStartStatsInfo& stats);

    void httpExchanged(const fogbank::ui::HttpExchange& exchange);
    void schedulesRefreshed(const QList<fogbank::ui::ScheduleInfo>& schedules);
    void schedulesFired(const QList<fogbank::ui::FiringInfo>& firings, const QString& error);
    void scheduleOperationFinished(const QString& what, const QString& error);
    // Paused, resumed or advanced.
    void clockChanged();

    void bucketsListed(const QStringList& names, const QString& error);
    void folderListed(const fogbank::ui::BucketListing& listing);
    void folderExpanded(const fogbank::ui::BucketListing& listing);
    void objectPreviewed(const fogbank::ui::ObjectPreviewData& preview);
    void bucketOperationFinished(const QString& what, const QString& error);

    void projectOpening(const QString& templatePath);
    void projectOpened();
    void projectFailed(const QString& message);
    void projectClosed();
    void invocationStarted(const QString& requestId, const QString& function,
                           const QString& trigger);
    void logLine(const QString& requestId, const QDateTime& time, const QString& text);
    void invocationFinished(const fogbank::ui::InvocationRecord& record);
    void invokeReturned(quint64 ticket, const fogbank::ui::InvocationRecord& record);
    void sandboxCountsChanged();
    void queuesRefreshed(const QList<fogbank::ui::QueueInfo>& queues, const QString& error);
    void messagesPeeked(const QString& queue, const QList<fogbank::ui::QueueMessage>& messages,
                        const QString& error);
    // operation: "send" (result: the MessageId), "delete", "purge", "redrive" (result: how many
    // moved). error is empty on success.
    void queueOperationFinished(const QString& operation, const QString& queue,
                                const QString& result, const QString& error);

  private:
    class Observer;
    struct Session;
    struct Opened;

    void open(fogbank::EngineConfig config, bool readConfigFile);
    void adopt(const std::shared_ptr<Opened>& opened);
    void retire(std::shared_ptr<Session> session);
    // Runs `fn` on this object's thread later, unless another project was opened meanwhile.
    void post(quint64 generation, std::function<void()> fn);
    // The open project's engine, or null; for the feature files (engine_bridge_*.cpp).
    fogbank::Engine* engine() const;
    // Runs `work` on the pool with the open project's engine, which stays alive meanwhile; false
    // when nothing is open.
    bool onPool(std::function<void(fogbank::Engine&)> work);
    quint64 start(const QString& function, const QString& payloadJson, fogbank::Trigger trigger,
                  QString* requestId = nullptr, bool debug = false, bool stopOnEntry = false);
    // Tells this object (on its thread) what the engine's debugger reports;
    // engine_bridge_debug.cpp.
    std::unique_ptr<fogbank::debug::DebugObserver> makeDebugRelay(quint64 generation);

    // Hands an error-or-empty answer back to this thread as bucketOperationFinished(what, ...).
    std::function<void(std::string)> answerOperation(const QString& what);

    std::shared_ptr<Session> session_;
    quint64 folderRequest_ = 0;   // the newest listFolder; older answers are dropped
    quint64 previewRequest_ = 0;  // the newest previewObject
    // Bumped whenever a project is opened or closed; events tagged with an older value belong to
    // an engine that is going away and are dropped.
    quint64 generation_ = 0;
    quint64 nextTicket_ = 0;
    quint64 nextDebugTicket_ = 0;
    bool opening_ = false;
    bool countsInFlight_ = false;
    bool queuesInFlight_ = false;
    bool queuesAgain_ = false;
    quint64 peekSerial_ = 0;
    std::unique_ptr<fogbank::EngineConfig> lastConfig_;
    bool lastReadConfigFile_ = false;

    QString templatePath_;
    QString stackName_;
    QString bindAddress_;
    QList<FunctionInfo> functions_;
    QList<RouteInfo> routes_;
    quint16 httpPort_ = 0;
    QNetworkAccessManager* http_ = nullptr;  // made on first use
    quint64 nextHttpTicket_ = 0;
    bool costInFlight_ = false;
    std::optional<std::pair<QString, QString>> costAgain_;  // traffic and free tier
    // Set while a sweep runs; raised to stop it.
    std::shared_ptr<std::atomic<bool>> sweepStop_;
    bool statsInFlight_ = false;
    QString statsAgain_;
    bool schedulesInFlight_ = false;
    int schedulesAgain_ = 0;  // the count of a refresh asked for meanwhile, or 0
    QStringList warnings_;
    quint16 edgePort_ = 0;
    QMap<QString, int> sandboxCounts_;
    std::shared_ptr<const fogbank::SavedEvents> savedEvents_;
    std::shared_ptr<const fogbank::EventTemplateLibrary> eventTemplates_;

    // Last, so that it is destroyed (and drained) first.
    QThreadPool pool_;
};

}  // namespace fogbank::ui
