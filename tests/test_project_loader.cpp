// The project model loader: real template files on disk in, a resolved Project (or a
// TemplateError pointing at file:line:column) out.
#include "emulator/project/project.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <string>

using fogbank::FunctionSpec;
using fogbank::LoadOptions;
using fogbank::Project;
using fogbank::TemplateError;

namespace fs = std::filesystem;

namespace {

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

QString env(const FunctionSpec& fn, const std::string& key) {
    const auto it = fn.environment.find(key);
    return it == fn.environment.end() ? QStringLiteral("<missing>") : q(it->second);
}

QString warningsText(const Project& p) {
    QStringList lines;
    for (const auto& w : p.warnings) {
        lines << QStringLiteral("%1:%2:%3: %4")
                     .arg(q(w.where.file.string()))
                     .arg(w.where.line)
                     .arg(w.where.column)
                     .arg(q(w.message));
    }
    return lines.join('\n');
}

const fogbank::Warning* findWarning(const Project& p, const std::string& fragment) {
    for (const auto& w : p.warnings) {
        if (w.message.find(fragment) != std::string::npos) return &w;
    }
    return nullptr;
}

QStringList queueNames(const Project& p) {
    QStringList names;
    for (const auto& queue : p.queues) names << q(queue.logicalId);
    return names;
}

}  // namespace

class ProjectLoaderTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;

    // Writes `yaml` as <tmp>/<app>/template.yaml (plus the given empty folders) and returns it.
    fs::path writeApp(const std::string& app, const std::string& yaml,
                      std::initializer_list<const char*> folders = {}) {
        const fs::path dir = fs::path(tmp_.path().toStdString()) / app;
        fs::create_directories(dir);
        for (const char* folder : folders) fs::create_directories(dir / folder);
        std::ofstream(dir / "template.yaml", std::ios::binary | std::ios::trunc) << yaml;
        return dir / "template.yaml";
    }

    // Loads a broken template the way a user would name it ("template.yaml", from its folder)
    // and returns what() of the error, or "<no error>".
    QString loadError(const std::string& yaml) {
        static int counter = 0;
        const fs::path path = writeApp("broken" + std::to_string(++counter), yaml);
        const QString previous = QDir::currentPath();
        QDir::setCurrent(q(path.parent_path().string()));
        QString what = QStringLiteral("<no error>");
        try {
            fogbank::loadProject("template.yaml");
        } catch (const TemplateError& e) {
            what = QString::fromUtf8(e.what());
        }
        QDir::setCurrent(previous);
        return what;
    }

  private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void globalsMergeIntoServerlessFunctions() {
        const auto path = writeApp("globals", R"(Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Timeout: 10
    MemorySize: 256
    Architectures: [arm64]
    Environment:
      Variables:
        TABLE: shared
        STAGE: dev
  Api:
    Cors: "'*'"
Resources:
  First:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      Timeout: 30
      Environment:
        Variables:
          STAGE: prod
          ONLY_FIRST: "1"
  Second:
    Type: AWS::Serverless::Function
    Properties:
      Handler: other.handler
      Runtime: python3.12
  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
)",
                                   {"src"});
        const Project p = fogbank::loadProject(path);
        QCOMPARE(p.warnings.size(), std::size_t(0));
        QCOMPARE(p.functions.size(), std::size_t(2));
        QCOMPARE(q(p.stackName), QStringLiteral("globals"));
        QCOMPARE(q(p.rootDir.string()), q(path.parent_path().string()));

        const FunctionSpec& first = p.functions[0];
        QCOMPARE(q(first.logicalId), QStringLiteral("First"));
        QCOMPARE(q(first.functionName), QStringLiteral("First"));
        QCOMPARE(q(first.runtime), QStringLiteral("nodejs20.x"));
        QCOMPARE(first.family(), fogbank::RuntimeFamily::Node);
        QCOMPARE(q(first.handler), QStringLiteral("app.handler"));
        QCOMPARE(first.timeoutSeconds, 30.0);
        QCOMPARE(first.memoryMb, 256);
        QCOMPARE(q(first.architecture), QStringLiteral("arm64"));
        QCOMPARE(q(first.codeUri.string()), q((p.rootDir / "src").string()));
        QCOMPARE(first.environment.size(), std::size_t(3));
        QCOMPARE(env(first, "TABLE"), QStringLiteral("shared"));
        QCOMPARE(env(first, "STAGE"), QStringLiteral("prod"));
        QCOMPARE(env(first, "ONLY_FIRST"), QStringLiteral("1"));
        QCOMPARE(first.where.line, 15);
        QCOMPARE(first.where.column, 3);

        const FunctionSpec& second = p.functions[1];
        QCOMPARE(q(second.runtime), QStringLiteral("python3.12"));
        QCOMPARE(second.family(), fogbank::RuntimeFamily::Python);
        QCOMPARE(second.timeoutSeconds, 10.0);
        QCOMPARE(q(second.codeUri.string()), q(p.rootDir.string()));
        QCOMPARE(second.environment.size(), std::size_t(2));
        QCOMPARE(env(second, "STAGE"), QStringLiteral("dev"));

        QCOMPARE(p.otherResources.size(), std::size_t(1));
        QCOMPARE(q(p.otherResources[0].properties.dump()),
                 QStringLiteral(R"({"Cors":"'*'","StageName":"prod"})"));
    }

    void parameterDefaultsAndOverrides() {
        const auto path = writeApp("params", R"(Parameters:
  Stage:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  Memory:
    Type: Number
    Default: 512
  Names:
    Type: CommaDelimitedList
    Default: "a, b,c"
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      MemorySize: !Ref Memory
      Environment:
        Variables:
          STAGE: !Ref Stage
          SECOND: !Select [1, !Ref Names]
)");
        const Project defaults = fogbank::loadProject(path);
        QCOMPARE(q(defaults.parameters.at("Stage")), QStringLiteral("dev"));
        QCOMPARE(defaults.functions.at(0).memoryMb, 512);
        QCOMPARE(env(defaults.functions.at(0), "STAGE"), QStringLiteral("dev"));
        QCOMPARE(env(defaults.functions.at(0), "SECOND"), QStringLiteral("b"));

        LoadOptions options;
        options.parameterOverrides = {{"Stage", "prod"}, {"Memory", "1024"}, {"Typo", "x"}};
        const Project overridden = fogbank::loadProject(path, options);
        QCOMPARE(q(overridden.parameters.at("Stage")), QStringLiteral("prod"));
        QCOMPARE(overridden.functions.at(0).memoryMb, 1024);
        QCOMPARE(env(overridden.functions.at(0), "STAGE"), QStringLiteral("prod"));
        QVERIFY2(findWarning(overridden, "parameter override Typo"),
                 qPrintable(warningsText(overridden)));

        options.parameterOverrides = {{"Stage", "qa"}};
        try {
            fogbank::loadProject(path, options);
            QFAIL("a value outside AllowedValues was accepted");
        } catch (const TemplateError& e) {
            QCOMPARE(e.where().line, 2);
            QCOMPARE(e.where().column, 3);
            QVERIFY2(e.message().find("AllowedValues") != std::string::npos, e.what());
        }
    }

    void intrinsicsResolve() {
        const auto path = writeApp("shop", R"(Parameters:
  Env:
    Type: String
    Default: dev
Mappings:
  Sizes:
    dev:
      Memory: "256"
      Label: small
Conditions:
  IsDev: !Equals [!Ref Env, dev]
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      FunctionName: !Sub "${AWS::StackName}-api"
      MemorySize: !FindInMap [Sizes, !Ref Env, Memory]
      Environment:
        Variables:
          REGION: !Ref AWS::Region
          ACCOUNT: !Ref AWS::AccountId
          STACK: !Ref AWS::StackName
          PARTITION: !Ref AWS::Partition
          SUFFIX: !Ref AWS::URLSuffix
          BUCKET: !Ref Uploads
          BUCKET_ARN: !GetAtt Uploads.Arn
          BUCKET_DOMAIN: !GetAtt Uploads.DomainName
          QUEUE_URL: !Ref Jobs
          QUEUE_ARN: !GetAtt Jobs.Arn
          QUEUE_NAME: !GetAtt [Jobs, QueueName]
          QUEUE_URL_ATTR: !GetAtt Jobs.QueueUrl
          FN_NAME: !Ref Worker
          FN_ARN: !GetAtt Worker.Arn
          ROLE_ARN: !GetAtt WorkerRole.Arn
          SUB_PARAM: !Sub "${Env}-${AWS::Region}"
          SUB_ATTR: !Sub "${Jobs.QueueName}/${Worker.Arn}"
          SUB_LIST: !Sub ["${Greeting}, ${Env}!", {Greeting: !FindInMap [Sizes, !Ref Env, Label]}]
          SUB_LITERAL: !Sub "${!NotAVar}-${Env}"
          JOIN: !Join ["-", [a, !Ref Env, 3.10]]
          SELECT: !Select [2, [x, y, z]]
          SPLIT_SELECT: !Select [1, !Split [",", "p,q,r"]]
          IF_TRUE: !If [IsDev, yes-dev, not-dev]
          B64: !Base64 "hello"
          AZ: !Select [0, !GetAZs ""]
          REMOVED: !Ref AWS::NoValue
          LONG_REF: {Ref: Env}
          LONG_SUB: {"Fn::Sub": "x-${Env}"}
          LONG_JOIN: {"Fn::Join": ["/", [{"Fn::GetAtt": [Uploads, Arn]}, "*"]]}
          LONG_IF: {"Fn::If": [IsProd, prod, {"Ref": "AWS::NoValue"}]}
          LONG_SELECT: {"Fn::Select": ["0", {"Fn::Split": ["|", "m|n"]}]}
          LONG_B64: {"Fn::Base64": {"Fn::Sub": "${Env}!"}}
          PORT: 8080
          DEBUG: true
          VERSION: 3.10
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
  Uploads:
    Type: AWS::S3::Bucket
  Jobs:
    Type: AWS::SQS::Queue
)");
        LoadOptions options;
        options.region = "eu-west-1";
        options.edgeUrl = "http://127.0.0.1:4999/";
        const Project p = fogbank::loadProject(path, options);
        QVERIFY2(p.warnings.empty(), qPrintable(warningsText(p)));
        QCOMPARE(p.functions.size(), std::size_t(2));
        const FunctionSpec& fn = p.functions[0];
        QCOMPARE(q(fn.functionName), QStringLiteral("shop-api"));
        QCOMPARE(fn.memoryMb, 256);

        const std::map<std::string, std::string> expected = {
            {"REGION", "eu-west-1"},
            {"ACCOUNT", "000000000000"},
            {"STACK", "shop"},
            {"PARTITION", "aws"},
            {"SUFFIX", "amazonaws.com"},
            {"BUCKET", "shop-uploads"},
            {"BUCKET_ARN", "arn:aws:s3:::shop-uploads"},
            {"BUCKET_DOMAIN", "shop-uploads.s3.amazonaws.com"},
            {"QUEUE_URL", "http://127.0.0.1:4999/000000000000/shop-Jobs"},
            {"QUEUE_ARN", "arn:aws:sqs:eu-west-1:000000000000:shop-Jobs"},
            {"QUEUE_NAME", "shop-Jobs"},
            {"QUEUE_URL_ATTR", "http://127.0.0.1:4999/000000000000/shop-Jobs"},
            {"FN_NAME", "Worker"},
            {"FN_ARN", "arn:aws:lambda:eu-west-1:000000000000:function:Worker"},
            {"ROLE_ARN", "arn:aws:iam::000000000000:role/shop-WorkerRole"},
            {"SUB_PARAM", "dev-eu-west-1"},
            {"SUB_ATTR", "shop-Jobs/arn:aws:lambda:eu-west-1:000000000000:function:Worker"},
            {"SUB_LIST", "small, dev!"},
            {"SUB_LITERAL", "${NotAVar}-dev"},
            {"JOIN", "a-dev-3.10"},
            {"SELECT", "z"},
            {"SPLIT_SELECT", "q"},
            {"IF_TRUE", "yes-dev"},
            {"B64", "aGVsbG8="},
            {"AZ", "eu-west-1a"},
            {"LONG_REF", "dev"},
            {"LONG_SUB", "x-dev"},
            {"LONG_JOIN", "arn:aws:s3:::shop-uploads/*"},
            {"LONG_SELECT", "m"},
            {"LONG_B64", "ZGV2IQ=="},
            {"PORT", "8080"},
            {"DEBUG", "true"},
            {"VERSION", "3.10"},
        };
        for (const auto& [key, value] : expected) {
            QVERIFY2(env(fn, key) == q(value),
                     qPrintable(q(key) + " = " + env(fn, key) + ", expected " + q(value)));
        }
        QCOMPARE(fn.environment.size(), expected.size());  // REMOVED and LONG_IF are gone
        QCOMPARE(env(fn, "REMOVED"), QStringLiteral("<missing>"));
        QCOMPARE(env(fn, "LONG_IF"), QStringLiteral("<missing>"));

        QCOMPARE(p.buckets.size(), std::size_t(1));
        QCOMPARE(q(p.buckets[0].bucketName), QStringLiteral("shop-uploads"));
        QCOMPARE(q(p.bucketArn(p.buckets[0])), QStringLiteral("arn:aws:s3:::shop-uploads"));
        QCOMPARE(p.queues.size(), std::size_t(1));
        QCOMPARE(q(p.queueUrl(p.queues[0])),
                 QStringLiteral("http://127.0.0.1:4999/000000000000/shop-Jobs"));
        QCOMPARE(q(p.queueArn(p.queues[0])),
                 QStringLiteral("arn:aws:sqs:eu-west-1:000000000000:shop-Jobs"));
    }

    void conditionsSkipResourcesAndPickBranches() {
        const auto path = writeApp("conds", R"(Parameters:
  Env: {Type: String, Default: prod}
  Feature: {Type: String, Default: "on"}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  FeatureOn: {"Fn::Equals": [{"Ref": "Feature"}, "on"]}
  ProdAndFeature: !And [!Condition IsProd, {Condition: FeatureOn}]
  DevOrFeature: {"Fn::Or": [{Condition: IsDev}, !Condition FeatureOn]}
  DevAndFeature: !And [!Condition IsDev, !Condition FeatureOn]
Resources:
  ProdOnly: {Type: AWS::SQS::Queue, Condition: IsProd}
  DevOnly: {Type: AWS::SQS::Queue, Condition: IsDev}
  Both: {Type: AWS::SQS::Queue, Condition: ProdAndFeature}
  Either: {Type: AWS::SQS::Queue, Condition: DevOrFeature}
  Neither: {Type: AWS::SQS::Queue, Condition: DevAndFeature}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: a.b
      Environment:
        Variables:
          MODE: !If [IsProd, live, test]
          DEV_QUEUE: !If [IsDev, !Ref DevOnly, !Ref AWS::NoValue]
)");
        const Project prod = fogbank::loadProject(path);
        QCOMPARE(queueNames(prod), QStringList({"ProdOnly", "Both", "Either"}));
        QCOMPARE(env(prod.functions.at(0), "MODE"), QStringLiteral("live"));
        QCOMPARE(env(prod.functions.at(0), "DEV_QUEUE"), QStringLiteral("<missing>"));
        QVERIFY2(prod.warnings.empty(), qPrintable(warningsText(prod)));

        LoadOptions dev;
        dev.parameterOverrides = {{"Env", "dev"}};
        const Project devProject = fogbank::loadProject(path, dev);
        QCOMPARE(queueNames(devProject), QStringList({"DevOnly", "Either", "Neither"}));
        QCOMPARE(env(devProject.functions.at(0), "MODE"), QStringLiteral("test"));
        QCOMPARE(env(devProject.functions.at(0), "DEV_QUEUE"),
                 QStringLiteral("http://127.0.0.1:4566/000000000000/conds-DevOnly"));

        dev.parameterOverrides = {{"Env", "dev"}, {"Feature", "off"}};
        QCOMPARE(queueNames(fogbank::loadProject(path, dev)), QStringList({"DevOnly", "Either"}));
    }

    void unknownResourceTypesWarnInsteadOfThrowing() {
        const auto path = writeApp("others", R"(Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
  Topic:
    Type: AWS::SNS::Topic
  Custom:
    Type: Custom::Thing
    Properties:
      Size: 3
      Id: "42"
  Every5:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: rate(5 minutes)
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: a.b
      Environment:
        Variables:
          TABLE_ARN: !GetAtt Table.Arn
          TOPIC: !Ref Topic
          STREAM: !GetAtt Table.StreamArn
          SHARED: !ImportValue SharedVpc
)");
        const Project p = fogbank::loadProject(path);
        QCOMPARE(p.otherResources.size(), std::size_t(4));
        QCOMPARE(q(p.otherResources[2].logicalId), QStringLiteral("Custom"));
        QCOMPARE(q(p.otherResources[2].properties.dump()),
                 QStringLiteral(R"({"Id":"42","Size":3})"));

        const auto* table = findWarning(p, "AWS::DynamoDB::Table (Table) is not emulated yet");
        QVERIFY2(table, qPrintable(warningsText(p)));
        QCOMPARE(table->where.line, 2);
        QCOMPARE(table->where.column, 3);
        QVERIFY2(findWarning(p, "AWS::SNS::Topic (Topic) is not emulated yet"),
                 qPrintable(warningsText(p)));
        QVERIFY2(findWarning(p, "Custom::Thing (Custom) is not emulated yet"),
                 qPrintable(warningsText(p)));
        QVERIFY2(!findWarning(p, "Every5"), qPrintable(warningsText(p)));

        const FunctionSpec& fn = p.functions.at(0);
        QCOMPARE(env(fn, "TABLE_ARN"),
                 QStringLiteral("arn:aws:dynamodb:us-east-1:000000000000:table/orders"));
        QCOMPARE(env(fn, "TOPIC"),
                 QStringLiteral("arn:aws:sns:us-east-1:000000000000:others-Topic"));
        QCOMPARE(env(fn, "STREAM"), QStringLiteral("<unresolved Table.StreamArn>"));
        QVERIFY(env(fn, "SHARED").startsWith("<unresolved Fn::ImportValue"));
        const auto* stream = findWarning(p, "Table.StreamArn");
        QVERIFY2(stream, qPrintable(warningsText(p)));
        QCOMPARE(stream->where.line, 26);
        QCOMPARE(stream->where.column, 19);
        QCOMPARE(p.warnings.size(), std::size_t(5));
    }

    void findFunctionByNameAndArn() {
        const auto path = writeApp("lookup", R"(Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: hello-fn
      Runtime: provided.al2023
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: a.b
)");
        const Project p = fogbank::loadProject(path);
        QCOMPARE(p.functions.size(), std::size_t(2));
        const FunctionSpec* hello = &p.functions[0];
        const FunctionSpec* other = &p.functions[1];
        QCOMPARE(hello->family(), fogbank::RuntimeFamily::Provided);
        QCOMPARE(q(p.functionArn(*hello)),
                 QStringLiteral("arn:aws:lambda:us-east-1:000000000000:function:hello-fn"));

        QCOMPARE(p.findFunction("Hello"), hello);
        QCOMPARE(p.findFunction("hello-fn"), hello);
        QCOMPARE(p.findFunction("Other"), other);
        QCOMPARE(p.findFunction(p.functionArn(*hello)), hello);
        QCOMPARE(p.findFunction("arn:aws:lambda:us-east-1:000000000000:function:hello-fn:live"),
                 hello);
        QCOMPARE(p.findFunction("arn:aws:lambda:us-east-1:000000000000:function:Other:$LATEST"),
                 other);
        QCOMPARE(p.findFunction("000000000000:function:hello-fn"), hello);
        QCOMPARE(p.findFunction("hello-fn:3"), hello);

        QCOMPARE(p.findFunction("arn:aws:lambda:eu-west-1:000000000000:function:hello-fn"),
                 nullptr);
        QCOMPARE(p.findFunction("arn:aws:lambda:us-east-1:111111111111:function:hello-fn"),
                 nullptr);
        QCOMPARE(p.findFunction("arn:aws:sqs:us-east-1:000000000000:hello-fn"), nullptr);
        QCOMPARE(p.findFunction("missing"), nullptr);
        QCOMPARE(p.findFunction("arn:aws:lambda:us-east-1:000000000000:function:missing"), nullptr);
    }

    void eventsKeepTypedProperties() {
        const auto path = writeApp("events", R"(Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Events:
        FromQueue:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            BatchSize: 10
            Enabled: true
            Account: 007
            Ratio: 0.5
        Http:
          Type: Api
          Properties:
            Path: /hello
            Method: get
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
)");
        const Project p = fogbank::loadProject(path);
        const auto& events = p.functions.at(0).events;
        QCOMPARE(events.size(), std::size_t(2));
        QCOMPARE(q(events[0].name), QStringLiteral("FromQueue"));
        QCOMPARE(q(events[0].type), QStringLiteral("SQS"));
        QCOMPARE(events[0].where.line, 8);
        QCOMPARE(
            q(events[0].properties.dump()),
            QStringLiteral(R"({"Account":"007","BatchSize":10,"Enabled":true,)"
                           R"("Queue":"arn:aws:sqs:us-east-1:000000000000:jobs","Ratio":0.5})"));
        QCOMPARE(q(events[1].type), QStringLiteral("Api"));
        QCOMPARE(q(events[1].properties.dump()),
                 QStringLiteral(R"({"Method":"get","Path":"/hello"})"));
    }

    void bucketAndQueueNames() {
        const auto path = writeApp("My Shop.App", R"(Resources:
  PhotoBucket:
    Type: AWS::S3::Bucket
  Named:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: Bad_Name
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
      FifoQueue: "true"
  Plain:
    Type: AWS::SQS::Queue
)");
        const Project p = fogbank::loadProject(path);
        QCOMPARE(q(p.stackName), QStringLiteral("My Shop.App"));
        QCOMPARE(q(p.buckets.at(0).bucketName), QStringLiteral("my-shop-app-photobucket"));
        QCOMPARE(q(p.buckets.at(1).bucketName), QStringLiteral("Bad_Name"));
        QVERIFY2(findWarning(p, "\"Bad_Name\" breaks S3's naming rules"),
                 qPrintable(warningsText(p)));
        QCOMPARE(q(p.queues.at(0).queueName), QStringLiteral("My-Shop-App-Orders.fifo"));
        QCOMPARE(q(p.queues.at(1).queueName), QStringLiteral("jobs.fifo"));
        QCOMPARE(q(p.queues.at(2).queueName), QStringLiteral("My-Shop-App-Plain"));
        QCOMPARE(p.queues.at(0).properties.value("FifoQueue", false), true);
    }

    void plainCloudFormationFunctions() {
        const auto path = writeApp("cfn", R"(Globals:
  Function:
    Timeout: 99
Resources:
  Local:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: local-fn
      Runtime: nodejs18.x
      Handler: index.handler
      Code: ./code
      MemorySize: 1024
      Timeout: 20
      Architectures: [x86_64]
      ReservedConcurrentExecutions: 2
      Environment:
        Variables:
          A: b
  Inline:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.11
      Handler: index.handler
      Code:
        ZipFile: |
          def handler(event, context): return 1
)",
                                   {"code"});
        const Project p = fogbank::loadProject(path);
        QCOMPARE(p.functions.size(), std::size_t(2));
        const FunctionSpec& local = p.functions[0];
        QCOMPARE(q(local.functionName), QStringLiteral("local-fn"));
        QCOMPARE(q(local.codeUri.string()), q((p.rootDir / "code").string()));
        QCOMPARE(local.memoryMb, 1024);
        QCOMPARE(local.timeoutSeconds, 20.0);
        QCOMPARE(local.reservedConcurrency.value_or(-1), 2);
        QCOMPARE(env(local, "A"), QStringLiteral("b"));

        const FunctionSpec& inlined = p.functions[1];
        QCOMPARE(inlined.timeoutSeconds, 3.0);  // Globals are SAM's, not CloudFormation's
        QVERIFY(!inlined.reservedConcurrency.has_value());
        QCOMPARE(q(inlined.codeUri.string()), q(p.rootDir.string()));
        const auto* zip = findWarning(p, "inline ZipFile code");
        QVERIFY2(zip, qPrintable(warningsText(p)));
        QCOMPARE(zip->where.line, 24);
        QCOMPARE(p.warnings.size(), std::size_t(1));
    }

    void codeUriFromS3Warns() {
        const auto path = writeApp("s3code", R"(Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: a.b
      CodeUri:
        Bucket: my-artifacts
        Key: fn.zip
)");
        const Project p = fogbank::loadProject(path);
        QCOMPARE(q(p.functions.at(0).codeUri.string()), q(p.rootDir.string()));
        const auto* w = findWarning(p, "CodeUri of Fn is an S3 object");
        QVERIFY2(w, qPrintable(warningsText(p)));
        QCOMPARE(w->where.line, 7);
        QCOMPARE(w->where.column, 7);
    }

    void brokenTemplatesPointAtTheProblem_data() {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char* name, const std::string& yaml, const char* expected) {
            QTest::newRow(name) << QByteArray::fromStdString(yaml) << QString::fromUtf8(expected);
        };
        // Lines 1-6 of most rows; each row appends the broken part from line 7 on.
        const std::string fn =
            "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      Runtime: nodejs20.x\n      Handler: app.handler\n";
        const std::string queue = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n";

        row("yaml syntax",
            "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: [a, b\n"
            "  Other:\n    Type: AWS::SQS::Queue\n",
            "template.yaml:5:8: invalid YAML: end of sequence flow not found");
        row("bad MemorySize", fn + "      MemorySize: \"abc\"\n",
            R"(template.yaml:7:7: MemorySize must be a number between 128 and 10240, got "abc")");
        row("MemorySize too small", fn + "      MemorySize: 64\n",
            "template.yaml:7:7: MemorySize must be a number between 128 and 10240, got 64");
        row("Timeout list in Globals", "Globals:\n  Function:\n    Timeout: [1]\n" + fn,
            "template.yaml:3:5: Timeout must be a number of seconds between 1 and 900, got [1]");
        row("missing Runtime",
            "Resources:\n  Hello:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      Handler: app.handler\n",
            "template.yaml:2:3: function Hello has no Runtime");
        row("missing Handler",
            "Resources:\n  Hello:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      Runtime: python3.12\n",
            "template.yaml:2:3: function Hello has no Handler");
        row("Ref to unknown name",
            fn + "      Environment:\n        Variables:\n          X: !Ref Nope\n",
            R"(template.yaml:9:14: Ref to unknown parameter or resource "Nope")");
        row("Sub of unknown name", queue + "      QueueName: !Sub \"${Missing}-q\"\n",
            R"(template.yaml:5:18: Ref to unknown parameter or resource "Missing")");
        row("GetAtt of unknown resource", queue + "      RedrivePolicy: {dlq: !GetAtt Dlq.Arn}\n",
            R"(template.yaml:5:28: Fn::GetAtt names unknown resource "Dlq")");
        row("no Resources", "Parameters: {}\n",
            "template.yaml:1:1: the template has no Resources section");
        row("resource without Type",
            "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Mystery:\n    Properties: {}\n",
            "template.yaml:4:3: resource Mystery has no Type");
        row("parameter without value", "Parameters:\n  Stage:\n    Type: String\n" + queue,
            "template.yaml:2:3: parameter Stage has no Default and no value was given for it");
        row("missing CodeUri folder", fn + "      CodeUri: nope/\n",
            R"(template.yaml:7:7: CodeUri directory "nope/" does not exist)");
        row("unknown condition",
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: Later\n",
            R"(template.yaml:4:16: unknown condition "Later")");
        row("bad Architectures", fn + "      Architectures: [sparc]\n",
            R"(template.yaml:7:7: Architectures must be [x86_64] or [arm64], got ["sparc"])");
        row("Fn::If arity", queue + "      QueueName: !If [a, b]\n",
            "template.yaml:5:18: Fn::If takes a list of 3 values, got a list of 2");
        row("self-referencing alias", queue + "      Tags: &loop [*loop]\n",
            "template.yaml:5:13: value is nested too deeply (a YAML alias that contains itself?)");
        row("invalid UTF-8", queue + "      QueueName: \"\xff\"\n",
            "template.yaml:5:19: the template is not valid UTF-8");
    }

    void brokenTemplatesPointAtTheProblem() {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        QCOMPARE(loadError(yaml.toStdString()), expected);
    }

    void errorsQuoteThePathAsGiven() {
        const auto path =
            writeApp("abs", "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n");
        try {
            fogbank::loadProject(path);
            QFAIL("a function without Runtime was accepted");
        } catch (const TemplateError& e) {
            QCOMPARE(q(e.where().file.string()), q(path.string()));
            QCOMPARE(QString::fromUtf8(e.what()),
                     q(path.string()) + QStringLiteral(":2:3: function Fn has no Runtime"));
        }

        const fs::path missing = path.parent_path() / "nothing-here.yaml";
        try {
            fogbank::loadProject(missing);
            QFAIL("a missing template was accepted");
        } catch (const TemplateError& e) {
            QCOMPARE(e.where().line, 0);
            QVERIFY2(QString::fromUtf8(e.what()).startsWith(q(missing.string()) +
                                                            ": cannot read the template"),
                     e.what());
        }
    }

    void loadsTheExampleApp() {
        const fs::path path = FOGBANK_FIXTURES "/../../examples/hello/template.yaml";
        if (!fs::exists(path)) QSKIP("examples/hello is not in this checkout");
        const Project p = fogbank::loadProject(path);
        QVERIFY(!p.functions.empty());
        for (const auto& fn : p.functions) {
            QVERIFY2(fs::is_directory(fn.codeUri), qPrintable(q(fn.codeUri.string())));
            QVERIFY2(fn.family() != fogbank::RuntimeFamily::Unsupported, qPrintable(q(fn.runtime)));
            QCOMPARE(p.findFunction(p.functionArn(fn)), &fn);
        }
        if (!p.warnings.empty()) qInfo().noquote() << warningsText(p);
    }
};

QTEST_GUILESS_MAIN(ProjectLoaderTest)
#include "test_project_loader.moc"
