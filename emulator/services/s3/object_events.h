// The notifications one change to an object sends: the template's targets for its bucket plus
// those set through the API, filtered by event name and key. Shared by S3's REST API and the
// window's bucket browser, so that a change made from either notifies exactly alike.
#pragma once

#include "emulator/services/s3/bucket_notifications.h"
#include "emulator/services/s3/object_store.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace fogbank::s3 {

// (target, payload) pairs, to be invoked once the change is acknowledged.
using Notifications = std::vector<std::pair<NotificationTarget, std::string>>;

// `eventName` as records carry it, "ObjectCreated:Put". Reads the bucket's stored configuration,
// so call it off the io thread.
Notifications objectNotifications(
    ObjectStore& store,
    const std::map<std::string, std::vector<NotificationTarget>>& templateTargets,
    const std::string& eventName, const ObjectInfo& object, const std::string& requestId,
    const std::string& region);

}  // namespace fogbank::s3
