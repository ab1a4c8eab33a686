#include "emulator/services/s3/list_objects.h"

namespace fogbank::s3 {

ListPage listPage(ObjectStore& store, const std::string& bucket, const std::string& prefix,
                  const std::string& delimiter, const std::string& after, int maxKeys) {
    ListPage page;
    std::string cursor = after;
    int count = 0;
    constexpr int kBatch = 1000;
    for (;;) {
        const auto batch = store.listObjects(bucket, prefix, cursor, kBatch);
        if (batch.empty()) return page;
        bool skipped = false;
        for (const auto& object : batch) {
            std::string rolledUp;
            if (!delimiter.empty()) {
                const auto at = object.key.find(delimiter, prefix.size());
                if (at != std::string::npos) rolledUp = object.key.substr(0, at + delimiter.size());
            }
            if (count == maxKeys) {
                page.truncated = true;
                return page;
            }
            if (!rolledUp.empty()) {
                // 0xFF never occurs in UTF-8, so this sorts after every key under the prefix:
                // the next query jumps past them instead of reading them all.
                cursor = rolledUp + '\xff';
                skipped = true;
                if (rolledUp != after) {
                    page.commonPrefixes.push_back(rolledUp);
                    page.lastReturned = rolledUp;
                    page.resumeAfter = cursor;
                    ++count;
                }
                break;
            }
            page.contents.push_back(object);
            page.lastReturned = object.key;
            page.resumeAfter = object.key;
            cursor = object.key;
            ++count;
        }
        if (!skipped && static_cast<int>(batch.size()) < kBatch) return page;
    }
}

}  // namespace fogbank::s3
