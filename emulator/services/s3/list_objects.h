// One page of ListObjects / ListObjectsV2: keys after a marker under a prefix, rolled up into
// CommonPrefixes at the delimiter, at most max-keys entries (keys and prefixes together).
#pragma once

#include "emulator/services/s3/object_store.h"

#include <string>
#include <vector>

namespace fogbank::s3 {

struct ListPage {
    std::vector<ObjectInfo> contents;
    std::vector<std::string> commonPrefixes;
    bool truncated = false;
    std::string lastReturned;  // the last key or common prefix on the page (V1's NextMarker)
    std::string resumeAfter;   // where the next page starts (V2's continuation token)
};

ListPage listPage(ObjectStore& store, const std::string& bucket, const std::string& prefix,
                  const std::string& delimiter, const std::string& after, int maxKeys);

}  // namespace fogbank::s3
