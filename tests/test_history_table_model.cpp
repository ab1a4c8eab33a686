// The history table's model over a real invocation store: a million rows open at once with the
// right count, any row arrives when asked for, the cache never holds more than its bound, new
// invocations come in at the top and retention takes rows from the bottom, and the function
// filter and the seq gaps that defeat the fast path still give the right rows. Every model is
// watched by QAbstractItemModelTester. Timings are in bench/history_bench.cpp, not here.
#include "emulator/trace/invocation_store.h"
#include "ui/history_table_model.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using fogbank::InvocationResult;
using fogbank::InvocationStatus;
using fogbank::InvocationStore;
using fogbank::Trigger;
using fogbank::ui::HistoryTableModel;
using fogbank::ui::InvocationRecord;

namespace {

constexpr int kMillion = 1'000'000;
// Generous: under ASan on a loaded machine a page read can take a while; it never takes this.
constexpr int kArriveMs = 30'000;

InvocationResult makeResult(int n, const QString& requestId = {}) {
    InvocationResult r;
    r.requestId = requestId.isEmpty() ? "req-" + std::to_string(n) : requestId.toStdString();
    r.function = n % 2 ? "Odd" : "Even";
    r.trigger = n % 10 == 0 ? Trigger::Replay : Trigger::Manual;
    r.status = n % 7 == 0 ? InvocationStatus::FunctionError : InvocationStatus::Success;
    r.errorType = n % 7 == 0 ? "ValidationError" : "";
    r.event = "{\"n\":" + std::to_string(n) + "}";
    r.payload = "{\"echo\":" + std::to_string(n) + "}";
    r.cold = n % 50 == 0;
    r.initMs = r.cold ? 120.5 : 0;
    r.durationMs = 1.0 + n % 100;
    r.billedMs = 2 + n % 100;
    r.memorySizeMb = 128;
    r.maxMemoryUsedMb = 40 + n % 20;
    r.costUsd = 2.1e-7 + n % 100 * 2.1e-9;
    r.start = fogbank::Clock::time_point(std::chrono::milliseconds(1'700'000'000'000LL + n));
    r.end = r.start + std::chrono::milliseconds(2);
    r.logs = {{r.start, "START RequestId: " + r.requestId}};
    return r;
}

// Through the store's own write path (record + group commit), in slices so that the queue stays
// small.
void fill(InvocationStore& store, int from, int count) {
    constexpr int kSlice = 20'000;
    for (int i = from; i < from + count; i += kSlice) {
        for (int n = i; n < std::min(from + count, i + kSlice); ++n)
            store.record(makeResult(n), nullptr);
        store.flush();
    }
}

QString idAt(const HistoryTableModel& model, int row) {
    return model.index(row, 0).data(HistoryTableModel::RequestIdRole).toString();
}

QString text(const HistoryTableModel& model, int row, int column) {
    return model.index(row, column).data().toString();
}

// Asks for a row and waits for its page.
bool load(HistoryTableModel& model, int row) {
    model.index(row, 0).data();
    return QTest::qWaitFor([&] { return model.isRowLoaded(row); }, kArriveMs);
}

struct Opened {
    std::unique_ptr<HistoryTableModel> model;
    std::unique_ptr<QAbstractItemModelTester> tester;
};

Opened open(const std::shared_ptr<InvocationStore>& store, int pageSize, int maxPages,
            bool tester = true) {
    Opened opened;
    opened.model = std::make_unique<HistoryTableModel>(nullptr, pageSize, maxPages);
    if (tester) {
        opened.tester = std::make_unique<QAbstractItemModelTester>(
            opened.model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    QSignalSpy ready(opened.model.get(), &HistoryTableModel::ready);
    opened.model->setStore(store);
    if (!opened.model->isReady()) ready.wait(kArriveMs);
    return opened;
}

}  // namespace

class TestHistoryTableModel : public QObject {
    Q_OBJECT

    QTemporaryDir bigDir_;
    std::shared_ptr<InvocationStore> big_;
    QTemporaryDir smallDir_;
    std::shared_ptr<InvocationStore> small_;

  private slots:
    void initTestCase() {
        QVERIFY(bigDir_.isValid());
        big_ = std::make_shared<InvocationStore>(bigDir_.path().toStdString(), 2 * kMillion);
        QElapsedTimer timer;
        timer.start();
        fill(*big_, 0, kMillion);
        qInfo("recorded %d invocations through InvocationStore::record in %lld ms", kMillion,
              static_cast<long long>(timer.elapsed()));
        QCOMPARE(big_->count(), std::int64_t(kMillion));
        // The tester walks every row on every change: the other cases use a smaller store.
        QVERIFY(smallDir_.isValid());
        small_ = std::make_shared<InvocationStore>(smallDir_.path().toStdString());
        fill(*small_, 0, 5000);
    }

    void millionRowsOpenAtOnceAndArriveWhenAsked() {
        HistoryTableModel model(nullptr, 200, 40);
        auto tester = std::make_unique<QAbstractItemModelTester>(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy ready(&model, &HistoryTableModel::ready);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.setStore(big_);
        QVERIFY(ready.wait(kArriveMs));

        // The whole count at once, not grown page by page as rows are fetched.
        QCOMPARE(model.rowCount(), kMillion);
        QCOMPARE(model.columnCount(), int(HistoryTableModel::ColumnCount));
        QCOMPARE(inserted.count(), 0);
        QVERIFY(model.cachedPages() <= 1);

        // Row 0 is the newest invocation.
        QTRY_VERIFY_WITH_TIMEOUT(model.isRowLoaded(0), kArriveMs);
        QCOMPARE(idAt(model, 0), QStringLiteral("req-999999"));
        QCOMPARE(text(model, 0, HistoryTableModel::Function), QStringLiteral("Odd"));
        QCOMPARE(text(model, 0, HistoryTableModel::TriggeredBy), QStringLiteral("manual"));

        // The last row: a placeholder first, then one dataChanged that covers it.
        QVERIFY(!model.isRowLoaded(kMillion - 1));
        QCOMPARE(text(model, kMillion - 1, HistoryTableModel::Function), QStringLiteral("…"));
        QVERIFY(!model.index(kMillion - 1, 0).data(HistoryTableModel::LoadedRole).toBool());
        changed.clear();
        QTRY_VERIFY_WITH_TIMEOUT(model.isRowLoaded(kMillion - 1), kArriveMs);
        QVERIFY(std::any_of(changed.begin(), changed.end(), [](const QList<QVariant>& args) {
            return args.at(0).toModelIndex().row() <= kMillion - 1 &&
                   args.at(1).toModelIndex().row() >= kMillion - 1;
        }));
        QCOMPARE(idAt(model, kMillion - 1), QStringLiteral("req-0"));
        QCOMPARE(text(model, kMillion - 1, HistoryTableModel::Status), QStringLiteral("Error"));
        QCOMPARE(text(model, kMillion - 1, HistoryTableModel::ColdWarm), QStringLiteral("cold"));
        QCOMPARE(text(model, kMillion - 1, HistoryTableModel::TriggeredBy),
                 QStringLiteral("replay"));
        QCOMPARE(text(model, kMillion - 1, HistoryTableModel::InitMs), QStringLiteral("120.5"));
        QCOMPARE(text(model, kMillion - 1, HistoryTableModel::MaxMemory),
                 QStringLiteral("40 / 128 MB"));
        QCOMPARE(text(model, kMillion - 1, HistoryTableModel::CostUsd),
                 QStringLiteral("$0.000000210"));
        QVERIFY(model.cachedRows() <= model.pageSize() * model.maxPages());

        // The tester walks every row on every change; the sweep below runs without it.
        tester.reset();

        // Jumping to 300 scattered pages: each arrives, the cache stays bounded.
        auto* random = QRandomGenerator::global();
        for (int i = 0; i < 300; ++i) {
            const int row = static_cast<int>(random->bounded(kMillion));
            QVERIFY2(load(model, row), qPrintable(QStringLiteral("row %1").arg(row)));
            QCOMPARE(idAt(model, row), QStringLiteral("req-%1").arg(kMillion - 1 - row));
        }
        QVERIFY(model.peakCachedPages() <= model.maxPages());
        QVERIFY(model.cachedPages() <= model.maxPages());
        QVERIFY(model.cachedRows() <= model.pageSize() * model.maxPages());
        // Only what was asked for was read: a small part of the 5,000 pages.
        QVERIFY2(model.pagesRequested() <= 2 + 300,
                 qPrintable(QString::number(model.pagesRequested())));
    }

    void wholeRecordOnRequest() {
        Opened opened = open(big_, 200, 40, false);
        QSignalSpy spy(opened.model.get(), &HistoryTableModel::recordReady);
        const quint64 ticket = opened.model->requestRecord(QStringLiteral("req-123456"));
        QVERIFY(spy.wait(kArriveMs));
        QCOMPARE(spy.at(0).at(0).toULongLong(), ticket);
        QVERIFY(spy.at(0).at(2).toBool());
        const auto record = spy.at(0).at(1).value<InvocationRecord>();
        QCOMPARE(record.event, QStringLiteral("{\"n\":123456}"));
        QCOMPARE(record.payload, QStringLiteral("{\"echo\":123456}"));
        QCOMPARE(record.logs.size(), 1);
        QCOMPARE(record.function, QStringLiteral("Even"));

        opened.model->requestRecord(QStringLiteral("no-such-request"));
        QVERIFY(spy.wait(kArriveMs));
        QVERIFY(!spy.at(1).at(2).toBool());
    }

    void newInvocationsArriveAtTheTop() {
        QTemporaryDir dir;
        auto store = std::make_shared<InvocationStore>(dir.path().toStdString());
        fill(*store, 0, 1000);
        Opened opened = open(store, 50, 8);
        HistoryTableModel& model = *opened.model;
        QCOMPARE(model.rowCount(), 1000);
        QVERIFY(load(model, 0));
        QCOMPARE(idAt(model, 0), QStringLiteral("req-999"));
        QVERIFY(load(model, 999));

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        fill(*store, 1000, 5);
        // Calls close together are one look at the store.
        model.refresh();
        model.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1005, kArriveMs);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 4);
        QCOMPARE(reset.count(), 0);
        // They come with their data, and the rows already read did not move pages.
        QVERIFY(model.isRowLoaded(0));
        QCOMPARE(idAt(model, 0), QStringLiteral("req-1004"));
        QCOMPARE(idAt(model, 4), QStringLiteral("req-1000"));
        QVERIFY(model.isRowLoaded(5));
        QCOMPARE(idAt(model, 5), QStringLiteral("req-999"));
        QVERIFY(model.isRowLoaded(1004));
        QCOMPARE(idAt(model, 1004), QStringLiteral("req-0"));
        QCOMPARE(model.rowOfRequest(QStringLiteral("req-1002")), 2);

        // A burst larger than a page arrives in several insertions, all of it.
        fill(*store, 1005, 180);
        model.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1185, kArriveMs);
        QCOMPARE(idAt(model, 0), QStringLiteral("req-1184"));
        QVERIFY(load(model, 120));
        QCOMPARE(idAt(model, 120), QStringLiteral("req-1064"));
        QVERIFY(load(model, 600));
        QCOMPARE(idAt(model, 600), QStringLiteral("req-584"));
        QVERIFY(model.peakCachedPages() <= model.maxPages());
        QCOMPARE(reset.count(), 0);
    }

    void retentionTakesRowsFromTheBottom() {
        QTemporaryDir dir;
        auto store = std::make_shared<InvocationStore>(dir.path().toStdString(), 100);
        fill(*store, 0, 100);
        Opened opened = open(store, 16, 4);
        HistoryTableModel& model = *opened.model;
        QCOMPARE(model.rowCount(), 100);
        QVERIFY(load(model, 99));
        QCOMPARE(idAt(model, 99), QStringLiteral("req-0"));

        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        fill(*store, 100, 30);
        model.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(removed.count(), 1, kArriveMs);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 100, kArriveMs);
        QCOMPARE(removed.at(0).at(1).toInt(), 70);
        QCOMPARE(removed.at(0).at(2).toInt(), 99);
        QCOMPARE(idAt(model, 0), QStringLiteral("req-129"));
        QVERIFY(load(model, 99));
        QCOMPARE(idAt(model, 99), QStringLiteral("req-30"));
    }

    void filterShowsOnlyThoseFunctions() {
        QTemporaryDir dir;
        auto store = std::make_shared<InvocationStore>(dir.path().toStdString());
        fill(*store, 0, 2000);
        Opened opened = open(store, 25, 6);
        HistoryTableModel& model = *opened.model;
        QCOMPARE(model.rowCount(), 2000);

        QSignalSpy ready(&model, &HistoryTableModel::ready);
        model.showFunctions({QStringLiteral("Odd")});
        QVERIFY(model.isFiltered());
        QVERIFY(ready.wait(kArriveMs));
        QCOMPARE(model.rowCount(), 1000);
        // Rows far from any row read yet, in both directions, from anchors.
        for (int row : {0, 999, 500, 37, 998, 1, 750, 0}) {
            QVERIFY(load(model, row));
            QCOMPARE(idAt(model, row), QStringLiteral("req-%1").arg(1999 - 2 * row));
            QCOMPARE(text(model, row, HistoryTableModel::Function), QStringLiteral("Odd"));
        }

        // New rows of other functions do not count; those of the filtered one do.
        fill(*store, 2000, 3);  // Even, Odd, Even
        model.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1001, kArriveMs);
        QCOMPARE(idAt(model, 0), QStringLiteral("req-2001"));
        QVERIFY(load(model, 1000));
        QCOMPARE(idAt(model, 1000), QStringLiteral("req-1"));

        // Nothing to ask the store: empty at once.
        model.showFunctions({});
        QVERIFY(model.isReady());
        QCOMPARE(model.rowCount(), 0);
        model.showAllFunctions();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2003, kArriveMs);
        QVERIFY(!model.isFiltered());
    }

    void gapsInSeqStillGiveTheRightRows() {
        // A request id recorded twice replaces its row: the old seq is a hole.
        QTemporaryDir dir;
        auto store = std::make_shared<InvocationStore>(dir.path().toStdString());
        fill(*store, 0, 500);
        store->record(makeResult(100), nullptr);
        store->flush();
        Opened opened = open(store, 20, 5);
        HistoryTableModel& model = *opened.model;
        QCOMPARE(model.rowCount(), 500);
        for (int row : {499, 0, 1, 250, 399, 400, 401}) {
            QVERIFY(load(model, row));
            const int n = row == 0 ? 100 : row <= 399 ? 500 - row : 499 - row;
            QCOMPARE(idAt(model, row), QStringLiteral("req-%1").arg(n));
        }
    }

    void aHoleAfterOpeningStartsAgain() {
        QTemporaryDir dir;
        auto store = std::make_shared<InvocationStore>(dir.path().toStdString());
        fill(*store, 0, 300);
        Opened opened = open(store, 50, 4);
        HistoryTableModel& model = *opened.model;
        QVERIFY(load(model, 0));

        // Row req-10 moves to the top: the rows below it are one seq off from what was counted.
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        store->record(makeResult(10), nullptr);
        store->flush();
        model.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 301, kArriveMs);
        model.index(299, 0).data();
        QTRY_COMPARE_WITH_TIMEOUT(reset.count(), 1, kArriveMs);
        QCOMPARE(model.rowCount(), 300);
        QVERIFY(load(model, 0));
        QCOMPARE(idAt(model, 0), QStringLiteral("req-10"));
        QVERIFY(load(model, 299));
        QCOMPARE(idAt(model, 299), QStringLiteral("req-0"));
        QVERIFY(load(model, 289));
        QCOMPARE(idAt(model, 289), QStringLiteral("req-11"));
    }

    void theCacheKeepsItsBound() {
        Opened opened = open(small_, 10, 3);
        HistoryTableModel& model = *opened.model;
        for (int row : {0, 10, 20, 30, 40, 0, 2500, 4990}) QVERIFY(load(model, row));
        QCOMPARE(model.cachedPages(), 3);
        QCOMPARE(model.peakCachedPages(), 3);
        QVERIFY(!model.isRowLoaded(10));
        QVERIFY(load(model, 10));
        QCOMPARE(idAt(model, 10), QStringLiteral("req-4989"));
    }

    void noStoreIsEmpty() {
        HistoryTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.headerData(HistoryTableModel::TriggeredBy, Qt::Horizontal).toString(),
                 QStringLiteral("Trigger"));
        QCOMPARE(model.headerData(HistoryTableModel::CostUsd, Qt::Horizontal).toString(),
                 QStringLiteral("Cost (USD)"));
        model.setStore(small_);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 5000, kArriveMs);
        model.setStore(nullptr);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.isReady());
    }
};

QTEST_GUILESS_MAIN(TestHistoryTableModel)
#include "test_history_table_model.moc"
