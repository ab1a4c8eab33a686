// fogbank-bench-history: the studio's history table over a store of a million invocations.
//
//   fill     records N synthetic invocations through InvocationStore::record (the engine's own
//            write path, group commit), unless --dir already holds a store of N rows
//   open     a fresh InvocationStore on that file, then a HistoryTableModel in a shown QTableView
//            (offscreen unless QT_QPA_PLATFORM says otherwise): time until the row count is
//            known, and until every row on screen is read (what the first paint needs)
//   jump     scrollTo() a random row, --jumps times: time until every row on screen is read
//   last     the same for the very last row
//   sweep    scroll through --sweep consecutive rows a screenful at a time: pages read, held
//   filter   only one of the two functions (index on function, anchors instead of seq ranges):
//            time to the count, to the first screen, and to the last row (the worst jump)
//   traces   the newest 200 trace summaries (the window's trace list), all and one function
//   memory   rows and pages the model holds, and the process's resident set before and after
//
// Everything runs in this process on this machine's disk; the numbers are for bench/README.md.
#include "emulator/trace/invocation_store.h"
#include "ui/history_table_model.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QRandomGenerator>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace {

using fogbank::InvocationResult;
using fogbank::InvocationStore;
using fogbank::ui::HistoryTableModel;

constexpr int kWaitMs = 60'000;

InvocationResult makeResult(long n) {
    InvocationResult r;
    r.requestId = fmt::format("{:08x}-bench-4000-8000-{:012x}", n, n * 2654435761u);
    r.function = n % 2 ? "hello-world-OddFunction" : "hello-world-EvenFunction";
    r.status =
        n % 97 == 0 ? fogbank::InvocationStatus::FunctionError : fogbank::InvocationStatus::Success;
    r.errorType = n % 97 == 0 ? "ValidationError" : "";
    r.event = fmt::format(R"({{"n":{},"path":"/items/{}","body":"{{\"qty\":{}}}"}})", n, n, n % 9);
    r.payload = fmt::format(R"({{"statusCode":200,"body":"{{\"id\":{}}}"}})", n);
    r.cold = n % 200 == 0;
    r.initMs = r.cold ? 140.0 : 0;
    r.durationMs = 1.0 + static_cast<double>(n % 50) / 3;
    r.billedMs = 2 + n % 50;
    r.memorySizeMb = 128;
    r.maxMemoryUsedMb = 48 + static_cast<int>(n % 16);
    r.costUsd = 2.1e-7;
    r.traceId = fmt::format("Root=1-65000000-{:024x};Parent={:016x};Sampled=1", n, n);
    r.traceRoot = fmt::format("1-65000000-{:024x}", n);
    r.spanId = fmt::format("{:016x}", n);
    r.start = fogbank::Clock::now() - std::chrono::seconds(2'000'000) + std::chrono::seconds(n);
    r.end = r.start + std::chrono::milliseconds(r.billedMs);
    r.logs = {{r.start, "START RequestId: " + r.requestId + " Version: $LATEST"},
              {r.end, "END RequestId: " + r.requestId}};
    return r;
}

long residentKb() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return -1;
}

double elapsedMs(const QElapsedTimer& timer) {
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

// Runs the event loop until `done`, waking for each event (QTest::qWaitFor sleeps 10 ms between
// looks, which would round every time here up to 10 ms). A timer bounds each wait.
template <typename F>
bool waitFor(F done, int timeoutMs = kWaitMs) {
    QElapsedTimer timer;
    timer.start();
    QTimer tick;
    tick.start(20);
    while (!done()) {
        if (timer.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    return true;
}

// Rows [first, last] that the view shows now.
std::pair<int, int> visibleRows(QTableView& view) {
    const int first = std::max(0, view.rowAt(0));
    int last = view.rowAt(view.viewport()->height() - 1);
    if (last < 0) last = view.model()->rowCount() - 1;
    return {first, last};
}

// Waits, with the event loop running, until every row on screen is read. Asking is what the
// view's paint does; here the rows are asked for directly, each poll.
bool screenLoaded(QTableView& view, HistoryTableModel& model) {
    return waitFor([&] {
        const auto [first, last] = visibleRows(view);
        for (int row = first; row <= last; ++row) {
            if (!model.rowAt(row)) return false;
        }
        return true;
    });
}

struct Stats {
    double p50 = 0, p90 = 0, max = 0, mean = 0;
};

Stats stats(std::vector<double> samples) {
    Stats s;
    if (samples.empty()) return s;
    std::sort(samples.begin(), samples.end());
    const auto rank = [&](double p) {
        const auto i = static_cast<std::size_t>(std::ceil(p / 100 * samples.size()));
        return samples[std::clamp<std::size_t>(i, 1, samples.size()) - 1];
    };
    s.p50 = rank(50);
    s.p90 = rank(90);
    s.max = samples.back();
    double sum = 0;
    for (double v : samples) sum += v;
    s.mean = sum / static_cast<double>(samples.size());
    return s;
}

}  // namespace

int main(int argc, char* argv[]) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);

    CLI::App cli("fogbank-bench-history: the history table over a large invocation store");
    long rows = 1'000'000;
    int jumps = 200;
    int sweep = 20'000;
    std::string dir;
    cli.add_option("--rows", rows, "invocations in the store")->capture_default_str();
    cli.add_option("--jumps", jumps, "random jumps to time")->capture_default_str();
    cli.add_option("--sweep", sweep, "rows to scroll through a screen at a time")
        ->capture_default_str();
    cli.add_option("--dir", dir,
                   "state dir to keep the store in (reused when it holds --rows rows); default: "
                   "a temporary one");
    CLI11_PARSE(cli, argc, argv);

    QTemporaryDir temporary;
    if (dir.empty()) dir = temporary.path().toStdString();

    // fill
    {
        InvocationStore store(dir, static_cast<std::size_t>(rows) * 2);
        const long have = store.count();
        if (have != rows) {
            if (have != 0) {
                std::fprintf(stderr, "%s holds %ld rows, not %ld: use an empty --dir\n",
                             dir.c_str(), have, rows);
                return 2;
            }
            QElapsedTimer timer;
            timer.start();
            constexpr long kSlice = 20'000;
            for (long i = 0; i < rows; i += kSlice) {
                for (long n = i; n < std::min(rows, i + kSlice); ++n)
                    store.record(makeResult(n), nullptr);
                store.flush();
            }
            std::printf("fill    %ld invocations via InvocationStore::record: %.0f ms (%.0f/s)\n",
                        rows, elapsedMs(timer), static_cast<double>(rows) / elapsedMs(timer) * 1e3);
        }
    }
    const auto file = std::filesystem::path(dir) / "fogbank.db";
    std::printf("store   %s: %.0f MB\n", file.c_str(),
                static_cast<double>(std::filesystem::file_size(file)) / 1e6);

    const long rssBefore = residentKb();

    // open
    QElapsedTimer timer;
    timer.start();
    auto store = std::make_shared<InvocationStore>(dir, static_cast<std::size_t>(rows) * 2);
    const double storeOpened = elapsedMs(timer);

    QTableView view;
    view.resize(1400, 420);
    view.verticalHeader()->hide();
    view.verticalHeader()->setDefaultSectionSize(view.fontMetrics().height() + 6);
    HistoryTableModel model;
    view.setModel(&model);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view)) return 1;

    timer.restart();
    model.setStore(store);
    if (!waitFor([&] { return model.isReady(); })) return 1;
    const double counted = elapsedMs(timer);
    const int rowCount = model.rowCount();
    screenLoaded(view, model);
    const double firstScreen = elapsedMs(timer);
    const auto [firstVisible, lastVisible] = visibleRows(view);
    std::printf(
        "open    store %.1f ms; rowCount %d after %.1f ms; first screen (%d rows) read "
        "after %.1f ms\n",
        storeOpened, rowCount, counted, lastVisible - firstVisible + 1, firstScreen);

    // jump
    auto* random = QRandomGenerator::global();
    std::vector<double> samples;
    for (int i = 0; i < jumps; ++i) {
        const int row = static_cast<int>(random->bounded(rowCount));
        timer.restart();
        view.scrollTo(model.index(row, 0), QAbstractItemView::PositionAtTop);
        if (!screenLoaded(view, model)) {
            std::fprintf(stderr, "row %d never arrived\n", row);
            return 1;
        }
        samples.push_back(elapsedMs(timer));
    }
    const Stats jump = stats(samples);
    std::printf(
        "jump    %d random rows, screen read: p50 %.2f ms, p90 %.2f ms, max %.2f ms, "
        "mean %.2f ms\n",
        jumps, jump.p50, jump.p90, jump.max, jump.mean);

    timer.restart();
    view.scrollToBottom();
    screenLoaded(view, model);
    std::printf("last    row %d, screen read: %.2f ms\n", rowCount - 1, elapsedMs(timer));

    // sweep
    view.scrollToTop();
    screenLoaded(view, model);
    const qint64 pagesBefore = model.pagesRequested();
    timer.restart();
    const int screen = std::max(1, lastVisible - firstVisible + 1);
    for (int row = 0; row < std::min(sweep, rowCount); row += screen) {
        view.scrollTo(model.index(row, 0), QAbstractItemView::PositionAtTop);
        screenLoaded(view, model);
    }
    std::printf(
        "sweep   %d rows a screen at a time: %.0f ms, %lld pages read of %d (%d rows "
        "each)\n",
        sweep, elapsedMs(timer), static_cast<long long>(model.pagesRequested() - pagesBefore),
        (rowCount + model.pageSize() - 1) / model.pageSize(), model.pageSize());

    // memory
    const long rssAfter = residentKb();
    std::printf(
        "memory  model holds %d rows in %d pages (peak %d, bound %d); %lld pages read "
        "in all; RSS %ld MB before opening, %ld MB now\n",
        model.cachedRows(), model.cachedPages(), model.peakCachedPages(), model.maxPages(),
        static_cast<long long>(model.pagesRequested()), rssBefore / 1024, rssAfter / 1024);

    // filter
    timer.restart();
    model.showFunctions({QStringLiteral("hello-world-OddFunction")});
    if (!waitFor([&] { return model.isReady(); })) return 1;
    const double filterCounted = elapsedMs(timer);
    view.scrollToTop();
    screenLoaded(view, model);
    const double filterScreen = elapsedMs(timer);
    timer.restart();
    view.scrollToBottom();
    screenLoaded(view, model);
    const double filterLast = elapsedMs(timer);
    samples.clear();
    for (int i = 0; i < std::min(jumps, 50); ++i) {
        const int row = static_cast<int>(random->bounded(model.rowCount()));
        timer.restart();
        view.scrollTo(model.index(row, 0), QAbstractItemView::PositionAtTop);
        screenLoaded(view, model);
        samples.push_back(elapsedMs(timer));
    }
    const Stats filtered = stats(samples);
    std::printf(
        "filter  one function, %d rows: counted %.1f ms, first screen %.1f ms, last row "
        "%.1f ms; %d random jumps p50 %.1f ms, max %.1f ms\n",
        model.rowCount(), filterCounted, filterScreen, filterLast, static_cast<int>(samples.size()),
        filtered.p50, filtered.max);

    // traces: what the window's trace list asks after every invocation
    timer.restart();
    const auto newest = store->traces({}, 200);
    const double allTraces = elapsedMs(timer);
    timer.restart();
    const auto newestOfOne = store->traces("hello-world-OddFunction", 200);
    const double oneFunction = elapsedMs(timer);
    std::printf("traces  newest %zu traces: %.1f ms; newest %zu of one function: %.1f ms\n",
                newest.size(), allTraces, newestOfOne.size(), oneFunction);
    return 0;
}
