// Schedules: the project's EventBridge rules and EventBridge Scheduler schedules, fired on a
// virtual clock that the user can pause, resume and advance.
//
// This folder owns schedule expressions, the virtual clock and when each schedule fires. It
// invokes functions only through the callback it is given, never blocks the engine's thread and
// never polls: one timer sleeps until the next firing that is due.
#pragma once

#include "emulator/project/project.h"
#include "emulator/runtime/invocation.h"
#include "emulator/services/scheduler/schedule_definition.h"
#include "emulator/services/scheduler/schedule_status.h"
#include "emulator/services/scheduler/virtual_clock.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fogbank::scheduler {

class Scheduler {
  public:
    using Invoke = std::function<void(InvokeRequest, std::function<void(InvocationResult)>)>;
    using FiringDone = std::function<void(Firing, std::string error)>;
    using AdvanceDone = std::function<void(AdvanceReport)>;

    // The clock starts at `clockStart` (now when unset). Rates count from there.
    Scheduler(const Project& project, std::vector<ScheduleDefinition> schedules,
              std::optional<VirtualClock::time_point> clockStart);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Thread-safe.
    VirtualClock& clock() { return clock_; }

    // From here on, everything runs on `executor`'s thread.
    void start(boost::asio::any_io_executor executor, Invoke invoke);
    void shutdown();

    // Each schedule with its next `count` firings on the virtual clock.
    std::vector<ScheduleStatus> list(int count) const;
    // Fires `name` once, due now (the clock's current second), without moving its next firing.
    void fireNow(const std::string& name, FiringDone done);
    // Moves the clock forward by `by`, firing every due schedule in due order, one at a time,
    // each with its due time; then answers with what fired.
    void advance(std::chrono::seconds by, AdvanceDone done);
    // After the clock was paused or resumed from outside: sleeps until the right moment again.
    void rearm();
    // Empty on success, else what was wrong (no such schedule).
    std::string setEnabled(const std::string& name, bool enabled);

  private:
    struct Entry {
        ScheduleDefinition definition;
        std::optional<TimePoint> next;  // on the virtual clock
    };
    struct Advance;

    TimePoint nowSeconds() const;
    Entry* find(const std::string& name);
    // The enabled entry due first (declaration order breaks ties), if due by `limit`.
    Entry* firstDue(TimePoint limit);
    void fire(Entry& entry, TimePoint due, std::function<void(Firing)> then);
    void onTimer();
    void step(const std::shared_ptr<Advance>& advance);

    std::string region_;
    std::string accountId_;
    VirtualClock clock_;
    TimePoint anchor_;
    std::vector<Entry> entries_;
    std::optional<boost::asio::any_io_executor> executor_;
    std::optional<boost::asio::steady_timer> timer_;
    Invoke invoke_;
    bool advancing_ = false;
    bool stopped_ = false;
    // Invocations may answer after shutdown; they check this before touching the scheduler.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace fogbank::scheduler
