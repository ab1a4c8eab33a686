#include "emulator/services/lambda/lambda_api.h"

#include "emulator/net/url_encoding.h"

#include "emulator/net/base64.h"
#include "emulator/trace/ids.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace fogbank {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view kFunctions = "/2015-03-31/functions/";
// Lambda's payload limits: 6 MB for a synchronous request, 1 MB for an asynchronous one.
constexpr std::size_t kSyncLimit = 6 * 1024 * 1024;
constexpr std::size_t kAsyncLimit = 1024 * 1024;

std::string header(const net::Request& request, std::string_view name) {
    auto it = request.find(name);
    return it == request.end() ? std::string() : std::string(it->value());
}

void sendError(ServiceCall& call, const net::Request& request, unsigned status,
               const std::string& type, const std::string& message) {
    auto response = net::makeResponse(
        request, status, nlohmann::json{{"Type", "User"}, {"message", message}}.dump());
    response.set("x-amzn-ErrorType", type);
    call.send(std::move(response));
}

}  // namespace

void LambdaApi::handle(net::Request&& request, ServiceCall call) {
    std::string_view target = request.target();
    auto query = target.find('?');
    std::string_view path = target.substr(0, query);
    if (!path.starts_with(kFunctions) || !path.ends_with("/invocations") ||
        request.method() != http::verb::post) {
        return sendError(call, request, 404, "UnknownOperationException",
                         "Fogbank's Lambda API serves Invoke only (POST " +
                             std::string(kFunctions) + "{name}/invocations), not " +
                             std::string(request.method_string()) + " " + std::string(path));
    }
    path.remove_prefix(kFunctions.size());
    path.remove_suffix(std::string_view("/invocations").size());
    std::string function = net::percentDecode(path);
    call.describe("Invoke", function);

    std::string type = header(request, "X-Amz-Invocation-Type");
    if (type.empty()) type = "RequestResponse";
    call.attribute("aws.lambda.invocation_type", type);
    if (type != "RequestResponse" && type != "Event" && type != "DryRun") {
        return sendError(
            call, request, 400, "InvalidParameterValueException",
            "X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not " + type);
    }
    std::string payload = std::move(request.body());
    if (payload.empty()) payload = "{}";
    const std::size_t limit = type == "Event" ? kAsyncLimit : kSyncLimit;
    if (payload.size() > limit) {
        return sendError(call, request, 413, "RequestTooLargeException",
                         "Request must be smaller than " + std::to_string(limit) +
                             " bytes for the " + type + " invocation type");
    }
    if (!nlohmann::json::accept(payload)) {
        return sendError(call, request, 400, "InvalidRequestContentException",
                         "Could not parse request body into json: the payload is not valid JSON");
    }

    InvokeRequest invoke;
    invoke.function = function;
    invoke.payload = std::move(payload);
    invoke.trigger = type == "Event" ? Trigger::Async : Trigger::InvokeApi;
    invoke.traceHeader = call.traceHeader();
    // Known before it runs, so that the call's span names the invocation it caused even when
    // the caller does not wait for it.
    invoke.requestId = newRequestId();
    if (auto context = header(request, "X-Amz-Client-Context"); !context.empty()) {
        auto decoded = base64Decode(context);
        if (!decoded || !nlohmann::json::accept(*decoded))
            return sendError(call, request, 400, "InvalidRequestContentException",
                             "X-Amz-Client-Context must be base64-encoded JSON");
        invoke.clientContext = *decoded;
    }
    const bool tail = header(request, "X-Amz-Log-Type") == "Tail";
    const unsigned version = request.version();

    if (!exists_(invoke.function)) {
        return sendError(call, request, 404, "ResourceNotFoundException",
                         "Function not found: " + invoke.function);
    }
    if (type == "DryRun") return call.send(net::makeResponse(request, 204, ""));
    call.attribute("aws.request_id", invoke.requestId);
    if (type == "Event") {
        // Accepted before it runs, as Lambda queues it: the call's span ends here.
        auto accepted = net::makeResponse(request, 202, "");
        accepted.set("x-amzn-RequestId", invoke.requestId);
        call.send(std::move(accepted));
        invoke_(std::move(invoke), [](InvocationResult result) {
            if (!result.ok())
                spdlog::warn("asynchronous invocation {} of {} failed: {}", result.requestId,
                             result.function, result.errorType);
        });
        return;
    }

    invoke_(std::move(invoke), [call, tail, version](InvocationResult result) mutable {
        net::Request context;
        context.version(version);
        if (result.status == InvocationStatus::NotFound)
            return sendError(call, context, 404, "ResourceNotFoundException",
                             nlohmann::json::parse(result.payload).value("message", ""));
        if (result.status == InvocationStatus::Throttled) {
            auto response = net::makeResponse(context, 429, result.payload);
            response.set("x-amzn-ErrorType", "TooManyRequestsException");
            return call.send(std::move(response));
        }
        auto response = net::makeResponse(context, 200, result.payload);
        response.set("X-Amz-Executed-Version", "$LATEST");
        response.set("x-amzn-RequestId", result.requestId);
        response.set("X-Amzn-Trace-Id", result.traceId);
        if (!result.ok()) {
            response.set("X-Amz-Function-Error", "Unhandled");
            // The call itself worked, as on AWS; the failure is the invocation's, below it.
            call.attribute("aws.lambda.function_error", "Unhandled");
        }
        if (tail) response.set("X-Amz-Log-Result", base64Encode(result.logTail()));
        call.send(std::move(response));
    });
}

}  // namespace fogbank
