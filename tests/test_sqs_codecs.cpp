// The SQS codecs over hand-made input: form decoding, the query protocol's flattened names turned
// into the JSON protocol's members, its XML answers, and the message attribute digest.
#include "emulator/services/sqs/form_encoding.h"
#include "emulator/services/sqs/message_md5.h"
#include "emulator/services/sqs/query_protocol.h"

#include <QCryptographicHash>
#include <QtTest>

using nlohmann::json;
using namespace fogbank::sqs;

class SqsCodecsTest : public QObject {
    Q_OBJECT

  private slots:
    void formDecoding() {
        QCOMPARE(QString::fromStdString(formDecode("a+b%20c%2F%C3%A9")), QStringLiteral("a b c/é"));
        QVERIFY_THROWS_EXCEPTION(SqsError, formDecode("bad%2"));
        QVERIFY_THROWS_EXCEPTION(SqsError, formDecode("bad%zz"));
        const auto pairs = parseForm("Action=SendMessage&MessageBody=x%3Dy&Empty=&Flag");
        QCOMPARE(pairs.size(), std::size_t(4));
        QCOMPARE(QString::fromStdString(pairs[1].second), QStringLiteral("x=y"));
        QCOMPARE(QString::fromStdString(pairs[3].first), QStringLiteral("Flag"));
    }

    void queryNamesBecomeJsonMembers() {
        const auto request = parseQueryRequest(parseForm(
            "Action=SendMessageBatch&Version=2012-11-05&QueueUrl=u"
            "&SendMessageBatchRequestEntry.2.Id=second&SendMessageBatchRequestEntry.2.MessageBody=b"
            "&SendMessageBatchRequestEntry.10.Id=tenth&SendMessageBatchRequestEntry.10.MessageBody="
            "c"
            "&SendMessageBatchRequestEntry.1.Id=first&SendMessageBatchRequestEntry.1.MessageBody=a"
            "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=colour"
            "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String"
            "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=blue"));
        QCOMPARE(QString::fromStdString(request.action), QStringLiteral("SendMessageBatch"));
        const json expected = json::parse(R"({"QueueUrl":"u","Entries":[
            {"Id":"first","MessageBody":"a",
             "MessageAttributes":{"colour":{"DataType":"String","StringValue":"blue"}}},
            {"Id":"second","MessageBody":"b"},{"Id":"tenth","MessageBody":"c"}]})");
        QCOMPARE(QString::fromStdString(request.params.dump()),
                 QString::fromStdString(expected.dump()));

        const auto receive = parseQueryRequest(
            parseForm("Action=ReceiveMessage&AttributeName.1=All&MessageAttributeName.1=a.*"
                      "&MessageAttributeName.2=b&Attribute.1.Name=VisibilityTimeout"
                      "&Attribute.1.Value=5&Tag.1.Key=team&Tag.1.Value=fog&TagKey.1=env"));
        QCOMPARE(QString::fromStdString(receive.params.dump()),
                 QString::fromStdString(json::parse(R"({"AttributeNames":["All"],
                     "MessageAttributeNames":["a.*","b"],"Attributes":{"VisibilityTimeout":"5"},
                     "Tags":{"team":"fog"},"TagKeys":["env"]})")
                                            .dump()));
    }

    void xmlAnswersFlattenListsAndEscape() {
        const json result = {
            {"Messages",
             {{{"MessageId", "m1"},
               {"Body", "<a & 'b'>\r\n"},
               {"Attributes", {{"SentTimestamp", "1"}}},
               {"MessageAttributes", {{"k", {{"DataType", "String"}, {"StringValue", "v"}}}}}}}}};
        const QString xml =
            QString::fromStdString(queryResponse("ReceiveMessage", result, "req-1"));
        QVERIFY2(xml.contains(QStringLiteral(
                     "<ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
                     "<ReceiveMessageResult><Message>")),
                 qPrintable(xml));
        QVERIFY2(xml.contains(QStringLiteral("<Body>&lt;a &amp; &apos;b&apos;&gt;&#xD;\n</Body>")),
                 qPrintable(xml));
        QVERIFY2(xml.contains(QStringLiteral(
                     "<Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute>")),
                 qPrintable(xml));
        QVERIFY2(xml.contains(QStringLiteral("<MessageAttribute><Name>k</Name><Value><DataType>"
                                             "String</DataType><StringValue>v</StringValue>"
                                             "</Value></MessageAttribute>")),
                 qPrintable(xml));
        QVERIFY2(xml.contains(QStringLiteral(
                     "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>")),
                 qPrintable(xml));
        // An empty result keeps its wrapper, which botocore looks for.
        QVERIFY(QString::fromStdString(queryResponse("ReceiveMessage", json::object(), "r"))
                    .contains(QStringLiteral("<ReceiveMessageResult></ReceiveMessageResult>")));
        QVERIFY(!QString::fromStdString(queryResponse("DeleteMessage", json::object(), "r"))
                     .contains(QStringLiteral("DeleteMessageResult")));

        const QString error = QString::fromStdString(
            queryError(SqsError("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
                                "no such queue"),
                       "req-2"));
        QVERIFY2(error.contains(QStringLiteral(
                     "<Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue"
                     "</Code><Message>no such queue</Message>")),
                 qPrintable(error));
    }

    // The digest by hand: name, type, transport byte and value, each length-prefixed, sorted.
    void attributeDigest() {
        QCOMPARE(QString::fromStdString(md5OfMessageAttributes(json::object())), QString());
        const json attributes = {{"b", {{"DataType", "Binary"}, {"BinaryValue", "AAH/"}}},
                                 {"a", {{"DataType", "String"}, {"StringValue", "x"}}}};
        QByteArray buffer;
        buffer.append("\0\0\0\1a\0\0\0\6String\1\0\0\0\1x", 21);
        buffer.append("\0\0\0\1b\0\0\0\6Binary\2\0\0\0\3\0\1\xff", 23);
        QCOMPARE(
            QString::fromStdString(md5OfMessageAttributes(attributes)),
            QString::fromLatin1(QCryptographicHash::hash(buffer, QCryptographicHash::Md5).toHex()));
        QVERIFY_THROWS_EXCEPTION(
            SqsError, md5OfMessageAttributes(
                          json{{"b", {{"DataType", "Binary"}, {"BinaryValue", "not base64!"}}}}));
    }
};

QTEST_GUILESS_MAIN(SqsCodecsTest)
#include "test_sqs_codecs.moc"
