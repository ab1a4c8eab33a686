// The Buckets tab over a real engine (fixtures/s3): the template's buckets are listed; a bucket
// is created; files uploaded through the browser (by its method and by a drop) appear with the
// size and MD5 ETag that boto3 then reads back byte for byte; keys under a/b/ show as folder a/
// then b/; JSON previews pretty-printed and PNG as an image; a download is byte-identical;
// deleting removes the object for boto3 too; a non-empty bucket refuses deletion with
// BucketNotEmpty shown inline; and an upload into the notified bucket invokes its handler.
#include "ui/bucket_browser.h"
#include "ui/bucket_tree_model.h"
#include "ui/engine_bridge.h"
#include "ui/main_window.h"
#include "ui/object_preview_pane.h"
#include "ui/object_table_model.h"

#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QImage>
#include <QMimeData>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>
#include <QUrl>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

using fogbank::EngineConfig;
using fogbank::ui::BucketBrowser;
using fogbank::ui::BucketTreeModel;
using fogbank::ui::EngineBridge;
using fogbank::ui::MainWindow;
using fogbank::ui::ObjectPreviewPane;
using fogbank::ui::ObjectTableModel;
using json = nlohmann::json;

namespace {

constexpr int kOpenTimeoutMs = 30'000;
constexpr int kAnswerTimeoutMs = 30'000;
constexpr int kInvokeTimeoutMs = 120'000;
const QString kPython = QStringLiteral("/usr/bin/python3");
const QString kBucket = QStringLiteral("browser-test");

const char* kPreamble = R"(
import base64, json, sys
import boto3, botocore
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1',
                  aws_access_key_id='test', aws_secret_access_key='test',
                  config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
out = {}
)";

QByteArray md5Hex(const QByteArray& bytes) {
    return QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex();
}

}  // namespace

class TestBucketBrowser : public QObject {
    Q_OBJECT

    QTemporaryDir state_;
    QTemporaryDir files_;
    std::unique_ptr<MainWindow> window_;

    BucketBrowser* browser() const { return window_->bucketBrowser(); }
    ObjectTableModel* objects() const { return browser()->objectModel(); }
    BucketTreeModel* tree() const { return browser()->treeModel(); }

    QString writeFile(const QString& name, const QByteArray& bytes) {
        const QString path = files_.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) return {};
        return path;
    }

    // A boto3 script (after kPreamble) that leaves its findings in `out`.
    json boto3(const QString& body) {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& key : env.keys())
            if (key.startsWith(QStringLiteral("AWS_"))) env.remove(key);
        env.insert(QStringLiteral("HOME"), files_.path());
        process.setProcessEnvironment(env);
        const QString endpoint =
            QStringLiteral("http://127.0.0.1:%1").arg(window_->bridge()->edgePort());
        process.start(kPython, {QStringLiteral("-c"),
                                QLatin1String(kPreamble) + body +
                                    QStringLiteral("\nprint(json.dumps(out))\n"),
                                endpoint});
        if (!process.waitForFinished(60'000) || process.exitCode() != 0)
            return json{{"failed", process.readAllStandardError().toStdString()}};
        return json::parse(process.readAllStandardOutput().toStdString(), nullptr, false);
    }

    // Runs `action` and waits for the browser's answer to it; returns its error.
    template <typename F>
    QString operation(F action) {
        QSignalSpy finished(browser(), &BucketBrowser::operationFinished);
        action();
        if (!finished.wait(kAnswerTimeoutMs) && finished.isEmpty())
            return QStringLiteral("(no answer)");
        return finished.first().at(0).toString();
    }

    static bool findInvocation(const QSignalSpy& finished, const QString& function,
                               fogbank::ui::InvocationRecord& found) {
        for (const auto& args : finished) {
            const auto record = args.at(0).value<fogbank::ui::InvocationRecord>();
            if (record.function != function) continue;
            found = record;
            return true;
        }
        return false;
    }

    QModelIndex rowOf(const QString& key) const {
        const int row = objects()->rowOfKey(key);
        return row < 0 ? QModelIndex() : objects()->index(row, 0);
    }

  private slots:
    void initTestCase() {
        spdlog::set_level(spdlog::level::warn);
        QProcess check;
        check.start(kPython, {QStringLiteral("-c"), QStringLiteral("import boto3")});
        if (!check.waitForFinished(30'000) || check.exitCode() != 0)
            QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        QVERIFY(state_.isValid());
        QVERIFY(files_.isValid());

        window_ = std::make_unique<MainWindow>();
        new QAbstractItemModelTester(
            objects(), QAbstractItemModelTester::FailureReportingMode::QtTest, window_.get());
        new QAbstractItemModelTester(tree(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     window_.get());
        window_->resize(1300, 800);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        window_->viewTabs()->setCurrentWidget(browser());
        EngineConfig config;
        config.templatePath = FOGBANK_FIXTURES "/s3/template.yaml";
        config.edgePort = 0;
        config.stateDir = state_.path().toStdString();
        window_->bridge()->openProject(config);
        QTRY_VERIFY_WITH_TIMEOUT(window_->bridge()->isOpen(), kOpenTimeoutMs);
    }

    // Both of the template's buckets, the named one under its name.
    void templateBucketsAreListed() {
        QTRY_VERIFY_WITH_TIMEOUT(tree()->rowCount() == 2, kAnswerTimeoutMs);
        QVERIFY(tree()->find(QStringLiteral("fogbank-uploads"), {}).isValid());
        QCOMPARE(tree()->find(QStringLiteral("fogbank-uploads"), {}).data().toString(),
                 QStringLiteral("fogbank-uploads"));
    }

    void createBucket() {
        QCOMPARE(operation([&] { browser()->createBucket(kBucket); }), QString());
        QTRY_VERIFY_WITH_TIMEOUT(tree()->find(kBucket, {}).isValid(), kAnswerTimeoutMs);
        // S3's naming rules hold here as on the API, and the refusal is shown, not thrown.
        const QString error =
            operation([&] { browser()->createBucket(QStringLiteral("Bad_Name")); });
        QVERIFY2(error.contains(QStringLiteral("InvalidBucketName")), qPrintable(error));
        QVERIFY(browser()->statusIsError());
        QVERIFY(browser()->statusText().contains(QStringLiteral("Bad_Name")));
    }

    // Uploaded from a local file: listed with its size, MD5 ETag and guessed type; boto3 reads
    // the same bytes back.
    void uploadAppearsAndReadsBack() {
        const QByteArray bytes = R"({"zeta":[1,2,3],"alpha":{"nested":true}})";
        const QString path = writeFile(QStringLiteral("hello.json"), bytes);
        QVERIFY(!path.isEmpty());
        browser()->showFolder(kBucket, {});
        QCOMPARE(operation([&] { browser()->uploadFiles({path}); }), QString());
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("hello.json")).isValid(), kAnswerTimeoutMs);
        const QModelIndex row = rowOf(QStringLiteral("hello.json"));
        QCOMPARE(row.siblingAtColumn(ObjectTableModel::Key).data().toString(),
                 QStringLiteral("hello.json"));
        QCOMPARE(row.data(ObjectTableModel::SizeRole).toLongLong(), bytes.size());
        QCOMPARE(row.siblingAtColumn(ObjectTableModel::Size).data().toString(),
                 QStringLiteral("%1 B").arg(bytes.size()));
        QCOMPARE(row.siblingAtColumn(ObjectTableModel::ETag).data().toString().toLatin1(),
                 md5Hex(bytes));
        QCOMPARE(row.siblingAtColumn(ObjectTableModel::ContentType).data().toString(),
                 QStringLiteral("application/json"));

        const json out = boto3(QStringLiteral(R"(
got = s3.get_object(Bucket='browser-test', Key='hello.json')
out['body'] = base64.b64encode(got['Body'].read()).decode()
out['etag'] = got['ETag']
out['type'] = got['ContentType']
)"));
        QVERIFY2(!out.contains("failed"), out.dump().c_str());
        QCOMPARE(
            QByteArray::fromBase64(QByteArray::fromStdString(out.value("body", std::string()))),
            bytes);
        QCOMPARE(QString::fromStdString(out.value("etag", std::string())),
                 QStringLiteral("\"%1\"").arg(md5Hex(bytes)));
        QCOMPARE(QString::fromStdString(out.value("type", std::string())),
                 QStringLiteral("application/json"));
    }

    void jsonPreviewIsPrettyPrinted() {
        QSignalSpy shown(browser(), &BucketBrowser::previewShown);
        browser()->selectObject(QStringLiteral("hello.json"));
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), kAnswerTimeoutMs);
        auto* pane = browser()->previewPane();
        QCOMPARE(pane->mode(), ObjectPreviewPane::Mode::Text);
        const QString text = pane->text();
        // Indented over several lines, in the author's key order.
        QVERIFY2(text.count(QLatin1Char('\n')) >= 4, qPrintable(text));
        QVERIFY2(
            text.indexOf(QStringLiteral("\"zeta\"")) < text.indexOf(QStringLiteral("\"alpha\"")),
            qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("\"nested\": true")), qPrintable(text));
    }

    // Dropped from a file manager: a PNG, previewed as an image of its own size.
    void droppedPngUploadsAndPreviewsAsImage() {
        QImage image(48, 32, QImage::Format_RGB32);
        image.fill(QColor(0x2a, 0x7a, 0xe2));
        const QString path = files_.filePath(QStringLiteral("pixel.png"));
        QVERIFY(image.save(path));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QWidget* viewport = browser()->objectView()->viewport();
        const QPointF at(viewport->width() / 2.0, viewport->height() / 2.0);
        QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        enter.ignore();
        QApplication::sendEvent(viewport, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCOMPARE(operation([&] { QApplication::sendEvent(viewport, &drop); }), QString());
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("pixel.png")).isValid(), kAnswerTimeoutMs);
        QCOMPARE(rowOf(QStringLiteral("pixel.png"))
                     .siblingAtColumn(ObjectTableModel::ContentType)
                     .data()
                     .toString(),
                 QStringLiteral("image/png"));

        QSignalSpy shown(browser(), &BucketBrowser::previewShown);
        browser()->selectObject(QStringLiteral("pixel.png"));
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), kAnswerTimeoutMs);
        QCOMPARE(browser()->previewPane()->mode(), ObjectPreviewPane::Mode::Image);
        QCOMPARE(browser()->previewPane()->image().size(), QSize(48, 32));
        QCOMPARE(browser()->previewPane()->image().pixelColor(10, 10), QColor(0x2a, 0x7a, 0xe2));
    }

    // A key put by boto3 under a/b/ is folder a/ at the top, folder b/ inside it, in the tree
    // and in the table, and the object itself one level further down.
    void prefixesShowAsFolders() {
        const json out = boto3(QStringLiteral(R"(
s3.put_object(Bucket='browser-test', Key='a/b/deep.txt', Body=b'deep')
out['ok'] = True
)"));
        QVERIFY2(!out.contains("failed"), out.dump().c_str());
        QSignalSpy shown(browser(), &BucketBrowser::folderShown);
        browser()->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(
            !shown.isEmpty() && tree()->find(kBucket, QStringLiteral("a/")).isValid(),
            kAnswerTimeoutMs);
        QCOMPARE(tree()->find(kBucket, QStringLiteral("a/")).data().toString(),
                 QStringLiteral("a/"));
        QCOMPARE(objects()->index(0, ObjectTableModel::Key).data().toString(),
                 QStringLiteral("a/"));
        QVERIFY(objects()->index(0, 0).data(ObjectTableModel::IsFolderRole).toBool());

        shown.clear();
        browser()->showFolder(kBucket, QStringLiteral("a/"));
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), kAnswerTimeoutMs);
        QCOMPARE(objects()->rowCount(), 1);
        QCOMPARE(objects()->index(0, ObjectTableModel::Key).data().toString(),
                 QStringLiteral("b/"));
        const QModelIndex b = tree()->find(kBucket, QStringLiteral("a/b/"));
        QVERIFY(b.isValid());
        QCOMPARE(b.data().toString(), QStringLiteral("b/"));
        QCOMPARE(b.parent(), tree()->find(kBucket, QStringLiteral("a/")));

        shown.clear();
        browser()->showFolder(kBucket, QStringLiteral("a/b/"));
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), kAnswerTimeoutMs);
        QCOMPARE(objects()->rowCount(), 1);
        QCOMPARE(objects()->index(0, ObjectTableModel::Key).data().toString(),
                 QStringLiteral("deep.txt"));
        QCOMPARE(objects()->index(0, 0).data(ObjectTableModel::KeyRole).toString(),
                 QStringLiteral("a/b/deep.txt"));
        // Lazily: the tree's folder knows it has nothing below once listed.
        QTRY_VERIFY_WITH_TIMEOUT(
            !tree()->hasChildren(tree()->find(kBucket, QStringLiteral("a/b/"))), kAnswerTimeoutMs);
    }

    void downloadIsByteIdentical() {
        browser()->showFolder(kBucket, {});
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("pixel.png")).isValid(), kAnswerTimeoutMs);
        const QString target = files_.filePath(QStringLiteral("downloaded.png"));
        QCOMPARE(operation([&] { browser()->downloadObject(QStringLiteral("pixel.png"), target); }),
                 QString());
        QFile original(files_.filePath(QStringLiteral("pixel.png")));
        QFile copy(target);
        QVERIFY(original.open(QIODevice::ReadOnly));
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QCOMPARE(copy.readAll(), original.readAll());
        // A missing key names itself, and writes nothing.
        const QString missing = files_.filePath(QStringLiteral("missing.bin"));
        const QString error =
            operation([&] { browser()->downloadObject(QStringLiteral("no-such-key"), missing); });
        QVERIFY2(error.contains(QStringLiteral("NoSuchKey")) &&
                     error.contains(QStringLiteral("no-such-key")),
                 qPrintable(error));
        QVERIFY(!QFile::exists(missing));
    }

    void nonEmptyBucketIsNotDeleted() {
        const QString error = operation([&] { browser()->deleteBucket(kBucket); });
        QVERIFY2(error.contains(QStringLiteral("BucketNotEmpty")), qPrintable(error));
        QVERIFY(browser()->statusIsError());
        QVERIFY(browser()->statusText().contains(QStringLiteral("BucketNotEmpty")));
        QVERIFY(tree()->find(kBucket, {}).isValid());
    }

    void deleteRemovesTheObject() {
        browser()->showFolder(kBucket, {});
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("hello.json")).isValid(), kAnswerTimeoutMs);
        QCOMPARE(operation([&] { browser()->deleteObjects({QStringLiteral("hello.json")}); }),
                 QString());
        QTRY_VERIFY_WITH_TIMEOUT(!rowOf(QStringLiteral("hello.json")).isValid() &&
                                     rowOf(QStringLiteral("pixel.png")).isValid(),
                                 kAnswerTimeoutMs);
        const json out = boto3(QStringLiteral(R"(
try:
    s3.head_object(Bucket='browser-test', Key='hello.json')
    out['code'] = 'found'
except botocore.exceptions.ClientError as e:
    out['code'] = e.response['Error']['Code']
)"));
        QCOMPARE(QString::fromStdString(out.value("code", out.dump())), QStringLiteral("404"));
    }

    // Emptied, the bucket goes, and the browser moves to another.
    void emptyBucketIsDeleted() {
        browser()->deleteObjects({QStringLiteral("pixel.png")});
        QCOMPARE(operation([&] { browser()->deleteObjects({QStringLiteral("a/b/deep.txt")}); }),
                 QString());
        QTRY_VERIFY_WITH_TIMEOUT(objects()->listing() && objects()->listing()->objects.isEmpty() &&
                                     objects()->listing()->prefixes.isEmpty(),
                                 kAnswerTimeoutMs);
        QCOMPARE(operation([&] { browser()->deleteBucket(kBucket); }), QString());
        QTRY_VERIFY_WITH_TIMEOUT(!tree()->find(kBucket, {}).isValid(), kAnswerTimeoutMs);
        QVERIFY(browser()->currentBucket() != kBucket);
    }

    // An upload from the window is a PutObject to the bucket's functions: the template's
    // handler for incoming/*.txt runs with the S3 record for that key.
    void uploadNotifiesTheTemplatesHandler() {
        const QString path = writeFile(QStringLiteral("note.txt"), "a note from the window\n");
        QSignalSpy finished(window_->bridge(), &EngineBridge::invocationFinished);
        browser()->showFolder(QStringLiteral("fogbank-uploads"), QStringLiteral("incoming/"));
        QCOMPARE(operation([&] { browser()->uploadFiles({path}); }), QString());
        fogbank::ui::InvocationRecord record;
        QTRY_VERIFY_WITH_TIMEOUT(findInvocation(finished, QStringLiteral("s3-on-upload"), record),
                                 kInvokeTimeoutMs);
        QVERIFY2(record.ok(), qPrintable(record.payload));
        QCOMPARE(record.trigger, QStringLiteral("S3"));
        const json event = json::parse(record.event.toStdString(), nullptr, false);
        QVERIFY2(event.is_object(), qPrintable(record.event));
        auto field = [&](const char* pointer) {
            return QString::fromStdString(
                event.value(json::json_pointer(pointer), std::string("(missing)")));
        };
        QCOMPARE(field("/Records/0/eventName"), QStringLiteral("ObjectCreated:Put"));
        QCOMPARE(field("/Records/0/s3/bucket/name"), QStringLiteral("fogbank-uploads"));
        QCOMPARE(field("/Records/0/s3/object/key"), QStringLiteral("incoming/note.txt"));
        QCOMPARE(field("/Records/0/s3/object/eTag"),
                 QString::fromLatin1(md5Hex("a note from the window\n")));
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(TestBucketBrowser)
#include "test_bucket_browser.moc"
