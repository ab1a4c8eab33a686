// The Queues tab over a real engine and real clients: tests/fixtures/queue_browser's queues (no
// function polls them, so only this test and the browser move their messages). The tab must
// list them with live counts; a message sent through its form must be counted, shown by a peek
// with its attributes, and still be received by boto3 as never received before (peeking consumed
// nothing); delete, purge (after confirming) and FIFO sends work; and a message dead-lettered by
// maxReceiveCount goes back to its source with "Redrive to source".
#include "ui/engine_bridge.h"
#include "ui/main_window.h"
#include "ui/message_table_model.h"
#include "ui/queue_browser.h"
#include "ui/queue_list_model.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <spdlog/spdlog.h>

using fogbank::EngineConfig;
using fogbank::ui::EngineBridge;
using fogbank::ui::MainWindow;
using fogbank::ui::MessageTableModel;
using fogbank::ui::QueueBrowser;
using fogbank::ui::QueueListModel;

namespace {

constexpr int kOpenTimeoutMs = 30'000;
constexpr int kAnswerTimeoutMs = 15'000;

// Receives up to ten messages with boto3, holding them for `visibility` seconds; prints them.
constexpr const char* kReceive = R"(
import boto3, json, sys
port, queue, visibility = sys.argv[1], sys.argv[2], int(sys.argv[3])
sqs = boto3.client('sqs', endpoint_url='http://127.0.0.1:' + port, region_name='us-east-1',
                   aws_access_key_id='test', aws_secret_access_key='test')
url = sqs.get_queue_url(QueueName=queue)['QueueUrl']
got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=visibility,
                          WaitTimeSeconds=0, AttributeNames=['All'], MessageAttributeNames=['All'])
print(json.dumps(got.get('Messages', [])))
)";

}  // namespace

class TestQueueBrowser : public QObject {
    Q_OBJECT

    QTemporaryDir state_;
    std::unique_ptr<MainWindow> window_;

    QueueBrowser* browser() const { return window_->queueBrowser(); }
    QueueListModel* queues() const { return browser()->queueModel(); }
    MessageTableModel* messages() const { return browser()->messageModel(); }

    int count(const QString& queue, int column) const {
        const int row = queues()->rowOf(queue);
        return row < 0 ? -1 : queues()->index(row, column).data().toInt();
    }
    int visible(const QString& queue) const { return count(queue, QueueListModel::VisibleColumn); }

    QJsonArray receive(const QString& queue, int visibility) {
        QProcess python;
        python.start(
            QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"), QString::fromLatin1(kReceive),
             QString::number(window_->bridge()->edgePort()), queue, QString::number(visibility)});
        if (!python.waitForFinished(60'000) || python.exitCode() != 0) {
            qWarning("boto3: %s", python.readAllStandardError().constData());
            return {};
        }
        return QJsonDocument::fromJson(python.readAllStandardOutput()).array();
    }

    // Sends through the form and waits for the answer; returns its error.
    QString sendFromForm(const QString& body, const QString& attributes = {},
                         const QString& groupId = {}) {
        QSignalSpy finished(browser(), &QueueBrowser::operationFinished);
        browser()->bodyEdit()->setPlainText(body);
        browser()->attributesEdit()->setPlainText(attributes);
        browser()->groupIdEdit()->setText(groupId);
        browser()->sendButton()->click();
        if (!finished.wait(kAnswerTimeoutMs) && finished.isEmpty())
            return QStringLiteral("no answer");
        return finished.first().at(1).toString();
    }

  private slots:
    void initTestCase() {
        spdlog::set_level(spdlog::level::warn);
        QProcess check;
        check.start(QStringLiteral("/usr/bin/python3"),
                    {QStringLiteral("-c"), QStringLiteral("import boto3")});
        if (!check.waitForFinished(30'000) || check.exitCode() != 0)
            QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        QVERIFY(state_.isValid());

        window_ = std::make_unique<MainWindow>();
        new QAbstractItemModelTester(
            queues(), QAbstractItemModelTester::FailureReportingMode::QtTest, window_.get());
        new QAbstractItemModelTester(
            messages(), QAbstractItemModelTester::FailureReportingMode::QtTest, window_.get());
        window_->resize(1300, 850);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        EngineConfig config;
        config.templatePath = FOGBANK_FIXTURES "/queue_browser/template.yaml";
        config.edgePort = 0;
        config.stateDir = state_.path().toStdString();
        window_->bridge()->openProject(config);
        QTRY_VERIFY_WITH_TIMEOUT(window_->bridge()->isOpen(), kOpenTimeoutMs);
        window_->viewTabs()->setCurrentWidget(browser());
        QTRY_COMPARE_WITH_TIMEOUT(queues()->rowCount(), 4, kAnswerTimeoutMs);
    }

    void listsTheTemplatesQueues() {
        QStringList names;
        for (int row = 0; row < queues()->rowCount(); ++row)
            names << queues()->index(row, QueueListModel::NameColumn).data().toString();
        QCOMPARE(names, (QStringList{"inbox", "jobs.fifo", "tasks", "tasks-dlq"}));
        const int fifo = queues()->rowOf(QStringLiteral("jobs.fifo"));
        QVERIFY(queues()->index(fifo, 0).data(QueueListModel::FifoRole).toBool());
        const int dlq = queues()->rowOf(QStringLiteral("tasks-dlq"));
        QVERIFY(queues()->index(dlq, 0).data(QueueListModel::DeadLetterQueueRole).toBool());
        QVERIFY(queues()
                    ->index(dlq, QueueListModel::DeadLetterColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("tasks")));
        QVERIFY(queues()
                    ->find(QStringLiteral("inbox"))
                    ->url.startsWith(QStringLiteral("http://127.0.0.1:")));
        for (const auto& name : names) QCOMPARE(visible(name), 0);
    }

    // Sent through the form: counted, peeked with its attributes, and still there for boto3,
    // which sees it as received once: the browser's peeks received nothing.
    void sentMessageIsCountedPeekedAndStillReceived() {
        const QString inbox = QStringLiteral("inbox");
        QVERIFY(browser()->selectQueue(inbox));
        QVERIFY(browser()->groupIdEdit()->isHidden());
        QVERIFY(browser()->redriveButton()->isHidden());
        QCOMPARE(sendFromForm(QStringLiteral("hello from the form"),
                              QStringLiteral("colour=blue\n\nsize = 42\n")),
                 QString());
        QTRY_COMPARE_WITH_TIMEOUT(visible(inbox), 1, kAnswerTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(messages()->rowCount(), 1, kAnswerTimeoutMs);
        const QModelIndex row = messages()->index(0, MessageTableModel::BodyColumn);
        QCOMPARE(row.data().toString(), QStringLiteral("hello from the form"));
        QCOMPARE(messages()->index(0, MessageTableModel::AttributesColumn).data().toString(),
                 QStringLiteral("colour=blue, size=42"));
        QCOMPARE(messages()->index(0, MessageTableModel::StateColumn).data().toString(),
                 QStringLiteral("visible"));
        // Let the browser poll a few more times: still nothing received.
        QSignalSpy peeked(window_->bridge(), &EngineBridge::messagesPeeked);
        QTRY_VERIFY_WITH_TIMEOUT(peeked.size() >= 2, kAnswerTimeoutMs);
        QCOMPARE(messages()->index(0, MessageTableModel::ReceivesColumn).data().toInt(), 0);

        const QJsonArray got = receive(inbox, 600);
        QCOMPARE(got.size(), 1);
        const QJsonObject message = got.first().toObject();
        QCOMPARE(message[QStringLiteral("Body")].toString(), QStringLiteral("hello from the form"));
        QCOMPARE(message[QStringLiteral("MessageId")].toString(),
                 messages()->index(0, 0).data(MessageTableModel::MessageIdRole).toString());
        QCOMPARE(message[QStringLiteral("Attributes")][QStringLiteral("ApproximateReceiveCount")]
                     .toString(),
                 QStringLiteral("1"));
        QCOMPARE(message[QStringLiteral("MessageAttributes")][QStringLiteral("colour")]
                        [QStringLiteral("StringValue")]
                            .toString(),
                 QStringLiteral("blue"));
        // Received: in flight, counted so, and peeked as such.
        QTRY_COMPARE_WITH_TIMEOUT(count(inbox, QueueListModel::InFlightColumn), 1,
                                  kAnswerTimeoutMs);
        QCOMPARE(visible(inbox), 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            messages()->index(0, MessageTableModel::StateColumn).data().toString(),
            QStringLiteral("in flight"), kAnswerTimeoutMs);
    }

    // The in-flight message, chosen and deleted, is gone for good.
    void deleteRemovesTheChosenMessage() {
        QVERIFY(!browser()->deleteButton()->isEnabled());
        browser()->messageTable()->selectRow(0);
        QVERIFY(browser()->deleteButton()->isEnabled());
        QSignalSpy finished(browser(), &QueueBrowser::operationFinished);
        browser()->deleteButton()->click();
        QVERIFY(finished.wait(kAnswerTimeoutMs));
        QCOMPARE(finished.first().at(1).toString(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(messages()->rowCount(), 0, kAnswerTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("inbox"), QueueListModel::InFlightColumn), 0,
                                  kAnswerTimeoutMs);
    }

    // Purge asks first; only the confirmation empties the queue.
    void purgeEmptiesTheQueueOnceConfirmed() {
        const QString inbox = QStringLiteral("inbox");
        QCOMPARE(sendFromForm(QStringLiteral("one")), QString());
        QCOMPARE(sendFromForm(QStringLiteral("two")), QString());
        QTRY_COMPARE_WITH_TIMEOUT(visible(inbox), 2, kAnswerTimeoutMs);
        browser()->purgeButton()->click();
        QVERIFY(browser()->confirmPurgeButton()->isVisible());
        QTest::qWait(50);
        QCOMPARE(visible(inbox), 2);
        QSignalSpy finished(browser(), &QueueBrowser::operationFinished);
        browser()->confirmPurgeButton()->click();
        QVERIFY(finished.wait(kAnswerTimeoutMs));
        QCOMPARE(finished.first().at(1).toString(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(visible(inbox), 0, kAnswerTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(messages()->rowCount(), 0, kAnswerTimeoutMs);
        QVERIFY(receive(inbox, 0).isEmpty());
    }

    // FIFO queues ask for a group id; SQS's own error shows in the tab when it is missing.
    void fifoSendsNeedAGroup() {
        const QString jobs = QStringLiteral("jobs.fifo");
        QVERIFY(browser()->selectQueue(jobs));
        QVERIFY(!browser()->groupIdEdit()->isHidden());
        const QString error = sendFromForm(QStringLiteral("job 1"));
        QVERIFY2(error.contains(QStringLiteral("MessageGroupId")), qPrintable(error));
        QVERIFY(browser()->statusText().contains(QStringLiteral("MessageGroupId")));
        QCOMPARE(sendFromForm(QStringLiteral("job 1"), {}, QStringLiteral("g1")), QString());
        QTRY_COMPARE_WITH_TIMEOUT(messages()->rowCount(), 1, kAnswerTimeoutMs);
        QCOMPARE(messages()->index(0, MessageTableModel::GroupColumn).data().toString(),
                 QStringLiteral("g1"));
        QTRY_COMPARE_WITH_TIMEOUT(visible(jobs), 1, kAnswerTimeoutMs);
    }

    // maxReceiveCount 1: the second receive moves the message to tasks-dlq; "Redrive to source"
    // moves it back, as never received.
    void redriveMovesDeadLettersBack() {
        const QString tasks = QStringLiteral("tasks");
        const QString dlq = QStringLiteral("tasks-dlq");
        QVERIFY(browser()->selectQueue(tasks));
        QVERIFY(browser()->redriveButton()->isHidden());
        QCOMPARE(sendFromForm(QStringLiteral("poison pill")), QString());
        QCOMPARE(receive(tasks, 0).size(), 1);
        QCOMPARE(receive(tasks, 0).size(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(visible(dlq), 1, kAnswerTimeoutMs);
        QCOMPARE(visible(tasks), 0);

        QVERIFY(browser()->selectQueue(dlq));
        QTRY_COMPARE_WITH_TIMEOUT(messages()->rowCount(), 1, kAnswerTimeoutMs);
        QCOMPARE(messages()->index(0, MessageTableModel::BodyColumn).data().toString(),
                 QStringLiteral("poison pill"));
        QVERIFY(!browser()->redriveButton()->isHidden());
        QVERIFY(browser()->redriveButton()->isEnabled());
        QSignalSpy finished(window_->bridge(), &EngineBridge::queueOperationFinished);
        browser()->redriveButton()->click();
        QVERIFY(finished.wait(kAnswerTimeoutMs));
        QCOMPARE(finished.first().at(3).toString(), QString());
        QCOMPARE(finished.first().at(2).toString(), QStringLiteral("1"));
        QTRY_COMPARE_WITH_TIMEOUT(visible(dlq), 0, kAnswerTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(visible(tasks), 1, kAnswerTimeoutMs);
        QVERIFY(browser()->statusText().contains(QStringLiteral("back to tasks")));

        const QJsonArray got = receive(tasks, 600);
        QCOMPARE(got.size(), 1);
        QCOMPARE(got.first()[QStringLiteral("Body")].toString(), QStringLiteral("poison pill"));
        QCOMPARE(
            got.first()[QStringLiteral("Attributes")][QStringLiteral("ApproximateReceiveCount")]
                .toString(),
            QStringLiteral("1"));
    }

    // Mistakes come back as errors that name what was wrong, never as a crash or a dialog.
    void errorsNameTheProblem() {
        // Hidden, the browser stops polling, so that its own peeks do not supersede this one.
        window_->viewTabs()->setCurrentIndex(0);
        auto* bridge = window_->bridge();
        QSignalSpy peeked(bridge, &EngineBridge::messagesPeeked);
        bridge->peekMessages(QStringLiteral("no-such-queue"));
        QVERIFY(peeked.wait(kAnswerTimeoutMs) || !peeked.isEmpty());
        QVERIFY2(peeked.last().at(2).toString().contains(QStringLiteral("no-such-queue")),
                 qPrintable(peeked.last().at(2).toString()));
        QSignalSpy finished(bridge, &EngineBridge::queueOperationFinished);
        bridge->redriveToSource(QStringLiteral("inbox"));
        QVERIFY(finished.wait(kAnswerTimeoutMs));
        QVERIFY2(finished.first().at(3).toString().contains(QStringLiteral("not the dead-letter")),
                 qPrintable(finished.first().at(3).toString()));
        finished.clear();
        bridge->deleteMessage(QStringLiteral("inbox"), QStringLiteral("no-such-message"));
        QVERIFY(finished.wait(kAnswerTimeoutMs));
        QVERIFY(finished.first().at(3).toString().contains(QStringLiteral("no-such-message")));
        QString error;
        QVERIFY(QueueBrowser::parseAttributes(QStringLiteral("ok=1\nbroken"), &error).isEmpty());
        QVERIFY(error.contains(QStringLiteral("line 2")));
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(TestQueueBrowser)
#include "test_queue_browser.moc"
