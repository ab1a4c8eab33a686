#include "emulator/runtime/cpu_share.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace fogbank {

namespace fs = std::filesystem;

namespace {

// Short enough that a 100 ms invocation at 128 MB is throttled evenly rather than in one long
// stall after a burst; the kernel's minimum quota (1 ms) still fits the smallest share (128 MB:
// 1.45 ms of every 20 ms).
constexpr int kPeriodUs = 20000;
constexpr int kMinQuotaUs = 1000;

std::string errnoText() {
    return std::strerror(errno);
}

std::string readText(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// Throws naming the file: the one place every cgroup write goes through.
void writeText(const fs::path& file, const std::string& text) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + file.string() + ": " + errnoText());
    const ssize_t n = ::write(fd, text.data(), text.size());
    const std::string error = n < 0 ? errnoText() : std::string();
    ::close(fd);
    if (n < 0)
        throw std::runtime_error("cannot write \"" + text + "\" to " + file.string() + ": " +
                                 error);
}

bool hasWord(const std::string& list, const std::string& word, char separator) {
    std::stringstream in(list);
    std::string item;
    while (std::getline(in, item, separator)) {
        while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back())))
            item.pop_back();
        if (item == word) return true;
    }
    return false;
}

struct Mount {
    fs::path point;
    std::string root;  // the hierarchy's path that is mounted there
};

// The mount of a cgroup2 hierarchy (`controller` empty) or of the v1 hierarchy that has
// `controller`, from /proc/self/mountinfo.
std::optional<Mount> findMount(const std::string& controller) {
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line)) {
        const auto dash = line.find(" - ");
        if (dash == std::string::npos) continue;
        std::stringstream head(line.substr(0, dash));
        std::string id, parent, device, root, point;
        head >> id >> parent >> device >> root >> point;
        std::stringstream tail(line.substr(dash + 3));
        std::string type, source, options;
        tail >> type >> source >> options;
        if (controller.empty() ? type == "cgroup2"
                               : type == "cgroup" && hasWord(options, controller, ','))
            return Mount{point, root};
    }
    return std::nullopt;
}

// This process's cgroup in the v2 hierarchy (`controller` empty) or the v1 one with `controller`.
std::string ownCgroup(const std::string& controller) {
    std::ifstream in("/proc/self/cgroup");
    std::string line;
    while (std::getline(in, line)) {
        const auto first = line.find(':');
        const auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        const std::string controllers = line.substr(first + 1, second - first - 1);
        if (controller.empty() ? controllers.empty() : hasWord(controllers, controller, ','))
            return line.substr(second + 1);
    }
    return "/";
}

// Where `cgroup` (a path in the hierarchy) is in the file system under `mount`.
fs::path cgroupDir(const Mount& mount, const std::string& cgroup) {
    std::string relative = cgroup;
    if (mount.root != "/" && relative.starts_with(mount.root))
        relative = relative.substr(mount.root.size());
    while (relative.starts_with("/")) relative.erase(0, 1);
    return relative.empty() ? mount.point : mount.point / relative;
}

std::vector<int> pidsIn(const fs::path& dir) {
    std::vector<int> pids;
    std::ifstream in(dir / "cgroup.procs");
    int pid;
    while (in >> pid) pids.push_back(pid);
    return pids;
}

bool processAlive(int pid) {
    return ::kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace

// One cgroup folder made here, removed when destroyed: what is still in it is moved to
// `leaveTo` (the cgroup the engine runs in) first, since a cgroup with processes in it cannot be
// removed and the sandbox's have been killed already or are about to be.
class CgroupDir {
  public:
    CgroupDir(fs::path dir, fs::path leaveTo) : dir_(std::move(dir)), leaveTo_(std::move(leaveTo)) {
        if (::mkdir(dir_.c_str(), 0755) != 0 && errno != EEXIST)
            throw std::runtime_error("cannot create cgroup " + dir_.string() + ": " + errnoText());
    }
    ~CgroupDir() { remove(dir_, leaveTo_); }
    CgroupDir(const CgroupDir&) = delete;
    CgroupDir& operator=(const CgroupDir&) = delete;

    const fs::path& dir() const { return dir_; }

    static void remove(const fs::path& dir, const fs::path& leaveTo) {
        for (int attempt = 0; attempt < 20; ++attempt) {
            for (int pid : pidsIn(dir)) {
                try {
                    writeText(leaveTo / "cgroup.procs", std::to_string(pid));
                } catch (const std::exception&) {
                    // Exiting as we speak; the next round finds it gone.
                }
            }
            if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return;
            if (errno != EBUSY) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        spdlog::warn("cannot remove cgroup {}: {}", dir.string(), errnoText());
    }

  private:
    fs::path dir_;
    fs::path leaveTo_;
};

double cpuShareOf(int memoryMb) {
    const double cores = std::max(1u, std::thread::hardware_concurrency());
    return std::min(cores, static_cast<double>(memoryMb) / kFullCoreMemoryMb);
}

std::int64_t processCpuNs(int pid) {
    std::error_code ec;
    const fs::path tasks = fs::path("/proc") / std::to_string(pid) / "task";
    std::int64_t total = 0;
    bool any = false;
    for (const auto& task : fs::directory_iterator(tasks, ec)) {
        std::ifstream in(task.path() / "schedstat");
        std::int64_t ns = 0;
        if (in >> ns) {
            total += ns;
            any = true;
        }
    }
    return any ? total : -1;
}

double estimateSharedDurationMs(double wallMs, double cpuMs, double share) {
    if (cpuMs < 0 || wallMs <= 0 || share <= 0) return wallMs;
    // How many cores the run kept busy while it was on the CPU, at least one.
    const double parallelism = std::max(1.0, cpuMs / wallMs);
    const double offCpuMs = std::max(0.0, wallMs - cpuMs / parallelism);
    return offCpuMs + cpuMs / std::min(share, parallelism);
}

CpuCgroup::CpuCgroup(std::shared_ptr<CgroupDir> parent, std::unique_ptr<CgroupDir> own, int procsFd)
    : parent_(std::move(parent)), own_(std::move(own)), procsFd_(procsFd) {}

CpuCgroup::~CpuCgroup() {
    if (procsFd_ >= 0) ::close(procsFd_);
    own_.reset();  // before the parent, which it is in
}

const fs::path& CpuCgroup::dir() const {
    return own_->dir();
}

CpuShareHost::CpuShareHost() {
    std::string v2Why, v1Why;
    if (tryV2(v2Why)) {
        mode_ = CpuMode::CgroupV2;
    } else if (tryV1(v1Why)) {
        mode_ = CpuMode::CgroupV1;
    } else {
        mode_ = CpuMode::Estimate;
        why_ = "no cgroup can limit the sandboxes' CPU (cgroup v2: " + v2Why +
               "; cgroup v1: " + v1Why +
               "), so durations are estimated from the CPU time each invocation used";
    }
}

CpuShareHost::~CpuShareHost() = default;

fs::path CpuShareHost::parentDir() const {
    return parent_ ? parent_->dir() : fs::path();
}

namespace {

// fogbank.<pid> folders left by engines that were killed before they could remove them.
void removeStale(const fs::path& under, const fs::path& leaveTo) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(under, ec)) {
        const auto name = entry.path().filename().string();
        if (!name.starts_with("fogbank.") || !entry.is_directory()) continue;
        int pid = 0;
        try {
            pid = std::stoi(name.substr(8));
        } catch (const std::exception&) {
            continue;
        }
        if (pid == ::getpid() || processAlive(pid)) continue;
        for (const auto& child : fs::directory_iterator(entry.path(), ec))
            if (child.is_directory()) CgroupDir::remove(child.path(), leaveTo);
        CgroupDir::remove(entry.path(), leaveTo);
    }
}

}  // namespace

bool CpuShareHost::tryV2(std::string& why) {
    const auto mount = findMount("");
    if (!mount) {
        why = "not mounted";
        return false;
    }
    const std::string controllers = readText(mount->point / "cgroup.controllers");
    if (!hasWord(controllers, "cpu", ' ')) {
        why = "the cpu controller is not available at " + mount->point.string() +
              " (cgroup.controllers: \"" + controllers.substr(0, controllers.find('\n')) +
              "\"; it may be held by a cgroup v1 hierarchy)";
        return false;
    }
    // The sandboxes' groups hang off the hierarchy's root, the one cgroup that may hold
    // processes and hand the cpu controller down at once; the engine's own stays untouched.
    const fs::path own = cgroupDir(*mount, ownCgroup(""));
    try {
        if (!hasWord(readText(mount->point / "cgroup.subtree_control"), "cpu", ' '))
            writeText(mount->point / "cgroup.subtree_control", "+cpu");
        removeStale(mount->point, own);
        parent_ = std::make_shared<CgroupDir>(
            mount->point / ("fogbank." + std::to_string(::getpid())), own);
        writeText(parent_->dir() / "cgroup.subtree_control", "+cpu");
    } catch (const std::exception& e) {
        parent_.reset();
        why = e.what();
        return false;
    }
    return true;
}

bool CpuShareHost::tryV1(std::string& why) {
    const auto mount = findMount("cpu");
    if (!mount) {
        why = "no hierarchy with the cpu controller is mounted";
        return false;
    }
    const fs::path own = cgroupDir(*mount, ownCgroup("cpu"));
    if (!fs::exists(own / "cpu.cfs_quota_us")) {
        why = "no cpu.cfs_quota_us in " + own.string() + " (kernel without CFS bandwidth control)";
        return false;
    }
    try {
        removeStale(own, own);
        parent_ = std::make_shared<CgroupDir>(own / ("fogbank." + std::to_string(::getpid())), own);
    } catch (const std::exception& e) {
        why = e.what();
        return false;
    }
    return true;
}

std::unique_ptr<CpuCgroup> CpuShareHost::create(const std::string& name, double share) {
    if (!parent_) throw std::runtime_error("no cgroup for CPU shares on this machine: " + why_);
    const fs::path leaveTo = parent_->dir().parent_path();
    // Numbered: two pools of one function (a memory sweep's) number their sandboxes alike.
    std::string safe;
    for (char c : name)
        safe += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
    auto own = std::make_unique<CgroupDir>(parent_->dir() / fmt::format("{}.{}", safe, ++created_),
                                           leaveTo);
    const int quotaUs = std::max(kMinQuotaUs, static_cast<int>(std::lround(share * kPeriodUs)));
    if (mode_ == CpuMode::CgroupV2) {
        writeText(own->dir() / "cpu.max", fmt::format("{} {}", quotaUs, kPeriodUs));
    } else {
        writeText(own->dir() / "cpu.cfs_period_us", std::to_string(kPeriodUs));
        writeText(own->dir() / "cpu.cfs_quota_us", std::to_string(quotaUs));
    }
    const fs::path procs = own->dir() / "cgroup.procs";
    const int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + procs.string() + ": " + errnoText());
    return std::make_unique<CpuCgroup>(parent_, std::move(own), fd);
}

}  // namespace fogbank
