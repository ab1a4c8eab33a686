// The project's schedules as the template declares them: SAM `Schedule` and `ScheduleV2` events,
// and `AWS::Events::Rule` / `AWS::Scheduler::Schedule` resources whose target is a function.
#pragma once

#include "emulator/project/project.h"
#include "emulator/services/scheduler/schedule_expression.h"

#include <optional>
#include <string>
#include <vector>

namespace fogbank::scheduler {

struct ScheduleDefinition {
    std::string name;      // the rule's or schedule's name: Name, else the logical id
    std::string function;  // the target's FunctionName
    std::string
        source;  // "Schedule", "ScheduleV2", "AWS::Events::Rule", "AWS::Scheduler::Schedule"
    ScheduleExpression expression;
    bool enabled = true;
    std::optional<std::string> input;  // the Input text, verbatim
    // EventBridge Scheduler (ScheduleV2, AWS::Scheduler::Schedule) sends its Input, not the
    // "Scheduled Event" envelope that EventBridge rules send.
    bool viaScheduler = false;
    std::string arn;  // of the rule or the schedule
    SourceLocation where;
};

struct ProjectSchedules {
    std::vector<ScheduleDefinition> schedules;
    std::vector<Warning> warnings;  // targets Fogbank does not run (queues, state machines...)
};

// Throws TemplateError at the event or resource when an expression, a time zone, State, Enabled
// or Input is malformed; the message quotes the expression and names the field at fault.
ProjectSchedules readSchedules(const Project& project);

}  // namespace fogbank::scheduler
