#include "emulator/services/scheduler/scheduled_event.h"

#include "emulator/trace/ids.h"

#include <nlohmann/json.hpp>

namespace fogbank::scheduler {

namespace {

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

}  // namespace

std::string scheduledEvent(const ScheduleDefinition& schedule, TimePoint due,
                           const std::string& region, const std::string& accountId) {
    if (schedule.viaScheduler) {
        if (!schedule.input) return "{}";
        std::string text = *schedule.input;
        replaceAll(text, "<aws.scheduler.schedule-arn>", schedule.arn);
        replaceAll(text, "<aws.scheduler.scheduled-time>", formatUtc(due));
        replaceAll(text, "<aws.scheduler.execution-id>", randomHex(16));
        replaceAll(text, "<aws.scheduler.attempt-number>", "1");
        return text;
    }
    if (schedule.input) return *schedule.input;
    nlohmann::ordered_json event{
        {"version", "0"},
        {"id", newRequestId()},
        {"detail-type", "Scheduled Event"},
        {"source", "aws.events"},
        {"account", accountId},
        {"time", formatUtc(due)},
        {"region", region},
        {"resources", nlohmann::ordered_json::array({schedule.arn})},
        {"detail", nlohmann::ordered_json::object()},
    };
    return event.dump();
}

}  // namespace fogbank::scheduler
