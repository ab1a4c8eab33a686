// The fogbank command line, run as a user runs it: `fogbank invoke` prints the response on stdout
// and the log on stderr, exits 1 when the function failed and 2 when the template or the command
// is wrong, pointing at the template's line and column.
#include "test_support.h"

using namespace fbtest;

namespace {

QString fogbankExe() {
    return QStringLiteral(FOGBANK_BIN_DIR "/fogbank");
}

}  // namespace

class CliTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;

    // `fogbank invoke FUNCTION -t <fixtures template> EXTRA...`, run from a scratch folder.
    Run invoke(const QString& function, const QStringList& extra = {},
               const QByteArray& input = {}) {
        return runProcess(fogbankExe(),
                          QStringList{QStringLiteral("invoke"), function, QStringLiteral("-t"),
                                      q(functionsTemplate())} +
                              extra,
                          input, dir_.path());
    }

    // Writes `yaml` as <scratch>/<name>/template.yaml, with an empty code folder app/.
    QString writeTemplate(const QString& name, const std::string& yaml) {
        const fs::path folder = fs::path(dir_.path().toStdString()) / name.toStdString();
        fs::create_directories(folder / "app");
        writeFile(folder / "template.yaml", yaml);
        return q(folder);
    }

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY2(QFileInfo(fogbankExe()).isExecutable(), qPrintable(fogbankExe()));
    }

    void invokePrintsTheResponse() {
        writeFile(fs::path(dir_.path().toStdString()) / "event.json", R"({"from":"file"})");
        const Run run = invoke(QStringLiteral("NodeEcho"),
                               {QStringLiteral("-e"), QStringLiteral("event.json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        // stdout is the response and nothing else.
        const json response = json::parse(run.out.toStdString(), nullptr, false);
        QVERIFY2(response.is_object(), qPrintable(run.describe()));
        QCOMPARE(field(response, "/event"), QStringLiteral(R"({"from":"file"})"));
        QCOMPARE(field(response, "/context/functionName"), QStringLiteral("NodeEcho"));
        // stderr carries the log, framed as Lambda frames it.
        QVERIFY2(run.err.contains(QStringLiteral("\nSTART RequestId: ")),
                 qPrintable(run.describe()));
        QVERIFY2(run.err.contains(QStringLiteral("echo called")), qPrintable(run.describe()));
        QVERIFY2(run.err.contains(QStringLiteral("\nREPORT RequestId: ") +
                                  field(response, "/context/awsRequestId") +
                                  QStringLiteral("\tDuration: ")),
                 qPrintable(run.describe()));
        QVERIFY2(run.err.contains(QStringLiteral("\tInit Duration: ")), qPrintable(run.describe()));
    }

    void eventFromStdin() {
        const Run run =
            invoke(QStringLiteral("PyEcho"), {QStringLiteral("-e"), QStringLiteral("-")},
                   R"({"from":"stdin","n":[1,2,3]})");
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const json response = json::parse(run.out.toStdString(), nullptr, false);
        QCOMPARE(field(response, "/event"), QStringLiteral(R"({"from":"stdin","n":[1,2,3]})"));
    }

    void noEventMeansAnEmptyObject() {
        const Run run = invoke(QStringLiteral("BashProvided"));
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(run.out.trimmed(),
                 QStringLiteral(R"({"bash":true,"handler":"handler.echo","event":{}})"));
    }

    void failingFunctionExitsOne() {
        const Run run = invoke(QStringLiteral("NodeThrow"),
                               {QStringLiteral("-e"), QStringLiteral("-")}, R"({"field":"x"})");
        QVERIFY2(run.finished && run.exitCode == 1, qPrintable(run.describe()));
        const json error = json::parse(run.out.toStdString(), nullptr, false);
        QCOMPARE(field(error, "/errorType"), QStringLiteral("ValidationError"));
        QCOMPARE(field(error, "/errorMessage"), QStringLiteral("bad input: x"));
        QVERIFY2(run.err.contains(QStringLiteral("REPORT RequestId: ")),
                 qPrintable(run.describe()));

        const Run timeout = invoke(QStringLiteral("PySleep"),
                                   {QStringLiteral("-e"), QStringLiteral("-")}, R"({"ms":2000})");
        QVERIFY2(timeout.exitCode == 1, qPrintable(timeout.describe()));
        QVERIFY2(timeout.out.contains(QStringLiteral("Task timed out after 1.00 seconds")),
                 qPrintable(timeout.describe()));
    }

    void unknownFunctionListsTheFunctions() {
        const Run run = invoke(QStringLiteral("Nope"));
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY2(run.out.isEmpty(), qPrintable(run.describe()));
        QVERIFY2(run.err.contains(QStringLiteral("Nope")), qPrintable(run.describe()));
        for (const char* name : {"NodeEcho", "PyEcho", "BashProvided"})
            QVERIFY2(run.err.contains(QLatin1String(name)), qPrintable(run.describe()));
    }

    void invalidEventJson() {
        const Run run = invoke(QStringLiteral("NodeEcho"),
                               {QStringLiteral("-e"), QStringLiteral("-")}, "{not json");
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY2(run.err.contains(QStringLiteral("not valid JSON")), qPrintable(run.describe()));
    }

    // Broken templates: exit 2, and stderr starts with the template as the user named it, then
    // the line and column of the problem, as a compiler would say it.
    void brokenTemplatePointsAtTheProblem_data() {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");
        const std::string head =
            "AWSTemplateFormatVersion: '2010-09-09'\n"  // 1
            "Transform: AWS::Serverless-2016-10-31\n"   // 2
            "Resources:\n"                              // 3
            "  Fn:\n"                                   // 4
            "    Type: AWS::Serverless::Function\n"     // 5
            "    Properties:\n"                         // 6
            "      CodeUri: app/\n"                     // 7
            "      Handler: app.handler\n";             // 8
        // A tab where indentation is expected, at line 9, column 1.
        QTest::newRow("yaml syntax") << QByteArray::fromStdString(head + "\tRuntime: nodejs20.x\n")
                                     << QStringLiteral("template.yaml:9:1: ");
        // MemorySize (line 10, column 7) is not a number.
        QTest::newRow("MemorySize: abc")
            << QByteArray::fromStdString(head +
                                         "      Runtime: nodejs20.x\n      MemorySize: abc\n")
            << QStringLiteral("template.yaml:10:7: MemorySize must be a number");
    }
    void brokenTemplatePointsAtTheProblem() {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        const QString folder = writeTemplate(
            QString::fromLatin1(QTest::currentDataTag()).replace(' ', '_').remove(':'),
            yaml.toStdString());
        // As a user types it, from the project's folder: with -t template.yaml, and with no -t.
        for (const QStringList& args :
             {QStringList{QStringLiteral("invoke"), QStringLiteral("Fn"), QStringLiteral("-t"),
                          QStringLiteral("template.yaml")},
              QStringList{QStringLiteral("invoke"), QStringLiteral("Fn")},
              QStringList{QStringLiteral("functions")}}) {
            const Run run = runProcess(fogbankExe(), args, {}, folder);
            const QString context = args.join(' ') + QStringLiteral(": ") + run.describe();
            QVERIFY2(run.exitCode == 2, qPrintable(context));
            QVERIFY2(run.err.startsWith(expected), qPrintable(context));
            QVERIFY2(run.out.isEmpty(), qPrintable(context));
        }
        // Given a full path, it quotes the full path.
        const QString path = folder + QStringLiteral("/template.yaml");
        const Run run = runProcess(fogbankExe(), {QStringLiteral("invoke"), QStringLiteral("Fn"),
                                                  QStringLiteral("-t"), path});
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY2(run.err.startsWith(folder + QStringLiteral("/") + expected),
                 qPrintable(run.describe()));
    }

    void missingTemplate() {
        const Run run = runProcess(fogbankExe(),
                                   {QStringLiteral("invoke"), QStringLiteral("Fn"),
                                    QStringLiteral("-t"), QStringLiteral("nothing.yaml")},
                                   {}, dir_.path());
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY2(run.err.startsWith(QStringLiteral("nothing.yaml: ")), qPrintable(run.describe()));
    }

    void functionsListsTheTemplate() {
        const Run run = runProcess(fogbankExe(), {QStringLiteral("functions"), QStringLiteral("-t"),
                                                  q(functionsTemplate())});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 15, qPrintable(run.describe()));
        for (const QString& line : lines) QCOMPARE(line.count(QLatin1Char('\t')), 6);
        QVERIFY2(run.out.contains(
                     QStringLiteral("NodeEcho\tNodeEcho\tnodejs20.x\techo.handler\t128 MB\t3 s\t")),
                 qPrintable(run.describe()));
        QVERIFY2(run.out.contains(QStringLiteral(
                     "NodeSleep\tNodeSleep\tnodejs20.x\tsleep.handler\t128 MB\t1 s\t")),
                 qPrintable(run.describe()));
    }

    // Usage errors exit 2, like a bad template, and say what is wrong.
    void usageErrorsExitTwo() {
        const Run none = runProcess(fogbankExe(), {});
        QVERIFY2(none.exitCode == 2, qPrintable(none.describe()));
        QVERIFY2(none.err.contains(QStringLiteral("subcommand")), qPrintable(none.describe()));
        const Run noFunction = runProcess(fogbankExe(), {QStringLiteral("invoke")});
        QVERIFY2(noFunction.exitCode == 2, qPrintable(noFunction.describe()));
        QVERIFY2(noFunction.err.contains(QStringLiteral("function")),
                 qPrintable(noFunction.describe()));
        const Run unknownFlag = runProcess(
            fogbankExe(),
            {QStringLiteral("invoke"), QStringLiteral("NodeEcho"), QStringLiteral("--bogus")});
        QVERIFY2(unknownFlag.exitCode == 2, qPrintable(unknownFlag.describe()));
        QVERIFY2(unknownFlag.err.contains(QStringLiteral("--bogus")),
                 qPrintable(unknownFlag.describe()));
        // --help is not an error.
        const Run help = runProcess(fogbankExe(), {QStringLiteral("--help")});
        QVERIFY2(help.exitCode == 0, qPrintable(help.describe()));
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "test_cli.moc"
