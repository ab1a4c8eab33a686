#include "emulator/services/scheduler/virtual_clock.h"

namespace fogbank::scheduler {

VirtualClock::VirtualClock(time_point start)
    : base_(start), since_(std::chrono::steady_clock::now()) {}

VirtualClock::time_point VirtualClock::nowLocked() const {
    if (paused_) return base_;
    return base_ + std::chrono::duration_cast<duration>(std::chrono::steady_clock::now() - since_);
}

VirtualClock::time_point VirtualClock::now() const {
    std::lock_guard lock(mutex_);
    return nowLocked();
}

bool VirtualClock::paused() const {
    std::lock_guard lock(mutex_);
    return paused_;
}

void VirtualClock::pause() {
    std::lock_guard lock(mutex_);
    if (paused_) return;
    base_ = nowLocked();
    paused_ = true;
}

void VirtualClock::resume() {
    std::lock_guard lock(mutex_);
    if (!paused_) return;
    since_ = std::chrono::steady_clock::now();
    paused_ = false;
}

void VirtualClock::set(time_point t) {
    std::lock_guard lock(mutex_);
    base_ = t;
    since_ = std::chrono::steady_clock::now();
}

void VirtualClock::advance(duration by) {
    std::lock_guard lock(mutex_);
    base_ = nowLocked() + by;
    since_ = std::chrono::steady_clock::now();
}

}  // namespace fogbank::scheduler
