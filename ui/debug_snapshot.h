// What the debugger view shows, as Qt values copied from the engine's debugger model
// (emulator/debug/debug_model.h) on the engine's thread: sessions, where one stopped, its scopes,
// variables and breakpoints. Frame and variable references are only good until the session runs
// again.
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace fogbank::ui {

struct DebugSessionInfo {
    int id = 0;
    QString function;   // FunctionName
    QString logicalId;  // the template's name
    QString runtime;    // "node" or "python"
    QString endpoint;   // where an IDE could attach instead
    int port = 0;
};

struct DebugFrameInfo {
    int id = 0;
    QString name;
    QString file;  // absolute; empty for frames without source (runtime internals)
    int line = 0;  // 1-based
    int column = 0;
};

struct DebugStopInfo {
    DebugSessionInfo session;
    QString requestId;             // the invocation that stopped
    QString reason;                // breakpoint, step, pause, exception, entry
    QString description;           // for exceptions: the error's text
    QList<DebugFrameInfo> frames;  // innermost first
};

struct DebugScopeInfo {
    QString name;
    int reference = 0;
    bool expensive = false;
};

struct DebugVariableInfo {
    QString name;
    QString value;
    QString type;
    int reference = 0;  // > 0: has children
};

struct DebugBreakpointInfo {
    int line = 0;  // as set, 1-based
    QString condition;
    bool verified = false;
    int actualLine = 0;  // where the debugger put it; `line` until verified
    QString message;     // why it is not verified
};

// What the debugger's toolbar asks of a session.
enum class DebugCommand { Continue, StepOver, StepInto, StepOut, Pause, Stop };

}  // namespace fogbank::ui

Q_DECLARE_METATYPE(fogbank::ui::DebugSessionInfo)
Q_DECLARE_METATYPE(fogbank::ui::DebugStopInfo)
Q_DECLARE_METATYPE(fogbank::ui::DebugVariableInfo)
Q_DECLARE_METATYPE(fogbank::ui::DebugScopeInfo)
Q_DECLARE_METATYPE(fogbank::ui::DebugBreakpointInfo)
