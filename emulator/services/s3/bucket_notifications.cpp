#include "emulator/services/s3/bucket_notifications.h"

#include "emulator/services/s3/s3_request.h"
#include "emulator/services/s3/s3_xml.h"

#include <nlohmann/json.hpp>

namespace fogbank::s3 {

namespace pt = boost::property_tree;

bool NotificationTarget::matches(const std::string& eventName, const std::string& key) const {
    if (!key.starts_with(prefix) || !key.ends_with(suffix)) return false;
    const std::string full = "s3:" + eventName;
    for (const auto& pattern : events) {
        if (pattern == full) return true;
        if (pattern.ends_with(":*") &&
            full.starts_with(std::string_view(pattern).substr(0, pattern.size() - 1)))
            return true;
    }
    return false;
}

namespace {

void readFilter(const pt::ptree& config, NotificationTarget& target) {
    const auto filter = config.get_child_optional("Filter.S3Key");
    if (!filter) return;
    for (const auto& [name, rule] : *filter) {
        if (name != "FilterRule") continue;
        std::string which = rule.get("Name", "");
        for (auto& c : which) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (which == "prefix") target.prefix = rule.get("Value", "");
        if (which == "suffix") target.suffix = rule.get("Value", "");
    }
}

}  // namespace

std::optional<std::vector<NotificationTarget>> parseNotificationConfiguration(
    const std::string& xml, std::string& error) {
    std::vector<NotificationTarget> out;
    if (xml.find_first_not_of(" \t\r\n") == std::string::npos) return out;
    const auto tree = parseXml(xml);
    const auto root = tree ? tree->get_child_optional("NotificationConfiguration") : boost::none;
    if (!root) {
        error =
            "The XML you provided was not well-formed or did not validate against our "
            "published schema";
        return std::nullopt;
    }
    int counter = 0;
    for (const auto& [name, config] : *root) {
        if (name == "TopicConfiguration" || name == "QueueConfiguration") {
            error = "Fogbank delivers bucket notifications to functions only, not " + name;
            return std::nullopt;
        }
        if (name != "LambdaFunctionConfiguration" && name != "CloudFunctionConfiguration") continue;
        NotificationTarget target;
        target.id = config.get("Id", "");
        if (target.id.empty()) target.id = "notification-" + std::to_string(++counter);
        target.function = config.get("LambdaFunctionArn", config.get("CloudFunction", ""));
        for (const auto& [field, value] : config)
            if (field == "Event") target.events.push_back(value.data());
        readFilter(config, target);
        if (target.function.empty() || target.events.empty()) {
            error = "A LambdaFunctionConfiguration needs a LambdaFunctionArn and an Event";
            return std::nullopt;
        }
        out.push_back(std::move(target));
    }
    return out;
}

std::string notificationConfigurationXml(const std::vector<NotificationTarget>& targets) {
    XmlWriter xml("NotificationConfiguration");
    for (const auto& t : targets) {
        xml.open("CloudFunctionConfiguration").leaf("Id", t.id);
        xml.leaf("CloudFunction", t.function);
        for (const auto& e : t.events) xml.leaf("Event", e);
        if (!t.prefix.empty() || !t.suffix.empty()) {
            xml.open("Filter").open("S3Key");
            if (!t.prefix.empty())
                xml.open("FilterRule").leaf("Name", "Prefix").leaf("Value", t.prefix).close();
            if (!t.suffix.empty())
                xml.open("FilterRule").leaf("Name", "Suffix").leaf("Value", t.suffix).close();
            xml.close().close();
        }
        xml.close();
    }
    return xml.finish();
}

std::vector<NotificationTarget> templateTargets(const Project& project, const BucketSpec& bucket) {
    std::vector<NotificationTarget> out;
    for (const auto& fn : project.functions) {
        for (const auto& event : fn.events) {
            if (event.type != "S3") continue;
            const auto& props = event.properties;
            std::string named;
            if (auto it = props.find("Bucket"); it != props.end()) {
                if (it->is_string()) named = it->get<std::string>();
                // An unresolved {"Ref": "LogicalId"} still names the bucket.
                else if (it->is_object() && it->contains("Ref") && (*it)["Ref"].is_string())
                    named = (*it)["Ref"].get<std::string>();
            }
            if (named != bucket.bucketName && named != bucket.logicalId) continue;
            NotificationTarget target;
            target.id = fn.logicalId + "." + event.name;
            target.function = fn.functionName;
            if (auto it = props.find("Events"); it != props.end()) {
                if (it->is_string()) target.events.push_back(it->get<std::string>());
                if (it->is_array())
                    for (const auto& e : *it)
                        if (e.is_string()) target.events.push_back(e.get<std::string>());
            }
            const auto rules =
                props.value(nlohmann::json::json_pointer("/Filter/S3Key/Rules"), nlohmann::json());
            if (rules.is_array()) {
                for (const auto& rule : rules) {
                    if (!rule.is_object()) continue;
                    std::string which = rule.value("Name", "");
                    for (auto& c : which)
                        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    const std::string value = rule.value("Value", "");
                    if (which == "prefix") target.prefix = value;
                    if (which == "suffix") target.suffix = value;
                }
            }
            out.push_back(std::move(target));
        }
    }
    return out;
}

std::string eventKey(const std::string& key) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : key) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '*' || c == '/') {
            out += static_cast<char>(c);
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    return out;
}

std::string eventPayload(const ObjectEvent& event, const NotificationTarget& target,
                         const std::string& region) {
    nlohmann::json object = {{"key", eventKey(event.key)}, {"sequencer", event.sequencer}};
    if (event.eventName.starts_with("ObjectCreated")) {
        object["size"] = event.size;
        object["eTag"] = event.etag;
    }
    nlohmann::json record = {
        {"eventVersion", "2.1"},
        {"eventSource", "aws:s3"},
        {"awsRegion", region},
        {"eventTime", isoDate(event.time)},
        {"eventName", event.eventName},
        {"userIdentity", {{"principalId", "AWS:FOGBANK"}}},
        {"requestParameters", {{"sourceIPAddress", event.sourceIp}}},
        {"responseElements",
         {{"x-amz-request-id", event.requestId}, {"x-amz-id-2", "fogbank/" + event.requestId}}},
        {"s3",
         {{"s3SchemaVersion", "1.0"},
          {"configurationId", target.id},
          {"bucket",
           {{"name", event.bucket},
            {"ownerIdentity", {{"principalId", "FOGBANK"}}},
            {"arn", "arn:aws:s3:::" + event.bucket}}},
          {"object", object}}}};
    return nlohmann::json{{"Records", nlohmann::json::array({record})}}.dump();
}

}  // namespace fogbank::s3
