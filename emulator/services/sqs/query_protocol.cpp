#include "emulator/services/sqs/query_protocol.h"

#include "emulator/services/sqs/xml_writer.h"

#include <cctype>
#include <map>
#include <set>

namespace fogbank::sqs {

namespace {

using nlohmann::json;

constexpr std::string_view kNamespace = R"(xmlns="http://queue.amazonaws.com/doc/2012-11-05/")";

bool isIndex(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// "Attribute.1.Name" -> tree["Attribute"]["1"]["Name"]; numbered levels become arrays later.
void insertPath(json& tree, const std::string& key, const std::string& value) {
    json* node = &tree;
    std::size_t start = 0;
    for (;;) {
        const auto dot = key.find('.', start);
        const std::string part = key.substr(start, dot - start);
        if (dot == std::string::npos) {
            (*node)[part] = value;
            return;
        }
        json& next = (*node)[part];
        if (!next.is_object()) next = json::object();
        node = &next;
        start = dot + 1;
    }
}

// Objects whose keys are all numbers become arrays, in numeric order.
json arrays(const json& node) {
    if (!node.is_object()) return node;
    bool numbered = !node.empty();
    for (const auto& [key, value] : node.items()) numbered = numbered && isIndex(key);
    if (numbered) {
        std::map<long, json> ordered;
        for (const auto& [key, value] : node.items()) ordered[std::stol(key)] = arrays(value);
        json out = json::array();
        for (auto& [index, value] : ordered) out.push_back(std::move(value));
        return out;
    }
    json out = json::object();
    for (const auto& [key, value] : node.items()) out[key] = arrays(value);
    return out;
}

json nameValueMap(const json& list, const char* keyName, const char* valueName) {
    json map = json::object();
    if (!list.is_array()) return map;
    for (const auto& entry : list)
        if (entry.is_object() && entry.contains(keyName))
            map[entry[keyName].get<std::string>()] =
                entry.contains(valueName) ? entry[valueName] : json("");
    return map;
}

// The query protocol's flattened names -> the JSON protocol's members.
json normalise(const json& in) {
    json out = json::object();
    for (const auto& [key, value] : in.items()) {
        if (key == "Attribute") {
            out["Attributes"] = nameValueMap(value, "Name", "Value");
        } else if (key == "MessageAttribute") {
            out["MessageAttributes"] = nameValueMap(value, "Name", "Value");
        } else if (key == "MessageSystemAttribute") {
            out["MessageSystemAttributes"] = nameValueMap(value, "Name", "Value");
        } else if (key == "Tag") {
            out["Tags"] = nameValueMap(value, "Key", "Value");
        } else if (key == "AttributeName" || key == "MessageAttributeName" ||
                   key == "MessageSystemAttributeName" || key == "TagKey") {
            out[key == "TagKey" ? std::string("TagKeys") : key + "s"] =
                value.is_array() ? value : json::array({value});
        } else if (key.ends_with("BatchRequestEntry")) {
            json entries = json::array();
            if (value.is_array())
                for (const auto& entry : value) entries.push_back(normalise(entry));
            out["Entries"] = std::move(entries);
        } else {
            out[key] = value;
        }
    }
    return out;
}

void writeValue(XmlWriter& xml, const std::string& action, const std::string& name,
                const json& value);

void writeMembers(XmlWriter& xml, const std::string& action, const json& object) {
    for (const auto& [key, value] : object.items()) writeValue(xml, action, key, value);
}

void writeValue(XmlWriter& xml, const std::string& action, const std::string& name,
                const json& value) {
    if (name == "Attributes" && value.is_object()) {
        for (const auto& [k, v] : value.items())
            xml.open("Attribute")
                .element("Name", k)
                .element("Value", v.get<std::string>())
                .close("Attribute");
    } else if (name == "Tags" && value.is_object()) {
        for (const auto& [k, v] : value.items())
            xml.open("Tag").element("Key", k).element("Value", v.get<std::string>()).close("Tag");
    } else if (name == "MessageAttributes" && value.is_object()) {
        for (const auto& [k, v] : value.items()) {
            xml.open("MessageAttribute").element("Name", k).open("Value");
            writeMembers(xml, action, v);
            xml.close("Value").close("MessageAttribute");
        }
    } else if (value.is_array()) {
        // Lists are flattened: each member is an element named for one of them.
        std::string member = name;
        if (name == "Messages")
            member = "Message";
        else if (name == "QueueUrls" || name == "queueUrls")
            member = "QueueUrl";
        else if (name == "Successful")
            member = action + "ResultEntry";
        else if (name == "Failed")
            member = "BatchResultErrorEntry";
        for (const auto& item : value) {
            if (item.is_object()) {
                xml.open(member);
                writeMembers(xml, action, item);
                xml.close(member);
            } else {
                writeValue(xml, action, member, item);
            }
        }
    } else if (value.is_object()) {
        xml.open(name);
        writeMembers(xml, action, value);
        xml.close(name);
    } else if (value.is_string()) {
        xml.element(name, value.get<std::string>());
    } else if (!value.is_null()) {
        xml.element(name, value.dump());
    }
}

}  // namespace

QueryRequest parseQueryRequest(const std::vector<std::pair<std::string, std::string>>& form) {
    json tree = json::object();
    QueryRequest request;
    for (const auto& [key, value] : form) {
        if (key == "Action") {
            request.action = value;
        } else if (key != "Version" && !key.empty()) {
            insertPath(tree, key, value);
        }
    }
    request.params = normalise(arrays(tree));
    return request;
}

std::string queryResponse(const std::string& action, const nlohmann::json& result,
                          const std::string& requestId) {
    XmlWriter xml;
    xml.open(action + "Response", kNamespace);
    // Actions with an output answer with its wrapper even when it is empty (botocore looks for
    // it); the others with ResponseMetadata alone.
    static const std::set<std::string> kNoOutput = {
        "DeleteQueue", "SetQueueAttributes",      "PurgeQueue", "DeleteMessage",
        "TagQueue",    "ChangeMessageVisibility", "UntagQueue"};
    if (!kNoOutput.contains(action)) {
        xml.open(action + "Result");
        writeMembers(xml, action, result);
        xml.close(action + "Result");
    }
    xml.open("ResponseMetadata").element("RequestId", requestId).close("ResponseMetadata");
    xml.close(action + "Response");
    return xml.str();
}

std::string queryError(const SqsError& error, const std::string& requestId) {
    XmlWriter xml;
    xml.open("ErrorResponse", kNamespace)
        .open("Error")
        .element("Type", error.senderFault() ? "Sender" : "Receiver")
        .element("Code", error.queryCode())
        .element("Message", error.what())
        .element("Detail", "")
        .close("Error")
        .element("RequestId", requestId)
        .close("ErrorResponse");
    return xml.str();
}

}  // namespace fogbank::sqs
