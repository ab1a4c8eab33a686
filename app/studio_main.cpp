// fogbank-studio: the window over the engine. Everything here is argument handling; the window
// and the engine do the work.
//
// FOGBANK_SCREENSHOT=out.png saves the window once the first invocation has finished (or the
// project failed to open) and quits: with --invoke it makes the README's pictures reproducible.
#include "ui/engine_bridge.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>

namespace {

// Lets the last invocation's rows and panes paint before the window is grabbed.
constexpr int kSettleMs = 600;

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

void arrangeScreenshot(fogbank::ui::MainWindow& window, const QString& path) {
    auto shoot = [&window, path] {
        QTimer::singleShot(kSettleMs, &window, [&window, path] {
            if (!window.grab().save(path)) {
                std::fprintf(stderr, "fogbank-studio: could not write %s\n", qPrintable(path));
            }
            QApplication::quit();
        });
    };
    auto* bridge = window.bridge();
    QObject::connect(bridge, &fogbank::ui::EngineBridge::invokeReturned, &window, shoot,
                     Qt::SingleShotConnection);
    QObject::connect(bridge, &fogbank::ui::EngineBridge::projectFailed, &window, shoot,
                     Qt::SingleShotConnection);
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
        QStringLiteral("function"), QStringLiteral("Select this function once the project is open."),
        QStringLiteral("name"));
    const QCommandLineOption eventOption(
        QStringLiteral("event"), QStringLiteral("Put this event in the editor (JSON, or @file)."),
        QStringLiteral("json"));
    const QCommandLineOption invokeOption(
        QStringLiteral("invoke"), QStringLiteral("Invoke the selected function once it is open."));
    parser.addOptions({functionOption, eventOption, invokeOption});
    parser.process(app);

    QString templatePath;
    if (!parser.positionalArguments().isEmpty()) {
        templatePath = parser.positionalArguments().constFirst();
    } else if (QFileInfo::exists(QStringLiteral("template.yaml"))) {
        templatePath = QStringLiteral("template.yaml");
    }

    fogbank::ui::MainWindow window;
    const QString screenshot = qEnvironmentVariable("FOGBANK_SCREENSHOT");
    if (!screenshot.isEmpty()) arrangeScreenshot(window, screenshot);

    const QString function = parser.value(functionOption);
    const QString event = parser.isSet(eventOption) ? readEvent(parser.value(eventOption)) : QString();
    const bool invoke = parser.isSet(invokeOption);
    QObject::connect(
        window.bridge(), &fogbank::ui::EngineBridge::projectOpened, &window,
        [&window, function, event, invoke] {
            if (!function.isEmpty() && !window.selectFunction(function)) {
                std::fprintf(stderr, "fogbank-studio: no function named %s\n",
                             qPrintable(function));
            }
            if (!event.isEmpty()) window.setEventText(event);
            if (invoke) window.invokeSelected();
        },
        Qt::SingleShotConnection);

    window.show();
    if (!templatePath.isEmpty()) window.openProject(templatePath);
    return QApplication::exec();
}
