// `fogbank replay`: invocations recorded by `fogbank invoke` run again from the store, to the same
// function or another, and --compare catches a handler whose answer changed (naming the path that
// differs); events from files (an array, JSON Lines, recorded pairs) run the same way. Everything
// runs on a copy of fixtures/replay, so that changing a handler touches nothing shared.
#include "emulator/trace/invocation_store.h"
#include "test_support.h"

using namespace fbtest;

namespace {

QString fogbankExe() {
    return QStringLiteral(FOGBANK_BIN_DIR "/fogbank");
}

const char* kOrderA = R"({"order":"A","items":[{"name":"apple","qty":2},{"name":"pear","qty":3}]})";
const char* kOrderB = R"({"order":"B","items":[{"name":"plum","qty":5}]})";

}  // namespace

class ReplayTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;
    QString idA_, idB_;

    fs::path root() const { return fs::path(dir_.path().toStdString()); }
    QString templatePath() const { return q(root() / "template.yaml"); }

    Run fogbank(const QStringList& args, const QByteArray& input = {}) {
        return runProcess(fogbankExe(), args, input, dir_.path());
    }
    Run replay(const QStringList& args) {
        return fogbank(QStringList{QStringLiteral("replay"), QStringLiteral("-t"), templatePath()} +
                       args);
    }

    // Runs `fogbank invoke` (which records the invocation) and returns its request id.
    QString record(const QString& function, const QByteArray& event, int expectedExit = 0) {
        const Run run = fogbank({QStringLiteral("invoke"), function, QStringLiteral("-t"),
                                 templatePath(), QStringLiteral("-e"), QStringLiteral("-")},
                                event);
        if (run.exitCode != expectedExit) {
            qWarning("%s", qPrintable(run.describe()));
            return {};
        }
        const auto m = QRegularExpression(QStringLiteral("START RequestId: (\\S+)")).match(run.err);
        return m.hasMatch() ? m.captured(1) : QString();
    }

    static json responseBody(const QString& line) {
        const json response = json::parse(line.toStdString(), nullptr, false);
        if (!response.is_object() || !response.contains("body")) return json();
        return json::parse(response["body"].get<std::string>(), nullptr, false);
    }

  private slots:
    void initTestCase() {
        prepareTestEnvironment();
        QVERIFY(dir_.isValid());
        QVERIFY2(QFileInfo(fogbankExe()).isExecutable(), qPrintable(fogbankExe()));
        fs::copy(fixture("replay"), root(), fs::copy_options::recursive);
        idA_ = record(QStringLiteral("PyPrices"), kOrderA);
        idB_ = record(QStringLiteral("PyPrices"), kOrderB);
        QVERIFY2(!idA_.isEmpty() && !idB_.isEmpty(), "fogbank invoke did not record");
    }

    void unchangedCodeReplaysTheSame() {
        const Run run = replay({idA_, idB_, QStringLiteral("--compare")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(QRegularExpression("^" + idA_ + " -> \\S+ PyPrices: same$",
                                    QRegularExpression::MultilineOption)
                     .match(run.out)
                     .hasMatch(),
                 qPrintable(run.describe()));
        QVERIFY2(run.out.contains(idB_ + " -> "), qPrintable(run.describe()));
        QVERIFY2(run.out.contains("2 replayed: 2 same, 0 different, 0 failed"),
                 qPrintable(run.describe()));

        // The replays are recorded too, as replays, with the event they were given.
        fogbank::InvocationStore store(root() / ".fogbank");
        fogbank::InvocationQuery query;
        query.function = "PyPrices";
        int replays = 0;
        for (const auto& stored : store.list(query)) {
            if (stored.trigger != fogbank::Trigger::Replay) continue;
            ++replays;
            QVERIFY2(stored.event == json::parse(kOrderA).dump() ||
                         stored.event == json::parse(kOrderB).dump() || stored.event == kOrderA ||
                         stored.event == kOrderB,
                     stored.event.c_str());
        }
        QVERIFY2(replays >= 2, qPrintable(QString::number(replays)));
    }

    // Without --compare: the new response on stdout, as `invoke` prints it; status on stderr.
    void replayPrintsTheNewResponse() {
        const Run run = replay({idA_});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        QCOMPARE(field(responseBody(lines[0]), "/total"), QStringLiteral("18"));
        QVERIFY2(run.err.contains("replay " + idA_ + " -> "), qPrintable(run.describe()));
        QVERIFY2(run.err.contains(" PyPrices: success ("), qPrintable(run.describe()));
    }

    // The same events to another function (Node, same prices): the bodies differ only in JSON
    // formatting, which the comparison ignores.
    void replayToAnotherFunction() {
        const Run run = replay({idA_, idB_, QStringLiteral("--function"),
                                QStringLiteral("NodePrices"), QStringLiteral("--compare")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(run.out.contains(" NodePrices: same"), qPrintable(run.describe()));
        QVERIFY2(!run.out.contains("PyPrices"), qPrintable(run.describe()));
    }

    void changedHandlerIsCaught() {
        const fs::path handler = root() / "python" / "prices.py";
        std::string original;
        {
            std::ifstream in(handler);
            original.assign(std::istreambuf_iterator<char>(in), {});
        }
        std::string changed = original;
        const auto at = changed.find("\"pear\": 4");
        QVERIFY(at != std::string::npos);
        changed.replace(at, 9, "\"pear\": 5");
        writeFile(handler, changed);

        const Run run = replay({idA_, idB_, QStringLiteral("--compare")});
        writeFile(handler, original);
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        // Order A has 3 pears: its price, subtotal and total moved; order B has none.
        QVERIFY2(run.out.contains(idA_ + " -> "), qPrintable(run.describe()));
        QVERIFY2(run.out.contains(" PyPrices: 3 differences\n"), qPrintable(run.describe()));
        QVERIFY2(run.out.contains("  $.body.items[1].price: 4 -> 5\n"), qPrintable(run.describe()));
        QVERIFY2(run.out.contains("  $.body.items[1].subtotal: 12 -> 15\n"),
                 qPrintable(run.describe()));
        QVERIFY2(run.out.contains("  $.body.total: 18 -> 21\n"), qPrintable(run.describe()));
        QVERIFY2(QRegularExpression("^" + idB_ + " -> \\S+ PyPrices: same$",
                                    QRegularExpression::MultilineOption)
                     .match(run.out)
                     .hasMatch(),
                 qPrintable(run.describe()));
        QVERIFY2(run.out.contains("2 replayed: 1 same, 1 different, 0 failed"),
                 qPrintable(run.describe()));

        // Paths that may differ can be ignored (one path per --ignore: the id after it is an id).
        writeFile(handler, changed);
        const Run ignoring =
            replay({QStringLiteral("--compare"), QStringLiteral("--ignore"),
                    QStringLiteral("$.body.items[*].price"), QStringLiteral("--ignore"),
                    QStringLiteral("$.body.items[*].subtotal"), QStringLiteral("--ignore"),
                    QStringLiteral("$.body.total"), idA_});
        writeFile(handler, original);
        QVERIFY2(ignoring.exitCode == 0, qPrintable(ignoring.describe()));
        QVERIFY2(ignoring.out.contains(" PyPrices: same"), qPrintable(ignoring.describe()));

        // Back as it was: the same again.
        const Run again = replay({idA_, QStringLiteral("--compare")});
        QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    }

    // A failed replay shows Lambda's errorType and errorMessage and exits 1.
    void failuresAreShown() {
        const QString failedId =
            record(QStringLiteral("PyPrices"), R"({"fail":true,"order":"o-9"})", 1);
        QVERIFY(!failedId.isEmpty());
        const Run compared = replay({failedId, QStringLiteral("--compare")});
        QVERIFY2(compared.exitCode == 1, qPrintable(compared.describe()));
        QVERIFY2(compared.out.contains(failedId + " -> "), qPrintable(compared.describe()));
        QVERIFY2(compared.out.contains("failed: error OrderError: cannot price order o-9"),
                 qPrintable(compared.describe()));
        QVERIFY2(compared.out.contains("0 same, 0 different, 1 failed"),
                 qPrintable(compared.describe()));

        const Run plain =
            replay({failedId, QStringLiteral("--function"), QStringLiteral("NodePrices")});
        QVERIFY2(plain.exitCode == 1, qPrintable(plain.describe()));
        QVERIFY2(plain.err.contains("NodePrices: error OrderError: cannot price order o-9"),
                 qPrintable(plain.describe()));
        QCOMPARE(field(json::parse(plain.out.toStdString(), nullptr, false), "/errorType"),
                 QStringLiteral("OrderError"));
    }

    void unknownRequestIdIsNamed() {
        const Run run = replay({idA_, QStringLiteral("no-such-request-1234")});
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY2(run.err.contains("no-such-request-1234"), qPrintable(run.describe()));
        QVERIFY2(run.err.contains("fogbank.db"), qPrintable(run.describe()));
        QVERIFY2(run.out.isEmpty(), qPrintable(run.describe()));  // nothing ran
    }

    void usageErrors() {
        const Run none = replay({});
        QVERIFY2(none.exitCode == 2, qPrintable(none.describe()));
        const Run noFunction = replay({QStringLiteral("--events"), QStringLiteral("x.json")});
        QVERIFY2(noFunction.exitCode == 2 && noFunction.err.contains("--function"),
                 qPrintable(noFunction.describe()));
        const Run badFunction =
            replay({idA_, QStringLiteral("--function"), QStringLiteral("Nope")});
        QVERIFY2(badFunction.exitCode == 2, qPrintable(badFunction.describe()));
        QVERIFY2(badFunction.err.contains("Nope") && badFunction.err.contains("PyPrices") &&
                     badFunction.err.contains("NodeRecords"),
                 qPrintable(badFunction.describe()));
        const Run badIgnore = replay({idA_, QStringLiteral("--compare"), QStringLiteral("--ignore"),
                                      QStringLiteral("body")});
        QVERIFY2(badIgnore.exitCode == 2 && badIgnore.err.contains("body"),
                 qPrintable(badIgnore.describe()));
    }

    void eventsFromAnArray() {
        writeFile(root() / "events.json", std::string("[") + kOrderA + ",\n" + kOrderB + "]");
        const Run run = replay({QStringLiteral("--events"), QStringLiteral("events.json"),
                                QStringLiteral("--function"), QStringLiteral("NodePrices")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(field(responseBody(lines[0]), "/order"), QStringLiteral("A"));
        QCOMPARE(field(responseBody(lines[0]), "/total"), QStringLiteral("18"));
        QCOMPARE(field(responseBody(lines[1]), "/order"), QStringLiteral("B"));
        QCOMPARE(field(responseBody(lines[1]), "/total"), QStringLiteral("10"));
        QVERIFY2(run.err.contains("replay events.json[1] -> "), qPrintable(run.describe()));
        // Plain events have nothing to compare with: said, not counted as a difference.
        const Run compared = replay({QStringLiteral("--events"), QStringLiteral("events.json"),
                                     QStringLiteral("--function"), QStringLiteral("NodePrices"),
                                     QStringLiteral("--compare")});
        QVERIFY2(compared.exitCode == 0, qPrintable(compared.describe()));
        QVERIFY2(compared.out.contains("nothing recorded to compare with"),
                 qPrintable(compared.describe()));
    }

    void eventsFromJsonLines() {
        writeFile(root() / "events.jsonl", std::string(kOrderB) + "\n\n" + kOrderA + "\n" +
                                               R"({"order":"C","items":[]})" + "\n");
        const Run run = replay({QStringLiteral("--events"), QStringLiteral("events.jsonl"),
                                QStringLiteral("--function"), QStringLiteral("PyPrices")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(field(responseBody(lines[0]), "/order"), QStringLiteral("B"));
        QCOMPARE(field(responseBody(lines[1]), "/order"), QStringLiteral("A"));
        QCOMPARE(field(responseBody(lines[2]), "/total"), QStringLiteral("0"));
        // Labels are FILE:LINE.
        QVERIFY2(run.err.contains("replay events.jsonl:3 -> "), qPrintable(run.describe()));

        // From stdin too.
        const Run piped = fogbank({QStringLiteral("replay"), QStringLiteral("-t"), templatePath(),
                                   QStringLiteral("--events"), QStringLiteral("-"),
                                   QStringLiteral("--function"), QStringLiteral("NodePrices")},
                                  QByteArray(kOrderB) + "\n" + kOrderB + "\n");
        QVERIFY2(piped.exitCode == 0, qPrintable(piped.describe()));
        QCOMPARE(piped.out.split('\n', Qt::SkipEmptyParts).size(), 2);

        writeFile(root() / "broken.jsonl", std::string(kOrderA) + "\n{oops\n");
        const Run broken = replay({QStringLiteral("--events"), QStringLiteral("broken.jsonl"),
                                   QStringLiteral("--function"), QStringLiteral("PyPrices")});
        QVERIFY2(broken.exitCode == 2, qPrintable(broken.describe()));
        QVERIFY2(broken.err.contains("broken.jsonl:2"), qPrintable(broken.describe()));
        QVERIFY2(broken.out.isEmpty(), qPrintable(broken.describe()));
    }

    // {"event", "response"} entries are recorded pairs: --compare diffs with "response".
    void recordedPairsFromAFileAreCompared() {
        const Run live =
            fogbank({QStringLiteral("invoke"), QStringLiteral("PyPrices"), QStringLiteral("-t"),
                     templatePath(), QStringLiteral("-e"), QStringLiteral("-")},
                    kOrderA);
        QVERIFY2(live.exitCode == 0, qPrintable(live.describe()));
        const json good = json::parse(live.out.toStdString());
        json wrong = good;
        json body = json::parse(wrong["body"].get<std::string>());
        body["total"] = 99;
        wrong["body"] = body.dump();
        const json pairs = json::array({{{"event", json::parse(kOrderA)}, {"response", good}},
                                        {{"event", json::parse(kOrderA)}, {"response", wrong}}});
        writeFile(root() / "pairs.json", pairs.dump(2));
        const Run run = replay({QStringLiteral("--events"), QStringLiteral("pairs.json"),
                                QStringLiteral("--function"), QStringLiteral("PyPrices"),
                                QStringLiteral("--compare")});
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
        QVERIFY2(QRegularExpression("^pairs\\.json\\[0\\] -> \\S+ PyPrices: same$",
                                    QRegularExpression::MultilineOption)
                     .match(run.out)
                     .hasMatch(),
                 qPrintable(run.describe()));
        QVERIFY2(run.out.contains(" PyPrices: 1 difference\n  $.body.total: 99 -> 18\n"),
                 qPrintable(run.describe()));
        QVERIFY2(run.out.contains("2 replayed: 1 same, 1 different, 0 failed"),
                 qPrintable(run.describe()));
    }
};

QTEST_GUILESS_MAIN(ReplayTest)
#include "test_replay.moc"
