// Editing a function's code while the engine runs: the next call gets the new code in a new
// (cold) sandbox; a call already running finishes with the code it started with.
#include "test_support.h"

#include <mutex>

using namespace fbtest;

namespace {

const char* kTemplate = R"(AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  NodeVersion:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: node/
      Handler: app.handler
      Runtime: nodejs20.x
  PyVersion:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: python/
      Handler: app.lambda_handler
      Runtime: python3.11
)";

// Handlers that say which version they are; {waitFor: path} holds them until the file exists.
std::string nodeHandler(int version) {
    return "'use strict';\n"
           "const fs = require('fs');\n"
           "const { setTimeout: sleep } = require('timers/promises');\n"
           "exports.handler = async (event) => {\n"
           "  console.log('running version " +
           std::to_string(version) +
           "');\n"
           "  while (event.waitFor && !fs.existsSync(event.waitFor)) await sleep(10);\n"
           "  return { version: " +
           std::to_string(version) +
           ", pid: process.pid };\n"
           "};\n";
}

std::string pythonHandler(int version) {
    return "import os\n"
           "import time\n\n\n"
           "def lambda_handler(event, context):\n"
           "    print('running version " +
           std::to_string(version) +
           "')\n"
           "    while event.get('waitFor') and not os.path.exists(event['waitFor']):\n"
           "        time.sleep(0.01)\n"
           "    return {'version': " +
           std::to_string(version) + ", 'pid': os.getpid()}\n";
}

// Every log line the engine reports, for waiting on a handler's own output.
class LogWatcher : public fogbank::EngineObserver {
  public:
    void logLine(const std::string&, const fogbank::LogLine& line) override {
        std::lock_guard lock(mutex_);
        lines_.push_back(line.text);
    }
    bool saw(const std::string& text) {
        std::lock_guard lock(mutex_);
        for (const auto& line : lines_)
            if (line.find(text) != std::string::npos) return true;
        return false;
    }

  private:
    std::mutex mutex_;
    std::vector<std::string> lines_;
};

}  // namespace

class CodeChangeTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;
    int goCounter_ = 0;

    fs::path root() const { return dir_.path().toStdString(); }
    fs::path handlerPath(const QString& function) const {
        return function == QStringLiteral("NodeVersion") ? root() / "node" / "app.js"
                                                         : root() / "python" / "app.py";
    }

    // Writes version `version` of the function's handler, in place or as editors that save
    // atomically do (a temporary file renamed over the old one).
    void writeHandler(const QString& function, int version, bool atomically = false) {
        const fs::path path = handlerPath(function);
        const std::string code = function == QStringLiteral("NodeVersion") ? nodeHandler(version)
                                                                           : pythonHandler(version);
        if (!atomically) {
            writeFile(path, code);
            return;
        }
        const fs::path temporary = path.parent_path() / ".app.tmp";
        writeFile(temporary, code);
        fs::rename(temporary, path);
    }

    void addFunctionRows() {
        QTest::addColumn<QString>("function");
        QTest::addColumn<bool>("atomically");
        QTest::newRow("node, saved in place") << QStringLiteral("NodeVersion") << false;
        QTest::newRow("node, saved by rename") << QStringLiteral("NodeVersion") << true;
        QTest::newRow("python, saved in place") << QStringLiteral("PyVersion") << false;
        QTest::newRow("python, saved by rename") << QStringLiteral("PyVersion") << true;
    }

  private slots:
    void initTestCase() {
        prepareTestEnvironment();
        QVERIFY(dir_.isValid());
        writeFile(root() / "template.yaml", kTemplate);
    }
    // Each test starts from version 1 of both handlers.
    void init() {
        writeHandler(QStringLiteral("NodeVersion"), 1);
        writeHandler(QStringLiteral("PyVersion"), 1);
    }

    void nextCallRunsTheNewCode_data() { addFunctionRows(); }
    void nextCallRunsTheNewCode() {
        QFETCH(QString, function);
        QFETCH(bool, atomically);
        const std::string name = function.toStdString();
        TestEngine engine(root() / "template.yaml");

        const auto first = engine.invoke(name);
        FB_EXPECT_OK(first);
        QCOMPARE(field(payloadOf(first), "/version"), QStringLiteral("1"));
        const auto unchanged = engine.invoke(name);
        FB_EXPECT_OK(unchanged);
        QVERIFY(!unchanged.cold);  // nothing changed: the sandbox stays warm

        writeHandler(function, 2, atomically);
        const auto changed = engine.invoke(name);
        FB_EXPECT_OK(changed);
        QCOMPARE(field(payloadOf(changed), "/version"), QStringLiteral("2"));
        QVERIFY(changed.cold);
        const qint64 oldPid = intField(payloadOf(first), "/pid");
        QVERIFY(intField(payloadOf(changed), "/pid") != oldPid);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(oldPid), 10000);

        const auto after = engine.invoke(name);
        FB_EXPECT_OK(after);
        QVERIFY(!after.cold);
        QCOMPARE(field(payloadOf(after), "/version"), QStringLiteral("2"));
    }

    void runningCallKeepsItsCode_data() { addFunctionRows(); }
    void runningCallKeepsItsCode() {
        QFETCH(QString, function);
        QFETCH(bool, atomically);
        const std::string name = function.toStdString();
        LogWatcher watcher;  // outlives the engine, which may log while it stops
        TestEngine engine(root() / "template.yaml");
        engine->addObserver(&watcher);

        const QString go = dir_.filePath(QStringLiteral("go-%1").arg(++goCounter_));
        auto running = engine.invokeAsync(name, json{{"waitFor", go.toStdString()}}.dump());
        QTRY_VERIFY_WITH_TIMEOUT(watcher.saw("running version 1"), 30000);

        writeHandler(function, 2, atomically);
        writeFile(go.toStdString(), "go");
        const auto old = await(std::move(running));
        FB_EXPECT_OK(old);
        QCOMPARE(field(payloadOf(old), "/version"), QStringLiteral("1"));

        const auto next = engine.invoke(name);
        FB_EXPECT_OK(next);
        QCOMPARE(field(payloadOf(next), "/version"), QStringLiteral("2"));
        QVERIFY(next.cold);
        QVERIFY(intField(payloadOf(next), "/pid") != intField(payloadOf(old), "/pid"));
    }
};

QTEST_GUILESS_MAIN(CodeChangeTest)
#include "test_code_change.moc"
