// The debugger's variables tree as a model, alone: scopes at the top, nothing fetched until a
// view asks, answers placed under the row that asked, an answer for a replaced frame dropped,
// and a failed fetch said in the tree. QAbstractItemModelTester checks every change.
#include "ui/variables_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTreeView>
#include <QtTest>

using fogbank::ui::DebugScopeInfo;
using fogbank::ui::DebugVariableInfo;
using fogbank::ui::VariablesModel;

class TestVariablesModel : public QObject {
    Q_OBJECT

    static QString text(const VariablesModel& m, const QModelIndex& parent, int row, int column) {
        return m.index(row, column, parent).data().toString();
    }

  private slots:
    void fetchesOnlyWhatIsAskedFor() {
        VariablesModel model;
        QSignalSpy wanted(&model, &VariablesModel::childrenWanted);
        model.setScopes({{QStringLiteral("Local"), 7, false}, {QStringLiteral("Global"), 9, true}});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(text(model, {}, 0, VariablesModel::Name), QStringLiteral("Local"));
        QVERIFY(wanted.isEmpty());

        const QModelIndex local = model.index(0, 0);
        QVERIFY(model.hasChildren(local));
        QVERIFY(model.canFetchMore(local));
        model.fetchMore(local);
        QCOMPARE(wanted.count(), 1);
        QCOMPARE(wanted.at(0).at(1).toInt(), 7);
        QVERIFY(!model.canFetchMore(local));  // asked once, not again while the answer is due
        const quint64 key = wanted.at(0).at(0).toULongLong();
        QCOMPARE(model.indexOfKey(key), local);

        model.setChildren(
            key,
            {{QStringLiteral("name"), QStringLiteral("'world'"), QStringLiteral("string"), 0},
             {QStringLiteral("event"), QStringLiteral("Object"), QStringLiteral("object"), 12}});
        QCOMPARE(model.rowCount(local), 2);
        QCOMPARE(text(model, local, 0, VariablesModel::Value), QStringLiteral("'world'"));
        QCOMPARE(text(model, local, 1, VariablesModel::Type), QStringLiteral("object"));
        QVERIFY(!model.hasChildren(model.index(0, 0, local)));

        // An object's members come the same way, a level down.
        const QModelIndex event = model.index(1, 0, local);
        QVERIFY(model.canFetchMore(event));
        model.fetchMore(event);
        QCOMPARE(wanted.count(), 2);
        QCOMPARE(wanted.at(1).at(1).toInt(), 12);
        model.setChildren(
            wanted.at(1).at(0).toULongLong(),
            {{QStringLiteral("count"), QStringLiteral("3"), QStringLiteral("number"), 0}});
        QCOMPARE(model.rowCount(event), 1);
        QCOMPARE(text(model, event, 0, VariablesModel::Name), QStringLiteral("count"));
    }

    void dropsAnswersForAReplacedFrame() {
        VariablesModel model;
        QSignalSpy wanted(&model, &VariablesModel::childrenWanted);
        model.setScopes({{QStringLiteral("Local"), 1, false}});
        model.fetchMore(model.index(0, 0));
        const quint64 stale = wanted.at(0).at(0).toULongLong();
        model.setScopes({{QStringLiteral("Locals"), 2, false}});  // the user picked another frame
        QVERIFY(!model.indexOfKey(stale).isValid());
        model.setChildren(stale, {{QStringLiteral("old"), QStringLiteral("1"), {}, 0}});
        QCOMPARE(model.rowCount(model.index(0, 0)), 0);
        QVERIFY(model.canFetchMore(model.index(0, 0)));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void saysWhenAFetchFailed() {
        VariablesModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy wanted(&model, &VariablesModel::childrenWanted);
        model.setScopes({{QStringLiteral("Local"), 1, false}});
        model.fetchMore(model.index(0, 0));
        model.setChildren(wanted.at(0).at(0).toULongLong(), {},
                          QStringLiteral("the session is running"));
        QCOMPARE(model.rowCount(model.index(0, 0)), 1);
        QVERIFY(text(model, model.index(0, 0), 0, VariablesModel::Value)
                    .contains(QStringLiteral("the session is running")));
    }

    // The tester fetches everything it can; every ask is answered, two levels deep, as a
    // debugger would, and the model must stay consistent through it all.
    void staysConsistentUnderTheTester() {
        VariablesModel model;
        int asked = 0;
        connect(&model, &VariablesModel::childrenWanted, &model, [&](quint64 key, int reference) {
            ++asked;
            QList<DebugVariableInfo> vars;
            if (reference < 100)
                vars = {{QStringLiteral("leaf"), QStringLiteral("1"), QStringLiteral("number"), 0},
                        {QStringLiteral("object"), QStringLiteral("{}"), QStringLiteral("object"),
                         reference + 100}};
            // Answered later, as the engine's answer comes back through the event loop.
            QMetaObject::invokeMethod(
                &model, [&model, key, vars] { model.setChildren(key, vars); },
                Qt::QueuedConnection);
        });
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setScopes({{QStringLiteral("Local"), 1, false}, {QStringLiteral("Global"), 2, true}});
        QTRY_VERIFY(asked >= 2);
        QTRY_COMPARE(model.rowCount(model.index(0, 0)), 2);
        model.setScopes({{QStringLiteral("Locals"), 3, false}});
        model.setChildren(12345, {});  // a key that never was
        QTRY_COMPARE(model.rowCount(model.index(0, 0)), 2);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void aTreeViewFetchesWhenExpanded() {
        VariablesModel model;
        QTreeView view;
        view.setModel(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy wanted(&model, &VariablesModel::childrenWanted);
        model.setScopes({{QStringLiteral("Local"), 5, false}, {QStringLiteral("Global"), 6, true}});
        QVERIFY(wanted.isEmpty());
        view.expand(model.index(0, 0));
        QTRY_COMPARE(wanted.count(), 1);
        QCOMPARE(wanted.at(0).at(1).toInt(), 5);
    }
};

QTEST_MAIN(TestVariablesModel)
#include "test_variables_model.moc"
