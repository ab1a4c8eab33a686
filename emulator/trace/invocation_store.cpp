#include "emulator/trace/invocation_store.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace fogbank {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS invocations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id TEXT NOT NULL UNIQUE,
  function TEXT NOT NULL,
  trigger TEXT NOT NULL,
  status TEXT NOT NULL,
  error_type TEXT,
  event TEXT,
  response TEXT,
  logs TEXT,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  init_ms REAL,
  duration_ms REAL,
  billed_ms INTEGER,
  memory_mb INTEGER,
  max_memory_mb INTEGER,
  cold INTEGER,
  sandbox_id TEXT,
  interpreter TEXT,
  trace_header TEXT,
  trace_root TEXT,
  span_id TEXT,
  parent_span_id TEXT,
  architecture TEXT,
  cost_usd REAL
);
CREATE INDEX IF NOT EXISTS invocations_by_function ON invocations(function, seq);
CREATE INDEX IF NOT EXISTS invocations_by_trace ON invocations(trace_root, seq);
)sql";

constexpr const char* kColumns =
    "seq, request_id, function, trigger, status, error_type, event, response, logs, start_us, "
    "end_us, init_ms, duration_ms, billed_ms, memory_mb, max_memory_mb, cold, sandbox_id, "
    "interpreter, trace_header, trace_root, span_id, parent_span_id, architecture, cost_usd";

std::int64_t toMicros(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

Clock::time_point fromMicros(std::int64_t us) {
    return Clock::time_point(
        std::chrono::duration_cast<Clock::duration>(std::chrono::microseconds(us)));
}

// Logs are stored as JSON [[micros, text], ...]: each line keeps its own timestamp.
std::string encodeLogs(const std::vector<LogLine>& logs) {
    auto array = nlohmann::json::array();
    for (const auto& line : logs) array.push_back({toMicros(line.time), line.text});
    return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<LogLine> decodeLogs(const std::string& text) {
    std::vector<LogLine> out;
    auto array = nlohmann::json::parse(text, nullptr, false);
    if (!array.is_array()) return out;
    for (const auto& item : array) {
        if (item.is_array() && item.size() == 2)
            out.push_back({fromMicros(item[0].get<std::int64_t>()), item[1].get<std::string>()});
    }
    return out;
}

template <typename Enum, std::size_t N>
Enum parseEnum(const std::string& text, const Enum (&values)[N], Enum fallback) {
    for (auto value : values)
        if (text == toString(value)) return value;
    return fallback;
}

StoredInvocation readRow(const Statement& row) {
    static constexpr Trigger kTriggers[] = {Trigger::Manual, Trigger::InvokeApi, Trigger::Http,
                                            Trigger::S3,     Trigger::Sqs,       Trigger::Schedule,
                                            Trigger::Replay, Trigger::Async};
    static constexpr InvocationStatus kStatuses[] = {
        InvocationStatus::Success,     InvocationStatus::FunctionError,
        InvocationStatus::InitError,   InvocationStatus::Timeout,
        InvocationStatus::OutOfMemory, InvocationStatus::RuntimeExit,
        InvocationStatus::Throttled,   InvocationStatus::NotFound,
        InvocationStatus::LaunchError};
    StoredInvocation s;
    s.seq = row.integer(0);
    s.requestId = row.text(1);
    s.function = row.text(2);
    s.trigger = parseEnum(row.text(3), kTriggers, Trigger::Manual);
    s.status = parseEnum(row.text(4), kStatuses, InvocationStatus::FunctionError);
    s.errorType = row.text(5);
    s.event = row.text(6);
    s.payload = row.text(7);
    s.logs = decodeLogs(row.text(8));
    s.start = fromMicros(row.integer(9));
    s.end = fromMicros(row.integer(10));
    s.initMs = row.real(11);
    s.durationMs = row.real(12);
    s.billedMs = row.integer(13);
    s.memorySizeMb = static_cast<int>(row.integer(14));
    s.maxMemoryUsedMb = static_cast<int>(row.integer(15));
    s.cold = row.integer(16) != 0;
    s.sandboxId = row.text(17);
    s.interpreter = row.text(18);
    s.traceId = row.text(19);
    s.traceRoot = row.text(20);
    s.spanId = row.text(21);
    s.parentSpanId = row.text(22);
    s.architecture = row.text(23);
    s.costUsd = row.real(24);
    return s;
}

}  // namespace

InvocationStore::InvocationStore(const std::filesystem::path& stateDir, std::size_t retention)
    : file_(stateDir / "fogbank.db"), retention_(retention) {
    std::error_code ec;
    std::filesystem::create_directories(stateDir, ec);
    if (ec) throw SqliteError("cannot create state dir " + stateDir.string() + ": " + ec.message());
    writer_ = std::make_unique<Database>(file_);
    writer_->exec(kSchema);
    reader_ = std::make_unique<Database>(file_);
    thread_ = std::thread([this] { writerLoop(); });
}

InvocationStore::~InvocationStore() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void InvocationStore::record(InvocationResult result,
                             std::function<void(InvocationResult)> committed) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({std::move(result), std::move(committed)});
        ++queued_;
    }
    wake_.notify_one();
}

void InvocationStore::flush() {
    std::unique_lock lock(mutex_);
    const auto target = queued_;
    drained_.wait(lock, [&] { return written_ >= target; });
}

void InvocationStore::writerLoop() {
    std::vector<Pending> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            // Everything that arrived while the last batch committed goes in this one.
            while (!queue_.empty()) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        writeBatch(batch);
        for (auto& pending : batch)
            if (pending.committed) pending.committed(std::move(pending.result));
        {
            std::lock_guard lock(mutex_);
            written_ += batch.size();
        }
        drained_.notify_all();
        batch.clear();
    }
}

void InvocationStore::writeBatch(std::vector<Pending>& batch) {
    try {
        Transaction transaction(*writer_);
        auto insert = writer_->prepare(
            "INSERT OR REPLACE INTO invocations (request_id, function, trigger, status, "
            "error_type, event, response, logs, start_us, end_us, init_ms, duration_ms, "
            "billed_ms, memory_mb, max_memory_mb, cold, sandbox_id, interpreter, trace_header, "
            "trace_root, span_id, parent_span_id, architecture, cost_usd) VALUES "
            "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        for (const auto& pending : batch) {
            const auto& r = pending.result;
            insert.bind(1, r.requestId)
                .bind(2, r.function)
                .bind(3, toString(r.trigger))
                .bind(4, toString(r.status))
                .bind(5, r.errorType)
                .bind(6, r.event)
                .bind(7, r.payload)
                .bind(8, encodeLogs(r.logs))
                .bind(9, toMicros(r.start))
                .bind(10, toMicros(r.end))
                .bind(11, r.initMs)
                .bind(12, r.durationMs)
                .bind(13, static_cast<std::int64_t>(r.billedMs))
                .bind(14, r.memorySizeMb)
                .bind(15, r.maxMemoryUsedMb)
                .bind(16, r.cold ? 1 : 0)
                .bind(17, r.sandboxId)
                .bind(18, r.interpreter)
                .bind(19, r.traceId)
                .bind(20, r.traceRoot)
                .bind(21, r.spanId)
                .bind(22, r.parentSpanId)
                .bind(23, r.architecture)
                .bind(24, r.costUsd);
            insert.step();
            insert.reset();
        }
        // Bounded: the oldest rows go, never the newest.
        auto trim = writer_->prepare(
            "DELETE FROM invocations WHERE seq <= (SELECT MAX(seq) FROM invocations) - ?");
        trim.bind(1, static_cast<std::int64_t>(retention_));
        trim.step();
        transaction.commit();
    } catch (const std::exception& e) {
        spdlog::error("could not record {} invocation(s) in {}: {}", batch.size(), file_.string(),
                      e.what());
    }
}

std::int64_t InvocationStore::count(const std::string& function) {
    std::lock_guard lock(readMutex_);
    auto statement = function.empty()
                         ? reader_->prepare("SELECT COUNT(*) FROM invocations")
                         : reader_->prepare("SELECT COUNT(*) FROM invocations WHERE function = ?");
    if (!function.empty()) statement.bind(1, function);
    statement.step();
    return statement.integer(0);
}

std::vector<StoredInvocation> InvocationStore::list(const InvocationQuery& query) {
    std::lock_guard lock(readMutex_);
    std::string sql = std::string("SELECT ") + kColumns + " FROM invocations WHERE 1=1";
    if (!query.function.empty()) sql += " AND function = ?1";
    if (!query.traceRoot.empty()) sql += " AND trace_root = ?2";
    sql += " ORDER BY seq DESC LIMIT ?3 OFFSET ?4";
    auto statement = reader_->prepare(sql);
    if (!query.function.empty()) statement.bind(1, query.function);
    if (!query.traceRoot.empty()) statement.bind(2, query.traceRoot);
    statement.bind(3, query.limit).bind(4, query.offset);
    std::vector<StoredInvocation> out;
    while (statement.step()) out.push_back(readRow(statement));
    return out;
}

std::optional<StoredInvocation> InvocationStore::find(const std::string& requestId) {
    std::lock_guard lock(readMutex_);
    auto statement = reader_->prepare(std::string("SELECT ") + kColumns +
                                      " FROM invocations WHERE request_id = ?");
    statement.bind(1, requestId);
    if (!statement.step()) return std::nullopt;
    return readRow(statement);
}

std::vector<TraceSummary> InvocationStore::traces(const std::string& function, std::int64_t limit) {
    std::lock_guard lock(readMutex_);
    std::string sql =
        "SELECT trace_root, MIN(start_us), MAX(end_us), COUNT(*), "
        "SUM(status NOT IN ('success')), "
        "(SELECT function FROM invocations j WHERE j.trace_root = i.trace_root ORDER BY start_us "
        "LIMIT 1) FROM invocations i WHERE trace_root != ''";
    if (!function.empty())
        sql += " AND trace_root IN (SELECT trace_root FROM invocations WHERE function = ?1)";
    sql += " GROUP BY trace_root ORDER BY MAX(seq) DESC LIMIT ?2";
    auto statement = reader_->prepare(sql);
    if (!function.empty()) statement.bind(1, function);
    statement.bind(2, limit);
    std::vector<TraceSummary> out;
    while (statement.step()) {
        TraceSummary t;
        t.traceRoot = statement.text(0);
        t.start = fromMicros(statement.integer(1));
        t.end = fromMicros(statement.integer(2));
        t.invocations = static_cast<int>(statement.integer(3));
        t.errors = static_cast<int>(statement.integer(4));
        t.rootFunction = statement.text(5);
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace fogbank
