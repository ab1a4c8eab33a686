#include "emulator/services/s3/bucket_browser_ops.h"

#include "emulator/services/s3/content_types.h"
#include "emulator/services/s3/list_objects.h"
#include "emulator/services/s3/s3_request.h"
#include "emulator/trace/ids.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <exception>
#include <fstream>
#include <system_error>

namespace fogbank::s3 {

namespace fs = std::filesystem;

namespace {

std::string where(const std::string& bucket, const std::string& key) {
    return "s3://" + bucket + "/" + key;
}

}  // namespace

BucketBrowserOps::BucketBrowserOps(
    ObjectStore& store,
    const std::map<std::string, std::vector<NotificationTarget>>& templateTargets,
    std::string region)
    : store_(store), templateTargets_(templateTargets), region_(std::move(region)) {}

std::string BucketBrowserOps::requestId() {
    std::string id = randomHex(16);
    for (auto& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return id;
}

BucketNames BucketBrowserOps::buckets() {
    BucketNames out;
    try {
        for (const auto& bucket : store_.buckets()) out.names.push_back(bucket.name);
    } catch (const std::exception& e) {
        out.error = std::string("Cannot list the buckets: ") + e.what();
    }
    return out;
}

FolderListing BucketBrowserOps::list(const std::string& bucket, const std::string& prefix,
                                     int limit) {
    FolderListing out;
    out.bucket = bucket;
    out.prefix = prefix;
    try {
        if (!store_.bucket(bucket)) {
            out.error = "NoSuchBucket: the bucket " + bucket + " does not exist";
            return out;
        }
        const ListPage page = listPage(store_, bucket, prefix, "/", "", limit);
        out.prefixes = page.commonPrefixes;
        out.truncated = page.truncated;
        for (const auto& object : page.contents) {
            const auto type = object.headers.find("content-type");
            out.objects.push_back({object.key, object.size, object.etag,
                                   type == object.headers.end() ? "" : type->second,
                                   object.modified});
        }
    } catch (const std::exception& e) {
        out.error = "Cannot list " + where(bucket, prefix) + ": " + e.what();
    }
    return out;
}

std::string BucketBrowserOps::createBucket(const std::string& name) {
    if (!validBucketName(name))
        return "InvalidBucketName: \"" + name +
               "\" is not a valid bucket name (3-63 characters: a-z, 0-9, '.' and '-', starting "
               "and ending with a letter or digit)";
    try {
        if (!store_.createBucket(name))
            return "BucketAlreadyOwnedByYou: the bucket " + name + " already exists";
    } catch (const std::exception& e) {
        return "Cannot create the bucket " + name + ": " + e.what();
    }
    return {};
}

std::string BucketBrowserOps::deleteBucket(const std::string& name) {
    try {
        switch (store_.deleteBucket(name)) {
            case BucketDeletion::Deleted:
                return {};
            case BucketDeletion::NoSuchBucket:
                return "NoSuchBucket: the bucket " + name + " does not exist";
            case BucketDeletion::NotEmpty:
                return "BucketNotEmpty: the bucket " + name +
                       " is not empty; delete its objects first";
        }
    } catch (const std::exception& e) {
        return "Cannot delete the bucket " + name + ": " + e.what();
    }
    return {};
}

std::string BucketBrowserOps::putFile(const std::string& bucket, const std::string& key,
                                      const fs::path& file, Notifications& notify) {
    if (key.empty()) return "Cannot upload " + file.string() + ": the object key is empty";
    if (key.size() > 1024) return "KeyTooLongError: the key " + key + " is over 1024 bytes";
    ObjectInfo object;
    try {
        if (!store_.bucket(bucket)) return "NoSuchBucket: the bucket " + bucket + " does not exist";
        const auto imported = store_.importFile(file);
        object.bucket = bucket;
        object.key = key;
        object.blob = imported.blob;
        object.size = imported.size;
        object.etag = imported.md5;
        object.headers["content-type"] = contentTypeFor(file);
        object.modified = std::chrono::system_clock::now();
    } catch (const std::exception& e) {
        return "Cannot upload " + file.string() + " to " + where(bucket, key) + ": " + e.what();
    }
    try {
        store_.putObject(object);
    } catch (const std::exception& e) {
        store_.discardBlob(object.blob);
        return "Cannot store " + where(bucket, key) + ": " + e.what();
    }
    try {
        auto events = objectNotifications(store_, templateTargets_, "ObjectCreated:Put", object,
                                          requestId(), region_);
        notify.insert(notify.end(), events.begin(), events.end());
    } catch (const std::exception& e) {
        return "Uploaded " + where(bucket, key) +
               " but could not notify its functions: " + e.what();
    }
    return {};
}

std::string BucketBrowserOps::getToFile(const std::string& bucket, const std::string& key,
                                        const fs::path& file) {
    fs::path partial = file;
    partial += ".fogbank-download";
    try {
        const auto object = store_.object(bucket, key);
        if (!object) return "NoSuchKey: " + where(bucket, key) + " does not exist";
        {
            std::ofstream out(partial, std::ios::binary | std::ios::trunc);
            if (!out) throw std::system_error(errno, std::generic_category(), "cannot create it");
            constexpr std::int64_t kChunk = 4 * 1024 * 1024;
            for (std::int64_t offset = 0; offset < object->size; offset += kChunk) {
                const std::string chunk =
                    store_.readBlob(object->blob, offset, std::min(kChunk, object->size - offset));
                if (chunk.empty()) throw std::runtime_error("the stored object is truncated");
                out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            }
            out.flush();
            if (!out) throw std::system_error(errno, std::generic_category(), "cannot write it");
        }
        fs::rename(partial, file);
    } catch (const std::exception& e) {
        std::error_code ec;
        fs::remove(partial, ec);
        return "Cannot download " + where(bucket, key) + " to " + file.string() + ": " + e.what();
    }
    return {};
}

ObjectPreview BucketBrowserOps::preview(const std::string& bucket, const std::string& key,
                                        std::int64_t maxBytes) {
    ObjectPreview out;
    out.bucket = bucket;
    out.key = key;
    try {
        const auto object = store_.object(bucket, key);
        if (!object) {
            out.error = "NoSuchKey: " + where(bucket, key) + " does not exist";
            return out;
        }
        out.size = object->size;
        if (auto type = object->headers.find("content-type"); type != object->headers.end())
            out.contentType = type->second;
        out.bytes = store_.readBlob(object->blob, 0, std::min(maxBytes, object->size));
    } catch (const std::exception& e) {
        out.error = "Cannot read " + where(bucket, key) + ": " + e.what();
    }
    return out;
}

std::string BucketBrowserOps::deleteObject(const std::string& bucket, const std::string& key,
                                           Notifications& notify) {
    try {
        if (!store_.bucket(bucket)) return "NoSuchBucket: the bucket " + bucket + " does not exist";
        const auto existing = store_.object(bucket, key);
        if (!existing || !store_.deleteObject(bucket, key))
            return "NoSuchKey: " + where(bucket, key) + " does not exist";
        auto events = objectNotifications(store_, templateTargets_, "ObjectRemoved:Delete",
                                          *existing, requestId(), region_);
        notify.insert(notify.end(), events.begin(), events.end());
    } catch (const std::exception& e) {
        return "Cannot delete " + where(bucket, key) + ": " + e.what();
    }
    return {};
}

}  // namespace fogbank::s3
