// The JSON diff behind `fogbank replay --compare`: one line per difference, with a path a person
// can follow ($.body.items[2].price), added and removed keys and elements, JSON inside strings
// compared as JSON, and paths that may differ ignored.
#include "emulator/trace/json_diff.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using fogbank::diffJson;
using fogbank::JsonChange;
using fogbank::JsonDiffOptions;
using nlohmann::json;

namespace {

QStringList lines(const json& before, const json& after, const JsonDiffOptions& options = {}) {
    QStringList out;
    for (const auto& change : diffJson(before, after, options))
        out << QString::fromStdString(fogbank::describe(change));
    return out;
}

}  // namespace

class JsonDiffTest : public QObject {
    Q_OBJECT

  private slots:
    void equalDocumentsHaveNoDifferences() {
        const json doc = json::parse(R"({"a":1,"b":[1,2,{"c":null}],"d":"x","e":true})");
        QVERIFY(diffJson(doc, doc).empty());
        QVERIFY(diffJson(json(), json()).empty());
        // Numbers compare by value, whatever their representation.
        QVERIFY(diffJson(json::parse(R"({"n":1})"), json::parse(R"({"n":1.0})")).empty());
    }

    void changedValueNamesItsPath() {
        const json before =
            json::parse(R"({"body":{"items":[{"price":1},{"price":2},{"price":3}]}})");
        json after = before;
        after["body"]["items"][2]["price"] = 4;
        QCOMPARE(lines(before, after), QStringList{"$.body.items[2].price: 3 -> 4"});
        const auto changes = diffJson(before, after);
        QCOMPARE(changes.size(), std::size_t(1));
        QCOMPARE(changes[0].kind, JsonChange::Kind::Changed);
        QCOMPARE(changes[0].before, json(3));
        QCOMPARE(changes[0].after, json(4));
    }

    void typeChangesAreShownWithTheirJson() {
        QCOMPARE(lines(json::parse(R"({"a":"3"})"), json::parse(R"({"a":3})")),
                 QStringList{R"($.a: "3" -> 3)"});
        QCOMPARE(lines(json::parse(R"({"a":[1]})"), json::parse(R"({"a":{"0":1}})")),
                 QStringList{R"($.a: [1] -> {"0":1})"});
        QCOMPARE(lines(json(1), json("one")), QStringList{R"($: 1 -> "one")"});
    }

    void addedAndRemovedKeys() {
        const QStringList out = lines(json::parse(R"({"keep":1,"gone":{"x":1}})"),
                                      json::parse(R"({"keep":1,"new":[1,2]})"));
        QCOMPARE(out, (QStringList{R"($.gone: removed {"x":1})", "$.new: added [1,2]"}));
        const auto changes = diffJson(json::parse(R"({"a":1})"), json::parse(R"({"a":1,"b":2})"));
        QCOMPARE(changes.size(), std::size_t(1));
        QCOMPARE(changes[0].kind, JsonChange::Kind::Added);
    }

    void arraysCompareElementByElement() {
        QCOMPARE(lines(json::parse("[1,2,3]"), json::parse("[1,5,3,4]")),
                 (QStringList{"$[1]: 2 -> 5", "$[3]: added 4"}));
        QCOMPARE(lines(json::parse(R"({"a":[1,2,3]})"), json::parse(R"({"a":[1]})")),
                 (QStringList{"$.a[1]: removed 2", "$.a[2]: removed 3"}));
    }

    void oddKeysAreQuoted() {
        QCOMPARE(lines(json::parse(R"({"a b":{"x.y":1,"0":2,"ok-key":3}})"),
                       json::parse(R"({"a b":{"x.y":2,"0":3,"ok-key":4}})")),
                 (QStringList{R"($["a b"]["0"]: 2 -> 3)", R"($["a b"].ok-key: 3 -> 4)",
                              R"($["a b"]["x.y"]: 1 -> 2)"}));
    }

    // An API Gateway response's body is a JSON string: a change inside it is named by its path.
    // (Unbalanced brackets stay out of raw strings here: moc cannot read past them.)
    void jsonInsideStringsIsComparedAsJson() {
        const json before = {{"statusCode", 200},
                             {"body", R"({"items": [{"price": 3}], "total": 3})"}};
        const json after = {{"statusCode", 200}, {"body", R"({"items":[{"price":4}],"total":4})"}};
        QCOMPARE(lines(before, after),
                 (QStringList{"$.body.items[0].price: 3 -> 4", "$.body.total: 3 -> 4"}));
        // Only formatting differs: no difference at all.
        const json spaced = {{"statusCode", 200},
                             {"body", R"({ "items" : [ {"price":3} ], "total":3 })"}};
        QVERIFY(diffJson(before, spaced).empty());
        // Turned off, the strings themselves differ.
        JsonDiffOptions raw;
        raw.parseEmbeddedJson = false;
        QCOMPARE(diffJson(before, spaced, raw).size(), std::size_t(1));
        // Plain strings stay strings.
        QCOMPARE(lines(json::parse("{\"m\":\"{not json\"}"), json::parse("{\"m\":\"{still not\"}")),
                 QStringList{"$.m: \"{not json\" -> \"{still not\""});
    }

    void ignoredPathsDoNotCount() {
        const json before = json::parse(
            R"({"id":"a","items":[{"id":1,"v":1},{"id":2,"v":2}],"headers":{"date":"x","etag":"y"},"keep":1})");
        const json after = json::parse(
            R"({"id":"b","items":[{"id":3,"v":1},{"id":4,"v":3}],"headers":{"date":"z","etag":"w","new":1},"keep":2})");
        JsonDiffOptions options;
        options.ignore = {"$.id", "$.items[*].id", "$.headers.*"};
        QCOMPARE(lines(before, after, options),
                 (QStringList{"$.items[1].v: 2 -> 3", "$.keep: 1 -> 2"}));
        options.ignore = {R"($["headers"])", "$.items[1]"};
        QCOMPARE(lines(before, after, options),
                 (QStringList{R"($.id: "a" -> "b")", "$.items[0].id: 1 -> 3", "$.keep: 1 -> 2"}));
        options.ignore = {"$"};
        QVERIFY(diffJson(before, after, options).empty());
    }

    void malformedIgnorePathsAreRejected() {
        for (const char* bad : {"items", "$.", "$[x]", "$[1", "$..a", "$[\"a"}) {
            JsonDiffOptions options;
            options.ignore = {bad};
            bool threw = false;
            try {
                diffJson(json(), json(), options);
            } catch (const std::invalid_argument& e) {
                threw = QString::fromStdString(e.what()).contains(QString::fromLatin1(bad));
            }
            QVERIFY2(threw, bad);
        }
    }

    void longValuesAreCut() {
        const std::string big(500, 'x');
        const auto changes = diffJson(json{{"a", big}}, json{{"a", "y"}});
        QCOMPARE(changes.size(), std::size_t(1));
        const QString line = QString::fromStdString(fogbank::describe(changes[0], 40));
        QVERIFY2(line.size() < 80, qPrintable(line));
        QVERIFY2(line.contains("...") && line.endsWith(R"(-> "y")"), qPrintable(line));
    }
};

QTEST_GUILESS_MAIN(JsonDiffTest)
#include "test_json_diff.moc"
