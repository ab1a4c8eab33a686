// What a function receives when its schedule fires, in the shape the real service sends.
#pragma once

#include "emulator/services/scheduler/schedule_definition.h"

#include <string>

namespace fogbank::scheduler {

// EventBridge rules: the "Scheduled Event" envelope (time = the due time, resources = the rule's
// ARN), or Input verbatim when the rule has one. EventBridge Scheduler: Input with its context
// attributes (<aws.scheduler.scheduled-time> ...) filled in, or {} without Input.
std::string scheduledEvent(const ScheduleDefinition& schedule, TimePoint due,
                           const std::string& region, const std::string& accountId);

}  // namespace fogbank::scheduler
