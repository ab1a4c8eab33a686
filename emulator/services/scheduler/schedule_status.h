// What the engine reports about schedules: each one with its next firings, one firing and its
// invocation, and what an advance of the clock fired. Plain data for the CLI, tests and window.
#pragma once

#include "emulator/runtime/invocation.h"

#include <chrono>
#include <string>
#include <vector>

namespace fogbank::scheduler {

using TimePoint = std::chrono::sys_seconds;

struct ScheduleStatus {
    std::string name;
    std::string function;
    std::string source;  // Schedule, ScheduleV2, AWS::Events::Rule, AWS::Scheduler::Schedule
    std::string expression;
    std::string timeZone;
    std::string arn;
    bool enabled = true;
    std::vector<TimePoint> nextFirings;  // empty while disabled
};

// One schedule that fired, and how its invocation ended.
struct Firing {
    std::string schedule;
    TimePoint due;
    InvocationResult result;
};

struct AdvanceReport {
    std::chrono::system_clock::time_point from;
    std::chrono::system_clock::time_point to;
    std::vector<Firing> fired;  // in due order
    std::string error;          // empty on success
};

}  // namespace fogbank::scheduler
