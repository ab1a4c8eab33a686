// Which functions a change to a bucket notifies, and with what: the targets come from SAM `S3`
// events in the template and from notification configurations set through the API
// (LambdaFunctionConfiguration), each with its events (s3:ObjectCreated:*, ...) and key filter;
// the payload is the S3 event record AWS sends (eventVersion 2.1).
#pragma once

#include "emulator/project/project.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fogbank::s3 {

struct NotificationTarget {
    std::string id;                   // the configuration's Id
    std::string function;             // a function name or ARN
    std::vector<std::string> events;  // "s3:ObjectCreated:*", "s3:ObjectRemoved:Delete", ...
    std::string prefix;
    std::string suffix;

    // `eventName` without the "s3:" prefix, as records carry it: "ObjectCreated:Put".
    bool matches(const std::string& eventName, const std::string& key) const;
};

// The API's configuration document; nullopt with `error` when it cannot be read.
std::optional<std::vector<NotificationTarget>> parseNotificationConfiguration(
    const std::string& xml, std::string& error);
std::string notificationConfigurationXml(const std::vector<NotificationTarget>& targets);

// The template's S3 events on functions that name `bucket` (by name or logical id).
std::vector<NotificationTarget> templateTargets(const Project& project, const BucketSpec& bucket);

struct ObjectEvent {
    std::string eventName;  // "ObjectCreated:Put"
    std::string bucket;
    std::string key;
    std::int64_t size = 0;
    std::string etag;  // without quotes
    std::string sequencer;
    std::chrono::system_clock::time_point time;
    std::string requestId;
    std::string sourceIp;
};

// {"Records":[...]} as a Lambda handler receives it.
std::string eventPayload(const ObjectEvent& event, const NotificationTarget& target,
                         const std::string& region);

// Object keys in event records are URL-encoded as AWS does: spaces as '+', '/' kept.
std::string eventKey(const std::string& key);

}  // namespace fogbank::s3
