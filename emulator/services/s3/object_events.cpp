#include "emulator/services/s3/object_events.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>

namespace fogbank::s3 {

Notifications objectNotifications(
    ObjectStore& store,
    const std::map<std::string, std::vector<NotificationTarget>>& templateTargets,
    const std::string& eventName, const ObjectInfo& object, const std::string& requestId,
    const std::string& region) {
    std::vector<NotificationTarget> targets;
    if (auto it = templateTargets.find(object.bucket); it != templateTargets.end())
        targets = it->second;
    if (auto bucket = store.bucket(object.bucket); bucket && !bucket->notificationXml.empty()) {
        std::string error;
        if (auto set = parseNotificationConfiguration(bucket->notificationXml, error))
            targets.insert(targets.end(), set->begin(), set->end());
        else
            spdlog::error("s3: the stored notification configuration of {} is unreadable: {}",
                          object.bucket, error);
    }
    // Sequencers order the events of one key; the counter separates events in one microsecond.
    static std::atomic<std::uint64_t> sequence{0};
    ObjectEvent event;
    event.eventName = eventName;
    event.bucket = object.bucket;
    event.key = object.key;
    event.size = object.size;
    event.etag = object.etag;
    event.time = std::chrono::system_clock::now();
    char sequencer[32];
    std::snprintf(
        sequencer, sizeof sequencer, "%016llX",
        static_cast<unsigned long long>(
            std::chrono::duration_cast<std::chrono::microseconds>(event.time.time_since_epoch())
                    .count() *
                16 +
            (sequence++ % 16)));
    event.sequencer = sequencer;
    event.requestId = requestId;
    event.sourceIp = "127.0.0.1";
    Notifications out;
    for (const auto& target : targets)
        if (target.matches(eventName, object.key))
            out.emplace_back(target, eventPayload(event, target, region));
    return out;
}

}  // namespace fogbank::s3
