// Provisioned-concurrency style pre-warming with real Node sandboxes: the asked-for sandboxes are
// started before anything invokes the function, the first invocation finds one warm (no init, as
// Lambda reports for provisioned concurrency), idle reaping leaves them alone while it stops an
// ordinary function's, turning it off lets them go, and the template's
// ProvisionedConcurrencyConfig is read (and refused when malformed, at its line).
#include "test_support.h"

using namespace fbtest;

namespace {
// Node's start-up takes well under a second even under ASan; this only bounds a broken build.
constexpr int kWarmTimeoutMs = 60'000;
}  // namespace

class PrewarmTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { prepareTestEnvironment(); }

    void keepsSandboxesWarmUntilToldOtherwise() {
        TestEngine engine(functionsTemplate(), [](EngineConfig& c) {
            c.prewarm["NodeEcho"] = 2;
            c.idleTimeout = std::chrono::milliseconds(300);
        });
        const auto echo = engine.spec("NodeEcho").functionName;
        const auto other = engine.spec("NodeEsm").functionName;
        // Up before anyone asked.
        QTRY_COMPARE_WITH_TIMEOUT(engine.sandboxCount(echo), 2, kWarmTimeoutMs);

        // Give them time to reach the Runtime API's first /next (nothing outside the sandbox
        // shows that moment); an invocation then finds one idle and warm.
        QTest::qWait(3000);
        const auto first = engine.invoke("NodeEcho", R"({"n": 1})");
        QVERIFY2(first.ok(), qPrintable(describe(first)));
        QVERIFY2(!first.cold, qPrintable(describe(first)));
        QCOMPARE(first.initMs, 0.0);
        QVERIFY(!lineStartingWith(first, QStringLiteral("REPORT"))
                     .contains(QStringLiteral("Init Duration")));

        // An ordinary function's sandbox is reaped after the idle timeout; the warm ones are not.
        QVERIFY(engine.invoke("NodeEsm").ok());
        QTRY_COMPARE_WITH_TIMEOUT(engine.sandboxCount(other), 0, kWarmTimeoutMs);
        QCOMPARE(engine.sandboxCount(echo), 2);

        // Off: they go idle like any other and are reaped.
        std::promise<std::string> off;
        engine->setPrewarm("NodeEcho", 0, [&off](std::string error) { off.set_value(error); });
        QCOMPARE(QString::fromStdString(off.get_future().get()), QString());
        QTRY_COMPARE_WITH_TIMEOUT(engine.sandboxCount(echo), 0, kWarmTimeoutMs);

        // And on again from the API, within the concurrency limit.
        std::promise<std::string> on;
        engine->setPrewarm("NodeEcho", 3, [&on](std::string error) { on.set_value(error); });
        QCOMPARE(QString::fromStdString(on.get_future().get()), QString());
        QTRY_COMPARE_WITH_TIMEOUT(engine.sandboxCount(echo), 3, kWarmTimeoutMs);

        std::promise<std::string> unknown;
        engine->setPrewarm("NoSuchFunction", 1,
                           [&unknown](std::string error) { unknown.set_value(error); });
        QVERIFY(QString::fromStdString(unknown.get_future().get())
                    .contains(QStringLiteral("no function named NoSuchFunction")));
    }

    void readsProvisionedConcurrencyFromTheTemplate() {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        writeFile(root / "fn" / "app.js", "exports.handler = async () => 'ok';\n");
        const std::string head =
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Warm:\n"
            "    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: fn/\n"
            "      Handler: app.handler\n      Runtime: nodejs20.x\n      AutoPublishAlias: live\n";
        writeFile(root / "template.yaml", head +
                                              "      ProvisionedConcurrencyConfig:\n        "
                                              "ProvisionedConcurrentExecutions: 2\n");
        QCOMPARE(
            fogbank::loadProject(root / "template.yaml", {}).functions.at(0).provisionedConcurrency,
            2);

        writeFile(root / "template.yaml", head +
                                              "      ProvisionedConcurrencyConfig:\n        "
                                              "ProvisionedConcurrentExecutions: lots\n");
        try {
            fogbank::loadProject(root / "template.yaml", {});
            QFAIL("a malformed ProvisionedConcurrencyConfig was accepted");
        } catch (const fogbank::TemplateError& e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY2(what.contains(QStringLiteral("template.yaml:10:")), qPrintable(what));
            QVERIFY2(what.contains(QStringLiteral("ProvisionedConcurrentExecutions")),
                     qPrintable(what));
        }
    }
};

QTEST_GUILESS_MAIN(PrewarmTest)
#include "test_prewarm.moc"
