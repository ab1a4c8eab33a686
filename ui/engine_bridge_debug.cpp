// EngineBridge's part for the Debugger tab. The engine's debugger answers every call once on the
// engine's thread; each answer is copied into Qt values there and posted to the bridge's thread,
// tagged with the generation of the project it belongs to, so that a closed project's answers
// are dropped. Nothing here waits.
#include "emulator/debug/debugger.h"
#include "emulator/engine.h"
#include "ui/engine_bridge.h"

namespace fogbank::ui {

namespace {

QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

DebugSessionInfo sessionInfo(const debug::SessionInfo& s) {
    return {s.id, qs(s.function), qs(s.logicalId), qs(s.runtime), qs(s.endpoint), s.port};
}

DebugVariableInfo variableInfo(const debug::Variable& v) {
    return {qs(v.name), qs(v.value), qs(v.type), v.reference};
}

QString commandName(DebugCommand command) {
    switch (command) {
        case DebugCommand::Continue:
            return QStringLiteral("continue");
        case DebugCommand::StepOver:
            return QStringLiteral("step over");
        case DebugCommand::StepInto:
            return QStringLiteral("step into");
        case DebugCommand::StepOut:
            return QStringLiteral("step out");
        case DebugCommand::Pause:
            return QStringLiteral("pause");
        case DebugCommand::Stop:
            return QStringLiteral("stop");
    }
    return {};
}

}  // namespace

// Speaks on the engine's thread: copies and posts, never touching the bridge's state.
class DebugRelay final : public debug::DebugObserver {
  public:
    DebugRelay(std::function<void(std::function<void()>)> post, EngineBridge* bridge)
        : post_(std::move(post)), bridge_(bridge) {}

    void sessionStarted(const debug::SessionInfo& session) override {
        post_([b = bridge_, s = sessionInfo(session)] { emit b->debugSessionStarted(s); });
    }
    void stopped(const debug::SessionInfo& session, const std::string& requestId,
                 const debug::StopEvent& event) override {
        DebugStopInfo stop;
        stop.session = sessionInfo(session);
        stop.requestId = qs(requestId);
        stop.reason = QString::fromLatin1(debug::toString(event.reason));
        stop.description = qs(event.description);
        for (const auto& f : event.frames)
            stop.frames.append({f.id, qs(f.name), qs(f.file.string()), f.line, f.column});
        post_([b = bridge_, stop = std::move(stop)] { emit b->debugStopped(stop); });
    }
    void resumed(const debug::SessionInfo& session) override {
        post_([b = bridge_, id = session.id] { emit b->debugResumed(id); });
    }
    void sessionEnded(const debug::SessionInfo& session, const std::string& why) override {
        post_(
            [b = bridge_, id = session.id, why = qs(why)] { emit b->debugSessionEnded(id, why); });
    }

  private:
    std::function<void(std::function<void()>)> post_;
    EngineBridge* bridge_;
};

std::unique_ptr<debug::DebugObserver> EngineBridge::makeDebugRelay(quint64 generation) {
    return std::make_unique<DebugRelay>(
        [this, generation](std::function<void()> fn) { post(generation, std::move(fn)); }, this);
}

quint64 EngineBridge::debugInvoke(const QString& function, const QString& payloadJson,
                                  bool stopOnEntry, QString* requestId) {
    QString id;
    const quint64 ticket = start(function, payloadJson, Trigger::Manual, &id, true, stopOnEntry);
    if (requestId) *requestId = ticket ? id : QString();
    return ticket;
}

void EngineBridge::setBreakpoints(const QString& function, const QString& file,
                                  const QList<DebugBreakpointInfo>& breakpoints) {
    Engine* e = engine();
    if (!e) {
        emit breakpointsSet(function, file, breakpoints, tr("No project is open."));
        return;
    }
    std::vector<debug::SourceBreakpoint> wanted;
    for (const auto& bp : breakpoints)
        wanted.push_back({file.toStdString(), bp.line, bp.condition.toStdString()});
    e->debugger().setBreakpoints(
        function.toStdString(), file.toStdString(), std::move(wanted),
        [this, generation = generation_, function, file](std::vector<debug::BreakpointState> states,
                                                         std::string error) {
            QList<DebugBreakpointInfo> out;
            for (const auto& s : states)
                out.append({s.requested.line, qs(s.requested.condition), s.verified,
                            s.line > 0 ? s.line : s.requested.line, qs(s.message)});
            post(generation, [this, function, file, out, error = qs(error)] {
                emit breakpointsSet(function, file, out, error);
            });
        });
}

void EngineBridge::setBreakOnExceptions(const QString& mode) {
    Engine* e = engine();
    if (!e) return;
    const auto m = mode == QLatin1String("none")  ? debug::ExceptionMode::None
                   : mode == QLatin1String("all") ? debug::ExceptionMode::All
                                                  : debug::ExceptionMode::Uncaught;
    e->debugger().setExceptionMode(m, [this, generation = generation_](std::string error) {
        if (error.empty()) return;
        post(generation, [this, error = qs(error)] {
            emit debugCommandFailed(0, tr("break on exceptions"), error);
        });
    });
}

quint64 EngineBridge::debugScopes(int session, int frame) {
    Engine* e = engine();
    if (!e) return 0;
    const quint64 ticket = ++nextDebugTicket_;
    e->debugger().scopes(session, frame,
                         [this, generation = generation_, ticket](std::vector<debug::Scope> scopes,
                                                                  std::string error) {
                             QList<DebugScopeInfo> out;
                             for (const auto& s : scopes)
                                 out.append({qs(s.name), s.reference, s.expensive});
                             post(generation, [this, ticket, out, error = qs(error)] {
                                 emit debugScopesReady(ticket, out, error);
                             });
                         });
    return ticket;
}

quint64 EngineBridge::debugVariables(int session, int reference) {
    Engine* e = engine();
    if (!e) return 0;
    const quint64 ticket = ++nextDebugTicket_;
    e->debugger().variables(session, reference,
                            [this, generation = generation_, ticket](
                                std::vector<debug::Variable> variables, std::string error) {
                                QList<DebugVariableInfo> out;
                                for (const auto& v : variables) out.append(variableInfo(v));
                                post(generation, [this, ticket, out, error = qs(error)] {
                                    emit debugVariablesReady(ticket, out, error);
                                });
                            });
    return ticket;
}

quint64 EngineBridge::debugEvaluate(int session, int frame, const QString& expression) {
    Engine* e = engine();
    if (!e) return 0;
    const quint64 ticket = ++nextDebugTicket_;
    e->debugger().evaluate(
        session, frame, expression.toStdString(),
        [this, generation = generation_, ticket](debug::Variable result, std::string error) {
            post(generation, [this, ticket, v = variableInfo(result), error = qs(error)] {
                emit debugEvaluated(ticket, v, error);
            });
        });
    return ticket;
}

void EngineBridge::debugCommand(int session, DebugCommand command) {
    Engine* e = engine();
    const QString what = commandName(command);
    if (!e) {
        emit debugCommandFailed(session, what, tr("No project is open."));
        return;
    }
    auto answer = [this, generation = generation_, session, what](std::string error) {
        if (error.empty()) return;
        post(generation, [this, session, what, error = qs(error)] {
            emit debugCommandFailed(session, what, error);
        });
    };
    debug::Debugger& d = e->debugger();
    switch (command) {
        case DebugCommand::Continue:
            d.step(session, debug::StepKind::Continue, std::move(answer));
            break;
        case DebugCommand::StepOver:
            d.step(session, debug::StepKind::Over, std::move(answer));
            break;
        case DebugCommand::StepInto:
            d.step(session, debug::StepKind::Into, std::move(answer));
            break;
        case DebugCommand::StepOut:
            d.step(session, debug::StepKind::Out, std::move(answer));
            break;
        case DebugCommand::Pause:
            d.pause(session, std::move(answer));
            break;
        case DebugCommand::Stop:
            d.end(session, std::move(answer));
            break;
    }
}

}  // namespace fogbank::ui
