#include "emulator/services/sqs/queue_store.h"

#include <spdlog/spdlog.h>

namespace fogbank::sqs {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS queues (
  name TEXT PRIMARY KEY,
  attributes TEXT NOT NULL,
  tags TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  modified_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  id TEXT NOT NULL,
  body TEXT NOT NULL,
  attributes TEXT NOT NULL,
  md5_body TEXT NOT NULL,
  md5_attributes TEXT NOT NULL,
  sender_id TEXT NOT NULL,
  trace_header TEXT NOT NULL,
  sent_ms INTEGER NOT NULL,
  visible_at_ms INTEGER NOT NULL,
  receive_count INTEGER NOT NULL,
  first_receive_ms INTEGER NOT NULL,
  receipt TEXT NOT NULL,
  group_id TEXT NOT NULL,
  dedup_id TEXT NOT NULL,
  sequence_number TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_queue ON messages(queue, seq);
CREATE TABLE IF NOT EXISTS dedup (
  queue TEXT NOT NULL,
  dedup_id TEXT NOT NULL,
  expires_ms INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  sequence_number TEXT NOT NULL,
  PRIMARY KEY (queue, dedup_id)
);
)sql";

nlohmann::json toJson(const std::map<std::string, std::string>& map) {
    return nlohmann::json(map);
}

std::map<std::string, std::string> fromJson(const std::string& text) {
    auto value = nlohmann::json::parse(text, nullptr, false);
    if (!value.is_object()) return {};
    return value.get<std::map<std::string, std::string>>();
}

std::filesystem::path openDir(const std::filesystem::path& stateDir) {
    std::filesystem::create_directories(stateDir);
    return stateDir / "queues.db";
}

}  // namespace

QueueStore::QueueStore(const std::filesystem::path& stateDir)
    : file_(openDir(stateDir)),
      db_(file_),
      insertMessage_(
          (db_.exec(kSchema), db_.prepare("INSERT INTO messages (queue, id, body, attributes, "
                                          "md5_body, md5_attributes, sender_id, trace_header, "
                                          "sent_ms, visible_at_ms, receive_count, "
                                          "first_receive_ms, receipt, group_id, dedup_id, "
                                          "sequence_number) VALUES "
                                          "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"))),
      updateMessage_(db_.prepare("UPDATE messages SET visible_at_ms = ?, receive_count = ?, "
                                 "first_receive_ms = ?, receipt = ? WHERE seq = ?")),
      deleteMessage_(db_.prepare("DELETE FROM messages WHERE seq = ?")) {}

std::vector<QueueStore::StoredQueue> QueueStore::load() {
    std::vector<StoredQueue> queues;
    std::map<std::string, std::size_t> index;
    auto q = db_.prepare(
        "SELECT name, attributes, tags, created_ms, modified_ms FROM queues ORDER BY name");
    while (q.step()) {
        StoredQueue s;
        s.name = q.text(0);
        s.attributes = fromJson(q.text(1));
        s.tags = fromJson(q.text(2));
        s.createdMs = q.integer(3);
        s.modifiedMs = q.integer(4);
        index[s.name] = queues.size();
        queues.push_back(std::move(s));
    }
    auto m = db_.prepare(
        "SELECT seq, queue, id, body, attributes, md5_body, md5_attributes, sender_id, "
        "trace_header, sent_ms, visible_at_ms, receive_count, first_receive_ms, receipt, "
        "group_id, dedup_id, sequence_number FROM messages ORDER BY seq");
    while (m.step()) {
        auto it = index.find(m.text(1));
        if (it == index.end()) {
            spdlog::warn("{}: message {} belongs to no queue ({}), left alone", file_.string(),
                         m.text(2), m.text(1));
            continue;
        }
        Message msg;
        msg.seq = m.integer(0);
        msg.id = m.text(2);
        msg.body = m.text(3);
        msg.attributes = nlohmann::json::parse(m.text(4), nullptr, false);
        if (!msg.attributes.is_object()) msg.attributes = nlohmann::json::object();
        msg.md5OfBody = m.text(5);
        msg.md5OfAttributes = m.text(6);
        msg.senderId = m.text(7);
        msg.traceHeader = m.text(8);
        msg.sentMs = m.integer(9);
        msg.visibleAtMs = m.integer(10);
        msg.receiveCount = static_cast<int>(m.integer(11));
        msg.firstReceiveMs = m.integer(12);
        msg.receipt = m.text(13);
        msg.groupId = m.text(14);
        msg.dedupId = m.text(15);
        msg.sequenceNumber = m.text(16);
        queues[it->second].messages.push_back(std::move(msg));
    }
    const auto now = nowMs();
    db_.prepare("DELETE FROM dedup WHERE expires_ms <= ?").bind(1, now).step();
    auto d =
        db_.prepare("SELECT queue, dedup_id, expires_ms, message_id, sequence_number FROM dedup");
    while (d.step()) {
        auto it = index.find(d.text(0));
        if (it == index.end()) continue;
        queues[it->second].dedup[d.text(1)] = Dedup{d.integer(2), d.text(3), d.text(4)};
    }
    return queues;
}

void QueueStore::saveQueue(const Queue& queue) {
    db_.prepare(
           "INSERT INTO queues (name, attributes, tags, created_ms, modified_ms) VALUES "
           "(?,?,?,?,?) ON CONFLICT(name) DO UPDATE SET attributes = excluded.attributes, "
           "tags = excluded.tags, modified_ms = excluded.modified_ms")
        .bind(1, queue.name)
        .bind(2, toJson(queue.attributes).dump())
        .bind(3, toJson(queue.tags).dump())
        .bind(4, queue.createdMs)
        .bind(5, queue.modifiedMs)
        .step();
}

void QueueStore::deleteQueue(const std::string& name) {
    auto t = transaction();
    db_.prepare("DELETE FROM queues WHERE name = ?").bind(1, name).step();
    db_.prepare("DELETE FROM messages WHERE queue = ?").bind(1, name).step();
    db_.prepare("DELETE FROM dedup WHERE queue = ?").bind(1, name).step();
    t.commit();
}

void QueueStore::purge(const std::string& name) {
    db_.prepare("DELETE FROM messages WHERE queue = ?").bind(1, name).step();
}

void QueueStore::insertMessage(const std::string& queue, Message& m) {
    auto& s = insertMessage_;
    s.bind(1, queue)
        .bind(2, m.id)
        .bind(3, m.body)
        .bind(4, m.attributes.dump())
        .bind(5, m.md5OfBody)
        .bind(6, m.md5OfAttributes)
        .bind(7, m.senderId)
        .bind(8, m.traceHeader)
        .bind(9, m.sentMs)
        .bind(10, m.visibleAtMs)
        .bind(11, m.receiveCount)
        .bind(12, m.firstReceiveMs)
        .bind(13, m.receipt)
        .bind(14, m.groupId)
        .bind(15, m.dedupId)
        .bind(16, m.sequenceNumber);
    s.step();
    s.reset();
    m.seq = db_.lastInsertId();
}

void QueueStore::updateMessage(const Message& m) {
    auto& s = updateMessage_;
    s.bind(1, m.visibleAtMs)
        .bind(2, m.receiveCount)
        .bind(3, m.firstReceiveMs)
        .bind(4, m.receipt)
        .bind(5, m.seq);
    s.step();
    s.reset();
}

void QueueStore::deleteMessage(std::int64_t seq) {
    deleteMessage_.bind(1, seq);
    deleteMessage_.step();
    deleteMessage_.reset();
}

void QueueStore::moveMessage(const Message& m, const std::string& toQueue) {
    db_.prepare(
           "UPDATE messages SET queue = ?, visible_at_ms = ?, receive_count = ?, "
           "first_receive_ms = ?, receipt = ? WHERE seq = ?")
        .bind(1, toQueue)
        .bind(2, m.visibleAtMs)
        .bind(3, m.receiveCount)
        .bind(4, m.firstReceiveMs)
        .bind(5, m.receipt)
        .bind(6, m.seq)
        .step();
}

void QueueStore::saveDedup(const std::string& queue, const std::string& dedupId,
                           const Dedup& entry) {
    db_.prepare(
           "INSERT OR REPLACE INTO dedup (queue, dedup_id, expires_ms, message_id, "
           "sequence_number) VALUES (?,?,?,?,?)")
        .bind(1, queue)
        .bind(2, dedupId)
        .bind(3, entry.expiresMs)
        .bind(4, entry.messageId)
        .bind(5, entry.sequenceNumber)
        .step();
}

}  // namespace fogbank::sqs
