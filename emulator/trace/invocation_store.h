// Every invocation, kept in SQLite (WAL) under the state dir: the one source for the window, the
// CLI and exports.
//
// Writes are queued to one writer thread that commits them in batches (group commit), so that
// recording costs an invocation a queue push, not a transaction; an invocation counts as
// answered only once its row is committed, so a kill -9 loses nothing anyone was told about.
#pragma once

#include "emulator/runtime/invocation.h"
#include "emulator/storage/sqlite.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace fogbank {

struct StoredInvocation : InvocationResult {
    std::int64_t seq = 0;  // insertion order; stable, never reused
};

struct InvocationQuery {
    std::string function;     // empty: all
    std::string traceRoot;    // empty: all
    std::int64_t offset = 0;  // in newest-first order
    std::int64_t limit = 100;
};

struct TraceSummary {
    std::string traceRoot;
    std::string rootFunction;  // the function of the trace's earliest invocation
    Clock::time_point start;
    Clock::time_point end;
    int invocations = 0;
    int errors = 0;
};

class InvocationStore {
  public:
    // Opens or creates <dir>/fogbank.db. Throws SqliteError naming the file.
    InvocationStore(const std::filesystem::path& stateDir, std::size_t retention = 100000);
    // Commits what is queued, then stops the writer.
    ~InvocationStore();
    InvocationStore(const InvocationStore&) = delete;
    InvocationStore& operator=(const InvocationStore&) = delete;

    // Queues the result; `committed` runs on the writer thread once the row is durable (or with
    // the error if it could not be written: the invocation still answers).
    void record(InvocationResult result, std::function<void(InvocationResult)> committed);
    // Waits until everything queued so far is committed.
    void flush();

    // Reads use their own connection; safe from any thread.
    std::int64_t count(const std::string& function = {});
    std::vector<StoredInvocation> list(const InvocationQuery& query);
    std::optional<StoredInvocation> find(const std::string& requestId);
    std::vector<TraceSummary> traces(const std::string& function, std::int64_t limit);

    const std::filesystem::path& file() const { return file_; }

  private:
    struct Pending {
        InvocationResult result;
        std::function<void(InvocationResult)> committed;
    };

    void writerLoop();
    void writeBatch(std::vector<Pending>& batch);

    std::filesystem::path file_;
    std::size_t retention_;
    std::unique_ptr<Database> writer_;
    std::mutex readMutex_;
    std::unique_ptr<Database> reader_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable drained_;
    std::deque<Pending> queue_;
    std::uint64_t queued_ = 0;
    std::uint64_t written_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace fogbank
