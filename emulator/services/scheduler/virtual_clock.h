// The time schedules see. It runs at the wall clock's pace from wherever it was started, and the
// user can pause it, resume it, or jump it forward, so that a week of schedules runs in a second.
#pragma once

#include <chrono>
#include <mutex>

namespace fogbank::scheduler {

class VirtualClock {
  public:
    using time_point = std::chrono::system_clock::time_point;
    using duration = std::chrono::system_clock::duration;

    // Starts at `start`, running.
    explicit VirtualClock(time_point start = std::chrono::system_clock::now());

    time_point now() const;
    bool paused() const;
    void pause();            // now() stays where it is until resume()
    void resume();           // carries on from the paused time; the pause is not made up for
    void set(time_point t);  // jumps (either way), keeping paused or running
    void advance(duration by);

  private:
    time_point nowLocked() const;

    mutable std::mutex mutex_;
    time_point base_;  // the virtual time at `since_`
    // Steady, so that the host's clock being set does not move the virtual one.
    std::chrono::steady_clock::time_point since_;
    bool paused_ = false;
};

}  // namespace fogbank::scheduler
