#include "emulator/services/scheduler/scheduler.h"

#include "emulator/services/scheduler/scheduled_event.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace fogbank::scheduler {

namespace asio = boost::asio;
using namespace std::chrono;

namespace {

// An advance that would fire more than this is a mistake (a year of rate(1 minute)); it stops
// there and says so rather than keeping the engine busy for minutes.
constexpr std::size_t kMaxFiringsPerAdvance = 100000;

}  // namespace

struct Scheduler::Advance {
    TimePoint target;
    AdvanceReport report;
    AdvanceDone done;
};

Scheduler::Scheduler(const Project& project, std::vector<ScheduleDefinition> schedules,
                     std::optional<VirtualClock::time_point> clockStart)
    : region_(project.region),
      accountId_(project.accountId),
      clock_(clockStart.value_or(system_clock::now())),
      anchor_(floor<seconds>(clock_.now())) {
    for (auto& s : schedules) {
        // A firing due exactly at the clock's start counts: the start is "at or after".
        auto next = s.expression.nextAfter(anchor_ - seconds(1), anchor_);
        entries_.push_back({std::move(s), next});
    }
}

Scheduler::~Scheduler() {
    *alive_ = false;
}

void Scheduler::start(asio::any_io_executor executor, Invoke invoke) {
    executor_ = executor;
    timer_.emplace(executor);
    invoke_ = std::move(invoke);
    // Time passed between construction and start: start from where the clock is now.
    const auto now = nowSeconds();
    for (auto& e : entries_)
        if (e.next && *e.next < now)
            e.next = e.definition.expression.nextAfter(now - seconds(1), anchor_);
    rearm();
}

void Scheduler::shutdown() {
    stopped_ = true;
    if (timer_) timer_->cancel();
}

TimePoint Scheduler::nowSeconds() const {
    return floor<seconds>(clock_.now());
}

Scheduler::Entry* Scheduler::find(const std::string& name) {
    for (auto& e : entries_)
        if (e.definition.name == name) return &e;
    return nullptr;
}

Scheduler::Entry* Scheduler::firstDue(TimePoint limit) {
    Entry* best = nullptr;
    for (auto& e : entries_) {
        if (!e.definition.enabled || !e.next || *e.next > limit) continue;
        if (!best || *e.next < *best->next) best = &e;
    }
    return best;
}

std::vector<ScheduleStatus> Scheduler::list(int count) const {
    std::vector<ScheduleStatus> out;
    for (const auto& e : entries_) {
        const auto& d = e.definition;
        ScheduleStatus s{d.name, d.function, d.source, d.expression.text(), d.expression.timeZone(),
                         d.arn,  d.enabled,  {}};
        if (d.enabled && e.next && count > 0) {
            s.nextFirings.push_back(*e.next);
            auto more = d.expression.next(count - 1, *e.next, anchor_);
            s.nextFirings.insert(s.nextFirings.end(), more.begin(), more.end());
        }
        out.push_back(std::move(s));
    }
    return out;
}

void Scheduler::fire(Entry& entry, TimePoint due, std::function<void(Firing)> then) {
    InvokeRequest request;
    request.function = entry.definition.function;
    request.payload = scheduledEvent(entry.definition, due, region_, accountId_);
    request.trigger = Trigger::Schedule;  // no trace header: each firing starts its own trace
    const std::string name = entry.definition.name;
    invoke_(std::move(request), [this, alive = std::weak_ptr<bool>(alive_), executor = *executor_,
                                 name, due, then = std::move(then)](InvocationResult result) {
        // Completions may come from the store's writer; the scheduler lives on its executor.
        asio::post(executor, [this, alive, name, due, then, result = std::move(result)]() mutable {
            if (alive.expired()) return;
            if (!result.ok())
                spdlog::warn("schedule {} at {}: {} failed: {}", name, formatUtc(due),
                             result.function, result.errorType);
            then(Firing{name, due, std::move(result)});
        });
    });
}

void Scheduler::rearm() {
    if (!timer_) return;
    timer_->cancel();
    if (stopped_ || advancing_ || clock_.paused()) return;
    const Entry* first = firstDue(TimePoint::max());
    if (!first) return;
    const auto wait = std::max(VirtualClock::duration::zero(), *first->next - clock_.now());
    timer_->expires_after(wait);
    timer_->async_wait([this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
        if (ec || alive.expired()) return;
        onTimer();
    });
}

void Scheduler::onTimer() {
    if (stopped_ || advancing_ || clock_.paused()) return;
    const auto now = nowSeconds();
    // Everything due by now fires, each with its own due time; in real time that is one or two.
    while (Entry* e = firstDue(now)) {
        const TimePoint due = *e->next;
        e->next = e->definition.expression.nextAfter(due, anchor_);
        fire(*e, due, [](Firing) {});
    }
    rearm();
}

void Scheduler::fireNow(const std::string& name, FiringDone done) {
    Entry* e = find(name);
    if (!e) {
        done(Firing{name, nowSeconds(), {}}, "no schedule named \"" + name + "\"");
        return;
    }
    fire(*e, nowSeconds(), [done = std::move(done)](Firing f) { done(std::move(f), {}); });
}

void Scheduler::advance(seconds by, AdvanceDone done) {
    AdvanceReport report;
    report.from = clock_.now();
    report.to = report.from;
    if (by < seconds(0)) report.error = "the clock only moves forward";
    if (advancing_) report.error = "the clock is already being advanced";
    if (stopped_) report.error = "the engine is stopping";
    if (!report.error.empty()) {
        done(std::move(report));
        return;
    }
    advancing_ = true;
    timer_->cancel();
    auto a = std::make_shared<Advance>();
    a->target = floor<seconds>(report.from + by);
    a->report = std::move(report);
    a->done = std::move(done);
    step(a);
}

void Scheduler::step(const std::shared_ptr<Advance>& a) {
    Entry* e = stopped_ ? nullptr : firstDue(a->target);
    if (e && a->report.fired.size() >= kMaxFiringsPerAdvance) {
        a->report.error = "stopped after " + std::to_string(kMaxFiringsPerAdvance) +
                          " firings; advance by less at a time";
        e = nullptr;
    } else if (stopped_) {
        a->report.error = "the engine stopped during the advance";
    }
    if (!e) {
        // Where the advance got to: its target, or the last firing when it had to stop early.
        if (a->report.error.empty()) clock_.set(a->target);
        a->report.to = clock_.now();
        advancing_ = false;
        rearm();
        a->done(std::move(a->report));
        return;
    }
    const TimePoint due = *e->next;
    e->next = e->definition.expression.nextAfter(due, anchor_);
    clock_.set(due);
    fire(*e, due, [this, a](Firing f) {
        a->report.fired.push_back(std::move(f));
        step(a);
    });
}

std::string Scheduler::setEnabled(const std::string& name, bool enabled) {
    Entry* e = find(name);
    if (!e) return "no schedule named \"" + name + "\"";
    if (e->definition.enabled == enabled) return {};
    e->definition.enabled = enabled;
    // Re-enabled, it carries on from now: what it would have fired meanwhile is not made up.
    if (enabled) e->next = e->definition.expression.nextAfter(nowSeconds() - seconds(1), anchor_);
    rearm();
    return {};
}

}  // namespace fogbank::scheduler
