#include "ui/history_table_model.h"

#include "emulator/trace/invocation_store.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>
#include <QMetaObject>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

namespace fogbank::ui {

namespace {

// A burst of new invocations is read a page's worth at a time, so that one look never holds
// more than the cache would.
constexpr int kRefreshDelayMs = 30;
// Anchors are 16 bytes each; past this many (a long session of scrolling a filtered view) they
// are forgotten and learned again.
constexpr std::size_t kMaxAnchors = 50'000;

QString millis(double ms) {
    return QString::number(ms, 'f', ms < 100 ? 2 : 1);
}

// Lambda prices are fractions of a millionth of a dollar: three significant digits, no exponent.
QString dollars(double usd) {
    if (usd <= 0) return {};
    const int decimals = std::clamp(2 - static_cast<int>(std::floor(std::log10(usd))), 2, 15);
    return QLatin1Char('$') + QString::number(usd, 'f', decimals);
}

HistoryRow toRow(const StoredInvocation& stored) {
    HistoryRow row;
    row.seq = stored.seq;
    row.requestId = QString::fromStdString(stored.requestId);
    row.function = QString::fromStdString(stored.function);
    row.trigger = stored.trigger;
    row.status = stored.status;
    row.errorType = QString::fromStdString(stored.errorType);
    row.cold = stored.cold;
    row.loaded = true;
    row.initMs = stored.initMs;
    row.durationMs = stored.durationMs;
    row.billedMs = stored.billedMs;
    row.memorySizeMb = stored.memorySizeMb;
    row.maxMemoryUsedMb = stored.maxMemoryUsedMb;
    row.costUsd = stored.costUsd;
    row.traceRoot = QString::fromStdString(stored.traceRoot);
    row.startMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(stored.start.time_since_epoch())
            .count();
    return row;
}

std::vector<std::string> toStd(const std::optional<QStringList>& functions) {
    std::vector<std::string> out;
    if (!functions) return out;
    out.reserve(static_cast<std::size_t>(functions->size()));
    for (const QString& name : *functions) out.push_back(name.toStdString());
    return out;
}

}  // namespace

// What the worker thread hands back. Each carries the generation (store and filter) it was read
// for; the model drops answers to a question it no longer asks.
struct HistoryTableModel::SnapshotResult {
    quint64 generation = 0;
    qint64 count = 0;
};

struct HistoryTableModel::PageResult {
    quint64 generation = 0;
    qint64 key = 0;
    qint64 first = 0;  // ordinal of rows[0]
    std::vector<HistoryRow> rows;
    bool dropped = false;  // never read: a newer request pushed it out of the queue
    bool stale = false;    // the store no longer matches the ordinals: start again
};

struct HistoryTableModel::HeadResult {
    quint64 generation = 0;
    qint64 head = 0;   // rows above ordinal 0 now
    qint64 first = 0;  // ordinal of rows[0] (the newest)
    std::vector<HistoryRow> rows;
    qint64 below = -1;  // rows at ordinal 0 and below now, when retention dropped some
    bool more = false;  // there are newer rows still to read
};

// The worker: one thread that owns every read of the store. Requests are queued here and served
// newest first (the page asked for last is the one on screen); a request for a page already
// queued replaces it, and the queue keeps only as many pages as the cache could hold.
//
// The worker also owns the mapping from ordinals to seqs. When the seqs are consecutive (no
// filter, nothing deleted in the middle: the usual case) ordinal o is seq seq0 - o and any page is
// one range read. Otherwise pages are found from anchors, (ordinal, seq) pairs of rows already
// read, and skip only the rows between the nearest anchor and the page.
class HistoryTableModel::Loader {
  public:
    Loader(HistoryTableModel* model, int pageSize, int maxQueued)
        : model_(model), pageSize_(pageSize), maxQueued_(maxQueued) {
        thread_ = std::thread([this] { run(); });
    }

    ~Loader() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }

    void setStore(std::weak_ptr<InvocationStore> store) {
        std::lock_guard lock(mutex_);
        store_ = std::move(store);
        snapshotJob_.reset();
        headJob_.reset();
        pageJobs_.clear();
    }

    void snapshot(quint64 generation, std::vector<std::string> functions) {
        {
            std::lock_guard lock(mutex_);
            snapshotJob_ = SnapshotJob{generation, std::move(functions)};
            headJob_.reset();
            pageJobs_.clear();
        }
        wake_.notify_one();
    }

    void head(quint64 generation) {
        {
            std::lock_guard lock(mutex_);
            headJob_ = generation;
        }
        wake_.notify_one();
    }

    void page(quint64 generation, qint64 key) {
        std::optional<std::pair<quint64, qint64>> dropped;
        {
            std::lock_guard lock(mutex_);
            const auto same = std::find(pageJobs_.begin(), pageJobs_.end(),
                                        std::pair<quint64, qint64>(generation, key));
            if (same != pageJobs_.end()) pageJobs_.erase(same);
            pageJobs_.emplace_back(generation, key);
            if (static_cast<int>(pageJobs_.size()) > maxQueued_) {
                dropped = pageJobs_.front();
                pageJobs_.pop_front();
            }
        }
        wake_.notify_one();
        if (dropped) {
            auto result = std::make_shared<PageResult>();
            result->generation = dropped->first;
            result->key = dropped->second;
            result->dropped = true;
            post([model = model_, result] { model->applyPage(*result); });
        }
    }

    void record(quint64 ticket, std::string requestId) {
        {
            std::lock_guard lock(mutex_);
            recordJobs_.emplace_back(ticket, std::move(requestId));
        }
        wake_.notify_one();
    }

  private:
    struct SnapshotJob {
        quint64 generation = 0;
        std::vector<std::string> functions;
    };

    // The rows of one generation, as the worker sees them.
    struct View {
        quint64 generation = 0;
        std::vector<std::string> functions;
        qint64 seq0 = 0;    // the newest seq when it was opened; ordinal 0 is the newest row <= it
        qint64 top = 0;     // the newest seq given an ordinal
        qint64 head = 0;    // rows in (seq0, top]: ordinals -head .. -1
        qint64 below = 0;   // rows <= seq0 still stored: ordinals 0 .. below - 1
        qint64 minSeq = 0;  // the table's lowest seq when `below` was last counted
        bool denseBelow = false;           // ordinal o >= 0 is seq seq0 - o
        bool denseAbove = false;           // ordinal o < 0 is seq seq0 - o
        std::map<qint64, qint64> anchors;  // ordinal -> seq of rows read
    };

    template <typename F>
    void post(F&& fn) {
        QMetaObject::invokeMethod(model_, std::forward<F>(fn), Qt::QueuedConnection);
    }

    void run() {
        for (;;) {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] {
                return stopping_ || snapshotJob_ || headJob_ || !pageJobs_.empty() ||
                       !recordJobs_.empty();
            });
            if (stopping_) return;
            std::shared_ptr<InvocationStore> store = store_.lock();
            if (snapshotJob_) {
                SnapshotJob job = std::move(*snapshotJob_);
                snapshotJob_.reset();
                lock.unlock();
                if (guarded([&] { runSnapshot(store.get(), job); })) {
                    // The first page is what the view asks for next; the model counts it asked.
                    if (view_) readPage(store.get(), job.generation, 0);
                } else {
                    auto empty = std::make_shared<SnapshotResult>();
                    empty->generation = job.generation;
                    post([model = model_, empty] { model->applySnapshot(*empty); });
                }
            } else if (!recordJobs_.empty()) {
                auto [ticket, requestId] = std::move(recordJobs_.front());
                recordJobs_.pop_front();
                lock.unlock();
                runRecord(store.get(), ticket, requestId);
            } else if (headJob_) {
                const quint64 generation = *headJob_;
                headJob_.reset();
                lock.unlock();
                if (store) guarded([&] { runHead(*store, generation); });
            } else {
                const auto [generation, key] = pageJobs_.back();
                pageJobs_.pop_back();
                lock.unlock();
                readPage(store.get(), generation, key);
            }
            // A store whose engine went away is released here, off the window's thread.
        }
    }

    // A store read that fails (a broken database file) is reported and skipped, never fatal.
    template <typename F>
    bool guarded(F&& fn) {
        try {
            fn();
            return true;
        } catch (const std::exception& e) {
            qWarning("invocation history: %s", e.what());
            return false;
        }
    }

    // Every page asked for gets an answer, if only "dropped", so that the model asks again.
    void readPage(InvocationStore* store, quint64 generation, qint64 key) {
        if (guarded([&] { runPage(store, generation, key); })) return;
        auto result = std::make_shared<PageResult>();
        result->generation = generation;
        result->key = key;
        result->dropped = true;
        post([model = model_, result] { model->applyPage(*result); });
    }

    void runSnapshot(InvocationStore* store, const SnapshotJob& job) {
        auto result = std::make_shared<SnapshotResult>();
        result->generation = job.generation;
        view_.reset();
        if (store) {
            const InvocationStore::SeqCounts counts = store->seqCounts(job.functions);
            View view;
            view.generation = job.generation;
            view.functions = job.functions;
            view.seq0 = counts.maxSeq;
            view.top = counts.maxSeq;
            view.below = counts.total;
            view.minSeq = counts.minSeq;
            view.denseBelow =
                job.functions.empty() &&
                (counts.total == 0 || counts.total == counts.maxSeq - counts.minSeq + 1);
            view.denseAbove = job.functions.empty();
            view_ = std::move(view);
            result->count = counts.total;
        }
        post([model = model_, result] { model->applySnapshot(*result); });
    }

    void learn(View& view, qint64 ordinal, qint64 seq) {
        if (view.anchors.size() >= kMaxAnchors) view.anchors.clear();
        view.anchors[ordinal] = seq;
    }

    void runPage(InvocationStore* store, quint64 generation, qint64 key) {
        auto result = std::make_shared<PageResult>();
        result->generation = generation;
        result->key = key;
        if (!store || !view_ || view_->generation != generation) {
            result->dropped = true;
            post([model = model_, result] { model->applyPage(*result); });
            return;
        }
        View& view = *view_;
        const qint64 first = std::max<qint64>(key * pageSize_, -view.head);
        const qint64 end = std::min<qint64>(key * pageSize_ + pageSize_, view.below);
        result->first = first;
        if (first < end) {
            const bool above = first < 0;  // pages never straddle ordinal 0
            InvocationStore::SeqPageQuery query;
            query.functions = view.functions;
            query.limit = end - first;
            std::vector<StoredInvocation> rows;
            if (above ? view.denseAbove : view.denseBelow) {
                query.highSeq = view.seq0 - first;
                query.lowSeq = view.seq0 - (end - 1);
                rows = store->listBySeq(query);
                // Consecutive seqs from the first on; fewer rows at the end is retention at work.
                for (std::size_t i = 0; i < rows.size(); ++i) {
                    if (rows[i].seq != query.highSeq - static_cast<qint64>(i)) {
                        result->stale = true;
                        break;
                    }
                }
            } else if (!above) {
                // Down from the nearest row read at or above the page (or from seq0).
                qint64 ordinal = 0;
                qint64 seq = view.seq0;
                auto it = view.anchors.upper_bound(first);
                if (it != view.anchors.begin() && (--it)->first >= 0) {
                    ordinal = it->first;
                    seq = it->second;
                }
                query.highSeq = seq;
                query.skip = first - ordinal;
                rows = store->listBySeq(query);
            } else {
                // Up from the nearest row read at or below the page (or from seq0): rows newer
                // than an anchor at ordinal o are o - 1, o - 2, ... in ascending seq.
                qint64 ordinal = 0;
                qint64 seq = view.seq0;
                auto it = view.anchors.lower_bound(end);
                if (it != view.anchors.end() && it->first <= 0) {
                    ordinal = it->first;
                    seq = it->second;
                }
                query.lowSeq = seq + 1;
                query.highSeq = view.top;
                query.newestFirst = false;
                query.skip = ordinal - end;
                rows = store->listBySeq(query);
                std::reverse(rows.begin(), rows.end());
                // Read upwards, the rows end at ordinal end - 1: fewer means fewer at the top.
                result->first = end - static_cast<qint64>(rows.size());
            }
            if (!rows.empty()) {
                learn(view, result->first, rows.front().seq);
                learn(view, result->first + static_cast<qint64>(rows.size()) - 1, rows.back().seq);
            }
            result->rows.reserve(rows.size());
            for (const StoredInvocation& row : rows) result->rows.push_back(toRow(row));
        }
        post([model = model_, result] { model->applyPage(*result); });
    }

    void runHead(InvocationStore& store, quint64 generation) {
        if (!view_ || view_->generation != generation) return;
        View& view = *view_;
        auto result = std::make_shared<HeadResult>();
        result->generation = generation;

        InvocationStore::SeqPageQuery query;
        query.functions = view.functions;
        query.lowSeq = view.top + 1;
        query.newestFirst = false;
        query.limit = pageSize_;
        const std::vector<StoredInvocation> rows = store.listBySeq(query);
        for (const StoredInvocation& row : rows) {
            if (view.denseAbove && row.seq != view.seq0 + view.head + 1) view.denseAbove = false;
            ++view.head;
            view.top = row.seq;
            const qint64 ordinal = -view.head;
            const qint64 inPage = ((ordinal % pageSize_) + pageSize_) % pageSize_;
            if (inPage == 0 || inPage == pageSize_ - 1) learn(view, ordinal, row.seq);
        }
        result->more = static_cast<qint64>(rows.size()) == query.limit;
        result->head = view.head;
        result->first = -view.head;
        result->rows.reserve(rows.size());
        for (auto it = rows.rbegin(); it != rows.rend(); ++it) result->rows.push_back(toRow(*it));

        // Retention drops the oldest rows: when the table's lowest seq moved, count what is left.
        InvocationStore::SeqPageQuery oldest;
        oldest.newestFirst = false;
        oldest.limit = 1;
        const std::vector<StoredInvocation> low = store.listBySeq(oldest);
        const qint64 minSeq = low.empty() ? std::numeric_limits<qint64>::max() : low.front().seq;
        if (minSeq > view.minSeq) {
            view.minSeq = minSeq;
            qint64 below = 0;
            if (view.denseBelow) {
                below = std::clamp<qint64>(view.seq0 - minSeq + 1, 0, view.below);
            } else {
                const InvocationStore::SeqCounts counts =
                    store.seqCounts(view.functions, view.seq0);
                below = counts.total - counts.above;
            }
            if (below < view.below) {
                view.below = below;
                result->below = below;
                view.anchors.erase(view.anchors.lower_bound(below), view.anchors.end());
            }
        }
        post([model = model_, result] { model->applyHead(*result); });
    }

    void runRecord(InvocationStore* store, quint64 ticket, const std::string& requestId) {
        auto record = std::make_shared<InvocationRecord>();
        bool found = false;
        if (store) {
            guarded([&] {
                if (auto stored = store->find(requestId)) {
                    *record = InvocationRecord::fromResult(*stored);
                    found = true;
                }
            });
        }
        if (!found) record->requestId = QString::fromStdString(requestId);
        post([model = model_, ticket, record, found] {
            emit model->recordReady(ticket, *record, found);
        });
    }

    HistoryTableModel* model_;
    const int pageSize_;
    const int maxQueued_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::weak_ptr<InvocationStore> store_;
    std::optional<SnapshotJob> snapshotJob_;
    std::optional<quint64> headJob_;
    std::deque<std::pair<quint64, qint64>> pageJobs_;
    std::deque<std::pair<quint64, std::string>> recordJobs_;

    std::optional<View> view_;  // the worker thread's alone
    std::thread thread_;
};

HistoryTableModel::HistoryTableModel(QObject* parent, int pageSize, int maxPages)
    : QAbstractTableModel(parent),
      pageSize_(std::max(1, pageSize)),
      maxPages_(std::max(2, maxPages)),
      loader_(std::make_unique<Loader>(this, pageSize_, maxPages_)) {
    qRegisterMetaType<fogbank::ui::InvocationRecord>();
    refreshTimer_.setSingleShot(true);
    refreshTimer_.setInterval(kRefreshDelayMs);
    connect(&refreshTimer_, &QTimer::timeout, this, [this] { loader_->head(generation_); });
}

// The loader goes first: its thread may be posting to this object until it is joined.
HistoryTableModel::~HistoryTableModel() {
    loader_.reset();
}

int HistoryTableModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid()) return 0;
    return static_cast<int>(std::min<qint64>(head_ + below_, std::numeric_limits<int>::max()));
}

int HistoryTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

void HistoryTableModel::setStore(const std::shared_ptr<InvocationStore>& store) {
    hasStore_ = store != nullptr;
    loader_->setStore(store);
    restart();
}

void HistoryTableModel::showAllFunctions() {
    if (!filter_) return;
    filter_.reset();
    restart();
}

void HistoryTableModel::showFunctions(const QStringList& functionNames) {
    QStringList sorted = functionNames;
    sorted.sort();
    sorted.removeDuplicates();
    if (filter_ && *filter_ == sorted) return;
    filter_ = sorted;
    restart();
}

void HistoryTableModel::restart() {
    ++generation_;
    ready_ = false;
    refreshTimer_.stop();
    if (hasStore_ && !(filter_ && filter_->isEmpty())) {
        // The rows on screen stay until the new count is known: one reset, not two.
        loader_->snapshot(generation_, toStd(filter_));
        return;
    }
    SnapshotResult empty;
    empty.generation = generation_;
    applySnapshot(empty);
}

void HistoryTableModel::applySnapshot(const SnapshotResult& result) {
    if (result.generation != generation_) return;
    beginResetModel();
    pages_.clear();
    lru_.clear();
    requested_.clear();
    lastTouched_ = std::numeric_limits<qint64>::min();
    head_ = 0;
    below_ = result.count;
    ready_ = true;
    // The worker reads the first page straight after the count.
    if (hasStore_ && below_ > 0) {
        requested_.insert(0);
        ++pagesRequested_;
    }
    endResetModel();
    emit ready();
    if (refreshPending_) {
        refreshPending_ = false;
        refresh();
    }
}

void HistoryTableModel::refresh() {
    if (!hasStore_ || (filter_ && filter_->isEmpty())) return;
    if (!ready_) {
        refreshPending_ = true;
        return;
    }
    if (!refreshTimer_.isActive()) refreshTimer_.start();
}

quint64 HistoryTableModel::requestRecord(const QString& requestId) {
    const quint64 ticket = ++nextTicket_;
    if (hasStore_) {
        loader_->record(ticket, requestId.toStdString());
    } else {
        QMetaObject::invokeMethod(
            this,
            [this, ticket, requestId] {
                InvocationRecord none;
                none.requestId = requestId;
                emit recordReady(ticket, none, false);
            },
            Qt::QueuedConnection);
    }
    return ticket;
}

qint64 HistoryTableModel::keyOf(qint64 ordinal) const {
    return ordinal >= 0 ? ordinal / pageSize_ : -((-ordinal + pageSize_ - 1) / pageSize_);
}

HistoryTableModel::Page& HistoryTableModel::pageFor(qint64 key) {
    auto it = pages_.find(key);
    if (it != pages_.end()) return it->second;
    // Make room first, so that the bound holds at every moment.
    while (static_cast<int>(pages_.size()) >= maxPages_) {
        pages_.erase(lru_.back());
        lru_.pop_back();
    }
    lru_.push_front(key);
    lastTouched_ = key;
    Page& page = pages_[key];
    page.rows.resize(static_cast<std::size_t>(pageSize_));
    page.lru = lru_.begin();
    peakPages_ = std::max(peakPages_, static_cast<int>(pages_.size()));
    return page;
}

void HistoryTableModel::requestPage(qint64 key) const {
    if (!ready_ || !hasStore_ || requested_.count(key)) return;
    requested_.insert(key);
    ++pagesRequested_;
    loader_->page(generation_, key);
}

const HistoryRow* HistoryTableModel::rowAt(int row) const {
    if (row < 0 || row >= rowCount()) return nullptr;
    const qint64 ordinal = row - head_;
    const qint64 key = keyOf(ordinal);
    const auto it = pages_.find(key);
    if (it != pages_.end()) {
        if (key != lastTouched_) {
            lru_.splice(lru_.begin(), lru_, it->second.lru);
            lastTouched_ = key;
        }
        const HistoryRow& found =
            it->second.rows[static_cast<std::size_t>(ordinal - key * pageSize_)];
        if (found.loaded) return &found;
        // Read whole and still missing: retention took it; the next refresh removes the row.
        if (it->second.fetched) return nullptr;
    }
    requestPage(key);
    return nullptr;
}

bool HistoryTableModel::isRowLoaded(int row) const {
    if (row < 0 || row >= rowCount()) return false;
    const qint64 ordinal = row - head_;
    const qint64 key = keyOf(ordinal);
    const auto it = pages_.find(key);
    return it != pages_.end() &&
           it->second.rows[static_cast<std::size_t>(ordinal - key * pageSize_)].loaded;
}

int HistoryTableModel::rowOfRequest(const QString& requestId) const {
    for (const auto& [key, page] : pages_) {
        for (std::size_t i = 0; i < page.rows.size(); ++i) {
            if (!page.rows[i].loaded || page.rows[i].requestId != requestId) continue;
            const qint64 row = key * pageSize_ + static_cast<qint64>(i) + head_;
            return row >= 0 && row < rowCount() ? static_cast<int>(row) : -1;
        }
    }
    return -1;
}

int HistoryTableModel::cachedRows() const {
    int rows = 0;
    for (const auto& [key, page] : pages_) {
        rows += static_cast<int>(std::count_if(page.rows.begin(), page.rows.end(),
                                               [](const HistoryRow& row) { return row.loaded; }));
    }
    return rows;
}

std::pair<qint64, qint64> HistoryTableModel::merge(qint64 first,
                                                   const std::vector<HistoryRow>& rows,
                                                   bool fetched, qint64 fetchedKey) {
    // Even an empty answer settles the page: what is not there is gone.
    if (fetched) pageFor(fetchedKey).fetched = true;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const qint64 ordinal = first + static_cast<qint64>(i);
        const qint64 key = keyOf(ordinal);
        Page& page = pageFor(key);
        if (fetched && key == fetchedKey) page.fetched = true;
        page.rows[static_cast<std::size_t>(ordinal - key * pageSize_)] = rows[i];
    }
    return {std::max<qint64>(first + head_, 0),
            std::min<qint64>(first + static_cast<qint64>(rows.size()) - 1 + head_, rowCount() - 1)};
}

void HistoryTableModel::applyPage(const PageResult& result) {
    if (result.generation != generation_) return;
    requested_.erase(result.key);
    if (result.stale) {
        restart();
        return;
    }
    if (result.dropped) return;
    const auto [low, high] = merge(result.first, result.rows, true, result.key);
    if (low <= high) {
        emit dataChanged(index(static_cast<int>(low), 0),
                         index(static_cast<int>(high), ColumnCount - 1));
    }
}

void HistoryTableModel::applyHead(const HeadResult& result) {
    if (result.generation != generation_) return;
    if (result.below >= 0 && result.below < below_) {
        // Retention dropped the oldest rows: they leave from the bottom.
        beginRemoveRows({}, static_cast<int>(head_ + result.below),
                        static_cast<int>(head_ + below_ - 1));
        below_ = result.below;
        const qint64 lastKey = keyOf(below_ - 1);
        for (auto it = pages_.begin(); it != pages_.end();) {
            if (it->first > lastKey) {
                lru_.erase(it->second.lru);
                it = pages_.erase(it);
            } else {
                ++it;
            }
        }
        if (auto it = pages_.find(lastKey); it != pages_.end()) {
            for (qint64 o = below_; o < (lastKey + 1) * pageSize_; ++o)
                it->second.rows[static_cast<std::size_t>(o - lastKey * pageSize_)] = HistoryRow{};
        }
        lastTouched_ = std::numeric_limits<qint64>::min();
        endRemoveRows();
    }
    if (result.head > head_) {
        // Stored first (their ordinals are above every row shown, so nothing visible changes),
        // then counted in: the view sees the rows arrive with their data.
        merge(result.first, result.rows, false, 0);
        beginInsertRows({}, 0, static_cast<int>(result.head - head_ - 1));
        head_ = result.head;
        endInsertRows();
    }
    if (result.more) loader_->head(generation_);
}

QVariant HistoryTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const int column = index.column();
    switch (role) {
        case Qt::TextAlignmentRole:
            if (column >= InitMs && column != TriggeredBy)
                return QVariant(Qt::AlignRight | Qt::AlignVCenter);
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        case Qt::DisplayRole:
        case Qt::ForegroundRole:
        case Qt::ToolTipRole:
        case RequestIdRole:
        case LoadedRole:
        case SeqRole:
        case FunctionNameRole:
        case TraceRootRole:
            break;
        default:
            return {};
    }
    const HistoryRow* row = rowAt(index.row());
    if (!row) {
        switch (role) {
            case Qt::DisplayRole:
                return column == Function ? QStringLiteral("…") : QVariant();
            case Qt::ForegroundRole:
                return QBrush(QColor(0x9e, 0x9e, 0x9e));
            case LoadedRole:
                return false;
            default:
                return {};
        }
    }
    switch (role) {
        case Qt::DisplayRole:
            return display(*row, column);
        case RequestIdRole:
            return row->requestId;
        case LoadedRole:
            return true;
        case SeqRole:
            return row->seq;
        case FunctionNameRole:
            return row->function;
        case TraceRootRole:
            return row->traceRoot;
        case Qt::ForegroundRole:
            if (column == Status && !row->ok()) return QBrush(QColor(0xc6, 0x28, 0x28));
            if (column == ColdWarm && row->cold) return QBrush(QColor(0x1f, 0x5f, 0xbf));
            if (column == TriggeredBy && row->trigger == Trigger::Replay)
                return QBrush(QColor(0x6a, 0x1b, 0x9a));
            return {};
        case Qt::ToolTipRole:
            if (column == Time)
                return QLocale().toString(QDateTime::fromMSecsSinceEpoch(row->startMs),
                                          QLocale::LongFormat);
            if (column == Status && !row->ok()) return row->errorType;
            if (column == Function) return row->requestId;
            if (column == CostUsd && row->costUsd > 0)
                return tr("%1 per million such invocations")
                    .arg(QLocale().toCurrencyString(row->costUsd * 1e6, QStringLiteral("$")));
            return {};
        default:
            return {};
    }
}

QVariant HistoryTableModel::display(const HistoryRow& row, int column) const {
    switch (column) {
        case Time: {
            const QDateTime start = QDateTime::fromMSecsSinceEpoch(row.startMs);
            return start.date() == QDate::currentDate()
                       ? start.toString(QStringLiteral("HH:mm:ss.zzz"))
                       : start.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        }
        case Function:
            return row.function;
        case Status:
            return statusLabel(row.status);
        case ColdWarm:
            return row.cold ? QStringLiteral("cold") : QStringLiteral("warm");
        case InitMs:
            return row.cold ? millis(row.initMs) : QString();
        case DurationMs:
            return millis(row.durationMs);
        case BilledMs:
            return QString::number(row.billedMs);
        case MaxMemory:
            return QStringLiteral("%1 / %2 MB").arg(row.maxMemoryUsedMb).arg(row.memorySizeMb);
        case TriggeredBy:
            return triggerLabel(row.trigger);
        case CostUsd:
            return dollars(row.costUsd);
        default:
            return {};
    }
}

QVariant HistoryTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::TextAlignmentRole) {
        return section >= InitMs && section != TriggeredBy
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole) return {};
    switch (section) {
        case Time:
            return tr("Time");
        case Function:
            return tr("Function");
        case Status:
            return tr("Status");
        case ColdWarm:
            return tr("Start");
        case InitMs:
            return tr("Init ms");
        case DurationMs:
            return tr("Duration ms");
        case BilledMs:
            return tr("Billed ms");
        case MaxMemory:
            return tr("Max memory");
        case TriggeredBy:
            return tr("Trigger");
        case CostUsd:
            return tr("Cost (USD)");
        default:
            return {};
    }
}

}  // namespace fogbank::ui
