// The event editor's library on the bundled example (examples/hello, which carries events/*.json
// as SAM projects do): project events, templates of AWS's event shapes, saving the editor's event
// under the state dir (and refusing names and text that cannot be saved), and the function's
// recorded events after a real invocation.
#include "ui/engine_bridge.h"
#include "ui/event_editor.h"
#include "ui/event_library_menu.h"
#include "ui/main_window.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QtTest>

#include <spdlog/spdlog.h>

using fogbank::EngineConfig;
using fogbank::ui::EventEditor;
using fogbank::ui::EventLibraryMenu;
using fogbank::ui::MainWindow;

namespace {

constexpr int kOpenTimeoutMs = 30'000;
constexpr int kInvokeTimeoutMs = 60'000;

// The enabled item whose text starts with `text`, looked for in `menu` and its submenus along
// `path` (menu titles).
QAction* item(QMenu* menu, const QStringList& path, const QString& text) {
    for (const QString& title : path) {
        QMenu* next = nullptr;
        for (QAction* action : menu->actions())
            if (action->menu() && action->text() == title) next = action->menu();
        if (!next) return nullptr;
        menu = next;
    }
    for (QAction* action : menu->actions())
        if (!action->isSeparator() && !action->menu() && action->isEnabled() &&
            action->text().startsWith(text))
            return action;
    return nullptr;
}

}  // namespace

class TestEventLibrary : public QObject {
    Q_OBJECT

    QTemporaryDir state_;
    std::unique_ptr<MainWindow> window_;

    EventLibraryMenu* library() const { return window_->eventLibrary(); }
    QString editorText() const {
        return window_->findChild<EventEditor*>(QStringLiteral("eventEditor"))->text();
    }

  private slots:
    void initTestCase() {
        spdlog::set_level(spdlog::level::warn);
        QVERIFY(state_.isValid());
        window_ = std::make_unique<MainWindow>();
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        EngineConfig config;
        config.templatePath = FOGBANK_SOURCE_DIR "/examples/hello/template.yaml";
        config.edgePort = 0;
        config.httpPort = 0;  // examples/hello has an HTTP API; never collide on 3000
        config.stateDir = state_.path().toStdString();
        window_->bridge()->openProject(config);
        QTRY_VERIFY_WITH_TIMEOUT(window_->bridge()->isOpen(), kOpenTimeoutMs);
        QVERIFY(window_->selectFunction(QStringLiteral("HelloFunction")));
        QCOMPARE(library()->function(), QStringLiteral("hello-hello"));
    }

    // The project's events/*.json are offered to every function, and fill the editor.
    void projectEventsFillTheEditor() {
        library()->rebuild();
        QAction* hello = item(library(), {}, QStringLiteral("hello.json"));
        QVERIFY(hello);
        QVERIFY(item(library(), {}, QStringLiteral("words.json")));
        hello->trigger();
        QCOMPARE(editorText().trimmed(), QStringLiteral("{\"name\": \"Fogbank\"}"));
    }

    // Every template of templates/events is there, and makes an event in AWS's shape.
    void templatesMakeAwsShapedEvents() {
        library()->rebuild();
        for (const auto& [service, type] :
             std::vector<std::pair<QString, QString>>{{"s3", "put"},
                                                      {"sqs", "receive"},
                                                      {"apigateway", "http"},
                                                      {"eventbridge", "scheduled"}})
            QVERIFY2(item(library(), {QStringLiteral("Templates"), service}, type),
                     qPrintable(service + QLatin1Char('/') + type));
        item(library(), {QStringLiteral("Templates"), QStringLiteral("s3")}, QStringLiteral("put"))
            ->trigger();
        const QJsonDocument event = QJsonDocument::fromJson(editorText().toUtf8());
        QVERIFY2(event.isObject(), qPrintable(editorText()));
        const QJsonObject record = event[QStringLiteral("Records")][0].toObject();
        QCOMPARE(record[QStringLiteral("eventSource")].toString(), QStringLiteral("aws:s3"));
        QCOMPARE(record[QStringLiteral("eventName")].toString(),
                 QStringLiteral("ObjectCreated:Put"));
    }

    // Saved under the state dir by function, listed, and read back exactly.
    void savedEventsComeBack() {
        window_->setEventText(QStringLiteral("{\"saved\": [1, 2, 3]}"));
        QString error;
        QVERIFY2(window_->saveEventAs(QStringLiteral("three numbers"), &error), qPrintable(error));
        const QString file =
            state_.filePath(QStringLiteral("events/hello-hello/three numbers.json"));
        QVERIFY(QFile::exists(file));
        // No temporary file is left beside it.
        QCOMPARE(QDir(state_.filePath(QStringLiteral("events/hello-hello")))
                     .entryList(QDir::Files | QDir::Hidden)
                     .size(),
                 1);

        window_->setEventText(QStringLiteral("{}"));
        library()->rebuild();
        QAction* saved = item(library(), {}, QStringLiteral("three numbers"));
        QVERIFY(saved);
        saved->trigger();
        QCOMPARE(editorText().trimmed(), QStringLiteral("{\"saved\": [1, 2, 3]}"));

        // Another function does not see it.
        QVERIFY(window_->selectFunction(QStringLiteral("WordCountFunction")));
        library()->rebuild();
        QVERIFY(!item(library(), {}, QStringLiteral("three numbers")));
        QVERIFY(window_->selectFunction(QStringLiteral("HelloFunction")));
    }

    // A name that could leave the folder, or text that is not JSON, is refused with the reason,
    // and nothing is written.
    void badNamesAndTextAreRefused() {
        window_->setEventText(QStringLiteral("{\"ok\": true}"));
        QString error;
        QVERIFY(!window_->saveEventAs(QStringLiteral("../../escape"), &error));
        QVERIFY2(error.contains(QStringLiteral("../../escape")), qPrintable(error));
        QVERIFY(!window_->saveEventAs(QStringLiteral(".hidden"), &error));
        QVERIFY(!window_->saveEventAs(QString(), &error));
        QVERIFY(!QFile::exists(state_.filePath(QStringLiteral("escape.json"))));
        QVERIFY(!QFile::exists(state_.filePath(QStringLiteral("events/escape.json"))));

        window_->setEventText(QStringLiteral("{\"not\": json"));
        QVERIFY(!window_->saveEventAs(QStringLiteral("broken"), &error));
        QVERIFY2(error.contains(QStringLiteral("not JSON")), qPrintable(error));
        QVERIFY(!QFile::exists(state_.filePath(QStringLiteral("events/hello-hello/broken.json"))));
        // What was saved before is untouched.
        QVERIFY(QFile::exists(
            state_.filePath(QStringLiteral("events/hello-hello/three numbers.json"))));
    }

    // After an invocation, its event is among the recorded ones and fills the editor again.
    void recordedEventsFollowInvocations() {
        window_->setEventText(QStringLiteral("{\"name\": \"recorded-once\"}"));
        QSignalSpy returned(window_->bridge(), &fogbank::ui::EngineBridge::invokeReturned);
        QVERIFY(window_->invokeSelected() != 0);
        QTRY_VERIFY_WITH_TIMEOUT(!returned.isEmpty(), kInvokeTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            (library()->rebuild(),
             item(library(), {QStringLiteral("Recorded")}, QString()) != nullptr),
            10'000);
        QAction* recorded = item(library(), {QStringLiteral("Recorded")}, QString());
        QVERIFY2(recorded->text().contains(QStringLiteral("recorded-once")),
                 qPrintable(recorded->text()));
        window_->setEventText(QStringLiteral("{}"));
        recorded->trigger();
        QVERIFY(editorText().contains(QStringLiteral("recorded-once")));
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(TestEventLibrary)
#include "test_event_library.moc"
