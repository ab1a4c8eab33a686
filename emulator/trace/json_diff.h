// A readable structural diff of two JSON documents, for `fogbank replay --compare` and the
// window's compare view: each difference is one path in JSONPath-like notation
// ($.body.items[2].price) with the value before and after.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace fogbank {

struct JsonChange {
    enum class Kind { Changed, Added, Removed };
    Kind kind = Kind::Changed;
    std::string path;       // $ is the document; .key, ["odd key"], [index]
    nlohmann::json before;  // null for Added
    nlohmann::json after;   // null for Removed
};

struct JsonDiffOptions {
    // Strings that both hold a JSON object or array (an API Gateway response's "body", an SQS
    // message) are compared as the JSON they hold, so a change shows as $.body.items[2].price.
    bool parseEmbeddedJson = true;
    // Paths whose differences do not count, with their subtrees: "$.context.awsRequestId",
    // "$.items[*].id", "$.headers.*". Throws std::invalid_argument for a malformed one.
    std::vector<std::string> ignore;
};

// The differences from `before` to `after`, keys in order. Objects are compared key by key
// (added and removed keys are reported as such); arrays element by element, extra elements at the
// end as added or removed; numbers by value (1 equals 1.0).
std::vector<JsonChange> diffJson(const nlohmann::json& before, const nlohmann::json& after,
                                 const JsonDiffOptions& options = {});

// "$.a.b: 3 -> 4", "$.c: added \"x\"", "$.d: removed [1,2]". Values longer than `maxValueChars`
// are cut with "...".
std::string describe(const JsonChange& change, std::size_t maxValueChars = 120);

// The path of `key` inside the object at `parent`: $.key, or $["odd key"].
std::string jsonPathChild(const std::string& parent, const std::string& key);

}  // namespace fogbank
