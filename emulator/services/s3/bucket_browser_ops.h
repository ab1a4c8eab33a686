// What the window's bucket browser does to buckets and objects, straight on the store rather
// than through HTTP: one level of a bucket at a time, uploads copied from a local file,
// downloads written to one, and the first bytes of an object for a preview. Changes notify the
// bucket's functions exactly as the REST API's PutObject and DeleteObject do.
//
// Every method blocks on disk (run them on S3's pool) and reports failure as a sentence that
// names the bucket or key, for the window to show as it is.
#pragma once

#include "emulator/services/s3/object_events.h"
#include "emulator/services/s3/object_store.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fogbank::s3 {

struct BucketNames {
    std::vector<std::string> names;
    std::string error;
};

struct BrowsedObject {
    std::string key;
    std::int64_t size = 0;
    std::string etag;  // without quotes
    std::string contentType;
    TimePoint modified;
};

// One level under `prefix`: the "folders" (common prefixes at '/') and the objects.
struct FolderListing {
    std::string bucket;
    std::string prefix;
    std::vector<std::string> prefixes;
    std::vector<BrowsedObject> objects;
    bool truncated = false;  // more than the limit: the rest is not loaded
    std::string error;
};

struct ObjectPreview {
    std::string bucket;
    std::string key;
    std::string bytes;  // the first ones, up to what was asked
    std::int64_t size = 0;
    std::string contentType;
    std::string error;
};

class BucketBrowserOps {
  public:
    BucketBrowserOps(ObjectStore& store,
                     const std::map<std::string, std::vector<NotificationTarget>>& templateTargets,
                     std::string region);

    BucketNames buckets();
    FolderListing list(const std::string& bucket, const std::string& prefix, int limit);
    // Empty on success, else why not.
    std::string createBucket(const std::string& name);
    std::string deleteBucket(const std::string& name);
    // The content type is guessed from the file's extension. Appends what to notify.
    std::string putFile(const std::string& bucket, const std::string& key,
                        const std::filesystem::path& file, Notifications& notify);
    // Written beside `file` and renamed onto it, so a failed download leaves no half file.
    std::string getToFile(const std::string& bucket, const std::string& key,
                          const std::filesystem::path& file);
    ObjectPreview preview(const std::string& bucket, const std::string& key, std::int64_t maxBytes);
    std::string deleteObject(const std::string& bucket, const std::string& key,
                             Notifications& notify);

  private:
    std::string requestId();

    ObjectStore& store_;
    const std::map<std::string, std::vector<NotificationTarget>>& templateTargets_;
    std::string region_;
};

}  // namespace fogbank::s3
