// The live invocation table's model: shape, roles, batching and its bound, under
// QAbstractItemModelTester so that every change it signals is checked against what it reports.
#include "ui/invocation_table_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QtTest>

using fogbank::InvocationStatus;
using fogbank::ui::InvocationRecord;
using fogbank::ui::InvocationTableModel;

namespace {

InvocationRecord makeRecord(int n, bool cold = false,
                            InvocationStatus status = InvocationStatus::Success) {
    InvocationRecord record;
    record.requestId = QStringLiteral("req-%1").arg(n);
    record.function = n % 2 ? QStringLiteral("Odd") : QStringLiteral("Even");
    record.status = status;
    record.errorType = status == InvocationStatus::Success ? QString() : QStringLiteral("Error");
    record.cold = cold;
    record.initMs = cold ? 120.5 : 0;
    record.durationMs = 10.0 + n;
    record.billedMs = 11 + n;
    record.memorySizeMb = 128;
    record.maxMemoryUsedMb = 40 + n % 10;
    record.start = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000LL + n * 1000LL);
    record.end = record.start.addMSecs(static_cast<qint64>(record.durationMs));
    record.payload = QStringLiteral("{\"n\":%1}").arg(n);
    return record;
}

QList<InvocationRecord> makeRecords(int from, int count) {
    QList<InvocationRecord> records;
    for (int i = from; i < from + count; ++i) records.append(makeRecord(i));
    return records;
}

}  // namespace

class TestInvocationTableModel : public QObject {
    Q_OBJECT

  private slots:
    void startsEmptyWithAllColumns() {
        InvocationTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(InvocationTableModel::ColumnCount));
        QCOMPARE(model.columnCount(), 8);
        QCOMPARE(model.headerData(InvocationTableModel::Function, Qt::Horizontal).toString(),
                 QStringLiteral("Function"));
        QCOMPARE(model.headerData(InvocationTableModel::MaxMemory, Qt::Horizontal).toString(),
                 QStringLiteral("Max memory"));
        QCOMPARE(model.capacity(), 100'000);
    }

    void batchIsOneInsertion() {
        InvocationTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.appendBatch(makeRecords(0, 25));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 24);
        QCOMPARE(model.rowCount(), 25);
        model.appendBatch(makeRecords(25, 5));
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 25);
        QCOMPARE(inserted.at(1).at(2).toInt(), 29);
    }

    void appendsCoalesce() {
        InvocationTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (const InvocationRecord& record : makeRecords(0, 40)) model.append(record);
        // Nothing lands until the event loop runs: a burst is one layout for the view.
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.pendingCount(), 40);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 40, 5000);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.pendingCount(), 0);

        model.append(makeRecord(40));
        model.flush();
        QCOMPARE(model.rowCount(), 41);
        QCOMPARE(inserted.count(), 2);
    }

    void displaysAndSortsByValue() {
        InvocationTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendBatch({makeRecord(1, true), makeRecord(2, false, InvocationStatus::Timeout)});

        const auto at = [&](int row, int column, int role = Qt::DisplayRole) {
            return model.data(model.index(row, column), role);
        };
        QCOMPARE(at(0, InvocationTableModel::Function).toString(), QStringLiteral("Odd"));
        QCOMPARE(at(0, InvocationTableModel::Status).toString(), QStringLiteral("OK"));
        QCOMPARE(at(1, InvocationTableModel::Status).toString(), QStringLiteral("Timeout"));
        QCOMPARE(at(0, InvocationTableModel::ColdWarm).toString(), QStringLiteral("cold"));
        QCOMPARE(at(1, InvocationTableModel::ColdWarm).toString(), QStringLiteral("warm"));
        QCOMPARE(at(0, InvocationTableModel::InitMs).toString(), QStringLiteral("120.5"));
        QVERIFY(at(1, InvocationTableModel::InitMs).toString().isEmpty());
        QCOMPARE(at(0, InvocationTableModel::DurationMs).toString(), QStringLiteral("11.00"));
        QCOMPARE(at(0, InvocationTableModel::BilledMs).toString(), QStringLiteral("12"));
        QCOMPARE(at(0, InvocationTableModel::MaxMemory).toString(), QStringLiteral("41 / 128 MB"));
        QCOMPARE(at(0, InvocationTableModel::Time).toString(),
                 makeRecord(1).start.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz")));
        QVERIFY(at(1, InvocationTableModel::Status, Qt::ForegroundRole).isValid());
        QVERIFY(!at(0, InvocationTableModel::Status, Qt::ForegroundRole).isValid());

        // Sort values are numbers, so "100.00" does not sort before "11.00".
        QCOMPARE(at(0, InvocationTableModel::DurationMs, InvocationTableModel::SortRole).toDouble(),
                 11.0);
        QCOMPARE(at(0, InvocationTableModel::Time, InvocationTableModel::SortRole).toLongLong(),
                 makeRecord(1).start.toMSecsSinceEpoch());
        QCOMPARE(at(1, 0, InvocationTableModel::RequestIdRole).toString(), QStringLiteral("req-2"));
        const auto record = at(1, InvocationTableModel::Function, InvocationTableModel::RecordRole)
                                .value<InvocationRecord>();
        QCOMPARE(record.requestId, QStringLiteral("req-2"));
        QCOMPARE(record.payload, QStringLiteral("{\"n\":2}"));
        QCOMPARE(model.rowOfRequest(QStringLiteral("req-2")), 1);
        QCOMPARE(model.rowOfRequest(QStringLiteral("nope")), -1);
    }

    void sortsThroughProxy() {
        InvocationTableModel model;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(InvocationTableModel::SortRole);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<InvocationRecord> records;
        for (int n : {5, 100, 20}) records.append(makeRecord(n));
        model.appendBatch(records);
        proxy.sort(InvocationTableModel::DurationMs, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, 0).data(InvocationTableModel::RequestIdRole).toString(),
                 QStringLiteral("req-100"));
        QCOMPARE(proxy.index(2, 0).data(InvocationTableModel::RequestIdRole).toString(),
                 QStringLiteral("req-5"));
    }

    void dropsOldestBeyondCapacity() {
        InvocationTableModel model(nullptr, 5);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.appendBatch(makeRecords(0, 3));
        model.appendBatch(makeRecords(3, 4));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(removed.at(0).at(2).toInt(), 1);
        QCOMPARE(model.record(0).requestId, QStringLiteral("req-2"));
        QCOMPARE(model.record(4).requestId, QStringLiteral("req-6"));

        // A batch bigger than the whole table keeps its own newest rows.
        model.appendBatch(makeRecords(100, 12));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.record(0).requestId, QStringLiteral("req-107"));
        QCOMPARE(model.record(4).requestId, QStringLiteral("req-111"));
    }

    void holdsTheNewestHundredThousand() {
        InvocationTableModel model;
        for (int from = 0; from < 100'010; from += 10'002) {
            model.appendBatch(makeRecords(from, 10'002));
        }
        QCOMPARE(model.rowCount(), 100'000);
        QCOMPARE(model.record(99'999).requestId, QStringLiteral("req-100019"));
        QCOMPARE(model.record(0).requestId, QStringLiteral("req-20"));
    }

    void clearEmpties() {
        InvocationTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendBatch(makeRecords(0, 3));
        model.append(makeRecord(3));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.pendingCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestInvocationTableModel)
#include "test_invocation_table_model.moc"
