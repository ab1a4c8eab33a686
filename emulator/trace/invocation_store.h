// Every invocation, and every call made to Fogbank's services (spans), kept in SQLite (WAL) under
// the state dir: the one source for the window, the CLI and exports.
//
// Writes are queued to one writer thread that commits them in batches (group commit), so that
// recording costs an invocation a queue push, not a transaction; an invocation counts as
// answered only once its row is committed, so a kill -9 loses nothing anyone was told about.
#pragma once

#include "emulator/runtime/invocation.h"
#include "emulator/storage/sqlite.h"
#include "emulator/trace/service_span.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <limits>
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
    Clock::time_point start;   // of its earliest invocation or service call
    Clock::time_point end;
    int invocations = 0;
    int errors = 0;  // failed invocations and failed service calls
    int spans = 0;   // service calls (ServiceSpan), not counting the invocations
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
    // Queues a service call's span; it commits with the next batch. Nobody waits on it: a
    // client's answer must not wait for its own trace.
    void recordSpan(ServiceSpan span);
    // Waits until everything queued so far is committed.
    void flush();

    // Reads use their own connection; safe from any thread.
    std::int64_t count(const std::string& function = {});
    std::vector<StoredInvocation> list(const InvocationQuery& query);
    std::optional<StoredInvocation> find(const std::string& requestId);
    // Newest first (by start); a negative limit returns them all. With `function`, only the
    // traces in which it ran.
    std::vector<TraceSummary> traces(const std::string& function, std::int64_t limit);
    // The service calls of one trace, oldest first.
    std::vector<ServiceSpan> spans(const std::string& traceRoot);
    // Every stored service call, oldest first (what the bill of what ran counts).
    std::vector<ServiceSpan> allSpans();

    const std::filesystem::path& file() const { return file_; }

  private:
    // An invocation, or a span when `span` is set; both go through the one writer.
    struct Pending {
        InvocationResult result;
        std::function<void(InvocationResult)> committed;
        std::optional<ServiceSpan> span;
    };

    std::vector<ServiceSpan> readSpans(const char* where, const std::string& traceRoot);
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
    // Prepared once on the writer thread: re-parsing them for every commit showed up in profiles.
    struct WriterStatements;
    std::unique_ptr<WriterStatements> statements_;

    // Keyset reads for the window's history table: a page is found by its seq range, never by an
    // OFFSET counted from the newest row, so the last page of a million rows costs what the first
    // does. Read-only, on the reader connection like the reads above.
  public:
    struct SeqCounts {
        std::int64_t total = 0;   // invocations (of `functions`, when given)
        std::int64_t above = 0;   // of those, the ones with seq > `after`
        std::int64_t minSeq = 0;  // the lowest and highest seq in the table, 0 when it is empty
        std::int64_t maxSeq = 0;
    };
    // In one read transaction, so that the numbers agree with each other.
    SeqCounts seqCounts(const std::vector<std::string>& functions = {},
                        std::int64_t after = std::numeric_limits<std::int64_t>::max());
    struct SeqPageQuery {
        std::vector<std::string> functions;  // empty: all
        std::int64_t lowSeq = 0;             // seq in [lowSeq, highSeq]
        std::int64_t highSeq = std::numeric_limits<std::int64_t>::max();
        bool newestFirst = true;
        std::int64_t skip = 0;  // rows passed over first; 0 in steady scrolling
        std::int64_t limit = 100;
    };
    // Rows without their event, response and logs (find() has those): what a table shows.
    std::vector<StoredInvocation> listBySeq(const SeqPageQuery& query);
};

}  // namespace fogbank
