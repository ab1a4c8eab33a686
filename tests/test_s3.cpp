// The S3 service on the edge, driven by unmodified clients: Debian's aws CLI v2, the aws CLI on
// PATH (v1 with a newer botocore, which uploads aws-chunked with CRC32 trailers), and boto3 from
// /usr/bin/python3. Objects, listings, errors, multipart, checksums, presigned URLs, odd keys,
// notifications reaching a real handler in the trace of the PutObject that caused them, and a
// `fogbank serve` killed with SIGKILL in the middle of uploads.
#include "emulator/trace/invocation_store.h"
#include "test_http.h"
#include "test_support.h"

#include <QCryptographicHash>
#include <QDirIterator>

#include <condition_variable>
#include <csignal>
#include <mutex>

using namespace fbtest;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");
const QString kAwsV2 = QStringLiteral("/usr/bin/aws");

fs::path s3Template() {
    return fixture("s3/template.yaml");
}

// Collects the invocations notifications cause, for the test thread to wait on.
class S3Invocations : public fogbank::EngineObserver {
  public:
    void invocationFinished(const InvocationResult& result) override {
        if (result.trigger != fogbank::Trigger::S3) return;
        std::lock_guard lock(mutex_);
        results_.push_back(result);
        changed_.notify_all();
    }
    // The first finished invocation of `function` whose event names `key` (as encoded in the
    // record), or a Test.NoAnswer result after a minute.
    InvocationResult waitFor(const std::string& function, const std::string& encodedKey) {
        std::unique_lock lock(mutex_);
        InvocationResult found;
        const bool ok = changed_.wait_for(lock, kInvokeDeadline, [&] {
            for (const auto& r : results_) {
                if (r.function != function) continue;
                const auto event = json::parse(r.event, nullptr, false);
                if (field(event, "/Records/0/s3/object/key") == q(encodedKey)) {
                    found = r;
                    return true;
                }
            }
            return false;
        });
        if (!ok) {
            found.status = InvocationStatus::LaunchError;
            found.errorType = "Test.NoAnswer";
        }
        return found;
    }
    std::vector<InvocationResult> all() {
        std::lock_guard lock(mutex_);
        return results_;
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<InvocationResult> results_;
};

const char* kPreamble = R"(
import base64, datetime, hashlib, http.client, json, sys, urllib.request, zlib
import boto3, botocore
from botocore.config import Config
endpoint = sys.argv[1]
port = int(endpoint.rsplit(':', 1)[1])
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1',
                  aws_access_key_id='test', aws_secret_access_key='test',
                  config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
def code(fn):
    try:
        fn()
        return 'no error'
    except botocore.exceptions.ClientError as e:
        return e.response['Error']['Code']
out = {}
)";

// This process's peak resident memory (VmHWM), in KiB; the engine runs inside it.
qint64 peakRssKb() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

}  // namespace

class S3Test : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir scratch_;
    std::unique_ptr<TestEngine> engine_;
    S3Invocations invocations_;

    QString endpoint() const {
        return QStringLiteral("http://127.0.0.1:%1").arg((*engine_)->edgePort());
    }
    QString stateDir() const { return q((*engine_)->config().stateDir); }

    QProcessEnvironment clientEnvironment() const {
        return awsClientEnvironment(scratch_.filePath(QStringLiteral("home")));
    }

    // A boto3 script (after kPreamble) that leaves its findings in `out`; they come back as JSON.
    json boto3(const QString& body, const QStringList& args = {}) {
        const QString script =
            QLatin1String(kPreamble) + body + QStringLiteral("\nprint(json.dumps(out))\n");
        const Run run =
            runProcess(kPython, QStringList{QStringLiteral("-c"), script, endpoint()} + args, {},
                       scratch_.path(), clientEnvironment());
        if (run.exitCode != 0) return json{{"failed", run.describe().toStdString()}};
        return json::parse(run.out.toStdString(), nullptr, false);
    }

    Run aws(const QString& cli, const QStringList& args) {
        return runProcess(cli, QStringList{QStringLiteral("--endpoint-url"), endpoint()} + args, {},
                          scratch_.path(), clientEnvironment());
    }

    // What every aws CLI must manage: mb, cp up and down (a multipart upload past 8 MB), ls,
    // sync, rb refused while not empty, rm --recursive, rb, and S3's error codes.
    void cliRoundTrip(const QString& cli, const QString& bucket) {
        const QString local = scratch_.filePath(bucket);
        QByteArray big;
        for (int i = 0; big.size() < 9 * 1024 * 1024; ++i)
            big += QCryptographicHash::hash(QByteArray::number(i), QCryptographicHash::Sha256);
        writeFile(fs::path(local.toStdString()) / "one.txt", "hello from the cli");
        writeFile(fs::path(local.toStdString()) / "big.bin", big.toStdString());
        writeFile(fs::path(local.toStdString()) / "tree/a.txt", "a");
        writeFile(fs::path(local.toStdString()) / "tree/sub/b.txt", "b");
        const QString s3Url = QStringLiteral("s3://") + bucket;

        Run run = aws(cli, {QStringLiteral("s3"), QStringLiteral("mb"), s3Url});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        run = aws(cli, {QStringLiteral("s3"), QStringLiteral("cp"), local + "/one.txt",
                        s3Url + "/one.txt"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        run = aws(cli, {QStringLiteral("s3"), QStringLiteral("cp"), local + "/big.bin",
                        s3Url + "/big.bin"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        run = aws(cli,
                  {QStringLiteral("s3"), QStringLiteral("sync"), local + "/tree", s3Url + "/tree"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));

        run = aws(cli, {QStringLiteral("s3"), QStringLiteral("ls"), s3Url + "/"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(run.out.contains(QStringLiteral(" one.txt")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral(" big.bin")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("PRE tree/")), qPrintable(run.out));
        run = aws(cli, {QStringLiteral("s3"), QStringLiteral("ls"), QStringLiteral("--recursive"),
                        s3Url});
        QVERIFY2(run.out.contains(QStringLiteral("tree/sub/b.txt")), qPrintable(run.out));

        run = aws(cli, {QStringLiteral("s3"), QStringLiteral("cp"), s3Url + "/big.bin",
                        local + "/down.bin"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QFile down(local + "/down.bin");
        QVERIFY(down.open(QIODevice::ReadOnly));
        QVERIFY2(down.readAll() == big, "the downloaded object differs from the uploaded file");
        run = aws(cli, {QStringLiteral("s3"), QStringLiteral("cp"), s3Url + "/one.txt",
                        QStringLiteral("-")});
        QCOMPARE(run.out, QStringLiteral("hello from the cli"));

        // A second sync uploads nothing: sizes and times agree.
        run = aws(cli,
                  {QStringLiteral("s3"), QStringLiteral("sync"), local + "/tree", s3Url + "/tree"});
        QVERIFY2(run.exitCode == 0 && !run.out.contains(QStringLiteral("upload:")),
                 qPrintable(run.describe()));

        run = aws(cli, {QStringLiteral("s3api"), QStringLiteral("get-object"),
                        QStringLiteral("--bucket"), bucket, QStringLiteral("--key"),
                        QStringLiteral("missing"), local + "/missing.out"});
        QVERIFY2(run.exitCode != 0 && run.err.contains(QStringLiteral("NoSuchKey")),
                 qPrintable(run.describe()));
        run = aws(cli, {QStringLiteral("s3"), QStringLiteral("mb"), s3Url});
        QVERIFY2(run.exitCode != 0 && run.err.contains(QStringLiteral("BucketAlreadyOwnedByYou")),
                 qPrintable(run.describe()));
        run = aws(cli, {QStringLiteral("s3"), QStringLiteral("rb"), s3Url});
        QVERIFY2(run.exitCode != 0 && run.err.contains(QStringLiteral("BucketNotEmpty")),
                 qPrintable(run.describe()));
        run = aws(cli, {QStringLiteral("s3"), QStringLiteral("rm"), QStringLiteral("--recursive"),
                        s3Url});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        run = aws(cli, {QStringLiteral("s3"), QStringLiteral("rb"), s3Url});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        run = aws(cli, {QStringLiteral("s3api"), QStringLiteral("head-bucket"),
                        QStringLiteral("--bucket"), bucket});
        QVERIFY2(run.exitCode != 0 && run.err.contains(QStringLiteral("404")),
                 qPrintable(run.describe()));
    }

  private slots:
    void initTestCase() {
        prepareTestEnvironment();
        QVERIFY(scratch_.isValid());
        const Run check =
            runProcess(kPython, {QStringLiteral("-c"), QStringLiteral("import boto3")});
        if (check.exitCode != 0) QSKIP("no boto3 for /usr/bin/python3 (python3-boto3)");
        engine_ = std::make_unique<TestEngine>(
            s3Template(), [](EngineConfig& config) { config.python = kPython.toStdString(); });
        (*engine_)->addObserver(&invocations_);
    }
    void cleanupTestCase() {
        if (engine_) (*engine_)->removeObserver(&invocations_);
        engine_.reset();
    }

    // Large bodies stream through disk both ways: a 200 MiB PUT (one request, no multipart),
    // one of unknown length (chunked transfer), a 3 MiB aws-chunked one with a trailing
    // checksum, and ranged and whole GETs of them, all while the engine's peak memory stays
    // far below the object's size. Runs first, so that no earlier test has raised the peak.
    void largeObjectsStreamThroughDisk() {
        const qint64 peakBefore = peakRssKb();
        QVERIFY(peakBefore > 0);
        const json out = boto3(QStringLiteral(R"(
s3.create_bucket(Bucket='large')
size = 200 * 1024 * 1024
block = bytes(range(256)) * 4096
def blocks(n):
    for i in range(n // len(block)):
        yield block[i % 256:] + block[:i % 256]
whole = hashlib.md5()
for b in blocks(size):
    whole.update(b)
conn = http.client.HTTPConnection('127.0.0.1', port)
conn.putrequest('PUT', '/large/known')
conn.putheader('Content-Length', str(size))
conn.endheaders()
for b in blocks(size):
    conn.send(b)
r = conn.getresponse()
out['known'] = [r.status, r.getheader('ETag') == '"%s"' % whole.hexdigest(), r.read().decode()]
conn.request('PUT', '/large/unknown', body=blocks(8 * 1024 * 1024))  # chunked: no length
r = conn.getresponse()
r.read()
out['unknownStatus'] = r.status
data = bytes(range(251)) * 12532
crc = base64.b64encode(zlib.crc32(data).to_bytes(4, 'big'))
framed = b''.join(b'%x\r\n' % len(data[i:i + 65536]) + data[i:i + 65536] + b'\r\n'
                  for i in range(0, len(data), 65536))
framed += b'0\r\nx-amz-checksum-crc32:' + crc + b'\r\n\r\n'
conn.request('PUT', '/large/chunked', body=framed, headers={
    'Content-Encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-decoded-content-length': str(len(data))})
r = conn.getresponse()
out['chunked'] = [r.status, r.getheader('x-amz-checksum-crc32') == crc.decode(), r.read().decode()]
g = s3.get_object(Bucket='large', Key='known')
got = hashlib.md5()
for piece in g['Body'].iter_chunks(1024 * 1024):
    got.update(piece)
out['knownBack'] = [g['ContentLength'] == size, got.hexdigest() == whole.hexdigest()]
g = s3.get_object(Bucket='large', Key='known', Range='bytes=100000000-100999999')
body = g['Body'].read()
flat = hashlib.md5()
at = 0
for b in blocks(size):
    lo, hi = max(100000000, at), min(101000000, at + len(b))
    if lo < hi:
        flat.update(b[lo - at:hi - at])
    at += len(b)
out['range'] = [len(body), hashlib.md5(body).hexdigest() == flat.hexdigest(), g['ContentRange']]
g = s3.get_object(Bucket='large', Key='unknown')
out['unknownBack'] = g['ContentLength'] == 8 * 1024 * 1024 and \
    g['Body'].read() == b''.join(blocks(8 * 1024 * 1024))
g = s3.get_object(Bucket='large', Key='chunked', ChecksumMode='ENABLED')
out['chunkedBack'] = [g['Body'].read() == data, g.get('ChecksumCRC32') == crc.decode()]
)"));
        QVERIFY2(!out.contains("failed"), qPrintable(q(out.dump(1))));
        QCOMPARE(field(out, "/known/0"), QStringLiteral("200"));
        QCOMPARE(field(out, "/known/1"), QStringLiteral("true"));
        QCOMPARE(field(out, "/unknownStatus"), QStringLiteral("200"));
        QCOMPARE(field(out, "/chunked"), QStringLiteral(R"([200,true,""])"));
        QCOMPARE(field(out, "/knownBack"), QStringLiteral("[true,true]"));
        QCOMPARE(field(out, "/range"),
                 QStringLiteral(R"([1000000,true,"bytes 100000000-100999999/209715200"])"));
        QCOMPARE(field(out, "/unknownBack"), QStringLiteral("true"));
        QCOMPARE(field(out, "/chunkedBack"), QStringLiteral("[true,true]"));
        // Buffering the 200 MiB object even once would raise the peak by that much.
        const qint64 grewKb = peakRssKb() - peakBefore;
        qInfo("peak memory grew by %lld KiB over the uploads and downloads", grewKb);
        QVERIFY2(grewKb < 64 * 1024,
                 qPrintable(QStringLiteral("peak memory grew by %1 MiB").arg(grewKb / 1024)));
        // Nothing of the uploads is left behind in the spool folder.
        QDir tmp(stateDir() + QStringLiteral("/s3/tmp"));
        QCOMPARE(tmp.entryList(QDir::Files).size(), 0);
    }

    // The template's buckets exist from the start, named or derived.
    void templateBuckets() {
        std::string unnamed;
        for (const auto& b : (*engine_)->project().buckets)
            if (b.logicalId == "Unnamed") unnamed = b.bucketName;
        QVERIFY(!unnamed.empty());
        const json out = boto3(
            QStringLiteral("out['names'] = [b['Name'] for b in s3.list_buckets()['Buckets']]\n"
                           "s3.head_bucket(Bucket='fogbank-uploads')\n"));
        QVERIFY2(!out.contains("failed"), qPrintable(q(out.dump())));
        const auto names = out["names"].dump();
        QVERIFY2(names.find("\"fogbank-uploads\"") != std::string::npos, names.c_str());
        QVERIFY2(names.find("\"" + unnamed + "\"") != std::string::npos, names.c_str());
    }

    void objectsWithBoto3() {
        const json out = boto3(QStringLiteral(R"(
s3.create_bucket(Bucket='objects')
out['dup'] = code(lambda: s3.create_bucket(Bucket='objects'))
out['badName'] = code(lambda: s3.create_bucket(Bucket='Bad_Name'))
r = s3.put_object(Bucket='objects', Key='a/b.txt', Body=b'hello world', ContentType='text/plain',
                  Metadata={'colour': 'blue'}, CacheControl='no-cache')
out['putEtag'] = r['ETag']
g = s3.get_object(Bucket='objects', Key='a/b.txt')
out['get'] = {'body': g['Body'].read().decode(), 'type': g['ContentType'], 'meta': g['Metadata'],
              'cache': g['CacheControl'], 'length': g['ContentLength'], 'etag': g['ETag']}
h = s3.head_object(Bucket='objects', Key='a/b.txt')
out['head'] = {'length': h['ContentLength'], 'etag': h['ETag'], 'meta': h['Metadata']}
out['range'] = s3.get_object(Bucket='objects', Key='a/b.txt', Range='bytes=6-')['Body'].read().decode()
out['suffixRange'] = s3.get_object(Bucket='objects', Key='a/b.txt', Range='bytes=-5')['Body'].read().decode()
out['midRange'] = s3.get_object(Bucket='objects', Key='a/b.txt', Range='bytes=0-4')['ContentRange']
out['badRange'] = code(lambda: s3.get_object(Bucket='objects', Key='a/b.txt', Range='bytes=100-200'))
out['ifMatch'] = code(lambda: s3.get_object(Bucket='objects', Key='a/b.txt', IfMatch='"nope"'))
out['ifMatchOk'] = code(lambda: s3.get_object(Bucket='objects', Key='a/b.txt', IfMatch=r['ETag']))
out['ifNoneMatch'] = code(lambda: s3.get_object(Bucket='objects', Key='a/b.txt', IfNoneMatch=r['ETag']))
later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
earlier = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
out['ifModifiedSince'] = code(lambda: s3.get_object(Bucket='objects', Key='a/b.txt', IfModifiedSince=later))
out['ifModifiedSinceOk'] = code(lambda: s3.get_object(Bucket='objects', Key='a/b.txt', IfModifiedSince=earlier))
out['ifUnmodifiedSince'] = code(lambda: s3.get_object(Bucket='objects', Key='a/b.txt', IfUnmodifiedSince=earlier))
out['noKey'] = code(lambda: s3.get_object(Bucket='objects', Key='missing'))
out['noBucket'] = code(lambda: s3.get_object(Bucket='no-such-bucket', Key='x'))
out['headMissing'] = code(lambda: s3.head_object(Bucket='objects', Key='missing'))

s3.copy_object(Bucket='objects', Key='copy-same', CopySource={'Bucket': 'objects', 'Key': 'a/b.txt'})
c = s3.head_object(Bucket='objects', Key='copy-same')
out['copy'] = {'meta': c['Metadata'], 'type': c['ContentType'], 'etag': c['ETag']}
s3.copy_object(Bucket='objects', Key='copy-replaced', MetadataDirective='REPLACE',
               CopySource={'Bucket': 'objects', 'Key': 'a/b.txt'}, Metadata={'x': 'y'},
               ContentType='application/json')
c = s3.get_object(Bucket='objects', Key='copy-replaced')
out['replaced'] = {'meta': c['Metadata'], 'type': c['ContentType'], 'body': c['Body'].read().decode()}
out['copyToSelf'] = code(lambda: s3.copy_object(Bucket='objects', Key='a/b.txt',
                                                CopySource={'Bucket': 'objects', 'Key': 'a/b.txt'}))
out['copyMissing'] = code(lambda: s3.copy_object(Bucket='objects', Key='x',
                                                 CopySource={'Bucket': 'objects', 'Key': 'nope'}))

for k in ['d/1', 'd/2', 'd/sub/3', 'd/sub/4', 'e/5', 'top']:
    s3.put_object(Bucket='objects', Key=k, Body=k.encode())
l = s3.list_objects_v2(Bucket='objects', Prefix='d/', Delimiter='/')
out['v2'] = {'keys': [o['Key'] for o in l.get('Contents', [])],
             'prefixes': [p['Prefix'] for p in l.get('CommonPrefixes', [])], 'count': l['KeyCount']}
keys, pages = [], 0
for p in s3.get_paginator('list_objects_v2').paginate(Bucket='objects', PaginationConfig={'PageSize': 2}):
    pages += 1
    keys += [o['Key'] for o in p.get('Contents', [])]
out['paged'] = {'keys': keys, 'pages': pages}
out['startAfter'] = [o['Key'] for o in s3.list_objects_v2(Bucket='objects', StartAfter='d/sub/4')['Contents']]
keys, prefixes = [], []
for p in s3.get_paginator('list_objects').paginate(Bucket='objects', Delimiter='/', PaginationConfig={'PageSize': 2}):
    keys += [o['Key'] for o in p.get('Contents', [])]
    prefixes += [x['Prefix'] for x in p.get('CommonPrefixes', [])]
out['v1'] = {'keys': keys, 'prefixes': prefixes}

out['notEmpty'] = code(lambda: s3.delete_bucket(Bucket='objects'))
d = s3.delete_objects(Bucket='objects', Delete={'Objects': [{'Key': 'd/1'}, {'Key': 'd/2'}, {'Key': 'nothing'}]})
out['deleted'] = sorted(x['Key'] for x in d['Deleted'])
s3.delete_object(Bucket='objects', Key='top')
out['afterDelete'] = code(lambda: s3.get_object(Bucket='objects', Key='top'))
out['location'] = s3.get_bucket_location(Bucket='objects').get('LocationConstraint')

url = s3.generate_presigned_url('get_object', Params={'Bucket': 'objects', 'Key': 'a/b.txt'})
out['presignedGet'] = urllib.request.urlopen(url).read().decode()
url = s3.generate_presigned_url('put_object', Params={'Bucket': 'objects', 'Key': 'presigned-put'})
urllib.request.urlopen(urllib.request.Request(url, data=b'via presigned', method='PUT'))
out['presignedPut'] = s3.get_object(Bucket='objects', Key='presigned-put')['Body'].read().decode()
# SigV4 query auth, as newer SDKs presign by default.
v4 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1',
                  aws_access_key_id='test', aws_secret_access_key='test',
                  config=Config(signature_version='s3v4', s3={'addressing_style': 'path'}))
url = v4.generate_presigned_url('put_object', Params={'Bucket': 'objects', 'Key': 'presigned-v4'})
out['v4Url'] = 'X-Amz-Credential=' in url
urllib.request.urlopen(urllib.request.Request(url, data=b'via v4', method='PUT'))
url = v4.generate_presigned_url('get_object', Params={'Bucket': 'objects', 'Key': 'presigned-v4'})
out['presignedV4'] = urllib.request.urlopen(url).read().decode()

conn = http.client.HTTPConnection('127.0.0.1', port)
conn.request('GET', '/a/b.txt', headers={'Host': 'objects.localhost:%d' % port})
resp = conn.getresponse()
out['virtualHost'] = [resp.status, resp.read().decode()]
conn.request('GET', '/objects/no/such%20key')
resp = conn.getresponse()
out['errorDocument'] = [resp.status, resp.getheader('Content-Type'), resp.read().decode()]

r = s3.put_object(Bucket='objects', Key='summed', Body=b'abc', ChecksumAlgorithm='CRC32')
out['crcExpected'] = base64.b64encode(zlib.crc32(b'abc').to_bytes(4, 'big')).decode()
out['crcPut'] = r.get('ChecksumCRC32')
out['crcHead'] = s3.head_object(Bucket='objects', Key='summed', ChecksumMode='ENABLED').get('ChecksumCRC32')
out['badMd5'] = code(lambda: s3.put_object(Bucket='objects', Key='bad', Body=b'abc',
                                           ContentMD5='AAAAAAAAAAAAAAAAAAAAAA=='))
out['badMd5Stored'] = code(lambda: s3.head_object(Bucket='objects', Key='bad'))
)"));
        QVERIFY2(!out.contains("failed"), qPrintable(q(out.dump(1))));
        const QString text = q(out.dump());
        QCOMPARE(field(out, "/dup"), QStringLiteral("BucketAlreadyOwnedByYou"));
        QCOMPARE(field(out, "/badName"), QStringLiteral("InvalidBucketName"));
        const QString etag = QStringLiteral("\"%1\"").arg(QString::fromLatin1(
            QCryptographicHash::hash("hello world", QCryptographicHash::Md5).toHex()));
        QCOMPARE(field(out, "/putEtag"), etag);
        QCOMPARE(field(out, "/get/body"), QStringLiteral("hello world"));
        QCOMPARE(field(out, "/get/type"), QStringLiteral("text/plain"));
        QCOMPARE(field(out, "/get/meta/colour"), QStringLiteral("blue"));
        QCOMPARE(field(out, "/get/cache"), QStringLiteral("no-cache"));
        QCOMPARE(field(out, "/get/length"), QStringLiteral("11"));
        QCOMPARE(field(out, "/get/etag"), etag);
        QCOMPARE(field(out, "/head/length"), QStringLiteral("11"));
        QCOMPARE(field(out, "/head/etag"), etag);
        QCOMPARE(field(out, "/head/meta/colour"), QStringLiteral("blue"));
        QCOMPARE(field(out, "/range"), QStringLiteral("world"));
        QCOMPARE(field(out, "/suffixRange"), QStringLiteral("world"));
        QCOMPARE(field(out, "/midRange"), QStringLiteral("bytes 0-4/11"));
        QCOMPARE(field(out, "/badRange"), QStringLiteral("InvalidRange"));
        QCOMPARE(field(out, "/ifMatch"), QStringLiteral("PreconditionFailed"));
        QCOMPARE(field(out, "/ifMatchOk"), QStringLiteral("no error"));
        QCOMPARE(field(out, "/ifNoneMatch"), QStringLiteral("304"));
        QCOMPARE(field(out, "/ifModifiedSince"), QStringLiteral("304"));
        QCOMPARE(field(out, "/ifModifiedSinceOk"), QStringLiteral("no error"));
        QCOMPARE(field(out, "/ifUnmodifiedSince"), QStringLiteral("PreconditionFailed"));
        QCOMPARE(field(out, "/noKey"), QStringLiteral("NoSuchKey"));
        QCOMPARE(field(out, "/noBucket"), QStringLiteral("NoSuchBucket"));
        QCOMPARE(field(out, "/headMissing"), QStringLiteral("404"));

        QCOMPARE(field(out, "/copy/meta/colour"), QStringLiteral("blue"));
        QCOMPARE(field(out, "/copy/type"), QStringLiteral("text/plain"));
        QCOMPARE(field(out, "/copy/etag"), etag);
        QCOMPARE(field(out, "/replaced/meta"), QStringLiteral(R"({"x":"y"})"));
        QCOMPARE(field(out, "/replaced/type"), QStringLiteral("application/json"));
        QCOMPARE(field(out, "/replaced/body"), QStringLiteral("hello world"));
        QCOMPARE(field(out, "/copyToSelf"), QStringLiteral("InvalidRequest"));
        QCOMPARE(field(out, "/copyMissing"), QStringLiteral("NoSuchKey"));

        QCOMPARE(field(out, "/v2/keys"), QStringLiteral(R"(["d/1","d/2"])"));
        QCOMPARE(field(out, "/v2/prefixes"), QStringLiteral(R"(["d/sub/"])"));
        QCOMPARE(field(out, "/v2/count"), QStringLiteral("3"));
        QCOMPARE(field(out, "/paged/keys"),
                 QStringLiteral(R"(["a/b.txt","copy-replaced","copy-same","d/1","d/2","d/sub/3",)"
                                R"("d/sub/4","e/5","top"])"));
        QCOMPARE(field(out, "/paged/pages"), QStringLiteral("5"));
        QCOMPARE(field(out, "/startAfter"), QStringLiteral(R"(["e/5","top"])"));
        QCOMPARE(field(out, "/v1/keys"), QStringLiteral(R"(["copy-replaced","copy-same","top"])"));
        QCOMPARE(field(out, "/v1/prefixes"), QStringLiteral(R"(["a/","d/","e/"])"));

        QCOMPARE(field(out, "/notEmpty"), QStringLiteral("BucketNotEmpty"));
        QCOMPARE(field(out, "/deleted"), QStringLiteral(R"(["d/1","d/2","nothing"])"));
        QCOMPARE(field(out, "/afterDelete"), QStringLiteral("NoSuchKey"));
        QCOMPARE(field(out, "/location"), QStringLiteral("null"));
        QCOMPARE(field(out, "/presignedGet"), QStringLiteral("hello world"));
        QCOMPARE(field(out, "/presignedPut"), QStringLiteral("via presigned"));
        QCOMPARE(field(out, "/v4Url"), QStringLiteral("true"));
        QCOMPARE(field(out, "/presignedV4"), QStringLiteral("via v4"));
        QCOMPARE(field(out, "/virtualHost"), QStringLiteral(R"([200,"hello world"])"));

        QCOMPARE(field(out, "/errorDocument/0"), QStringLiteral("404"));
        QCOMPARE(field(out, "/errorDocument/1"), QStringLiteral("application/xml"));
        const QString error = field(out, "/errorDocument/2");
        QVERIFY2(error.contains(QStringLiteral("<Error><Code>NoSuchKey</Code><Message>")),
                 qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("<Key>no/such key</Key><RequestId>")),
                 qPrintable(error));

        QCOMPARE(field(out, "/crcExpected"), QStringLiteral("NSRBwg=="));
        QCOMPARE(field(out, "/crcPut"), QStringLiteral("NSRBwg=="));
        QCOMPARE(field(out, "/crcHead"), QStringLiteral("NSRBwg=="));
        QCOMPARE(field(out, "/badMd5"), QStringLiteral("BadDigest"));
        QCOMPARE(field(out, "/badMd5Stored"), QStringLiteral("404"));
        (void)text;
    }

    void multipartWithBoto3() {
        const json out = boto3(QStringLiteral(R"(
s3.create_bucket(Bucket='multi')
part1, part2 = b'a' * (5 * 1024 * 1024), b'b' * 1000
u = s3.create_multipart_upload(Bucket='multi', Key='big.bin', ContentType='application/x-test',
                               Metadata={'kind': 'multi'})
uid = u['UploadId']
p1 = s3.upload_part(Bucket='multi', Key='big.bin', UploadId=uid, PartNumber=1, Body=part1)
p2 = s3.upload_part(Bucket='multi', Key='big.bin', UploadId=uid, PartNumber=2, Body=part2)
out['parts'] = [(p['PartNumber'], p['Size']) for p in s3.list_parts(Bucket='multi', Key='big.bin', UploadId=uid)['Parts']]
out['uploads'] = [x['Key'] for x in s3.list_multipart_uploads(Bucket='multi').get('Uploads', [])]
out['invalidPart'] = code(lambda: s3.complete_multipart_upload(Bucket='multi', Key='big.bin', UploadId=uid,
    MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': '"00000000000000000000000000000000"'}]}))
out['badOrder'] = code(lambda: s3.complete_multipart_upload(Bucket='multi', Key='big.bin', UploadId=uid,
    MultipartUpload={'Parts': [{'PartNumber': 2, 'ETag': p2['ETag']}, {'PartNumber': 1, 'ETag': p1['ETag']}]}))
c = s3.complete_multipart_upload(Bucket='multi', Key='big.bin', UploadId=uid,
    MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': p1['ETag']}, {'PartNumber': 2, 'ETag': p2['ETag']}]})
expected = hashlib.md5(hashlib.md5(part1).digest() + hashlib.md5(part2).digest()).hexdigest() + '-2'
out['etag'] = [c['ETag'], '"%s"' % expected]
g = s3.get_object(Bucket='multi', Key='big.bin')
out['object'] = {'same': g['Body'].read() == part1 + part2, 'type': g['ContentType'],
                 'meta': g['Metadata'], 'length': g['ContentLength']}
out['afterComplete'] = code(lambda: s3.upload_part(Bucket='multi', Key='big.bin', UploadId=uid, PartNumber=3, Body=b'x'))
out['uploadsAfter'] = len(s3.list_multipart_uploads(Bucket='multi').get('Uploads', []))

small = s3.create_multipart_upload(Bucket='multi', Key='small.bin')['UploadId']
q1 = s3.upload_part(Bucket='multi', Key='small.bin', UploadId=small, PartNumber=1, Body=b'x' * 10)
q2 = s3.upload_part(Bucket='multi', Key='small.bin', UploadId=small, PartNumber=2, Body=b'y')
out['tooSmall'] = code(lambda: s3.complete_multipart_upload(Bucket='multi', Key='small.bin', UploadId=small,
    MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': q1['ETag']}, {'PartNumber': 2, 'ETag': q2['ETag']}]}))
s3.abort_multipart_upload(Bucket='multi', Key='small.bin', UploadId=small)
out['afterAbort'] = code(lambda: s3.list_parts(Bucket='multi', Key='small.bin', UploadId=small))
out['smallVisible'] = code(lambda: s3.head_object(Bucket='multi', Key='small.bin'))
out['badPartNumber'] = code(lambda: s3.upload_part(Bucket='multi', Key='x', UploadId=small, PartNumber=1, Body=b'x'))

cp = s3.create_multipart_upload(Bucket='multi', Key='copied.bin')['UploadId']
r1 = s3.upload_part_copy(Bucket='multi', Key='copied.bin', UploadId=cp, PartNumber=1,
                         CopySource={'Bucket': 'multi', 'Key': 'big.bin'}, CopySourceRange='bytes=0-5242879')
r2 = s3.upload_part_copy(Bucket='multi', Key='copied.bin', UploadId=cp, PartNumber=2,
                         CopySource={'Bucket': 'multi', 'Key': 'big.bin'}, CopySourceRange='bytes=5242880-5243879')
s3.complete_multipart_upload(Bucket='multi', Key='copied.bin', UploadId=cp,
    MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': r1['CopyPartResult']['ETag']},
                               {'PartNumber': 2, 'ETag': r2['CopyPartResult']['ETag']}]})
out['copiedSame'] = s3.get_object(Bucket='multi', Key='copied.bin')['Body'].read() == part1 + part2
)"));
        QVERIFY2(!out.contains("failed"), qPrintable(q(out.dump(1))));
        QCOMPARE(field(out, "/parts"), QStringLiteral("[[1,5242880],[2,1000]]"));
        QCOMPARE(field(out, "/uploads"), QStringLiteral(R"(["big.bin"])"));
        QCOMPARE(field(out, "/invalidPart"), QStringLiteral("InvalidPart"));
        QCOMPARE(field(out, "/badOrder"), QStringLiteral("InvalidPartOrder"));
        QCOMPARE(field(out, "/etag/0"), field(out, "/etag/1"));
        QCOMPARE(field(out, "/object/same"), QStringLiteral("true"));
        QCOMPARE(field(out, "/object/type"), QStringLiteral("application/x-test"));
        QCOMPARE(field(out, "/object/meta/kind"), QStringLiteral("multi"));
        QCOMPARE(field(out, "/object/length"), QString::number(5 * 1024 * 1024 + 1000));
        QCOMPARE(field(out, "/afterComplete"), QStringLiteral("NoSuchUpload"));
        QCOMPARE(field(out, "/uploadsAfter"), QStringLiteral("0"));
        QCOMPARE(field(out, "/tooSmall"), QStringLiteral("EntityTooSmall"));
        QCOMPARE(field(out, "/afterAbort"), QStringLiteral("NoSuchUpload"));
        QCOMPARE(field(out, "/smallVisible"), QStringLiteral("404"));
        QCOMPARE(field(out, "/badPartNumber"), QStringLiteral("NoSuchUpload"));
        QCOMPARE(field(out, "/copiedSame"), QStringLiteral("true"));
    }

    // aws-chunked bodies as the SDKs stream them over plain HTTP: unsigned with a trailing
    // CRC32, and SigV4-signed chunks; the decoded bytes are stored, never the framing.
    void awsChunkedUploads() {
        const json out = boto3(QStringLiteral(R"(
s3.create_bucket(Bucket='chunked')
data = b'chunked payload, sent five bytes at a time'
crc = base64.b64encode(zlib.crc32(data).to_bytes(4, 'big'))
def frame(data, extension=b'', trailer=b''):
    body = b''
    for i in range(0, len(data), 5):
        chunk = data[i:i + 5]
        body += b'%x' % len(chunk) + extension + b'\r\n' + chunk + b'\r\n'
    return body + b'0' + extension + b'\r\n' + trailer + b'\r\n'
def put(key, body, headers):
    conn = http.client.HTTPConnection('127.0.0.1', port)
    headers.update({'x-amz-decoded-content-length': str(len(data)), 'Content-Type': 'text/plain'})
    conn.request('PUT', '/chunked/' + key, body=body, headers=headers)
    r = conn.getresponse()
    return [r.status, r.getheader('x-amz-checksum-crc32'), r.read().decode()]
out['trailer'] = put('trailer', frame(data, trailer=b'x-amz-checksum-crc32:' + crc + b'\r\n'),
    {'Content-Encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
     'x-amz-trailer': 'x-amz-checksum-crc32'})
out['signed'] = put('signed', frame(data, extension=b';chunk-signature=' + b'0' * 64),
    {'Content-Encoding': 'aws-chunked,gzip', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'})
out['badTrailer'] = put('bad', frame(data, trailer=b'x-amz-checksum-crc32:AAAAAA==\r\n'),
    {'Content-Encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
     'x-amz-trailer': 'x-amz-checksum-crc32'})
out['broken'] = put('broken', b'zz\r\nnot hex',
    {'Content-Encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'})
g = s3.get_object(Bucket='chunked', Key='trailer', ChecksumMode='ENABLED')
out['trailerObject'] = [g['Body'].read() == data, g.get('ContentEncoding'), g.get('ChecksumCRC32') == crc.decode()]
g = s3.get_object(Bucket='chunked', Key='signed')
out['signedObject'] = [g['Body'].read() == data, g.get('ContentEncoding')]
out['badStored'] = code(lambda: s3.head_object(Bucket='chunked', Key='bad'))
out['crc'] = crc.decode()
)"));
        QVERIFY2(!out.contains("failed"), qPrintable(q(out.dump(1))));
        QCOMPARE(field(out, "/trailer/0"), QStringLiteral("200"));
        QCOMPARE(field(out, "/trailer/1"), field(out, "/crc"));
        QCOMPARE(field(out, "/trailerObject"), QStringLiteral("[true,null,true]"));
        QCOMPARE(field(out, "/signed/0"), QStringLiteral("200"));
        QCOMPARE(field(out, "/signedObject"), QStringLiteral(R"([true,"gzip"])"));
        QCOMPARE(field(out, "/badTrailer/0"), QStringLiteral("400"));
        QVERIFY2(field(out, "/badTrailer/2").contains(QStringLiteral("<Code>BadDigest</Code>")),
                 qPrintable(field(out, "/badTrailer/2")));
        QCOMPARE(field(out, "/broken/0"), QStringLiteral("400"));
        QVERIFY2(field(out, "/broken/2").contains(QStringLiteral("<Code>IncompleteBody</Code>")),
                 qPrintable(field(out, "/broken/2")));
        QCOMPARE(field(out, "/badStored"), QStringLiteral("404"));
    }

    // Keys that are paths elsewhere are only names here: stored, listed and read back exactly,
    // with nothing written outside the state dir.
    void oddKeys() {
        const json out = boto3(QStringLiteral(R"(
keys = ['../../escape.txt', '/absolute/path', '../', 'a b+c%20d&e=f?g#h;i', 'ключ/ü/😀.txt',
        'k' * 1024, 'tab\there', 'new\nline', 'back\\slash', 'sp ace/', '~!$\'()*,:@[]']
s3.create_bucket(Bucket='odd')
for k in keys:
    s3.put_object(Bucket='odd', Key=k, Body=k.encode())
out['tooLong'] = code(lambda: s3.put_object(Bucket='odd', Key='k' * 1025, Body=b''))
listed = []
for p in s3.get_paginator('list_objects_v2').paginate(Bucket='odd'):
    listed += [o['Key'] for o in p.get('Contents', [])]
out['listedExactly'] = listed == sorted(keys, key=lambda k: k.encode())
out['listed'] = listed
v1 = [o['Key'] for o in s3.list_objects(Bucket='odd')['Contents']]
out['v1Exactly'] = v1 == listed
out['bodies'] = all(s3.get_object(Bucket='odd', Key=k)['Body'].read() == k.encode() for k in keys)
)"));
        QVERIFY2(!out.contains("failed"), qPrintable(q(out.dump(1))));
        QCOMPARE(field(out, "/tooLong"), QStringLiteral("KeyTooLongError"));
        QVERIFY2(out.value("listedExactly", false), qPrintable(field(out, "/listed")));
        QVERIFY2(out.value("v1Exactly", false), qPrintable(field(out, "/listed")));
        QVERIFY(out.value("bodies", false));

        // The CLI lists them through encoding-type=url.
        if (QFileInfo(kAwsV2).isExecutable()) {
            const Run run =
                aws(kAwsV2, {QStringLiteral("s3"), QStringLiteral("ls"),
                             QStringLiteral("--recursive"), QStringLiteral("s3://odd")});
            QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
            QVERIFY2(run.out.contains(QStringLiteral("ключ/ü/😀.txt")), qPrintable(run.out));
            QVERIFY2(run.out.contains(QStringLiteral("a b+c%20d&e=f?g#h;i")), qPrintable(run.out));
        }

        // Blob files are named by generated ids; the keys appear nowhere on disk.
        const fs::path state = (*engine_)->config().stateDir;
        QVERIFY(!fs::exists(state.parent_path() / "escape.txt"));
        QVERIFY(!fs::exists(state / "escape.txt"));
        QVERIFY(!fs::exists("/absolute/path"));
        static const QRegularExpression id(QStringLiteral("^[0-9a-f]{32}$"));
        int blobs = 0;
        QDirIterator it(q(state / "s3" / "blobs"), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString name = QFileInfo(it.next()).fileName();
            QVERIFY2(id.match(name).hasMatch(), qPrintable(name));
            ++blobs;
        }
        QVERIFY(blobs >= 11);
    }

    // A SAM S3 event: a new .txt under incoming/ reaches OnUpload with the record AWS sends, in
    // the trace of the PutObject that caused it; keys outside the filter reach nobody.
    void notificationFromTemplate() {
        const json out = boto3(QStringLiteral(R"(
s3.put_object(Bucket='fogbank-uploads', Key='other/skipped.txt', Body=b'no')
s3.put_object(Bucket='fogbank-uploads', Key='incoming/skipped.bin', Body=b'no')
r = s3.put_object(Bucket='fogbank-uploads', Key='incoming/hello world.txt', Body=b'hi there')
out['etag'] = r['ETag']
s3.copy_object(Bucket='fogbank-uploads', Key='incoming/copied.txt',
               CopySource={'Bucket': 'fogbank-uploads', 'Key': 'incoming/hello world.txt'})
u = s3.create_multipart_upload(Bucket='fogbank-uploads', Key='incoming/multi.txt')['UploadId']
p = s3.upload_part(Bucket='fogbank-uploads', Key='incoming/multi.txt', UploadId=u, PartNumber=1, Body=b'one part')
s3.complete_multipart_upload(Bucket='fogbank-uploads', Key='incoming/multi.txt', UploadId=u,
                             MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': p['ETag']}]})
)"));
        QVERIFY2(!out.contains("failed"), qPrintable(q(out.dump(1))));
        const InvocationResult result =
            invocations_.waitFor("s3-on-upload", "incoming/hello+world.txt");
        FB_EXPECT_OK(result);
        QCOMPARE(result.trigger, fogbank::Trigger::S3);
        const json event = json::parse(result.event, nullptr, false);
        QCOMPARE(field(event, "/Records/0/eventVersion"), QStringLiteral("2.1"));
        QCOMPARE(field(event, "/Records/0/eventSource"), QStringLiteral("aws:s3"));
        QCOMPARE(field(event, "/Records/0/awsRegion"), QStringLiteral("us-east-1"));
        QCOMPARE(field(event, "/Records/0/eventName"), QStringLiteral("ObjectCreated:Put"));
        QVERIFY2(QRegularExpression(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)"))
                     .match(field(event, "/Records/0/eventTime"))
                     .hasMatch(),
                 qPrintable(field(event, "/Records/0/eventTime")));
        QCOMPARE(field(event, "/Records/0/s3/bucket/name"), QStringLiteral("fogbank-uploads"));
        QCOMPARE(field(event, "/Records/0/s3/bucket/arn"),
                 QStringLiteral("arn:aws:s3:::fogbank-uploads"));
        QCOMPARE(field(event, "/Records/0/s3/object/size"), QStringLiteral("8"));
        QCOMPARE("\"" + field(event, "/Records/0/s3/object/eTag") + "\"", field(out, "/etag"));
        QVERIFY(!field(event, "/Records/0/s3/object/sequencer").isEmpty());
        QCOMPARE(field(event, "/Records/0/s3/configurationId"), QStringLiteral("OnUpload.Created"));
        // The handler really received it.
        QCOMPARE(field(payloadOf(result), "/event/Records/0/s3/object/key"),
                 QStringLiteral("incoming/hello+world.txt"));

        // Its parent is the PutObject's span.
        auto* store = (*engine_)->store();
        QVERIFY(store);
        store->flush();
        const auto spans = store->spans(result.traceRoot);
        const fogbank::ServiceSpan* put = nullptr;
        for (const auto& span : spans)
            if (span.operation == "PutObject" &&
                span.resource == "fogbank-uploads/incoming/hello world.txt")
                put = &span;
        QVERIFY2(put, qPrintable(QStringLiteral("no PutObject span in trace %1 (%2 spans)")
                                     .arg(q(result.traceRoot))
                                     .arg(spans.size())));
        QCOMPARE(q(result.parentSpanId), q(put->spanId));
        QCOMPARE(put->service, std::string("s3"));

        // Copies and completed multipart uploads are ObjectCreated events too.
        const InvocationResult copied = invocations_.waitFor("s3-on-upload", "incoming/copied.txt");
        FB_EXPECT_OK(copied);
        QCOMPARE(field(json::parse(copied.event, nullptr, false), "/Records/0/eventName"),
                 QStringLiteral("ObjectCreated:Copy"));
        const InvocationResult multi = invocations_.waitFor("s3-on-upload", "incoming/multi.txt");
        FB_EXPECT_OK(multi);
        const json multiEvent = json::parse(multi.event, nullptr, false);
        QCOMPARE(field(multiEvent, "/Records/0/eventName"),
                 QStringLiteral("ObjectCreated:CompleteMultipartUpload"));
        QVERIFY2(field(multiEvent, "/Records/0/s3/object/eTag").endsWith(QStringLiteral("-1")),
                 qPrintable(field(multiEvent, "/Records/0/s3/object/eTag")));

        for (const auto& r : invocations_.all()) {
            const QString key =
                field(json::parse(r.event, nullptr, false), "/Records/0/s3/object/key");
            QVERIFY2(!key.contains(QStringLiteral("skipped")), qPrintable(key));
        }
    }

    // A configuration set through the API: LambdaFunctionConfigurations on ObjectRemoved:*.
    void notificationFromApi() {
        std::string bucket;
        for (const auto& b : (*engine_)->project().buckets)
            if (b.logicalId == "Unnamed") bucket = b.bucketName;
        const json out = boto3(QStringLiteral(R"(
bucket = sys.argv[2]
out['badTarget'] = code(lambda: s3.put_bucket_notification_configuration(Bucket=bucket,
    NotificationConfiguration={'LambdaFunctionConfigurations': [
        {'LambdaFunctionArn': 'arn:aws:lambda:us-east-1:000000000000:function:nope', 'Events': ['s3:ObjectRemoved:*']}]}))
s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
    'LambdaFunctionConfigurations': [{
        'Id': 'removed', 'LambdaFunctionArn': 'arn:aws:lambda:us-east-1:000000000000:function:s3-on-removed',
        'Events': ['s3:ObjectRemoved:*'],
        'Filter': {'Key': {'FilterRules': [{'Name': 'prefix', 'Value': 'logs/'}]}}}]})
c = s3.get_bucket_notification_configuration(Bucket=bucket)
out['config'] = [(x['Id'], x['Events'], x['Filter']['Key']['FilterRules']) for x in c.get('LambdaFunctionConfigurations', [])]
s3.put_object(Bucket=bucket, Key='logs/gone=1.txt', Body=b'x')
s3.delete_object(Bucket=bucket, Key='logs/gone=1.txt')
)"),
                               {q(bucket)});
        QVERIFY2(!out.contains("failed"), qPrintable(q(out.dump(1))));
        QCOMPARE(field(out, "/badTarget"), QStringLiteral("InvalidArgument"));
        QCOMPARE(
            field(out, "/config"),
            QStringLiteral(
                R"([["removed",["s3:ObjectRemoved:*"],[{"Name":"Prefix","Value":"logs/"}]]])"));
        const InvocationResult result = invocations_.waitFor("s3-on-removed", "logs/gone%3D1.txt");
        FB_EXPECT_OK(result);
        const json event = json::parse(result.event, nullptr, false);
        QCOMPARE(field(event, "/Records/0/eventName"), QStringLiteral("ObjectRemoved:Delete"));
        QCOMPARE(field(event, "/Records/0/s3/configurationId"), QStringLiteral("removed"));
        QCOMPARE(field(event, "/Records/0/s3/bucket/name"), q(bucket));
    }

    // (a) Debian's aws CLI v2.
    void awsCliV2() {
        if (!QFileInfo(kAwsV2).isExecutable()) QSKIP("no /usr/bin/aws (Debian's awscli)");
        FB_CHECK(cliRoundTrip(kAwsV2, QStringLiteral("cli-v2")));
    }

    // (b) The aws CLI on PATH, when it is another one.
    void pathAwsCli() {
        const QString cli = QStandardPaths::findExecutable(QStringLiteral("aws"));
        if (cli.isEmpty()) QSKIP("no aws on PATH");
        if (canonical(cli) == canonical(kAwsV2)) QSKIP("aws on PATH is /usr/bin/aws");
        FB_CHECK(cliRoundTrip(cli, QStringLiteral("cli-path")));
    }

    // `fogbank serve` killed with SIGKILL while a client uploads: after a restart every
    // acknowledged object is there, whole, and every visible object is whole.
    void killMinusNineDuringUploads() {
        QTemporaryDir scratch;
        const QString state = scratch.filePath(QStringLiteral("state"));
        const quint16 port = freePort();
        QVERIFY(port != 0);
        const QString endpointUrl = QStringLiteral("http://127.0.0.1:%1").arg(port);
        QProcess server;
        FB_CHECK(startServe(server, s3Template(), port, state));

        // Sizes vary up to 3 MB so that the kill lands inside a body as often as between them.
        const char* uploader = R"(
import hashlib, sys, boto3
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1',
                  aws_access_key_id='t', aws_secret_access_key='t',
                  config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
i = 0
while True:
    body = (b'%08d' % i) * (1 + (i * 7919) % 390000)
    s3.put_object(Bucket='fogbank-uploads', Key='k/%d' % i, Body=body)
    print('ACK k/%d %s' % (i, hashlib.md5(body).hexdigest()), flush=True)
    i += 1
)";
        QProcess client;
        client.setProcessEnvironment(clientEnvironment());
        client.start(kPython, {QStringLiteral("-c"), QLatin1String(uploader), endpointUrl});
        QVERIFY2(client.waitForStarted(30000), qPrintable(client.errorString()));
        QString acks;
        QTRY_VERIFY2_WITH_TIMEOUT(
            (acks += QString::fromUtf8(client.readAllStandardOutput()))
                    .count(QStringLiteral("ACK ")) >= 25,
            qPrintable(acks + QString::fromUtf8(client.readAllStandardError())), 120000);
        ::kill(static_cast<pid_t>(server.processId()), SIGKILL);
        QVERIFY(server.waitForFinished(10000));
        QCOMPARE(server.exitStatus(), QProcess::CrashExit);
        QVERIFY(client.waitForFinished(30000));
        acks += QString::fromUtf8(client.readAllStandardOutput());

        QProcess restarted;
        FB_CHECK(startServe(restarted, s3Template(), port, state));
        const char* checker = R"(
import hashlib, json, sys, boto3
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1',
                  aws_access_key_id='t', aws_secret_access_key='t',
                  config=Config(s3={'addressing_style': 'path'}))
out = {}
for p in s3.get_paginator('list_objects_v2').paginate(Bucket='fogbank-uploads', Prefix='k/'):
    for o in p.get('Contents', []):
        body = s3.get_object(Bucket='fogbank-uploads', Key=o['Key'])['Body'].read()
        md5 = hashlib.md5(body).hexdigest()
        out[o['Key']] = md5 if '"%s"' % md5 == o['ETag'] and len(body) == o['Size'] else 'PARTIAL'
print(json.dumps(out))
)";
        const Run check =
            runProcess(kPython, {QStringLiteral("-c"), QLatin1String(checker), endpointUrl}, {},
                       scratch.path(), clientEnvironment());
        restarted.terminate();
        restarted.waitForFinished(30000);
        QVERIFY2(check.exitCode == 0, qPrintable(check.describe()));
        const json stored = json::parse(check.out.toStdString(), nullptr, false);
        QVERIFY(stored.is_object());
        int acknowledged = 0;
        for (const QString& line : acks.split('\n')) {
            if (!line.startsWith(QStringLiteral("ACK "))) continue;
            const QStringList parts = line.split(' ');
            QCOMPARE(parts.size(), 3);
            ++acknowledged;
            const std::string key = parts[1].toStdString();
            QVERIFY2(stored.contains(key),
                     qPrintable(QStringLiteral("acknowledged %1 is lost").arg(parts[1])));
            QCOMPARE(q(stored[key].get<std::string>()), parts[2]);
        }
        QVERIFY(acknowledged >= 25);
        for (const auto& [key, md5] : stored.items()) QVERIFY2(md5 != "PARTIAL", key.c_str());
        // What was being written when the kill came is either whole or absent: the store has at
        // most one object more than was acknowledged.
        QVERIFY2(
            static_cast<int>(stored.size()) <= acknowledged + 1,
            qPrintable(
                QStringLiteral("%1 stored, %2 acknowledged").arg(stored.size()).arg(acknowledged)));
    }
};

QTEST_GUILESS_MAIN(S3Test)
#include "test_s3.moc"
