// CPU-share mode: Lambda gives an execution environment CPU in proportion to its memory, a full
// vCPU at 1,769 MB, so a 128 MB function runs at about 7% of a core. Here each sandbox process
// goes into a cgroup of its own limited to that share (cgroup v2's cpu.max where the cpu
// controller is available, else cgroup v1's CFS quota); where neither can be made, the sandbox
// runs unlimited and its duration is estimated from the CPU time it used.
#pragma once

#include "emulator/runtime/invocation.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace fogbank {

// The memory size at which Lambda gives one full vCPU.
constexpr int kFullCoreMemoryMb = 1769;

// memoryMb / 1769 of a core, at most this machine's cores.
double cpuShareOf(int memoryMb);

// CPU time the process's threads have run so far (the first field of each
// /proc/<pid>/task/*/schedstat, in ns); -1 when it cannot be read. Processes the runtime started
// (a custom runtime's children) are not counted.
std::int64_t processCpuNs(int pid);

// What a run that took `wallMs` and used `cpuMs` of CPU would take with `share` of a core: the
// time not on the CPU stays, the CPU time stretches to the share. A process never runs faster
// than its own parallelism allows, so a share above what it used (a single-threaded handler at
// 3,008 MB) changes nothing.
double estimateSharedDurationMs(double wallMs, double cpuMs, double share);

class CgroupDir;

// One sandbox's cgroup, limited to its share. Removed when destroyed, after moving out whatever
// is still in it.
class CpuCgroup {
  public:
    CpuCgroup(std::shared_ptr<CgroupDir> parent, std::unique_ptr<CgroupDir> own, int procsFd);
    ~CpuCgroup();
    CpuCgroup(const CpuCgroup&) = delete;
    CpuCgroup& operator=(const CpuCgroup&) = delete;

    // cgroup.procs, open for writing: the child writes "0" to it between fork and exec, so that
    // the runtime is limited from its first instruction (the init phase included, as on Lambda).
    int procsFd() const { return procsFd_; }
    const std::filesystem::path& dir() const;

  private:
    std::shared_ptr<CgroupDir> parent_;  // kept until the last sandbox's group is gone
    std::unique_ptr<CgroupDir> own_;
    int procsFd_ = -1;
};

// Where this engine makes its sandboxes' cgroups: found once, with a parent cgroup of its own
// (fogbank.<pid>) that goes away with the last sandbox's.
class CpuShareHost {
  public:
    // Looks for a writable cgroup v2 hierarchy with the cpu controller, then for cgroup v1's cpu
    // controller. Never throws: when neither works, mode() is Estimate and why() says what was
    // missing.
    CpuShareHost();
    ~CpuShareHost();
    CpuShareHost(const CpuShareHost&) = delete;
    CpuShareHost& operator=(const CpuShareHost&) = delete;

    CpuMode mode() const { return mode_; }
    const std::string& why() const { return why_; }
    // The folder the sandboxes' cgroups go in; empty in Estimate mode.
    std::filesystem::path parentDir() const;

    // A cgroup named after `name` limited to `share` of a core. Call on one thread. Throws
    // std::runtime_error naming the file that could not be written.
    std::unique_ptr<CpuCgroup> create(const std::string& name, double share);

  private:
    bool tryV2(std::string& why);
    bool tryV1(std::string& why);

    CpuMode mode_ = CpuMode::Estimate;
    std::string why_;
    std::shared_ptr<CgroupDir> parent_;
    int created_ = 0;
};

}  // namespace fogbank
