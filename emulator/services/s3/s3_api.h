// The S3 service on the edge port: S3's REST/XML API (path-style /bucket/key and virtual-host
// BUCKET.localhost) as the aws CLI and the SDKs speak it, with SigV4 header or presigned-URL
// auth accepted as is, aws-chunked uploads and flexible checksums, multipart uploads, and bucket
// notifications that invoke functions asynchronously in the trace of the request that caused
// them. The template's AWS::S3::Bucket resources exist from the start.
//
// This folder owns S3's wire protocol and the objects' storage (ObjectStore). It must never run
// a function itself (it hands invocations to the engine), never use an object key as a file
// path, never answer before what it acknowledges is durable, and never block the io thread:
// disk work runs on its own small pool and the answer is posted back.
#pragma once

#include "emulator/edge/edge_server.h"
#include "emulator/project/project.h"
#include "emulator/runtime/invocation.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fogbank::s3 {

class BucketBrowserOps;
class ObjectStore;
struct NotificationTarget;

class S3Api {
  public:
    // Called on the io thread, for notifications; the request carries trigger S3 and the
    // trace of the call that caused it.
    using Invoke = std::function<void(InvokeRequest)>;
    using Exists = std::function<bool(const std::string& nameOrArn)>;

    // Opens the store under `stateDir` and creates the template's buckets; throws when the
    // store cannot be opened.
    S3Api(boost::asio::io_context& io, const Project& project,
          const std::filesystem::path& stateDir, Invoke invoke, Exists exists);
    ~S3Api();
    S3Api(const S3Api&) = delete;
    S3Api& operator=(const S3Api&) = delete;

    // On the io thread; answers later, from it.
    void handle(net::Request&& request, ServiceCall call);
    // Where the edge should stream large uploads: on the store's file system, so that a plain
    // body becomes its object's blob by a rename.
    std::filesystem::path spoolDir() const;

    // The window's bucket browser: runs `work` on this service's pool, then sends the
    // notifications it returns as the API's own changes do (trigger S3, without a trace).
    using Notifications = std::vector<std::pair<NotificationTarget, std::string>>;
    void browse(std::function<Notifications(BucketBrowserOps&)> work);

    struct Outcome;

  private:
    void finish(ServiceCall& call, Outcome& outcome);

    boost::asio::io_context& io_;
    std::string region_;
    Invoke invoke_;
    Exists exists_;
    std::map<std::string, std::vector<NotificationTarget>> templateTargets_;  // by bucket name
    std::unique_ptr<ObjectStore> store_;
    std::unique_ptr<BucketBrowserOps> browser_;
    // Last: joined first on destruction, while the store is still there.
    boost::asio::thread_pool pool_{2};
};

}  // namespace fogbank::s3
