// The event editor's library: the events a user may want to send again, by where they come from
// — saved from this window, the project's own events/*.json, the function's recent invocations,
// and sample events of every AWS service Fogbank has templates for. Choosing one puts it in the
// editor; "Save event as…" keeps the editor's event for later.
//
// The menu is built when it opens, from the bridge (files, read then) and from the recorded
// events the window last read off its thread, so that opening it never waits on the store.
#pragma once

#include <QDateTime>
#include <QList>
#include <QMenu>

namespace fogbank::ui {

class EngineBridge;

struct RecordedEvent {
    QString requestId;
    QDateTime start;
    QString event;
};

class EventLibraryMenu : public QMenu {
    Q_OBJECT
  public:
    static constexpr int kMaxRecorded = 10;

    EventLibraryMenu(EngineBridge* bridge, QWidget* parent = nullptr);

    // The function (FunctionName) whose saved and recorded events to offer; empty for none.
    void setFunction(const QString& function);
    QString function() const { return function_; }
    // The function's recent distinct events, newest first.
    void setRecorded(QList<RecordedEvent> events);
    // Builds the items now (opening the menu does it too).
    void rebuild();

  signals:
    void eventChosen(const QString& json, const QString& label);
    void saveRequested();
    void failed(const QString& message);

  private:
    EngineBridge* bridge_;
    QString function_;
    QList<RecordedEvent> recorded_;
};

}  // namespace fogbank::ui
