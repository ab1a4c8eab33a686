#include "emulator/services/apigateway/proxy_response.h"

#include "emulator/net/base64.h"
#include "emulator/services/apigateway/media_types.h"

#include <boost/beast/core/string.hpp>
#include <nlohmann/json.hpp>

namespace fogbank::apigw {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

struct Malformed {
    std::string why;
};

std::string headerValue(const json& value, const std::string& name) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number() || value.is_boolean()) return value.dump();
    throw Malformed{"header " + name + " has the value " + value.dump() + ", not text"};
}

unsigned statusOf(const json& value) {
    long long status = -1;
    if (value.is_number_integer()) {
        status = value.get<long long>();
    } else if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
            text.size() < 5)
            status = std::stoll(text);
    }
    if (status < 100 || status > 599)
        throw Malformed{"statusCode " + value.dump() + " is not an HTTP status"};
    return static_cast<unsigned>(status);
}

// The structured form both formats share: statusCode, headers, multiValueHeaders, cookies
// (2.0), body, isBase64Encoded.
net::Response structured(const json& out, const Route& route, const ApiSpec& api,
                         const net::Request& request) {
    const bool rest = api.kind == ApiKind::Rest;
    const bool v2 = route.payload == PayloadVersion::V2;
    if (rest) {
        // A REST API refuses any field it does not know.
        for (const auto& [key, value] : out.items())
            if (key != "statusCode" && key != "headers" && key != "multiValueHeaders" &&
                key != "body" && key != "isBase64Encoded")
                throw Malformed{"it has the field \"" + key + "\", which a REST API refuses"};
    }
    net::Response response{static_cast<http::status>(statusOf(out["statusCode"])),
                           request.version() ? request.version() : 11};

    if (out.contains("multiValueHeaders") && !out["multiValueHeaders"].is_null()) {
        const auto& multi = out["multiValueHeaders"];
        if (!multi.is_object()) throw Malformed{"multiValueHeaders is not an object"};
        for (const auto& [name, values] : multi.items()) {
            if (!values.is_array()) throw Malformed{"multiValueHeaders." + name + " is not a list"};
            for (const auto& value : values) response.insert(name, headerValue(value, name));
        }
    }
    if (out.contains("headers") && !out["headers"].is_null()) {
        const auto& headers = out["headers"];
        if (!headers.is_object()) throw Malformed{"headers is not an object"};
        for (const auto& [name, value] : headers.items()) {
            // Both given: multiValueHeaders wins for a name it has, as API Gateway merges them.
            if (out.contains("multiValueHeaders") && out["multiValueHeaders"].is_object() &&
                response.count(name))
                continue;
            response.set(name, headerValue(value, name));
        }
    }
    if (v2 && out.contains("cookies") && !out["cookies"].is_null()) {
        if (!out["cookies"].is_array()) throw Malformed{"cookies is not a list"};
        for (const auto& cookie : out["cookies"])
            response.insert(http::field::set_cookie, headerValue(cookie, "cookies"));
    }

    bool base64 = false;
    if (out.contains("isBase64Encoded") && !out["isBase64Encoded"].is_null()) {
        if (!out["isBase64Encoded"].is_boolean())
            throw Malformed{"isBase64Encoded is " + out["isBase64Encoded"].dump() +
                            ", not true or false"};
        base64 = out["isBase64Encoded"].get<bool>();
    }
    std::string body;
    if (out.contains("body") && !out["body"].is_null()) {
        const auto& value = out["body"];
        if (value.is_string())
            body = value.get<std::string>();
        else if (v2)
            body = value.dump();  // format 2.0 serializes what it is given
        else
            throw Malformed{"body is " + std::string(value.type_name()) + ", not a string"};
    }
    if (rest && !response.count(http::field::content_type))
        response.set(http::field::content_type, "application/json");
    // A REST API turns base64 back into bytes only for its binary media types; anything else
    // leaves as the base64 text the function returned.
    const bool decode =
        base64 && (!rest || acceptMatches(api.binaryMediaTypes, request[http::field::accept]) ||
                   matchesMediaType(api.binaryMediaTypes, response[http::field::content_type]));
    if (decode) {
        auto bytes = base64Decode(body);
        if (!bytes) throw Malformed{"isBase64Encoded is true but the body is not valid base64"};
        body = std::move(*bytes);
    }
    response.body() = std::move(body);
    return response;
}

}  // namespace

MappedResponse mapProxyResponse(std::string_view payload, const Route& route, const ApiSpec& api,
                                const net::Request& request) {
    MappedResponse mapped;
    const json out = json::parse(payload, nullptr, false);
    try {
        if (out.is_discarded()) throw Malformed{"it is not JSON"};
        if (route.payload == PayloadVersion::V2 &&
            !(out.is_object() && out.contains("statusCode"))) {
            // Format 2.0's shorthand: any JSON without a statusCode is a 200 JSON body, a string
            // being the body itself.
            mapped.response = net::makeResponse(
                request, 200, out.is_string() ? out.get<std::string>() : std::string(payload));
        } else {
            if (!out.is_object())
                throw Malformed{"it is " + std::string(out.type_name()) +
                                ", not an object with a statusCode"};
            if (!out.contains("statusCode")) throw Malformed{"it has no statusCode"};
            mapped.response = structured(out, route, api, request);
        }
    } catch (const Malformed& m) {
        mapped.problem = m.why;
        mapped.response = gatewayError(request, 502, "Internal server error");
    }
    return mapped;
}

net::Response gatewayError(const net::Request& request, unsigned status, std::string_view message,
                           std::string_view errorType) {
    auto response = net::makeResponse(request, status, json{{"message", message}}.dump());
    if (!errorType.empty()) response.set("x-amzn-ErrorType", errorType);
    return response;
}

net::Response failedInvocation(const net::Request& request, const InvocationResult& result) {
    switch (result.status) {
        case InvocationStatus::Timeout:
            return gatewayError(request, 504, "Endpoint request timed out");
        case InvocationStatus::Throttled:
            return gatewayError(request, 429, "Too Many Requests");
        case InvocationStatus::NotFound:
        case InvocationStatus::LaunchError:
            // Lambda refused the invocation itself: API Gateway calls that a 500.
            return gatewayError(request, 500, "Internal server error");
        default:
            return gatewayError(request, 502, "Internal server error");
    }
}

}  // namespace fogbank::apigw
