#include "emulator/trace/invocation_store.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <unordered_set>

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
  cost_usd REAL,
  init_process_ms REAL,
  init_runtime_ms REAL,
  init_module_ms REAL,
  provisioned INTEGER,
  cpu_mode TEXT,
  cpu_ms REAL,
  estimated_ms REAL
);
CREATE INDEX IF NOT EXISTS invocations_by_function ON invocations(function, seq);
CREATE INDEX IF NOT EXISTS invocations_by_trace ON invocations(trace_root, seq);
CREATE TABLE IF NOT EXISTS spans (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  trace_root TEXT NOT NULL,
  span_id TEXT NOT NULL,
  parent_span_id TEXT,
  service TEXT NOT NULL,
  operation TEXT,
  resource TEXT,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  attributes TEXT
);
CREATE INDEX IF NOT EXISTS spans_by_trace ON spans(trace_root, seq);
)sql";

// Columns added since the first schema, in the order they were added: a database made before one
// of them gets it (NULL in the old rows) when it is opened. Never remove or reorder.
constexpr std::pair<const char*, const char*> kAddedColumns[] = {
    {"init_process_ms", "REAL"}, {"init_runtime_ms", "REAL"}, {"init_module_ms", "REAL"},
    {"provisioned", "INTEGER"},  {"cpu_mode", "TEXT"},        {"cpu_ms", "REAL"},
    {"estimated_ms", "REAL"},
};

constexpr const char* kColumns =
    "seq, request_id, function, trigger, status, error_type, event, response, logs, start_us, "
    "end_us, init_ms, duration_ms, billed_ms, memory_mb, max_memory_mb, cold, sandbox_id, "
    "interpreter, trace_header, trace_root, span_id, parent_span_id, architecture, cost_usd, "
    "init_process_ms, init_runtime_ms, init_module_ms, provisioned, cpu_mode, cpu_ms, "
    "estimated_ms";

void addMissingColumns(Database& db) {
    std::unordered_set<std::string> have;
    auto info = db.prepare("PRAGMA table_info(invocations)");
    while (info.step()) have.insert(info.text(1));
    for (const auto& [name, type] : kAddedColumns)
        if (!have.count(name))
            db.exec(std::string("ALTER TABLE invocations ADD COLUMN ") + name + " " + type);
}

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
                                            Trigger::Replay, Trigger::Async,     Trigger::Sweep};
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
    if (!row.isNull(25) && !row.isNull(26) && !row.isNull(27))
        s.initParts = InitBreakdown{row.real(25), row.real(26), row.real(27)};
    s.provisioned = !row.isNull(28) && row.integer(28) != 0;
    s.cpuMode = row.isNull(29) ? CpuMode::Off : parseCpuMode(row.text(29));
    s.cpuMs = row.isNull(30) ? -1 : row.real(30);
    s.estimatedMs = row.isNull(31) ? 0 : row.real(31);
    return s;
}

std::string encodeAttributes(const std::map<std::string, std::string>& attributes) {
    return nlohmann::json(attributes)
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::map<std::string, std::string> decodeAttributes(const std::string& text) {
    std::map<std::string, std::string> out;
    auto object = nlohmann::json::parse(text, nullptr, false);
    if (!object.is_object()) return out;
    for (const auto& [key, value] : object.items())
        out[key] = value.is_string() ? value.get<std::string>() : value.dump();
    return out;
}

}  // namespace

InvocationStore::InvocationStore(const std::filesystem::path& stateDir, std::size_t retention)
    : file_(stateDir / "fogbank.db"), retention_(retention) {
    std::error_code ec;
    std::filesystem::create_directories(stateDir, ec);
    if (ec) throw SqliteError("cannot create state dir " + stateDir.string() + ": " + ec.message());
    writer_ = std::make_unique<Database>(file_);
    writer_->exec(kSchema);
    addMissingColumns(*writer_);
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
        queue_.push_back({std::move(result), std::move(committed), std::nullopt});
        ++queued_;
    }
    wake_.notify_one();
}

void InvocationStore::recordSpan(ServiceSpan span) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({{}, {}, std::move(span)});
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
            // Nobody waits on a span, so a queue of spans alone lingers briefly for the next
            // invocation and rides in its commit: one commit per call instead of two.
            const auto onlySpans = [&] {
                return std::all_of(queue_.begin(), queue_.end(),
                                   [](const Pending& p) { return p.span.has_value(); });
            };
            if (onlySpans())
                wake_.wait_for(lock, std::chrono::milliseconds(5),
                               [&] { return stopping_ || !onlySpans(); });
            // Everything that arrived while the last batch committed goes in this one.
            while (!queue_.empty()) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        writeBatch(batch);
        for (auto& pending : batch)
            if (!pending.span && pending.committed) pending.committed(std::move(pending.result));
        {
            std::lock_guard lock(mutex_);
            written_ += batch.size();
        }
        drained_.notify_all();
        batch.clear();
    }
}

struct InvocationStore::WriterStatements {
    explicit WriterStatements(Database& db)
        : insert(db.prepare(
              "INSERT OR REPLACE INTO invocations (request_id, function, trigger, status, "
              "error_type, event, response, logs, start_us, end_us, init_ms, duration_ms, "
              "billed_ms, memory_mb, max_memory_mb, cold, sandbox_id, interpreter, trace_header, "
              "trace_root, span_id, parent_span_id, architecture, cost_usd, init_process_ms, "
              "init_runtime_ms, init_module_ms, provisioned, cpu_mode, cpu_ms, estimated_ms) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")),
          insertSpan(db.prepare(
              "INSERT INTO spans (trace_root, span_id, parent_span_id, service, operation, "
              "resource, start_us, end_us, status_code, error, attributes) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?)")),
          trimInvocations(db.prepare(
              "DELETE FROM invocations WHERE seq <= (SELECT MAX(seq) FROM invocations) - ?")),
          trimSpans(db.prepare("DELETE FROM spans WHERE seq <= (SELECT MAX(seq) FROM spans) - ?")) {
    }
    Statement insert;
    Statement insertSpan;
    Statement trimInvocations;
    Statement trimSpans;
};

void InvocationStore::writeBatch(std::vector<Pending>& batch) {
    try {
        if (!statements_) statements_ = std::make_unique<WriterStatements>(*writer_);
        auto& insert = statements_->insert;
        Transaction transaction(*writer_);
        bool spans = false;
        for (const auto& pending : batch) {
            if (pending.span) {
                const auto& sp = *pending.span;
                spans = true;
                auto& insertSpan = statements_->insertSpan;
                insertSpan.bind(1, sp.traceRoot)
                    .bind(2, sp.spanId)
                    .bind(3, sp.parentSpanId)
                    .bind(4, sp.service)
                    .bind(5, sp.operation)
                    .bind(6, sp.resource)
                    .bind(7, toMicros(sp.start))
                    .bind(8, toMicros(sp.end))
                    .bind(9, sp.statusCode)
                    .bind(10, sp.error)
                    .bind(11, encodeAttributes(sp.attributes));
                insertSpan.step();
                insertSpan.reset();
                continue;
            }
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
            if (r.initParts) {
                insert.bind(25, r.initParts->processMs)
                    .bind(26, r.initParts->runtimeMs)
                    .bind(27, r.initParts->moduleMs);
            } else {
                insert.bindNull(25).bindNull(26).bindNull(27);
            }
            insert.bind(28, r.provisioned ? 1 : 0).bind(29, toString(r.cpuMode));
            if (r.cpuMs >= 0)
                insert.bind(30, r.cpuMs);
            else
                insert.bindNull(30);
            insert.bind(31, r.estimatedMs);
            insert.step();
            insert.reset();
        }
        // Bounded: the oldest rows go, never the newest (a range delete on the rowid, cheap).
        // Spans are held to the same count: a trace rarely has more calls than invocations.
        {
            statements_->trimInvocations.bind(1, static_cast<std::int64_t>(retention_));
            statements_->trimInvocations.step();
            statements_->trimInvocations.reset();
            if (spans) {
                statements_->trimSpans.bind(1, static_cast<std::int64_t>(retention_));
                statements_->trimSpans.step();
                statements_->trimSpans.reset();
            }
        }
        transaction.commit();
    } catch (const std::exception& e) {
        statements_.reset();  // a statement that failed mid-step is re-prepared next time
        spdlog::error("could not record {} invocation(s) and span(s) in {}: {}", batch.size(),
                      file_.string(), e.what());
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
    if (limit == 0) return {};
    // Grouping every stored record to find the newest traces costs ~0.4 s at 100,000 rows, and
    // the window asks again after each invocation. Records arrive in about the order they start,
    // so the newest traces are among the trace roots of the newest records: take those from the
    // end of each table (seq, the primary key), then sum only them through the by-trace indexes.
    // A trace whose every record is older than the scanned tail but which started later than
    // the ones found would be missed; clocks that move backwards are the only way to make one.
    // A negative limit asks for every trace (exports); LIMIT -1 is SQLite's "no limit".
    const std::int64_t scan = limit < 0 ? -1 : limit * 4 + 64;
    std::vector<std::string> candidates;
    std::unordered_set<std::string> seen;
    auto collect = [&](Statement statement) {
        while (statement.step()) {
            auto root = statement.text(0);
            if (seen.insert(root).second) candidates.push_back(std::move(root));
        }
    };
    if (function.empty()) {
        collect(std::move(reader_
                              ->prepare("SELECT trace_root FROM invocations WHERE trace_root != "
                                        "'' ORDER BY seq DESC LIMIT ?")
                              .bind(1, scan)));
        // A trace may hold service calls only (a client called a function that does not exist).
        collect(std::move(reader_->prepare("SELECT trace_root FROM spans ORDER BY seq DESC LIMIT ?")
                              .bind(1, scan)));
    } else {
        collect(std::move(reader_
                              ->prepare("SELECT trace_root FROM invocations WHERE function = ? AND "
                                        "trace_root != '' ORDER BY seq DESC LIMIT ?")
                              .bind(1, function)
                              .bind(2, scan)));
    }

    auto invocations = reader_->prepare(
        "SELECT MIN(start_us), MAX(end_us), COUNT(*), SUM(status != 'success'), "
        "(SELECT function FROM invocations j WHERE j.trace_root = ?1 ORDER BY start_us LIMIT 1) "
        "FROM invocations WHERE trace_root = ?1");
    auto spans = reader_->prepare(
        "SELECT MIN(start_us), MAX(end_us), COUNT(*), SUM(COALESCE(error, '') != '') FROM spans "
        "WHERE trace_root = ?1");
    std::vector<TraceSummary> out;
    out.reserve(candidates.size());
    for (const auto& root : candidates) {
        TraceSummary t;
        t.traceRoot = root;
        std::int64_t start = std::numeric_limits<std::int64_t>::max();
        std::int64_t end = std::numeric_limits<std::int64_t>::min();
        invocations.reset();
        invocations.bind(1, root);
        if (invocations.step() && invocations.integer(2) > 0) {
            start = std::min(start, invocations.integer(0));
            end = std::max(end, invocations.integer(1));
            t.invocations = static_cast<int>(invocations.integer(2));
            t.errors += static_cast<int>(invocations.integer(3));
            t.rootFunction = invocations.text(4);
        }
        spans.reset();
        spans.bind(1, root);
        if (spans.step() && spans.integer(2) > 0) {
            start = std::min(start, spans.integer(0));
            end = std::max(end, spans.integer(1));
            t.spans = static_cast<int>(spans.integer(2));
            t.errors += static_cast<int>(spans.integer(3));
        }
        if (t.invocations == 0 && t.spans == 0) continue;
        t.start = fromMicros(start);
        t.end = fromMicros(end);
        out.push_back(std::move(t));
    }
    std::sort(out.begin(), out.end(),
              [](const TraceSummary& a, const TraceSummary& b) { return a.start > b.start; });
    if (limit >= 0 && static_cast<std::int64_t>(out.size()) > limit)
        out.resize(static_cast<std::size_t>(limit));
    return out;
}

std::vector<ServiceSpan> InvocationStore::spans(const std::string& traceRoot) {
    return readSpans("WHERE trace_root = ?", traceRoot);
}

std::vector<ServiceSpan> InvocationStore::allSpans() {
    return readSpans("", {});
}

std::vector<ServiceSpan> InvocationStore::readSpans(const char* where, const std::string& root) {
    std::lock_guard lock(readMutex_);
    auto statement = reader_->prepare(
        std::string("SELECT seq, trace_root, span_id, parent_span_id, service, operation, "
                    "resource, start_us, end_us, status_code, error, attributes FROM spans ") +
        where + " ORDER BY seq");
    if (*where) statement.bind(1, root);
    std::vector<ServiceSpan> out;
    while (statement.step()) {
        ServiceSpan span;
        span.seq = statement.integer(0);
        span.traceRoot = statement.text(1);
        span.spanId = statement.text(2);
        span.parentSpanId = statement.text(3);
        span.service = statement.text(4);
        span.operation = statement.text(5);
        span.resource = statement.text(6);
        span.start = fromMicros(statement.integer(7));
        span.end = fromMicros(statement.integer(8));
        span.statusCode = static_cast<int>(statement.integer(9));
        span.error = statement.text(10);
        span.attributes = decodeAttributes(statement.text(11));
        out.push_back(std::move(span));
    }
    return out;
}

namespace {

// kColumns with the heavy columns (event, response, logs) left out, so that readRow() still fits.
constexpr const char* kListColumns =
    "seq, request_id, function, trigger, status, error_type, '', '', '[]', start_us, end_us, "
    "init_ms, duration_ms, billed_ms, memory_mb, max_memory_mb, cold, sandbox_id, interpreter, "
    "trace_header, trace_root, span_id, parent_span_id, architecture, cost_usd, "
    "init_process_ms, init_runtime_ms, init_module_ms, provisioned, cpu_mode, cpu_ms, "
    "estimated_ms";

// " AND function IN (?,?,...)" bound from parameter 1 on; empty without functions.
std::string functionClause(const std::vector<std::string>& functions) {
    if (functions.empty()) return {};
    std::string sql = " AND function IN (";
    for (std::size_t i = 0; i < functions.size(); ++i) sql += i ? ",?" : "?";
    return sql + ")";
}

int bindFunctions(Statement& statement, const std::vector<std::string>& functions) {
    int index = 1;
    for (const auto& function : functions) statement.bind(index++, function);
    return index;
}

}  // namespace

InvocationStore::SeqCounts InvocationStore::seqCounts(const std::vector<std::string>& functions,
                                                      std::int64_t after) {
    std::lock_guard lock(readMutex_);
    const std::string where = functionClause(functions);
    SeqCounts counts;
    reader_->exec("BEGIN");
    try {
        // COUNT(*) without a seq bound lets SQLite count the smallest index, not the table.
        auto total = reader_->prepare("SELECT COUNT(*) FROM invocations" +
                                      (where.empty() ? where : " WHERE 1=1" + where));
        bindFunctions(total, functions);
        total.step();
        counts.total = total.integer(0);
        auto above =
            reader_->prepare("SELECT COUNT(*) FROM invocations WHERE 1=1" + where + " AND seq > ?");
        above.bind(bindFunctions(above, functions), after);
        above.step();
        counts.above = above.integer(0);
        // One aggregate each: SQLite answers a lone MIN or MAX of the key from the b-tree's edge.
        auto low = reader_->prepare("SELECT MIN(seq) FROM invocations");
        low.step();
        counts.minSeq = low.isNull(0) ? 0 : low.integer(0);
        auto high = reader_->prepare("SELECT MAX(seq) FROM invocations");
        high.step();
        counts.maxSeq = high.isNull(0) ? 0 : high.integer(0);
    } catch (...) {
        reader_->exec("ROLLBACK");
        throw;
    }
    reader_->exec("COMMIT");
    return counts;
}

std::vector<StoredInvocation> InvocationStore::listBySeq(const SeqPageQuery& query) {
    std::lock_guard lock(readMutex_);
    std::string sql = std::string("SELECT ") + kListColumns + " FROM invocations WHERE 1=1" +
                      functionClause(query.functions) + " AND seq >= ? AND seq <= ? ORDER BY seq" +
                      (query.newestFirst ? " DESC" : " ASC") + " LIMIT ? OFFSET ?";
    auto statement = reader_->prepare(sql);
    int index = bindFunctions(statement, query.functions);
    statement.bind(index, query.lowSeq)
        .bind(index + 1, query.highSeq)
        .bind(index + 2, query.limit)
        .bind(index + 3, query.skip);
    std::vector<StoredInvocation> out;
    while (statement.step()) out.push_back(readRow(statement));
    return out;
}

}  // namespace fogbank
