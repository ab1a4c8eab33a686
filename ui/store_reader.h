// Reads from the invocation store off the window's thread, one request at a time, and hands each
// answer back on the thread that asked.
//
// Requests have a kind ("traces", "trace", "record", ...). A request waiting in the queue is
// replaced by a newer one of the same kind, so that a burst of refreshes costs one read and a
// view that the user clicked through quickly reads only what it shows last. Answers for a store
// that has since been replaced are dropped.
#pragma once

#include <QObject>
#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace fogbank {
class InvocationStore;
}

namespace fogbank::ui {

class StoreReader : public QObject {
    Q_OBJECT
  public:
    // Runs on the worker with the store; returns what to do with the answer on this object's
    // thread. Exceptions become failed(kind, message).
    using Work = std::function<std::function<void()>(InvocationStore&)>;

    explicit StoreReader(QObject* parent = nullptr);
    ~StoreReader() override;

    // Only a weak reference is kept, and it is locked only on the worker.
    void setStore(const std::shared_ptr<InvocationStore>& store);
    bool hasStore() const { return hasStore_; }

    void request(const QString& kind, Work work);

  signals:
    void failed(const QString& kind, const QString& message);

  private:
    struct Job {
        QString kind;
        quint64 generation = 0;
        Work work;
    };
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    std::weak_ptr<InvocationStore> store_;
    quint64 generation_ = 0;  // bumped with each setStore; read under mutex_ on the worker
    bool stopping_ = false;
    bool hasStore_ = false;
    std::thread thread_;
};

}  // namespace fogbank::ui
