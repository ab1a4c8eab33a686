#include "ui/store_reader.h"

#include "emulator/trace/invocation_store.h"

#include <QMetaObject>

#include <algorithm>

namespace fogbank::ui {

StoreReader::StoreReader(QObject* parent) : QObject(parent) {
    thread_ = std::thread([this] { run(); });
}

StoreReader::~StoreReader() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        jobs_.clear();
    }
    wake_.notify_all();
    thread_.join();
}

void StoreReader::setStore(const std::shared_ptr<InvocationStore>& store) {
    std::lock_guard lock(mutex_);
    store_ = store;
    ++generation_;
    jobs_.clear();
    hasStore_ = store != nullptr;
}

void StoreReader::request(const QString& kind, Work work) {
    {
        std::lock_guard lock(mutex_);
        auto same = std::find_if(jobs_.begin(), jobs_.end(),
                                 [&](const Job& job) { return job.kind == kind; });
        if (same != jobs_.end()) jobs_.erase(same);
        jobs_.push_back(Job{kind, generation_, std::move(work)});
    }
    wake_.notify_one();
}

void StoreReader::run() {
    for (;;) {
        Job job;
        std::shared_ptr<InvocationStore> store;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (stopping_) return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
            store = store_.lock();
        }
        if (!store) continue;
        std::function<void()> deliver;
        QString error;
        try {
            deliver = job.work(*store);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        // The store must be released here, never on the window's thread: the last reference
        // stops an engine.
        store.reset();
        // Queued to this object, the answer is dropped with it if the reader goes first.
        QMetaObject::invokeMethod(
            this,
            [this, generation = job.generation, kind = job.kind, deliver = std::move(deliver),
             error] {
                {
                    std::lock_guard lock(mutex_);
                    if (generation != generation_) return;
                }
                if (!error.isEmpty()) {
                    emit failed(kind, error);
                } else if (deliver) {
                    deliver();
                }
            },
            Qt::QueuedConnection);
    }
}

}  // namespace fogbank::ui
