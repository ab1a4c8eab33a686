// provided.* functions: the user's own `bootstrap` executable runs unchanged and speaks the Runtime
// API itself; a bootstrap that is missing, not executable or dies early is reported clearly.
#include "test_support.h"

using namespace fbtest;

namespace {

std::string providedTemplate() {
    return R"(AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Custom:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/
      Handler: handler.run
      Runtime: provided.al2023
)";
}

std::string readFixture(const std::string& relative) {
    std::ifstream in(fixture(relative), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

constexpr auto kExecutable = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec;
constexpr auto kNotExecutable =
    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;

}  // namespace

class ProvidedRuntimeTest : public QObject {
    Q_OBJECT

  private:
    // A project with one provided.al2023 function "Custom" whose code folder fn/ is empty; each
    // test puts (or not) its own bootstrap there.
    struct TempProject {
        QTemporaryDir dir;
        fs::path root() const { return dir.path().toStdString(); }
        fs::path bootstrap() const { return root() / "fn" / "bootstrap"; }
        TempProject() {
            writeFile(root() / "template.yaml", providedTemplate());
            fs::create_directories(root() / "fn");
        }
    };

  private slots:
    void initTestCase() { prepareTestEnvironment(); }

    void bashBootstrapRunsUnchanged() {
        TestEngine engine(functionsTemplate());
        const auto r = engine.invoke("BashProvided", R"({"k":"v"})");
        FB_EXPECT_OK(r);
        QCOMPARE(q(r.payload),
                 QStringLiteral(R"({"bash":true,"handler":"handler.echo","event":{"k":"v"}})"));
        QVERIFY(r.cold);
        FB_CHECK(checkBilling(r));
        FB_CHECK(checkLogFraming(r));
        QVERIFY2(q(r.interpreter).contains(QStringLiteral("provided/bootstrap")),
                 qPrintable(q(r.interpreter)));

        // Its loop keeps polling: the next call is warm.
        const auto warm = engine.invoke("BashProvided", R"({"n":2})");
        FB_EXPECT_OK(warm);
        QVERIFY(!warm.cold);
        QCOMPARE(q(warm.sandboxId), q(r.sandboxId));
        QCOMPARE(field(payloadOf(warm), "/event/n"), QStringLiteral("2"));
    }

    void missingBootstrapIsALaunchError() {
        TempProject project;
        TestEngine engine(project.root() / "template.yaml");
        const auto r = engine.invoke("Custom");
        FB_EXPECT_STATUS(r, LaunchError);
        QCOMPARE(q(r.errorType), QStringLiteral("Runtime.LaunchError"));
        const QString message = field(payloadOf(r), "/errorMessage");
        QVERIFY2(message.contains(q(project.bootstrap())), qPrintable(message));
        QVERIFY(r.logs.empty() || findLine(r, QStringLiteral("START ")) < 0);
        QCOMPARE(r.billedMs, std::int64_t(0));
    }

    void nonExecutableBootstrapSaysChmod() {
        TempProject project;
        writeFile(project.bootstrap(), readFixture("functions/provided/bootstrap"), kNotExecutable);
        TestEngine engine(project.root() / "template.yaml");
        const auto r = engine.invoke("Custom");
        FB_EXPECT_STATUS(r, LaunchError);
        const QString message = field(payloadOf(r), "/errorMessage");
        QVERIFY2(message.contains(QStringLiteral("chmod")), qPrintable(message));
        QVERIFY2(message.contains(q(project.bootstrap())), qPrintable(message));

        // Fixing it needs no restart: the next call launches.
        fs::permissions(project.bootstrap(), kExecutable);
        const auto fixed = engine.invoke("Custom", R"({"fixed":true})");
        FB_EXPECT_OK(fixed);
        QCOMPARE(field(payloadOf(fixed), "/event/fixed"), QStringLiteral("true"));
        QCOMPARE(field(payloadOf(fixed), "/handler"), QStringLiteral("handler.run"));
    }

    // A bootstrap that dies before asking for an event: the invocation fails with its exit status
    // and what it wrote to stderr is in the log.
    void bootstrapDyingDuringInit() {
        TempProject project;
        writeFile(project.bootstrap(), "#!/bin/sh\necho 'cannot find my config' >&2\nexit 4\n",
                  kExecutable);
        TestEngine engine(project.root() / "template.yaml");
        const auto r = engine.invoke("Custom");
        FB_EXPECT_STATUS(r, RuntimeExit);
        QCOMPARE(q(r.errorType), QStringLiteral("Runtime.ExitError"));
        QVERIFY2(field(payloadOf(r), "/errorMessage")
                     .endsWith(QStringLiteral("Runtime exited with error: exit status 4")),
                 qPrintable(q(r.payload)));
        QVERIFY2(findLine(r, QStringLiteral("cannot find my config")) >= 0,
                 qPrintable(describe(r)));
        QVERIFY(r.cold);
    }
};

QTEST_GUILESS_MAIN(ProvidedRuntimeTest)
#include "test_provided_runtime.moc"
