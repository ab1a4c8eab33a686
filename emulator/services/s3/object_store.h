// Buckets, objects and multipart uploads on disk: metadata in SQLite (WAL) at
// <state>/s3/objects.db, bytes in blob files named by a generated id under <state>/s3/blobs/,
// never by the object's key. A blob is written whole to <state>/s3/tmp/ and renamed into place
// before the row that points at it commits, so a kill -9 at any moment leaves either the old
// object or the new one visible, never part of one, and loses nothing acknowledged.
//
// Blobs are not fsync'd: what a process has written survives its own death in the page cache,
// and the metadata (SQLite in WAL mode, synchronous=NORMAL) is crash-safe to the same degree, not
// power-cut-safe. Two fsyncs per PUT cost more than the rest of the request together (bench/).
//
// Every method blocks on disk: call them off the io thread. They are safe from several threads.
#pragma once

#include "emulator/storage/sqlite.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fogbank::s3 {

using TimePoint = std::chrono::system_clock::time_point;

struct BucketInfo {
    std::string name;
    TimePoint created;
    std::string notificationXml;  // as last set through the API; empty when never set
};

struct ObjectInfo {
    std::string bucket;
    std::string key;
    std::string blob;  // blob id
    std::int64_t size = 0;
    std::string etag;  // without quotes: hex MD5, or hex-N for a multipart object
    TimePoint modified;
    // The headers it is served with: Content-Type, Content-Encoding, Cache-Control, ...,
    // x-amz-meta-*.
    std::map<std::string, std::string> headers;
    std::string checksumName;   // "x-amz-checksum-crc32", ... or empty
    std::string checksumValue;  // base64
    int parts = 0;              // parts of a multipart object, 0 otherwise
};

struct UploadInfo {
    std::string id;
    std::string bucket;
    std::string key;
    TimePoint initiated;
    ObjectInfo pending;  // the headers and checksum algorithm the object will get
};

struct PartInfo {
    int number = 0;
    std::string blob;
    std::int64_t size = 0;
    std::string etag;  // hex MD5, without quotes
    TimePoint modified;
};

enum class BucketDeletion { Deleted, NoSuchBucket, NotEmpty };

class ObjectStore {
  public:
    // Opens or creates the store under `stateDir`/s3; throws SqliteError or filesystem_error.
    explicit ObjectStore(const std::filesystem::path& stateDir);
    ~ObjectStore();
    ObjectStore(const ObjectStore&) = delete;
    ObjectStore& operator=(const ObjectStore&) = delete;

    // False when it already existed.
    bool createBucket(const std::string& name);
    BucketDeletion deleteBucket(const std::string& name);
    std::optional<BucketInfo> bucket(const std::string& name);
    std::vector<BucketInfo> buckets();
    void setNotification(const std::string& bucket, const std::string& xml);

    // A blob being written a piece at a time into the store's tmp folder; it becomes a blob
    // (durably) only on commit(), and is removed if dropped before.
    class BlobWriter {
      public:
        BlobWriter(BlobWriter&&) noexcept;
        ~BlobWriter();
        void write(std::string_view bytes);
        // Syncs, renames into place and returns the blob's id. Call once.
        std::string commit();

      private:
        friend class ObjectStore;
        struct State;
        explicit BlobWriter(std::unique_ptr<State> state);
        std::unique_ptr<State> state_;
    };
    BlobWriter newBlob();
    // Writes bytes durably to a new blob and returns its id. Nothing points at it yet.
    std::string writeBlob(std::string_view bytes);
    // Makes a finished file (on the store's file system, e.g. a spooled upload) a blob by
    // renaming it, durably; the file is gone from where it was.
    std::string adoptBlob(const std::filesystem::path& file);
    // The folder for files that are to become blobs; the store clears it when it opens.
    std::filesystem::path tmpDir() const;
    // Where a blob's bytes are, for reading them as a stream.
    std::filesystem::path blobPath(const std::string& blob) const;
    // Copies a local file into a new blob, durably, a chunk at a time; its size and hex MD5 are
    // measured on the way. Throws system_error naming the file when it cannot be read.
    struct Imported {
        std::string blob;
        std::int64_t size = 0;
        std::string md5;
    };
    Imported importFile(const std::filesystem::path& source);
    // `length` bytes of a blob from `offset` as a new blob (UploadPartCopy), measured the same way.
    Imported copyBlobRange(const std::string& blob, std::int64_t offset, std::int64_t length);
    // Concatenates blobs into a new one, durably.
    std::string concatBlobs(const std::vector<std::string>& blobs);
    // `length` bytes from `offset`.
    std::string readBlob(const std::string& blob, std::int64_t offset, std::int64_t length);
    // Drops a blob nothing points at (a failed request's).
    void discardBlob(const std::string& blob);

    // Makes the object visible (replacing any older one, whose blob is removed).
    void putObject(const ObjectInfo& object);
    std::optional<ObjectInfo> object(const std::string& bucket, const std::string& key);
    // True when there was one.
    bool deleteObject(const std::string& bucket, const std::string& key);
    // Keys > `after` that start with `prefix`, in UTF-8 byte order.
    std::vector<ObjectInfo> listObjects(const std::string& bucket, const std::string& prefix,
                                        const std::string& after, int limit);

    UploadInfo createUpload(const ObjectInfo& pending);
    std::optional<UploadInfo> upload(const std::string& id);
    std::vector<UploadInfo> uploads(const std::string& bucket);
    void putPart(const std::string& upload, const PartInfo& part);
    std::vector<PartInfo> parts(const std::string& upload);
    // Removes the upload, its parts and their blobs.
    void removeUpload(const std::string& id);

  private:
    std::string placeBlob(const std::filesystem::path& tmp);
    void removeOrphans();

    std::filesystem::path root_;
    std::mutex mutex_;  // one connection, one writer at a time
    std::unique_ptr<Database> db_;
};

}  // namespace fogbank::s3
