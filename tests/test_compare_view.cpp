// The replay compare view: lines aligned side by side as a diff shows them, differing lines
// highlighted on both sides, and the JSON differences named by path.
#include "ui/compare_view.h"

#include <QListWidget>
#include <QPlainTextEdit>
#include <QtTest>

using fogbank::InvocationStatus;
using fogbank::ui::AlignedLine;
using fogbank::ui::alignLines;
using fogbank::ui::CompareView;
using fogbank::ui::InvocationRecord;
using Kind = AlignedLine::Kind;

namespace {

QString kinds(const std::vector<AlignedLine>& lines) {
    QString out;
    for (const AlignedLine& line : lines) {
        switch (line.kind) {
            case Kind::Same:
                out += QLatin1Char('=');
                break;
            case Kind::Changed:
                out += QLatin1Char('~');
                break;
            case Kind::Removed:
                out += QLatin1Char('-');
                break;
            case Kind::Added:
                out += QLatin1Char('+');
                break;
        }
    }
    return out;
}

InvocationRecord record(const QString& id, const QString& payload,
                        InvocationStatus status = InvocationStatus::Success) {
    InvocationRecord r;
    r.requestId = id;
    r.function = QStringLiteral("fn");
    r.payload = payload;
    r.status = status;
    return r;
}

}  // namespace

class TestCompareView : public QObject {
    Q_OBJECT

  private slots:
    void alignsLikeASideBySideDiff() {
        QCOMPARE(kinds(alignLines({"a", "b", "c"}, {"a", "b", "c"})), QStringLiteral("==="));
        QCOMPARE(kinds(alignLines({"a", "b", "c"}, {"a", "x", "c"})), QStringLiteral("=~="));
        QCOMPARE(kinds(alignLines({"a", "b", "c"}, {"a", "c"})), QStringLiteral("=-="));
        QCOMPARE(kinds(alignLines({"a", "c"}, {"a", "b", "b2", "c"})), QStringLiteral("=++="));
        // Two dropped, one added between kept lines: one pair, one left alone.
        const auto lines = alignLines({"a", "b", "c", "d"}, {"a", "x", "d"});
        QCOMPARE(kinds(lines), QStringLiteral("=~-="));
        QCOMPARE(lines[1].left, QStringLiteral("b"));
        QCOMPARE(lines[1].right, QStringLiteral("x"));
        QCOMPARE(lines[2].left, QStringLiteral("c"));
        QVERIFY(lines[2].right.isEmpty());
        QCOMPARE(kinds(alignLines({}, {"a"})), QStringLiteral("+"));
        QCOMPARE(kinds(alignLines({"a"}, {})), QStringLiteral("-"));
    }

    void hugeMiddlesAreOneBlock() {
        // Beyond the LCS budget the differing middle is paired line by line, not computed.
        QStringList before;
        QStringList after;
        for (int i = 0; i < 3000; ++i) {
            before << QStringLiteral("old %1").arg(i);
            after << QStringLiteral("new %1").arg(i);
        }
        before.prepend(QStringLiteral("{"));
        after.prepend(QStringLiteral("{"));
        const auto lines = alignLines(before, after);
        QCOMPARE(lines.size(), std::size_t(3001));
        QCOMPARE(lines.front().kind, Kind::Same);
        QCOMPARE(lines.back().kind, Kind::Changed);
    }

    void showsBothSidesAndWhatDiffers() {
        CompareView view;
        const int first = view.addReplay(record(QStringLiteral("old-1"), QString()));
        QCOMPARE(view.count(), 1);
        QCOMPARE(view.currentIndex(), first);
        QVERIFY(!view.comparison(first).finished());
        QVERIFY(view.list()->item(0)->text().contains(QStringLiteral("running")));

        view.setOriginal(
            first, record(QStringLiteral("old-1"),
                          QStringLiteral("{\"a\":1,\"body\":\"{\\\"n\\\":1}\",\"c\":[1,2]}")));
        view.setReplayed(
            first, record(QStringLiteral("new-1"),
                          QStringLiteral("{\"a\":1,\"body\":\"{\\\"n\\\":2}\",\"c\":[1,2]}")));
        const CompareView::Comparison& c = view.comparison(first);
        QVERIFY(c.finished());
        QVERIFY(!c.identical());
        QCOMPARE(c.differingLines, 1);
        QCOMPARE(c.changes, QStringList{QStringLiteral("$.body.n: 1 -> 2")});
        QCOMPARE(view.oldView()->document()->blockCount(),
                 view.newView()->document()->blockCount());
        QCOMPARE(view.oldView()->extraSelections().size(), 1);
        QCOMPARE(view.newView()->extraSelections().size(), 1);
        QVERIFY(view.changesView()->toPlainText().contains(QStringLiteral("$.body.n: 1 -> 2")));

        const int second = view.addReplay(record(QStringLiteral("old-2"), QStringLiteral("[1]")));
        view.setReplayed(second, record(QStringLiteral("new-2"), QStringLiteral("[1]")));
        QVERIFY(view.comparison(second).identical());
        QVERIFY(view.list()->item(second)->text().contains(QStringLiteral("same")));

        const int third = view.addReplay(record(QStringLiteral("old-3"), QStringLiteral("{}")));
        view.setReplayed(third,
                         record(QStringLiteral("new-3"), QStringLiteral("{\"errorType\":\"Boom\"}"),
                                InvocationStatus::FunctionError));
        QVERIFY(view.comparison(third).statusChanged);
        view.setCurrentIndex(third);
        QVERIFY(
            view.changesView()->toPlainText().startsWith(QStringLiteral("status: OK -> Error")));

        const int fourth = view.addReplay(record(QStringLiteral("gone"), QString()));
        view.setFailed(fourth, QStringLiteral("The store no longer holds gone"));
        QVERIFY(view.comparison(fourth).finished());
        QVERIFY(!view.comparison(fourth).identical());

        view.clear();
        QCOMPARE(view.count(), 0);
        QCOMPARE(view.currentIndex(), -1);
    }
};

QTEST_MAIN(TestCompareView)
#include "test_compare_view.moc"
