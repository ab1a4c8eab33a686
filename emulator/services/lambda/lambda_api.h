// The Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations) as the AWS CLI and SDKs
// call it: RequestResponse, Event and DryRun, X-Amz-Function-Error, X-Amz-Log-Type: Tail, and
// Lambda's own error documents (ResourceNotFoundException, TooManyRequestsException, ...).
//
// This folder owns the Lambda service's wire protocol. It must never run a function itself: it
// hands invocations to the Invoker.
#pragma once

#include "emulator/edge/edge_server.h"
#include "emulator/runtime/invocation.h"

#include <functional>

namespace fogbank {

class LambdaApi {
  public:
    using Invoke = std::function<void(InvokeRequest, std::function<void(InvocationResult)>)>;
    using Exists = std::function<bool(const std::string& nameOrArn)>;
    LambdaApi(Invoke invoke, Exists exists)
        : invoke_(std::move(invoke)), exists_(std::move(exists)) {}

    // The invocation it causes continues the call's trace, with the call's span as its parent.
    void handle(net::Request&& request, ServiceCall call);

  private:
    Invoke invoke_;
    Exists exists_;
};

}  // namespace fogbank
