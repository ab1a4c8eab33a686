#include "emulator/services/s3/s3_api.h"

#include "emulator/net/url_encoding.h"

#include "emulator/crypto/digest.h"
#include "emulator/net/base64.h"
#include "emulator/services/s3/bucket_browser_ops.h"
#include "emulator/services/s3/bucket_notifications.h"
#include "emulator/services/s3/list_objects.h"
#include "emulator/services/s3/object_events.h"
#include "emulator/services/s3/object_store.h"
#include "emulator/services/s3/received_body.h"
#include "emulator/services/s3/s3_request.h"
#include "emulator/services/s3/s3_xml.h"
#include "emulator/trace/ids.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>

namespace fogbank::s3 {

namespace http = boost::beast::http;
using Clock = std::chrono::system_clock;

struct S3Api::Outcome {
    net::Response response;
    // Set instead of a string body when an object's bytes are sent from its blob file.
    std::optional<net::FileResponse> file;
    // Notifications to send once the answer is out: (target, payload).
    std::vector<std::pair<NotificationTarget, std::string>> notifications;
};

namespace {

constexpr std::int64_t kMinPartSize = 5 * 1024 * 1024;
constexpr std::size_t kMaxKeyBytes = 1024;
// Object bytes up to this size are read into the response; larger ones go out from the file.
constexpr std::int64_t kStreamAbove = 256 * 1024;

std::string quotedEtag(const std::string& etag) {
    return "\"" + etag + "\"";
}
std::string unquoted(std::string_view etag) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1);
    if (!etag.empty() && etag.back() == '"') etag.remove_suffix(1);
    return std::string(etag);
}

std::string hexToBytes(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

// The operation a request asks for, by method, address and subresource.
std::string operationOf(const net::Request& request, const S3Request& target) {
    const auto method = request.method();
    const bool copy = request.find("x-amz-copy-source") != request.end();
    if (target.bucket.empty()) return method == http::verb::get ? "ListBuckets" : "Unsupported";
    if (target.key.empty()) {
        switch (method) {
            case http::verb::put:
                if (target.has("notification")) return "PutBucketNotificationConfiguration";
                if (target.query.empty()) return "CreateBucket";
                return "Unsupported";
            case http::verb::delete_:
                return target.query.empty() ? "DeleteBucket" : "Unsupported";
            case http::verb::head:
                return "HeadBucket";
            case http::verb::get:
                if (target.has("location")) return "GetBucketLocation";
                if (target.has("notification")) return "GetBucketNotificationConfiguration";
                if (target.has("uploads")) return "ListMultipartUploads";
                if (target.has("versioning")) return "GetBucketVersioning";
                if (target.param("list-type") == "2") return "ListObjectsV2";
                for (const char* sub :
                     {"acl", "policy", "cors", "lifecycle", "tagging", "encryption", "website",
                      "logging", "replication", "versions", "object-lock", "ownershipControls"})
                    if (target.has(sub)) return "Unsupported";
                return "ListObjects";
            case http::verb::post:
                return target.has("delete") ? "DeleteObjects" : "Unsupported";
            default:
                return "Unsupported";
        }
    }
    switch (method) {
        case http::verb::put:
            if (target.has("uploadId") && target.has("partNumber"))
                return copy ? "UploadPartCopy" : "UploadPart";
            for (const char* sub : {"acl", "tagging", "retention", "legal-hold", "restore"})
                if (target.has(sub)) return "Unsupported";
            return copy ? "CopyObject" : "PutObject";
        case http::verb::get:
            if (target.has("uploadId")) return "ListParts";
            if (target.has("acl") || target.has("tagging") || target.has("attributes"))
                return "Unsupported";
            return "GetObject";
        case http::verb::head:
            return "HeadObject";
        case http::verb::delete_:
            return target.has("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
        case http::verb::post:
            if (target.has("uploads")) return "CreateMultipartUpload";
            if (target.has("uploadId")) return "CompleteMultipartUpload";
            return "Unsupported";
        default:
            return "Unsupported";
    }
}

// One request being served, off the io thread.
class Operation {
  public:
    Operation(net::Request& request, std::shared_ptr<net::SpooledBody> spooled,
              const S3Request& target, ObjectStore& store, std::string requestId,
              const std::string& region,
              const std::map<std::string, std::vector<NotificationTarget>>& templateTargets,
              const S3Api::Exists& exists)
        : request_(request),
          spooled_(std::move(spooled)),
          target_(target),
          store_(store),
          requestId_(std::move(requestId)),
          region_(region),
          templateTargets_(templateTargets),
          exists_(exists) {}

    S3Api::Outcome run(const std::string& operation);

  private:
    net::Response respond(unsigned status, std::string body = {},
                          std::string contentType = "application/xml") {
        net::Response response{static_cast<http::status>(status), request_.version()};
        if (!body.empty()) response.set(http::field::content_type, contentType);
        response.body() = std::move(body);
        return response;
    }

    BucketInfo requireBucket() {
        auto bucket = store_.bucket(target_.bucket);
        if (!bucket)
            failWith(404, "NoSuchBucket", "The specified bucket does not exist", "BucketName",
                     target_.bucket);
        return *bucket;
    }
    ObjectInfo requireObject(const std::string& bucket, const std::string& key) {
        auto object = store_.object(bucket, key);
        if (!object) failWith(404, "NoSuchKey", "The specified key does not exist.", "Key", key);
        return *object;
    }
    UploadInfo requireUpload() {
        auto upload = store_.upload(target_.param("uploadId"));
        if (!upload || upload->bucket != target_.bucket || upload->key != target_.key)
            failWith(404, "NoSuchUpload",
                     "The specified upload does not exist. The upload ID may be invalid, or the "
                     "upload may have been aborted or completed.",
                     "UploadId", target_.param("uploadId"));
        return *upload;
    }

    // BadDigest when the body is not what its Content-MD5 or checksum says; else the
    // checksum (if any) becomes the object's.
    void checkDigests(const ReceivedBody& body, ObjectInfo& object);
    std::map<std::string, std::string> objectHeaders();
    void addEvent(const std::string& name, const ObjectInfo& object);
    void setObjectHeaders(net::Response& response, const ObjectInfo& object, bool whole);
    // 304/412 by the conditional headers, or nothing.
    void checkConditions(const ObjectInfo& object);
    std::pair<std::string, std::string> copySource();

    net::Response listBuckets();
    net::Response createBucket();
    net::Response deleteBucket();
    net::Response listObjects(bool v2);
    net::Response putNotification();
    net::Response getNotification();
    net::Response putObject();
    net::Response copyObject();
    net::Response getObject(bool head, std::optional<net::FileResponse>& file);
    net::Response deleteObject();
    net::Response deleteObjects();
    net::Response createUpload();
    net::Response uploadPart(bool copy);
    net::Response completeUpload();
    net::Response abortUpload();
    net::Response listParts();
    net::Response listUploads();

    net::Request& request_;
    std::shared_ptr<net::SpooledBody> spooled_;
    const S3Request& target_;
    ObjectStore& store_;
    std::string requestId_;
    const std::string& region_;
    const std::map<std::string, std::vector<NotificationTarget>>& templateTargets_;
    const S3Api::Exists& exists_;
    std::vector<std::pair<NotificationTarget, std::string>> notifications_;
};

S3Api::Outcome Operation::run(const std::string& operation) {
    S3Api::Outcome outcome;
    const bool head = request_.method() == http::verb::head;
    try {
        if (target_.key.size() > kMaxKeyBytes)
            failWith(400, "KeyTooLongError", "Your key is too long", "Key", target_.key);
        if (operation == "ListBuckets")
            outcome.response = listBuckets();
        else if (operation == "CreateBucket")
            outcome.response = createBucket();
        else if (operation == "DeleteBucket")
            outcome.response = deleteBucket();
        else if (operation == "HeadBucket") {
            requireBucket();
            outcome.response = respond(200);
            outcome.response.set("x-amz-bucket-region", region_);
        } else if (operation == "GetBucketLocation") {
            requireBucket();
            const std::string location = region_ == "us-east-1" ? "" : xmlEscape(region_);
            outcome.response = respond(
                200, R"(<?xml version="1.0" encoding="UTF-8"?>)"
                     "\n<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" +
                         location + "</LocationConstraint>");
        } else if (operation == "GetBucketVersioning") {
            requireBucket();
            outcome.response = respond(200, XmlWriter("VersioningConfiguration").finish());
        } else if (operation == "ListObjects")
            outcome.response = listObjects(false);
        else if (operation == "ListObjectsV2")
            outcome.response = listObjects(true);
        else if (operation == "PutBucketNotificationConfiguration")
            outcome.response = putNotification();
        else if (operation == "GetBucketNotificationConfiguration")
            outcome.response = getNotification();
        else if (operation == "PutObject")
            outcome.response = putObject();
        else if (operation == "CopyObject")
            outcome.response = copyObject();
        else if (operation == "GetObject")
            outcome.response = getObject(false, outcome.file);
        else if (operation == "HeadObject")
            outcome.response = getObject(true, outcome.file);
        else if (operation == "DeleteObject")
            outcome.response = deleteObject();
        else if (operation == "DeleteObjects")
            outcome.response = deleteObjects();
        else if (operation == "CreateMultipartUpload")
            outcome.response = createUpload();
        else if (operation == "UploadPart")
            outcome.response = uploadPart(false);
        else if (operation == "UploadPartCopy")
            outcome.response = uploadPart(true);
        else if (operation == "CompleteMultipartUpload")
            outcome.response = completeUpload();
        else if (operation == "AbortMultipartUpload")
            outcome.response = abortUpload();
        else if (operation == "ListParts")
            outcome.response = listParts();
        else if (operation == "ListMultipartUploads")
            outcome.response = listUploads();
        else
            failWith(501, "NotImplemented",
                     "Fogbank's S3 does not implement " + std::string(request_.method_string()) +
                         " " + std::string(request_.target()));
        outcome.notifications = std::move(notifications_);
    } catch (const S3Failure& failure) {
        outcome.response = respond(failure.error.status,
                                   head ? std::string() : errorDocument(failure.error, requestId_));
        outcome.response.set("x-amzn-ErrorType", failure.error.code);
        if (failure.error.code == "InvalidRange") {
            if (auto object = store_.object(target_.bucket, target_.key))
                outcome.response.set(http::field::content_range,
                                     "bytes */" + std::to_string(object->size));
        }
    } catch (const std::exception& e) {
        spdlog::error("s3: {} {} failed: {}", operation, std::string(request_.target()), e.what());
        S3Error error{500, "InternalError", std::string("Fogbank could not do this: ") + e.what(),
                      "", ""};
        outcome.response = respond(500, head ? std::string() : errorDocument(error, requestId_));
        outcome.response.set("x-amzn-ErrorType", "InternalError");
    }
    auto stamp = [&](auto& message) {
        message.set("x-amz-request-id", requestId_);
        message.set("x-amz-id-2", "fogbank/" + requestId_);
        message.set(http::field::server, "AmazonS3");
    };
    stamp(outcome.response);
    if (outcome.file) stamp(*outcome.file);
    return outcome;
}

net::Response Operation::listBuckets() {
    XmlWriter xml("ListAllMyBucketsResult");
    xml.open("Owner").leaf("ID", "fogbank").leaf("DisplayName", "fogbank").close();
    xml.open("Buckets");
    for (const auto& bucket : store_.buckets())
        xml.open("Bucket")
            .leaf("Name", bucket.name)
            .leaf("CreationDate", isoDate(bucket.created))
            .close();
    return respond(200, xml.finish());
}

net::Response Operation::createBucket() {
    if (!validBucketName(target_.bucket))
        failWith(400, "InvalidBucketName", "The specified bucket is not valid.", "BucketName",
                 target_.bucket);
    if (!store_.createBucket(target_.bucket))
        failWith(409, "BucketAlreadyOwnedByYou",
                 "Your previous request to create the named bucket succeeded and you already own "
                 "it.",
                 "BucketName", target_.bucket);
    auto response = respond(200);
    response.set(http::field::location, "/" + target_.bucket);
    return response;
}

net::Response Operation::deleteBucket() {
    switch (store_.deleteBucket(target_.bucket)) {
        case BucketDeletion::NoSuchBucket:
            failWith(404, "NoSuchBucket", "The specified bucket does not exist", "BucketName",
                     target_.bucket);
        case BucketDeletion::NotEmpty:
            failWith(409, "BucketNotEmpty", "The bucket you tried to delete is not empty",
                     "BucketName", target_.bucket);
        case BucketDeletion::Deleted:
            break;
    }
    return respond(204);
}

net::Response Operation::listObjects(bool v2) {
    requireBucket();
    const bool encode = target_.param("encoding-type") == "url";
    auto out = [encode](const std::string& text) {
        return encode ? net::percentEncode(text) : text;
    };
    const std::string prefix = target_.param("prefix");
    const std::string delimiter = target_.param("delimiter");
    int maxKeys = 1000;
    if (target_.has("max-keys")) {
        try {
            maxKeys = std::clamp(std::stoi(target_.param("max-keys")), 0, 1000);
        } catch (const std::exception&) {
            failWith(400, "InvalidArgument",
                     "Provided max-keys not an integer or within "
                     "integer range",
                     "ArgumentName", "max-keys");
        }
    }
    std::string after;
    if (v2) {
        if (target_.has("continuation-token")) {
            auto decoded = base64Decode(target_.param("continuation-token"));
            if (!decoded)
                failWith(400, "InvalidArgument", "The continuation token provided is incorrect",
                         "ArgumentName", "continuation-token");
            after = *decoded;
        } else {
            after = target_.param("start-after");
        }
    } else {
        after = target_.param("marker");
    }
    const ListPage page = listPage(store_, target_.bucket, prefix, delimiter, after, maxKeys);

    XmlWriter xml("ListBucketResult");
    xml.leaf("Name", target_.bucket).leaf("Prefix", out(prefix));
    if (v2) {
        if (target_.has("continuation-token"))
            xml.leaf("ContinuationToken", target_.param("continuation-token"));
        if (target_.has("start-after")) xml.leaf("StartAfter", out(target_.param("start-after")));
        xml.leaf("KeyCount", std::to_string(page.contents.size() + page.commonPrefixes.size()));
        if (page.truncated) xml.leaf("NextContinuationToken", base64Encode(page.resumeAfter));
    } else {
        xml.leaf("Marker", out(after));
        if (page.truncated && !delimiter.empty()) xml.leaf("NextMarker", out(page.lastReturned));
    }
    xml.leaf("MaxKeys", std::to_string(maxKeys));
    if (!delimiter.empty()) xml.leaf("Delimiter", out(delimiter));
    if (encode) xml.leaf("EncodingType", "url");
    xml.leaf("IsTruncated", page.truncated ? "true" : "false");
    for (const auto& object : page.contents) {
        xml.open("Contents")
            .leaf("Key", out(object.key))
            .leaf("LastModified", isoDate(object.modified))
            .leaf("ETag", quotedEtag(object.etag))
            .leaf("Size", std::to_string(object.size))
            .leaf("StorageClass", "STANDARD");
        if (!v2 || target_.param("fetch-owner") == "true")
            xml.open("Owner").leaf("ID", "fogbank").leaf("DisplayName", "fogbank").close();
        xml.close();
    }
    for (const auto& common : page.commonPrefixes)
        xml.open("CommonPrefixes").leaf("Prefix", out(common)).close();
    return respond(200, xml.finish());
}

net::Response Operation::putNotification() {
    const auto bucket = requireBucket();
    std::string error;
    auto targets = parseNotificationConfiguration(request_.body(), error);
    if (!targets) failWith(400, "MalformedXML", error);
    for (const auto& t : *targets) {
        if (!exists_(t.function))
            failWith(400, "InvalidArgument",
                     "Unable to validate the following destination configurations: no function " +
                         t.function + " in the template",
                     "ArgumentName", t.function);
    }
    store_.setNotification(bucket.name, notificationConfigurationXml(*targets));
    return respond(200);
}

net::Response Operation::getNotification() {
    const auto bucket = requireBucket();
    std::vector<NotificationTarget> all;
    if (auto it = templateTargets_.find(bucket.name); it != templateTargets_.end())
        all = it->second;
    std::string ignored;
    if (auto set = parseNotificationConfiguration(bucket.notificationXml, ignored))
        all.insert(all.end(), set->begin(), set->end());
    return respond(200, notificationConfigurationXml(all));
}

void Operation::checkDigests(const ReceivedBody& body, ObjectInfo& object) {
    if (const std::string md5 = header(request_, "content-md5"); !md5.empty()) {
        auto expected = base64Decode(md5);
        if (!expected || expected->size() != 16)
            failWith(400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
        if (*expected != hexToBytes(body.md5))
            failWith(400, "BadDigest",
                     "The Content-MD5 you specified did not match what we received.");
    }
    if (body.checksumAlgorithm.empty()) return;
    const std::string name = "x-amz-checksum-" + body.checksumAlgorithm;
    std::string given = header(request_, name);
    if (auto it = body.trailers.find(name); it != body.trailers.end()) given = it->second;
    if (!given.empty() && given != body.checksum)
        failWith(400, "BadDigest",
                 "The " + body.checksumAlgorithm +
                     " you specified did not match the calculated checksum.");
    object.checksumName = name;
    object.checksumValue = body.checksum;
}

std::map<std::string, std::string> Operation::objectHeaders() {
    std::map<std::string, std::string> out;
    for (const auto& field : request_) {
        const std::string name = lower(std::string(field.name_string()));
        if (name.starts_with("x-amz-meta-") || name == "content-type" ||
            name == "content-disposition" || name == "content-language" ||
            name == "cache-control" || name == "expires" || name == "x-amz-storage-class" ||
            name == "x-amz-website-redirect-location") {
            out[name] = std::string(field.value());
        } else if (name == "content-encoding") {
            // aws-chunked is how the body travelled, not what the object is.
            std::string kept;
            std::string_view rest = field.value();
            while (!rest.empty()) {
                const auto comma = rest.find(',');
                std::string_view part = rest.substr(0, comma);
                while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
                while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
                if (!part.empty() && part != "aws-chunked")
                    kept += (kept.empty() ? "" : ",") + std::string(part);
                rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
            }
            if (!kept.empty()) out[name] = kept;
        }
    }
    if (!out.contains("content-type")) out["content-type"] = "binary/octet-stream";
    return out;
}

void Operation::addEvent(const std::string& name, const ObjectInfo& object) {
    auto more = objectNotifications(store_, templateTargets_, name, object, requestId_, region_);
    notifications_.insert(notifications_.end(), std::make_move_iterator(more.begin()),
                          std::make_move_iterator(more.end()));
}

net::Response Operation::putObject() {
    requireBucket();
    ReceivedBody body = receiveBody(store_, request_, spooled_, "");
    ObjectInfo object;
    object.bucket = target_.bucket;
    object.key = target_.key;
    object.size = body.size;
    object.etag = body.md5;
    object.headers = objectHeaders();
    checkDigests(body, object);
    object.blob = body.keep();
    object.modified = Clock::now();
    try {
        store_.putObject(object);
    } catch (...) {
        store_.discardBlob(object.blob);
        throw;
    }
    auto response = respond(200);
    response.set(http::field::etag, quotedEtag(object.etag));
    if (!object.checksumName.empty()) response.set(object.checksumName, object.checksumValue);
    addEvent("ObjectCreated:Put", object);
    return response;
}

std::pair<std::string, std::string> Operation::copySource() {
    std::string source = net::percentDecode(header(request_, "x-amz-copy-source"));
    source = source.substr(0, source.find("?versionId="));
    if (source.starts_with('/')) source.erase(0, 1);
    const auto slash = source.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == source.size())
        failWith(400, "InvalidArgument",
                 "Copy Source must mention the source bucket and key: "
                 "sourcebucket/sourcekey",
                 "ArgumentName", "x-amz-copy-source");
    return {source.substr(0, slash), source.substr(slash + 1)};
}

net::Response Operation::copyObject() {
    requireBucket();
    const auto [sourceBucket, sourceKey] = copySource();
    if (!store_.bucket(sourceBucket))
        failWith(404, "NoSuchBucket", "The specified bucket does not exist", "BucketName",
                 sourceBucket);
    const ObjectInfo source = requireObject(sourceBucket, sourceKey);
    const bool replace = header(request_, "x-amz-metadata-directive") == "REPLACE";
    if (sourceBucket == target_.bucket && sourceKey == target_.key && !replace)
        failWith(400, "InvalidRequest",
                 "This copy request is illegal because it is trying to copy an object to itself "
                 "without changing the object's metadata, storage class, website redirect "
                 "location or encryption attributes.");
    ObjectInfo object = source;
    object.bucket = target_.bucket;
    object.key = target_.key;
    if (replace) object.headers = objectHeaders();
    object.blob = store_.concatBlobs({source.blob});
    object.modified = Clock::now();
    try {
        store_.putObject(object);
    } catch (...) {
        store_.discardBlob(object.blob);
        throw;
    }
    XmlWriter xml("CopyObjectResult");
    xml.leaf("LastModified", isoDate(object.modified)).leaf("ETag", quotedEtag(object.etag));
    addEvent("ObjectCreated:Copy", object);
    return respond(200, xml.finish());
}

void Operation::checkConditions(const ObjectInfo& object) {
    const std::string etag = quotedEtag(object.etag);
    auto listed = [&](const std::string& value) {
        std::string_view rest = value;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            std::string_view part = rest.substr(0, comma);
            while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
            while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
            if (part == "*" || unquoted(part) == object.etag) return true;
            rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
        }
        return false;
    };
    const auto modified = std::chrono::floor<std::chrono::seconds>(object.modified);
    const std::string ifMatch = header(request_, "if-match");
    const std::string ifNoneMatch = header(request_, "if-none-match");
    if (!ifMatch.empty() && !listed(ifMatch))
        failWith(412, "PreconditionFailed",
                 "At least one of the pre-conditions you specified did not hold", "Condition",
                 "If-Match");
    if (ifMatch.empty()) {
        if (auto since = parseHttpDate(header(request_, "if-unmodified-since"));
            since && modified > *since)
            failWith(412, "PreconditionFailed",
                     "At least one of the pre-conditions you specified did not hold", "Condition",
                     "If-Unmodified-Since");
    }
    auto notModified = [&] {
        S3Failure failure{{304, "NotModified", "Not Modified", "", ""}};
        throw failure;
    };
    if (!ifNoneMatch.empty() && listed(ifNoneMatch)) notModified();
    if (ifNoneMatch.empty()) {
        if (auto since = parseHttpDate(header(request_, "if-modified-since"));
            since && modified <= *since)
            notModified();
    }
    (void)etag;
}

void Operation::setObjectHeaders(net::Response& response, const ObjectInfo& object, bool whole) {
    for (const auto& [name, value] : object.headers) response.set(name, value);
    response.set(http::field::etag, quotedEtag(object.etag));
    response.set(http::field::last_modified, httpDate(object.modified));
    response.set(http::field::accept_ranges, "bytes");
    if (object.parts) response.set("x-amz-mp-parts-count", std::to_string(object.parts));
    // The stored checksum covers the whole object: S3 leaves it off a ranged GET, and SDKs that
    // validate responses (JS v3 asks for checksums by default) would reject the range otherwise.
    if (whole && !object.checksumName.empty() &&
        lower(header(request_, "x-amz-checksum-mode")) == "enabled")
        response.set(object.checksumName, object.checksumValue);
    // Presigned URLs may override what the object is served as.
    for (const auto& [param, field] : std::initializer_list<std::pair<const char*, const char*>>{
             {"response-content-type", "content-type"},
             {"response-content-disposition", "content-disposition"},
             {"response-content-encoding", "content-encoding"},
             {"response-content-language", "content-language"},
             {"response-cache-control", "cache-control"},
             {"response-expires", "expires"}})
        if (target_.has(param)) response.set(field, target_.param(param));
}

net::Response Operation::getObject(bool head, std::optional<net::FileResponse>& file) {
    requireBucket();
    ObjectInfo object = requireObject(target_.bucket, target_.key);
    // Opened first: an overwrite that lands meanwhile removes the old blob's name, but the open
    // file still reads the object as it was when this request found it.
    boost::beast::file blob;
    for (int attempt = 0; !head; ++attempt) {
        boost::beast::error_code ec;
        blob.open(store_.blobPath(object.blob).c_str(), boost::beast::file_mode::read, ec);
        if (!ec) break;
        if (attempt == 3 || ec != boost::beast::errc::no_such_file_or_directory)
            throw std::runtime_error("cannot open the bytes of " + object.bucket + "/" +
                                     object.key + ": " + ec.message());
        object = requireObject(target_.bucket, target_.key);
    }
    try {
        checkConditions(object);
    } catch (const S3Failure& failure) {
        if (failure.error.status != 304) throw;
        auto response = respond(304);
        response.set(http::field::etag, quotedEtag(object.etag));
        response.set(http::field::last_modified, httpDate(object.modified));
        return response;
    }
    std::int64_t first = 0;
    std::int64_t last = object.size - 1;
    bool ranged = false;
    if (const std::string range = header(request_, "range"); range.starts_with("bytes=")) {
        const std::string spec = range.substr(6);
        const auto dash = spec.find('-');
        if (dash == std::string::npos || spec.find(',') != std::string::npos)
            failWith(416, "InvalidRange", "The requested range is not satisfiable",
                     "RangeRequested", range);
        try {
            const std::string a = spec.substr(0, dash);
            const std::string b = spec.substr(dash + 1);
            if (a.empty()) {
                const std::int64_t suffix = std::stoll(b);
                if (suffix <= 0 || object.size == 0)
                    failWith(416, "InvalidRange", "The requested range is not satisfiable",
                             "RangeRequested", range);
                first = std::max<std::int64_t>(0, object.size - suffix);
            } else {
                first = std::stoll(a);
                if (!b.empty()) last = std::min<std::int64_t>(last, std::stoll(b));
                if (!b.empty() && std::stoll(b) < first)
                    failWith(416, "InvalidRange", "The requested range is not satisfiable",
                             "RangeRequested", range);
            }
        } catch (const std::logic_error&) {
            failWith(416, "InvalidRange", "The requested range is not satisfiable",
                     "RangeRequested", range);
        }
        if (first >= object.size)
            failWith(416, "InvalidRange", "The requested range is not satisfiable",
                     "RangeRequested", range);
        ranged = true;
    }
    auto response = respond(ranged ? 206 : 200);
    setObjectHeaders(response, object, !ranged);
    const std::int64_t length = object.size == 0 ? 0 : last - first + 1;
    if (ranged)
        response.set(http::field::content_range, "bytes " + std::to_string(first) + "-" +
                                                     std::to_string(last) + "/" +
                                                     std::to_string(object.size));
    if (head) {
        response.content_length(static_cast<std::uint64_t>(length));
    } else if (length > kStreamAbove) {
        file.emplace(std::move(response.base()));
        file->body() = net::FileSlice{std::move(blob), static_cast<std::uint64_t>(first),
                                      static_cast<std::uint64_t>(length)};
        return respond(200);  // unused: the file response goes out instead
    } else if (length > 0) {
        boost::beast::error_code ec;
        blob.seek(static_cast<std::uint64_t>(first), ec);
        std::string bytes(static_cast<std::size_t>(length), '\0');
        std::size_t done = 0;
        while (!ec && done < bytes.size()) {
            const std::size_t n = blob.read(bytes.data() + done, bytes.size() - done, ec);
            if (n == 0) break;
            done += n;
        }
        if (ec || done != bytes.size())
            throw std::runtime_error("the blob of " + object.bucket + "/" + object.key +
                                     " is shorter than its recorded size");
        response.body() = std::move(bytes);
    }
    return response;
}

net::Response Operation::deleteObject() {
    requireBucket();
    const auto existing = store_.object(target_.bucket, target_.key);
    if (existing && store_.deleteObject(target_.bucket, target_.key))
        addEvent("ObjectRemoved:Delete", *existing);
    return respond(204);
}

net::Response Operation::deleteObjects() {
    requireBucket();
    const auto tree = parseXml(request_.body());
    const auto root = tree ? tree->get_child_optional("Delete") : boost::none;
    if (!root)
        failWith(400, "MalformedXML",
                 "The XML you provided was not well-formed or did not validate against our "
                 "published schema");
    const bool quiet = root->get("Quiet", "false") == "true";
    XmlWriter xml("DeleteResult");
    int count = 0;
    for (const auto& [name, entry] : *root) {
        if (name != "Object") continue;
        if (++count > 1000) failWith(400, "MalformedXML", "DeleteObjects takes at most 1000 keys");
        const std::string key = entry.get("Key", "");
        const auto existing = store_.object(target_.bucket, key);
        if (existing && store_.deleteObject(target_.bucket, key))
            addEvent("ObjectRemoved:Delete", *existing);
        if (!quiet) xml.open("Deleted").leaf("Key", key).close();
    }
    return respond(200, xml.finish());
}

net::Response Operation::createUpload() {
    requireBucket();
    ObjectInfo pending;
    pending.bucket = target_.bucket;
    pending.key = target_.key;
    pending.headers = objectHeaders();
    if (auto algorithm = lower(header(request_, "x-amz-checksum-algorithm")); !algorithm.empty())
        pending.checksumName = "x-amz-checksum-" + algorithm;
    const UploadInfo upload = store_.createUpload(pending);
    XmlWriter xml("InitiateMultipartUploadResult");
    xml.leaf("Bucket", upload.bucket).leaf("Key", upload.key).leaf("UploadId", upload.id);
    auto response = respond(200, xml.finish());
    if (!pending.checksumName.empty())
        response.set("x-amz-checksum-algorithm", pending.checksumName.substr(15));
    return response;
}

net::Response Operation::uploadPart(bool copy) {
    requireBucket();
    const UploadInfo upload = requireUpload();
    int number = 0;
    try {
        number = std::stoi(target_.param("partNumber"));
    } catch (const std::exception&) {
    }
    if (number < 1 || number > 10000)
        failWith(400, "InvalidArgument",
                 "Part number must be an integer between 1 and 10000, "
                 "inclusive",
                 "ArgumentName", "partNumber");
    PartInfo part;
    part.number = number;
    ObjectInfo digests;
    if (copy) {
        const auto [sourceBucket, sourceKey] = copySource();
        const ObjectInfo source = requireObject(sourceBucket, sourceKey);
        std::int64_t first = 0;
        std::int64_t last = source.size - 1;
        if (const std::string range = header(request_, "x-amz-copy-source-range"); !range.empty()) {
            try {
                const auto dash = range.find('-');
                first = std::stoll(range.substr(6, dash - 6));
                last = std::stoll(range.substr(dash + 1));
            } catch (const std::exception&) {
                failWith(400, "InvalidArgument",
                         "The x-amz-copy-source-range value must be of the "
                         "form bytes=first-last",
                         "ArgumentName", "x-amz-copy-source-range");
            }
            if (!range.starts_with("bytes=") || first > last || last >= source.size)
                failWith(400, "InvalidRange", "The requested range is not satisfiable");
        }
        auto copied = store_.copyBlobRange(source.blob, first, last - first + 1);
        part.size = copied.size;
        part.etag = copied.md5;
        part.blob = copied.blob;
    } else {
        const std::string pending = upload.pending.checksumName;
        ReceivedBody body = receiveBody(
            store_, request_, spooled_,
            pending.starts_with("x-amz-checksum-") ? pending.substr(15) : std::string());
        checkDigests(body, digests);
        part.size = body.size;
        part.etag = body.md5;
        part.blob = body.keep();
    }
    part.modified = Clock::now();
    try {
        store_.putPart(upload.id, part);
    } catch (...) {
        store_.discardBlob(part.blob);
        throw;
    }
    if (copy) {
        XmlWriter xml("CopyPartResult");
        xml.leaf("LastModified", isoDate(part.modified)).leaf("ETag", quotedEtag(part.etag));
        return respond(200, xml.finish());
    }
    auto response = respond(200);
    response.set(http::field::etag, quotedEtag(part.etag));
    if (!digests.checksumName.empty()) response.set(digests.checksumName, digests.checksumValue);
    return response;
}

net::Response Operation::completeUpload() {
    requireBucket();
    const UploadInfo upload = requireUpload();
    const auto tree = parseXml(request_.body());
    const auto root = tree ? tree->get_child_optional("CompleteMultipartUpload") : boost::none;
    if (!root)
        failWith(400, "MalformedXML",
                 "The XML you provided was not well-formed or did not validate against our "
                 "published schema");
    std::map<int, PartInfo> stored;
    for (auto& part : store_.parts(upload.id)) stored[part.number] = part;
    std::vector<PartInfo> chosen;
    for (const auto& [name, entry] : *root) {
        if (name != "Part") continue;
        const int number = entry.get("PartNumber", 0);
        const std::string etag = unquoted(entry.get("ETag", ""));
        if (!chosen.empty() && number <= chosen.back().number)
            failWith(400, "InvalidPartOrder",
                     "The list of parts was not in ascending order. The parts list must be "
                     "specified in order by part number.");
        auto it = stored.find(number);
        if (it == stored.end() || it->second.etag != etag)
            failWith(400, "InvalidPart",
                     "One or more of the specified parts could not be found. The part may not "
                     "have been uploaded, or the specified entity tag may not match the part's "
                     "entity tag.",
                     "PartNumber", std::to_string(number));
        chosen.push_back(it->second);
    }
    if (chosen.empty()) failWith(400, "MalformedXML", "You must specify at least one part");
    for (std::size_t i = 0; i + 1 < chosen.size(); ++i)
        if (chosen[i].size < kMinPartSize)
            failWith(400, "EntityTooSmall",
                     "Your proposed upload is smaller than the minimum allowed object size.",
                     "PartNumber", std::to_string(chosen[i].number));
    std::string md5s;
    std::vector<std::string> blobs;
    ObjectInfo object = upload.pending;
    object.size = 0;
    for (const auto& part : chosen) {
        md5s += hexToBytes(part.etag);
        blobs.push_back(part.blob);
        object.size += part.size;
    }
    object.etag = md5Hex(md5s) + "-" + std::to_string(chosen.size());
    object.parts = static_cast<int>(chosen.size());
    object.checksumName.clear();  // composite checksums of parts are not kept
    object.blob = store_.concatBlobs(blobs);
    object.modified = Clock::now();
    try {
        store_.putObject(object);
    } catch (...) {
        store_.discardBlob(object.blob);
        throw;
    }
    store_.removeUpload(upload.id);
    XmlWriter xml("CompleteMultipartUploadResult");
    xml.leaf("Location", "/" + object.bucket + "/" + net::percentEncode(object.key, true))
        .leaf("Bucket", object.bucket)
        .leaf("Key", object.key)
        .leaf("ETag", quotedEtag(object.etag));
    addEvent("ObjectCreated:CompleteMultipartUpload", object);
    return respond(200, xml.finish());
}

net::Response Operation::abortUpload() {
    requireBucket();
    store_.removeUpload(requireUpload().id);
    return respond(204);
}

net::Response Operation::listParts() {
    requireBucket();
    const UploadInfo upload = requireUpload();
    XmlWriter xml("ListPartsResult");
    xml.leaf("Bucket", upload.bucket).leaf("Key", upload.key).leaf("UploadId", upload.id);
    xml.leaf("StorageClass", "STANDARD").leaf("IsTruncated", "false");
    for (const auto& part : store_.parts(upload.id))
        xml.open("Part")
            .leaf("PartNumber", std::to_string(part.number))
            .leaf("LastModified", isoDate(part.modified))
            .leaf("ETag", quotedEtag(part.etag))
            .leaf("Size", std::to_string(part.size))
            .close();
    return respond(200, xml.finish());
}

net::Response Operation::listUploads() {
    requireBucket();
    const std::string prefix = target_.param("prefix");
    XmlWriter xml("ListMultipartUploadsResult");
    xml.leaf("Bucket", target_.bucket).leaf("Prefix", prefix).leaf("IsTruncated", "false");
    for (const auto& upload : store_.uploads(target_.bucket)) {
        if (!upload.key.starts_with(prefix)) continue;
        xml.open("Upload")
            .leaf("Key", upload.key)
            .leaf("UploadId", upload.id)
            .leaf("Initiated", isoDate(upload.initiated))
            .leaf("StorageClass", "STANDARD")
            .close();
    }
    return respond(200, xml.finish());
}

}  // namespace

S3Api::S3Api(boost::asio::io_context& io, const Project& project,
             const std::filesystem::path& stateDir, Invoke invoke, Exists exists)
    : io_(io),
      region_(project.region),
      invoke_(std::move(invoke)),
      exists_(std::move(exists)),
      store_(std::make_unique<ObjectStore>(stateDir)) {
    for (const auto& bucket : project.buckets) {
        store_->createBucket(bucket.bucketName);
        templateTargets_[bucket.bucketName] = templateTargets(project, bucket);
    }
    browser_ = std::make_unique<BucketBrowserOps>(*store_, templateTargets_, region_);
}

S3Api::~S3Api() {
    pool_.join();
}

std::filesystem::path S3Api::spoolDir() const {
    return store_->tmpDir();
}

void S3Api::handle(net::Request&& request, ServiceCall call) {
    S3Request target = parseS3Request(request);
    std::string operation = operationOf(request, target);
    call.describe(operation, target.key.empty() ? target.bucket : target.bucket + "/" + target.key);
    std::string requestId = randomHex(16);
    for (auto& c : requestId) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    call.attribute("aws.request_id", requestId);
    auto spooled = call.spooledBody();
    boost::asio::post(pool_, [this, request = std::move(request), spooled = std::move(spooled),
                              target = std::move(target), operation = std::move(operation),
                              requestId = std::move(requestId), call = std::move(call)]() mutable {
        auto outcome =
            std::make_shared<Outcome>(Operation(request, std::move(spooled), target, *store_,
                                                requestId, region_, templateTargets_, exists_)
                                          .run(operation));
        boost::asio::post(
            io_, [this, outcome, call = std::move(call)]() mutable { finish(call, *outcome); });
    });
}

void S3Api::browse(std::function<Notifications(BucketBrowserOps&)> work) {
    boost::asio::post(pool_, [this, work = std::move(work)] {
        auto notifications = std::make_shared<Notifications>(work(*browser_));
        if (notifications->empty()) return;
        boost::asio::post(io_, [this, notifications] {
            for (auto& [target, payload] : *notifications) {
                InvokeRequest request;
                request.function = target.function;
                request.payload = std::move(payload);
                request.trigger = Trigger::S3;
                invoke_(std::move(request));
            }
        });
    });
}

void S3Api::finish(ServiceCall& call, Outcome& outcome) {
    const std::string trace = call.traceHeader();
    if (outcome.file)
        call.send(std::move(*outcome.file));
    else
        call.send(std::move(outcome.response));
    for (auto& [target, payload] : outcome.notifications) {
        InvokeRequest request;
        request.function = target.function;
        request.payload = std::move(payload);
        request.trigger = Trigger::S3;
        request.traceHeader = trace;
        invoke_(std::move(request));
    }
}

}  // namespace fogbank::s3
