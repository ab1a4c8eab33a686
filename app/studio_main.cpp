// fogbank-studio: the window over the engine. Everything here is argument handling; the window
// and the engine do the work.
//
// --function/--event/--invoke/--repeat script the first moments (demos, bug reports), and
// FOGBANK_SCREENSHOT=out.png saves the window once the invocations are done (or the project
// failed to open; or, with nothing to invoke, once the open project has had a moment to show
// itself) and quits, which keeps the README's pictures reproducible.
#include "ui/bucket_browser.h"
#include "ui/cold_start_view.h"
#include "ui/cost_view.h"
#include "ui/debugger_view.h"
#include "ui/engine_bridge.h"
#include "ui/main_window.h"
#include "ui/memory_sweep_view.h"
#include "ui/routes_view.h"
#include "ui/schedules_view.h"
#include "ui/queue_browser.h"
#include "ui/trace_view.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QPixmap>
#include <QScreen>
#include <QTabWidget>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace {

// Lets the last invocation's row and panes paint before the window is grabbed.
constexpr int kSettleMs = 600;
// Without --invoke: time for the views' first polls (the queue browser's counts) to answer.
constexpr int kUnscriptedMs = 900;

QString readEvent(const QString& argument) {
    if (!argument.startsWith(QLatin1Char('@'))) return argument;
    QFile file(argument.mid(1));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "fogbank-studio: cannot read event file %s\n",
                     qPrintable(file.fileName()));
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

void saveScreenshot(fogbank::ui::MainWindow& window, const QString& path) {
    QTimer::singleShot(kSettleMs, &window, [&window, path] {
        // The screen under the window rather than the window alone, so that an open menu shows.
        const QPixmap shot =
            window.screen()->grabWindow(0, window.x(), window.y(), window.frameGeometry().width(),
                                        window.frameGeometry().height());
        if (!shot.save(path)) {
            std::fprintf(stderr, "fogbank-studio: could not write %s\n", qPrintable(path));
        }
        QApplication::quit();
    });
}

}  // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Fogbank Studio"));
    QApplication::setOrganizationName(QStringLiteral("Fogbank"));
    QApplication::setDesktopFileName(QStringLiteral("fogbank-studio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs an AWS SAM application on this machine and shows every invocation."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("template"),
                                 QStringLiteral("The SAM template (default: ./template.yaml)."),
                                 QStringLiteral("[template]"));
    const QCommandLineOption functionOption(
        QStringLiteral("function"),
        QStringLiteral("Select this function once the project is open."), QStringLiteral("name"));
    const QCommandLineOption eventOption(
        QStringLiteral("event"), QStringLiteral("Put this event in the editor (JSON, or @file)."),
        QStringLiteral("json"));
    const QCommandLineOption invokeOption(
        QStringLiteral("invoke"), QStringLiteral("Invoke the selected function once it is open."));
    const QCommandLineOption repeatOption(
        QStringLiteral("repeat"),
        QStringLiteral("With --invoke: invoke n times, one after another."), QStringLiteral("n"),
        QStringLiteral("1"));
    const QCommandLineOption tabOption(
        QStringLiteral("tab"),
        QStringLiteral("Open on this tab: functions, traces, queues, buckets, apis, schedules, "
                       "coldstarts, cost or debugger."),
        QStringLiteral("name"), QStringLiteral("functions"));
    const QCommandLineOption eventsMenuOption(
        QStringLiteral("events-menu"),
        QStringLiteral("Open the event library once the invocations are done (for screenshots)."));
    const QCommandLineOption objectOption(
        QStringLiteral("object"),
        QStringLiteral("On the Buckets tab, show and preview this object (for screenshots)."),
        QStringLiteral("s3://bucket/key"));
    const QCommandLineOption requestOption(
        QStringLiteral("request"),
        QStringLiteral("On the APIs tab, send GET PATH from the composer (for screenshots)."),
        QStringLiteral("path"));
    const QCommandLineOption advanceOption(
        QStringLiteral("advance"),
        QStringLiteral("On the Schedules tab, pause the clock and advance it this many seconds "
                       "(for screenshots)."),
        QStringLiteral("seconds"));
    const QCommandLineOption trafficOption(
        QStringLiteral("traffic"),
        QStringLiteral("On the Cost tab, after the invocations, project this traffic (for "
                       "screenshots), e.g. \"GET /hello=5/s\"."),
        QStringLiteral("spec"));
    const QCommandLineOption sweepOption(
        QStringLiteral("sweep"),
        QStringLiteral("On the Cold starts tab, after the invocations, sweep the function at these "
                       "memory sizes with the --event (for screenshots), e.g. 128,512,1769."),
        QStringLiteral("sizes"));
    parser.addOptions({functionOption, eventOption, invokeOption, repeatOption, tabOption,
                       eventsMenuOption, objectOption, requestOption, advanceOption, trafficOption,
                       sweepOption});
    parser.process(app);
    const bool eventsMenu = parser.isSet(eventsMenuOption);

    QString templatePath;
    if (!parser.positionalArguments().isEmpty()) {
        templatePath = parser.positionalArguments().constFirst();
    } else if (QFileInfo::exists(QStringLiteral("template.yaml"))) {
        templatePath = QStringLiteral("template.yaml");
    }

    fogbank::ui::MainWindow window;
    const QString tab = parser.value(tabOption).toLower();
    const QMap<QString, QWidget*> tabs{{QStringLiteral("traces"), window.traceView()},
                                       {QStringLiteral("queues"), window.queueBrowser()},
                                       {QStringLiteral("buckets"), window.bucketBrowser()},
                                       {QStringLiteral("apis"), window.routesView()},
                                       {QStringLiteral("schedules"), window.schedulesView()},
                                       {QStringLiteral("coldstarts"), window.coldStartView()},
                                       {QStringLiteral("cost"), window.costView()},
                                       {QStringLiteral("debugger"), window.debuggerView()}};
    if (tabs.contains(tab)) {
        window.viewTabs()->setCurrentWidget(tabs.value(tab));
    } else if (tab != QLatin1String("functions")) {
        std::fprintf(stderr, "fogbank-studio: --tab is functions or %s, not %s\n",
                     qPrintable(QStringList(tabs.keys()).join(QStringLiteral(", "))),
                     qPrintable(tab));
        return 2;
    }
    auto* bridge = window.bridge();
    const QString screenshot = qEnvironmentVariable("FOGBANK_SCREENSHOT");
    const QString function = parser.value(functionOption);
    const QString event =
        parser.isSet(eventOption) ? readEvent(parser.value(eventOption)) : QString();
    int remaining =
        parser.isSet(invokeOption) ? std::max(1, parser.value(repeatOption).toInt()) : 0;

    const QString object = parser.value(objectOption).remove(QStringLiteral("s3://"));
    const QString request = parser.value(requestOption);
    const qint64 advance = parser.value(advanceOption).toLongLong();
    const QString traffic = parser.value(trafficOption);
    const QString sweep = parser.value(sweepOption);
    // A projection or sweep after the invocations: the last invocation's answer starts it
    // instead of taking the screenshot.
    const bool after = !traffic.isEmpty() || !sweep.isEmpty();
    // A scripted request, advance or projection: the screenshot waits for its answer.
    const bool scripted = !request.isEmpty() || advance > 0 || after;
    if (!screenshot.isEmpty() && scripted) {
        auto shoot = [&window, screenshot] {
            QTimer::singleShot(kUnscriptedMs, &window,
                               [&window, screenshot] { saveScreenshot(window, screenshot); });
        };
        QObject::connect(bridge, &fogbank::ui::EngineBridge::httpExchanged, &window, shoot,
                         Qt::SingleShotConnection);
        QObject::connect(bridge, &fogbank::ui::EngineBridge::schedulesFired, &window, shoot,
                         Qt::SingleShotConnection);
        QObject::connect(bridge, &fogbank::ui::EngineBridge::costReady, &window,
                         [&window, screenshot, traffic](const fogbank::ui::CostReport& report) {
                             if (report.traffic == traffic)
                                 QTimer::singleShot(kUnscriptedMs, &window, [&window, screenshot] {
                                     saveScreenshot(window, screenshot);
                                 });
                         });
        QObject::connect(bridge, &fogbank::ui::EngineBridge::memorySweepFinished, &window,
                         [&window, screenshot] {
                             QTimer::singleShot(kUnscriptedMs, &window, [&window, screenshot] {
                                 saveScreenshot(window, screenshot);
                             });
                         });
    }
    QObject::connect(
        bridge, &fogbank::ui::EngineBridge::projectOpened, &window,
        [&window, &remaining, function, event, screenshot, object, request, advance, scripted] {
            if (!request.isEmpty()) {
                window.routesView()->methodBox()->setCurrentText(QStringLiteral("GET"));
                window.routesView()->pathEdit()->setText(request);
                window.routesView()->send();
            }
            if (advance > 0) {
                window.bridge()->pauseClock();
                window.bridge()->advanceClock(advance);
            }
            if (!object.isEmpty()) {
                const QString key = object.section(QLatin1Char('/'), 1);
                window.bucketBrowser()->showFolder(object.section(QLatin1Char('/'), 0, 0),
                                                   key.left(key.lastIndexOf(QLatin1Char('/')) + 1));
                window.bucketBrowser()->selectObject(key);
            }
            if (!function.isEmpty()) window.coldStartView()->selectFunction(function);
            if (!function.isEmpty() && !window.selectFunction(function)) {
                std::fprintf(stderr, "fogbank-studio: no function named %s\n",
                             qPrintable(function));
            }
            if (!event.isEmpty()) window.setEventText(event);
            if (remaining > 0 && window.invokeSelected() == 0) {
                remaining = 0;
                std::fprintf(stderr,
                             "fogbank-studio: nothing invoked: no function is selected or the "
                             "event is not JSON (a file is passed as --event @FILE)\n");
                // A scripted screenshot shows the window as it is rather than wait forever.
                if (!screenshot.isEmpty()) saveScreenshot(window, screenshot);
            } else if (remaining == 0 && !scripted && !screenshot.isEmpty()) {
                QTimer::singleShot(kUnscriptedMs, &window,
                                   [&window, screenshot] { saveScreenshot(window, screenshot); });
            }
        },
        Qt::SingleShotConnection);
    // Scripted invocations run one after another; the screenshot waits for the last one, or for
    // the first one the user starts when nothing is scripted.
    QObject::connect(bridge, &fogbank::ui::EngineBridge::invokeReturned, &window,
                     [&window, &remaining, screenshot, eventsMenu, after, traffic, sweep, event,
                      shot = false]() mutable {
                         if (remaining > 1) {
                             --remaining;
                             window.invokeSelected();
                             return;
                         }
                         remaining = 0;
                         if (after && !shot) {
                             shot = true;
                             if (!traffic.isEmpty()) window.costView()->setTraffic(traffic);
                             if (!sweep.isEmpty()) {
                                 auto* panel = window.coldStartView()->sweepView();
                                 panel->memoryEdit()->setText(sweep);
                                 if (!event.isEmpty())
                                     panel->eventEdit()->setText(event.simplified());
                                 panel->start();
                             }
                             return;
                         }
                         if (eventsMenu) window.popupEventLibrary();
                         if (!screenshot.isEmpty() && !shot) {
                             shot = true;
                             saveScreenshot(window, screenshot);
                         }
                     });
    if (!screenshot.isEmpty()) {
        QObject::connect(
            bridge, &fogbank::ui::EngineBridge::projectFailed, &window,
            [&window, screenshot] { saveScreenshot(window, screenshot); },
            Qt::SingleShotConnection);
    }

    window.show();
    if (!templatePath.isEmpty()) window.openProject(templatePath);
    return QApplication::exec();
}
