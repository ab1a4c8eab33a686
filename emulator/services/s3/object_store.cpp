#include "emulator/services/s3/object_store.h"

#include "emulator/crypto/digest.h"
#include "emulator/trace/ids.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <set>
#include <stdexcept>
#include <system_error>

namespace fogbank::s3 {

namespace fs = std::filesystem;

namespace {

std::int64_t toMs(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint fromMs(std::int64_t ms) {
    return TimePoint(std::chrono::milliseconds(ms));
}

[[noreturn]] void fail(const std::string& what, const fs::path& path) {
    throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

// A file descriptor that closes itself.
class File {
  public:
    File(const fs::path& path, int flags) : path_(path), fd_(::open(path.c_str(), flags, 0644)) {
        if (fd_ < 0) fail("cannot open", path);
    }
    ~File() {
        if (fd_ >= 0) ::close(fd_);
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    void write(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail("cannot write", path_);
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }
    std::string read(std::int64_t offset, std::int64_t length) {
        std::string out(static_cast<std::size_t>(length), '\0');
        std::size_t done = 0;
        while (done < out.size()) {
            const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done,
                                      static_cast<off_t>(offset) + static_cast<off_t>(done));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail("cannot read", path_);
            if (n == 0) break;
            done += static_cast<std::size_t>(n);
        }
        out.resize(done);
        return out;
    }

  private:
    fs::path path_;
    int fd_;
};

ObjectInfo readObject(const Statement& row) {
    ObjectInfo o;
    o.bucket = row.text(0);
    o.key = row.text(1);
    o.blob = row.text(2);
    o.size = row.integer(3);
    o.etag = row.text(4);
    o.modified = fromMs(row.integer(5));
    const auto info = nlohmann::json::parse(row.text(6));
    o.headers = info.value("headers", std::map<std::string, std::string>{});
    o.checksumName = info.value("checksumName", "");
    o.checksumValue = info.value("checksumValue", "");
    o.parts = info.value("parts", 0);
    return o;
}

std::string objectInfoJson(const ObjectInfo& o) {
    return nlohmann::json{{"headers", o.headers},
                          {"checksumName", o.checksumName},
                          {"checksumValue", o.checksumValue},
                          {"parts", o.parts}}
        .dump();
}

constexpr const char* kObjectColumns = "bucket, key, blob, size, etag, modified_ms, info";

}  // namespace

ObjectStore::ObjectStore(const fs::path& stateDir) : root_(stateDir / "s3") {
    fs::create_directories(root_ / "blobs");
    fs::create_directories(root_ / "tmp");
    db_ = std::make_unique<Database>(root_ / "objects.db");
    db_->exec(R"(
        CREATE TABLE IF NOT EXISTS buckets(
            name TEXT PRIMARY KEY, created_ms INTEGER NOT NULL,
            notification TEXT NOT NULL DEFAULT '');
        CREATE TABLE IF NOT EXISTS objects(
            bucket TEXT NOT NULL, key TEXT NOT NULL, blob TEXT NOT NULL, size INTEGER NOT NULL,
            etag TEXT NOT NULL, modified_ms INTEGER NOT NULL, info TEXT NOT NULL,
            PRIMARY KEY(bucket, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS uploads(
            id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL,
            initiated_ms INTEGER NOT NULL, info TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS parts(
            upload TEXT NOT NULL, number INTEGER NOT NULL, blob TEXT NOT NULL,
            size INTEGER NOT NULL, etag TEXT NOT NULL, modified_ms INTEGER NOT NULL,
            PRIMARY KEY(upload, number)) WITHOUT ROWID;
    )");
    removeOrphans();
}

ObjectStore::~ObjectStore() = default;

// What a kill -9 left behind: temporary files, and blobs renamed into place whose row never
// committed (or whose replacement did). Nobody was told about either.
void ObjectStore::removeOrphans() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root_ / "tmp", ec)) fs::remove(entry, ec);
    if (ec) spdlog::warn("s3: cannot clear {}: {}", (root_ / "tmp").string(), ec.message());
    std::set<std::string> used;
    for (const char* sql : {"SELECT blob FROM objects", "SELECT blob FROM parts"}) {
        auto stmt = db_->prepare(sql);
        while (stmt.step()) used.insert(stmt.text(0));
    }
    int removed = 0;
    ec.clear();
    for (const auto& dir : fs::directory_iterator(root_ / "blobs", ec)) {
        for (const auto& entry : fs::directory_iterator(dir.path(), ec)) {
            if (used.contains(entry.path().filename().string())) continue;
            if (fs::remove(entry, ec)) ++removed;
        }
    }
    if (ec) spdlog::warn("s3: cannot sweep {}: {}", (root_ / "blobs").string(), ec.message());
    if (removed) spdlog::info("s3: removed {} blob(s) left by an interrupted write", removed);
}

fs::path ObjectStore::blobPath(const std::string& blob) const {
    return root_ / "blobs" / blob.substr(0, 2) / blob;
}

bool ObjectStore::createBucket(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare("INSERT OR IGNORE INTO buckets(name, created_ms) VALUES(?, ?)");
    stmt.bind(1, name).bind(2, toMs(std::chrono::system_clock::now()));
    stmt.step();
    return db_->changes() > 0;
}

BucketDeletion ObjectStore::deleteBucket(const std::string& name) {
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    auto exists = db_->prepare("SELECT 1 FROM buckets WHERE name = ?");
    exists.bind(1, name);
    if (!exists.step()) return BucketDeletion::NoSuchBucket;
    auto objects = db_->prepare("SELECT 1 FROM objects WHERE bucket = ? LIMIT 1");
    objects.bind(1, name);
    if (objects.step()) return BucketDeletion::NotEmpty;
    auto uploads = db_->prepare("SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1");
    uploads.bind(1, name);
    if (uploads.step()) return BucketDeletion::NotEmpty;
    auto remove = db_->prepare("DELETE FROM buckets WHERE name = ?");
    remove.bind(1, name);
    remove.step();
    tx.commit();
    return BucketDeletion::Deleted;
}

std::optional<BucketInfo> ObjectStore::bucket(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare("SELECT name, created_ms, notification FROM buckets WHERE name = ?");
    stmt.bind(1, name);
    if (!stmt.step()) return std::nullopt;
    return BucketInfo{stmt.text(0), fromMs(stmt.integer(1)), stmt.text(2)};
}

std::vector<BucketInfo> ObjectStore::buckets() {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare("SELECT name, created_ms, notification FROM buckets ORDER BY name");
    std::vector<BucketInfo> out;
    while (stmt.step()) out.push_back({stmt.text(0), fromMs(stmt.integer(1)), stmt.text(2)});
    return out;
}

void ObjectStore::setNotification(const std::string& bucket, const std::string& xml) {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare("UPDATE buckets SET notification = ? WHERE name = ?");
    stmt.bind(1, xml).bind(2, bucket);
    stmt.step();
}

struct ObjectStore::BlobWriter::State {
    ObjectStore& store;
    fs::path tmp;
    std::optional<File> file;
    bool committed = false;
};

ObjectStore::BlobWriter::BlobWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
ObjectStore::BlobWriter::BlobWriter(BlobWriter&&) noexcept = default;

ObjectStore::BlobWriter::~BlobWriter() {
    if (!state_ || state_->committed) return;
    state_->file.reset();
    std::error_code ec;
    fs::remove(state_->tmp, ec);
}

void ObjectStore::BlobWriter::write(std::string_view bytes) {
    state_->file->write(bytes);
}

std::string ObjectStore::BlobWriter::commit() {
    state_->file.reset();
    state_->committed = true;
    return state_->store.placeBlob(state_->tmp);
}

ObjectStore::BlobWriter ObjectStore::newBlob() {
    auto state = std::make_unique<BlobWriter::State>(*this, tmpDir() / randomHex(32));
    state->file.emplace(state->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC);
    return BlobWriter(std::move(state));
}

fs::path ObjectStore::tmpDir() const {
    return root_ / "tmp";
}

// Renames a finished file into place under a new id.
std::string ObjectStore::placeBlob(const fs::path& tmp) {
    const std::string id = randomHex(32);
    const fs::path final = blobPath(id);
    fs::create_directories(final.parent_path());
    fs::rename(tmp, final);
    return id;
}

std::string ObjectStore::writeBlob(std::string_view bytes) {
    auto blob = newBlob();
    blob.write(bytes);
    return blob.commit();
}

std::string ObjectStore::adoptBlob(const fs::path& file) {
    return placeBlob(file);
}

namespace {

constexpr std::int64_t kCopyChunk = 4 * 1024 * 1024;

// Copies up to `length` bytes of `in` from `offset` (to its end when negative) into `out`, a
// chunk at a time; returns how many there were.
std::int64_t copyRange(File& in, std::int64_t offset, std::int64_t length,
                       ObjectStore::BlobWriter& out, Md5Stream* md5) {
    std::int64_t copied = 0;
    while (length < 0 || copied < length) {
        const std::int64_t want = length < 0 ? kCopyChunk : std::min(kCopyChunk, length - copied);
        const std::string chunk = in.read(offset + copied, want);
        if (md5) md5->update(chunk);
        out.write(chunk);
        copied += static_cast<std::int64_t>(chunk.size());
        if (static_cast<std::int64_t>(chunk.size()) < want) break;
    }
    return copied;
}

}  // namespace

ObjectStore::Imported ObjectStore::importFile(const fs::path& source) {
    File in(source, O_RDONLY | O_CLOEXEC);
    auto blob = newBlob();
    Md5Stream md5;
    Imported out;
    out.size = copyRange(in, 0, -1, blob, &md5);
    out.md5 = md5.hexFinal();
    out.blob = blob.commit();
    return out;
}

ObjectStore::Imported ObjectStore::copyBlobRange(const std::string& source, std::int64_t offset,
                                                 std::int64_t length) {
    File in(blobPath(source), O_RDONLY | O_CLOEXEC);
    auto blob = newBlob();
    Md5Stream md5;
    Imported out;
    out.size = copyRange(in, offset, length, blob, &md5);
    out.md5 = md5.hexFinal();
    out.blob = blob.commit();
    return out;
}

std::string ObjectStore::concatBlobs(const std::vector<std::string>& blobs) {
    auto out = newBlob();
    for (const auto& blob : blobs) {
        File in(blobPath(blob), O_RDONLY | O_CLOEXEC);
        copyRange(in, 0, -1, out, nullptr);
    }
    return out.commit();
}

std::string ObjectStore::readBlob(const std::string& blob, std::int64_t offset,
                                  std::int64_t length) {
    if (length <= 0) return {};
    return File(blobPath(blob), O_RDONLY | O_CLOEXEC).read(offset, length);
}

void ObjectStore::discardBlob(const std::string& blob) {
    std::error_code ec;
    fs::remove(blobPath(blob), ec);
    if (ec) spdlog::warn("s3: cannot remove blob {}: {}", blob, ec.message());
}

void ObjectStore::putObject(const ObjectInfo& object) {
    std::string replaced;
    {
        std::lock_guard lock(mutex_);
        Transaction tx(*db_);
        auto old = db_->prepare("SELECT blob FROM objects WHERE bucket = ? AND key = ?");
        old.bind(1, object.bucket).bind(2, object.key);
        if (old.step()) replaced = old.text(0);
        auto stmt = db_->prepare(
            "INSERT OR REPLACE INTO objects(bucket, key, blob, size, etag, modified_ms, info) "
            "VALUES(?, ?, ?, ?, ?, ?, ?)");
        stmt.bind(1, object.bucket)
            .bind(2, object.key)
            .bind(3, object.blob)
            .bind(4, object.size)
            .bind(5, object.etag)
            .bind(6, toMs(object.modified))
            .bind(7, objectInfoJson(object));
        stmt.step();
        tx.commit();
    }
    if (!replaced.empty() && replaced != object.blob) discardBlob(replaced);
}

std::optional<ObjectInfo> ObjectStore::object(const std::string& bucket, const std::string& key) {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(std::string("SELECT ") + kObjectColumns +
                             " FROM objects WHERE bucket = ? AND key = ?");
    stmt.bind(1, bucket).bind(2, key);
    if (!stmt.step()) return std::nullopt;
    return readObject(stmt);
}

bool ObjectStore::deleteObject(const std::string& bucket, const std::string& key) {
    std::string blob;
    {
        std::lock_guard lock(mutex_);
        Transaction tx(*db_);
        auto old = db_->prepare("SELECT blob FROM objects WHERE bucket = ? AND key = ?");
        old.bind(1, bucket).bind(2, key);
        if (!old.step()) return false;
        blob = old.text(0);
        auto stmt = db_->prepare("DELETE FROM objects WHERE bucket = ? AND key = ?");
        stmt.bind(1, bucket).bind(2, key);
        stmt.step();
        tx.commit();
    }
    discardBlob(blob);
    return true;
}

std::vector<ObjectInfo> ObjectStore::listObjects(const std::string& bucket,
                                                 const std::string& prefix,
                                                 const std::string& after, int limit) {
    std::lock_guard lock(mutex_);
    // key >= prefix bounds the scan from below; substr() checks the prefix bytewise (LIKE and
    // GLOB would treat % _ * ? in keys as patterns).
    auto stmt =
        db_->prepare(std::string("SELECT ") + kObjectColumns +
                     " FROM objects WHERE bucket = ? AND key > ? AND key >= ? AND "
                     "substr(CAST(key AS BLOB), 1, length(CAST(? AS BLOB))) = CAST(? AS BLOB) "
                     "ORDER BY key LIMIT ?");
    stmt.bind(1, bucket).bind(2, after).bind(3, prefix).bind(4, prefix).bind(5, prefix).bind(6,
                                                                                             limit);
    std::vector<ObjectInfo> out;
    while (stmt.step()) out.push_back(readObject(stmt));
    return out;
}

UploadInfo ObjectStore::createUpload(const ObjectInfo& pending) {
    UploadInfo upload;
    upload.id = randomHex(32);
    upload.bucket = pending.bucket;
    upload.key = pending.key;
    upload.initiated = std::chrono::system_clock::now();
    upload.pending = pending;
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(
        "INSERT INTO uploads(id, bucket, key, initiated_ms, info) VALUES(?, ?, ?, ?, ?)");
    stmt.bind(1, upload.id)
        .bind(2, upload.bucket)
        .bind(3, upload.key)
        .bind(4, toMs(upload.initiated))
        .bind(5, objectInfoJson(pending));
    stmt.step();
    return upload;
}

namespace {

UploadInfo readUpload(const Statement& row) {
    UploadInfo u;
    u.id = row.text(0);
    u.bucket = row.text(1);
    u.key = row.text(2);
    u.initiated = fromMs(row.integer(3));
    const auto info = nlohmann::json::parse(row.text(4));
    u.pending.bucket = u.bucket;
    u.pending.key = u.key;
    u.pending.headers = info.value("headers", std::map<std::string, std::string>{});
    u.pending.checksumName = info.value("checksumName", "");
    return u;
}

}  // namespace

std::optional<UploadInfo> ObjectStore::upload(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto stmt =
        db_->prepare("SELECT id, bucket, key, initiated_ms, info FROM uploads WHERE id = ?");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    return readUpload(stmt);
}

std::vector<UploadInfo> ObjectStore::uploads(const std::string& bucket) {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(
        "SELECT id, bucket, key, initiated_ms, info FROM uploads WHERE bucket = ? "
        "ORDER BY key, initiated_ms");
    stmt.bind(1, bucket);
    std::vector<UploadInfo> out;
    while (stmt.step()) out.push_back(readUpload(stmt));
    return out;
}

void ObjectStore::putPart(const std::string& upload, const PartInfo& part) {
    std::string replaced;
    {
        std::lock_guard lock(mutex_);
        Transaction tx(*db_);
        auto old = db_->prepare("SELECT blob FROM parts WHERE upload = ? AND number = ?");
        old.bind(1, upload).bind(2, part.number);
        if (old.step()) replaced = old.text(0);
        auto stmt = db_->prepare(
            "INSERT OR REPLACE INTO parts(upload, number, blob, size, etag, modified_ms) "
            "VALUES(?, ?, ?, ?, ?, ?)");
        stmt.bind(1, upload)
            .bind(2, part.number)
            .bind(3, part.blob)
            .bind(4, part.size)
            .bind(5, part.etag)
            .bind(6, toMs(part.modified));
        stmt.step();
        tx.commit();
    }
    if (!replaced.empty()) discardBlob(replaced);
}

std::vector<PartInfo> ObjectStore::parts(const std::string& upload) {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(
        "SELECT number, blob, size, etag, modified_ms FROM parts WHERE upload = ? ORDER BY number");
    stmt.bind(1, upload);
    std::vector<PartInfo> out;
    while (stmt.step())
        out.push_back({static_cast<int>(stmt.integer(0)), stmt.text(1), stmt.integer(2),
                       stmt.text(3), fromMs(stmt.integer(4))});
    return out;
}

void ObjectStore::removeUpload(const std::string& id) {
    std::vector<std::string> blobs;
    {
        std::lock_guard lock(mutex_);
        Transaction tx(*db_);
        auto select = db_->prepare("SELECT blob FROM parts WHERE upload = ?");
        select.bind(1, id);
        while (select.step()) blobs.push_back(select.text(0));
        auto parts = db_->prepare("DELETE FROM parts WHERE upload = ?");
        parts.bind(1, id);
        parts.step();
        auto upload = db_->prepare("DELETE FROM uploads WHERE id = ?");
        upload.bind(1, id);
        upload.step();
        tx.commit();
    }
    for (const auto& blob : blobs) discardBlob(blob);
}

}  // namespace fogbank::s3
