// Queues and their messages in SQLite (WAL) under the state dir, so that a SendMessage that
// returned survives a kill -9: each write commits before the caller is answered. WAL with
// synchronous=NORMAL makes such a commit an append to the log, cheap enough for the engine's
// thread (see emulator/storage/sqlite.h).
#pragma once

#include "emulator/services/sqs/queue.h"
#include "emulator/storage/sqlite.h"

#include <filesystem>
#include <memory>

namespace fogbank::sqs {

class QueueStore {
  public:
    // Opens (creating) <stateDir>/queues.db. Throws SqliteError naming the file.
    explicit QueueStore(const std::filesystem::path& stateDir);

    struct StoredQueue {
        std::string name;
        std::map<std::string, std::string> attributes;
        std::map<std::string, std::string> tags;
        std::int64_t createdMs = 0;
        std::int64_t modifiedMs = 0;
        std::vector<Message> messages;       // by seq
        std::map<std::string, Dedup> dedup;  // unexpired entries
    };
    std::vector<StoredQueue> load();

    void saveQueue(const Queue& queue);
    void deleteQueue(const std::string& name);
    void purge(const std::string& name);
    // Fills message.seq.
    void insertMessage(const std::string& queue, Message& message);
    // Receive count, first receive, visibility and receipt.
    void updateMessage(const Message& message);
    void deleteMessage(std::int64_t seq);
    // Dead-lettering: the row changes queue, keeping its seq.
    void moveMessage(const Message& message, const std::string& toQueue);
    void saveDedup(const std::string& queue, const std::string& dedupId, const Dedup& entry);

    // Groups writes (one receive's updates) into one commit.
    Transaction transaction() { return Transaction(db_); }

  private:
    std::filesystem::path file_;
    Database db_;
    Statement insertMessage_;
    Statement updateMessage_;
    Statement deleteMessage_;
};

}  // namespace fogbank::sqs
