#include "ui/event_library_menu.h"

#include "ui/engine_bridge.h"

#include <QMap>

namespace fogbank::ui {

namespace {

constexpr int kPreviewChars = 60;

// One line of an event, for a menu item: `{"name": "Fogbank"}` rather than a whole document.
QString preview(const QString& json) {
    QString flat = json.simplified();
    if (flat.size() > kPreviewChars) flat = flat.left(kPreviewChars - 1) + QChar(0x2026);
    return flat;
}

}  // namespace

EventLibraryMenu::EventLibraryMenu(EngineBridge* bridge, QWidget* parent)
    : QMenu(parent), bridge_(bridge) {
    setObjectName(QStringLiteral("eventLibraryMenu"));
    setToolTipsVisible(true);
    connect(this, &QMenu::aboutToShow, this, &EventLibraryMenu::rebuild);
}

void EventLibraryMenu::setFunction(const QString& function) {
    if (function == function_) return;
    function_ = function;
    recorded_.clear();
}

void EventLibraryMenu::setRecorded(QList<RecordedEvent> events) {
    recorded_ = std::move(events);
}

void EventLibraryMenu::rebuild() {
    clear();
    const QList<SavedEventInfo> kept = bridge_->savedEvents(function_);

    addSection(tr("Saved for %1").arg(function_.isEmpty() ? tr("this function") : function_));
    int saved = 0;
    for (const SavedEventInfo& event : kept) {
        if (event.project) continue;
        ++saved;
        QAction* item = addAction(event.name);
        item->setToolTip(event.file);
        connect(item, &QAction::triggered, this, [this, event] {
            QString error;
            const QString json = bridge_->readSavedEvent(event, &error);
            if (!error.isEmpty()) {
                emit failed(error);
                return;
            }
            emit eventChosen(json, tr("saved event %1").arg(event.name));
        });
    }
    if (saved == 0) addAction(tr("(none yet: Save event as… below)"))->setEnabled(false);

    QList<SavedEventInfo> projectEvents;
    for (const SavedEventInfo& event : kept)
        if (event.project) projectEvents.append(event);
    if (!projectEvents.isEmpty()) {
        addSection(tr("Project events/"));
        for (const SavedEventInfo& event : projectEvents) {
            QAction* item = addAction(event.name + QStringLiteral(".json"));
            item->setToolTip(event.file);
            connect(item, &QAction::triggered, this, [this, event] {
                QString error;
                const QString json = bridge_->readSavedEvent(event, &error);
                if (!error.isEmpty()) {
                    emit failed(error);
                    return;
                }
                emit eventChosen(json, tr("events/%1.json").arg(event.name));
            });
        }
    }

    QMenu* recent = addMenu(tr("Recorded"));
    recent->setObjectName(QStringLiteral("recordedEvents"));
    recent->setToolTipsVisible(true);
    for (const RecordedEvent& event : recorded_) {
        QAction* item = recent->addAction(event.start.toString(QStringLiteral("HH:mm:ss  ")) +
                                          preview(event.event));
        item->setToolTip(tr("The event of invocation %1").arg(event.requestId));
        connect(item, &QAction::triggered, this, [this, event] {
            emit eventChosen(event.event, tr("the event of %1").arg(event.requestId));
        });
    }
    if (recorded_.isEmpty()) recent->addAction(tr("(no invocations yet)"))->setEnabled(false);

    QMenu* samples = addMenu(tr("Templates"));
    samples->setObjectName(QStringLiteral("eventTemplates"));
    samples->setToolTipsVisible(true);
    QMap<QString, QMenu*> services;
    for (const EventTemplateInfo& t : bridge_->eventTemplates()) {
        QMenu*& service = services[t.service];
        if (!service) service = samples->addMenu(t.service);
        QAction* item = service->addAction(t.type);
        item->setToolTip(t.description);
        connect(item, &QAction::triggered, this, [this, t] {
            QString error;
            const QString json = bridge_->generateEvent(t.service, t.type, &error);
            if (!error.isEmpty()) {
                emit failed(error);
                return;
            }
            emit eventChosen(json, tr("a %1 %2 event").arg(t.service, t.type));
        });
    }
    if (services.isEmpty()) samples->addAction(tr("(no templates found)"))->setEnabled(false);

    addSeparator();
    QAction* save = addAction(tr("Save event as…"));
    save->setObjectName(QStringLiteral("saveEventAction"));
    save->setEnabled(!function_.isEmpty());
    connect(save, &QAction::triggered, this, &EventLibraryMenu::saveRequested);
}

}  // namespace fogbank::ui
