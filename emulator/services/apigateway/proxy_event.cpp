#include "emulator/services/apigateway/proxy_event.h"

#include "emulator/net/base64.h"
#include "emulator/net/url_encoding.h"
#include "emulator/services/apigateway/media_types.h"

#include <nlohmann/json.hpp>

#include <array>
#include <ctime>

namespace fogbank::apigw {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "04/Mar/2020:19:15:17 +0000", as requestTime and time carry it.
std::string requestTime(Clock::time_point time) {
    const std::time_t t = Clock::to_time_t(time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 40> buffer{};
    const auto n = std::strftime(buffer.data(), buffer.size(), "%d/%b/%Y:%H:%M:%S +0000", &tm);
    return std::string(buffer.data(), n);
}

long long epochMs(Clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

struct Query {
    std::vector<std::pair<std::string, std::string>> pairs;  // decoded, in order
};

Query parseQuery(std::string_view raw) {
    Query query;
    while (!raw.empty()) {
        const auto amp = raw.find('&');
        const auto item = raw.substr(0, amp);
        if (!item.empty()) {
            const auto eq = item.find('=');
            query.pairs.emplace_back(net::percentDecode(item.substr(0, eq), true),
                                     eq == std::string_view::npos
                                         ? std::string()
                                         : net::percentDecode(item.substr(eq + 1), true));
        }
        if (amp == std::string_view::npos) break;
        raw.remove_prefix(amp + 1);
    }
    return query;
}

std::string domainOf(const IncomingRequest& request) {
    const auto host = request.http[http::field::host];
    if (host.empty()) return "localhost";
    return std::string(host.substr(0, host.find(':')));
}

json pathParameters(const PathParams& params) {
    if (params.empty()) return nullptr;
    json out = json::object();
    for (const auto& [name, value] : params) out[name] = value;
    return out;
}

// The body as the integration gets it, and whether it is base64.
std::pair<std::string, bool> eventBody(const IncomingRequest& request, const ApiSpec& api) {
    const auto& body = request.http.body();
    const auto type = request.http[http::field::content_type];
    const bool binary = api.kind == ApiKind::Rest ? matchesMediaType(api.binaryMediaTypes, type)
                                                  : !isTextBody(type, body);
    if (binary && !body.empty()) return {base64Encode(body), true};
    return {body, false};
}

// The headers API Gateway adds in front of the function, when the client did not send them.
template <typename Add>
void forwardedHeaders(const IncomingRequest& request, Add&& add) {
    if (!request.http.count("X-Forwarded-For")) add("X-Forwarded-For", request.sourceIp);
    if (!request.http.count("X-Forwarded-Port"))
        add("X-Forwarded-Port", std::to_string(request.port));
    if (!request.http.count("X-Forwarded-Proto")) add("X-Forwarded-Proto", "http");
}

}  // namespace

std::string apiIdFor(const std::string& logicalId) {
    // FNV-1a, spelled in API Gateway's alphabet (lower-case letters and digits).
    std::uint64_t hash = 14695981039346656037ull;
    for (const unsigned char c : logicalId) hash = (hash ^ c) * 1099511628211ull;
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string id;
    for (int i = 0; i < 10; ++i, hash /= 36) id += kAlphabet[hash % 36];
    return id;
}

std::string buildEventV1(const IncomingRequest& request, const Route& route, const ApiSpec& api,
                         const PathParams& params) {
    json headers = json::object();
    json multiHeaders = json::object();
    for (const auto& field : request.http) {
        const std::string name(field.name_string());
        const std::string value(field.value());
        headers[name] = value;  // the last of repeated headers, as API Gateway keeps it
        multiHeaders[name].push_back(value);
    }
    forwardedHeaders(request, [&](const char* name, const std::string& value) {
        headers[name] = value;
        multiHeaders[name] = json::array({value});
    });

    json query = nullptr, multiQuery = nullptr;
    for (auto& [name, value] : parseQuery(request.rawQuery).pairs) {
        if (query.is_null()) query = json::object(), multiQuery = json::object();
        query[name] = value;
        multiQuery[name].push_back(std::move(value));
    }

    const std::string method(request.http.method_string());
    const std::string domain = domainOf(request);
    const std::string userAgent(request.http[http::field::user_agent]);
    const bool restApi = api.kind == ApiKind::Rest;
    // On the execute-api domain a REST path starts with the stage; $default adds nothing.
    const std::string contextPath =
        api.stage == "$default" ? request.path.decoded : "/" + api.stage + request.path.decoded;

    json identity = {{"accessKey", nullptr},
                     {"accountId", nullptr},
                     {"apiKey", nullptr},
                     {"apiKeyId", nullptr},
                     {"caller", nullptr},
                     {"cognitoAuthenticationProvider", nullptr},
                     {"cognitoAuthenticationType", nullptr},
                     {"cognitoIdentityId", nullptr},
                     {"cognitoIdentityPoolId", nullptr},
                     {"principalOrgId", nullptr},
                     {"sourceIp", request.sourceIp},
                     {"user", nullptr},
                     {"userAgent", userAgent},
                     {"userArn", nullptr}};
    json context = {{"accountId", request.accountId},
                    {"apiId", apiIdFor(api.id)},
                    {"domainName", domain},
                    {"domainPrefix", domain.substr(0, domain.find('.'))},
                    {"extendedRequestId", request.requestId},
                    {"httpMethod", method},
                    {"identity", std::move(identity)},
                    {"path", contextPath},
                    {"protocol", request.http.version() == 10 ? "HTTP/1.0" : "HTTP/1.1"},
                    {"requestId", request.requestId},
                    {"requestTime", requestTime(request.time)},
                    {"requestTimeEpoch", epochMs(request.time)},
                    {"resourceId", apiIdFor(route.routeKey).substr(0, 6)},
                    {"resourcePath", route.path},
                    {"stage", api.stage}};
    if (!restApi) context["routeKey"] = route.routeKey;

    auto [body, base64] = eventBody(request, api);
    json event = {{"resource", route.path},
                  {"path", request.path.decoded},
                  {"httpMethod", method},
                  {"headers", std::move(headers)},
                  {"multiValueHeaders", std::move(multiHeaders)},
                  {"queryStringParameters", std::move(query)},
                  {"multiValueQueryStringParameters", std::move(multiQuery)},
                  {"pathParameters", pathParameters(params)},
                  {"stageVariables", nullptr},
                  {"requestContext", std::move(context)},
                  {"body", body.empty() ? json(nullptr) : json(std::move(body))},
                  {"isBase64Encoded", base64}};
    if (!restApi) event["version"] = "1.0";
    return event.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string buildEventV2(const IncomingRequest& request, const Route& route, const ApiSpec& api,
                         const PathParams& params) {
    json headers = json::object();
    json cookies = json::array();
    for (const auto& field : request.http) {
        if (field.name() == http::field::cookie) {
            // Every cookie of every Cookie header, one per entry; the header itself is dropped.
            std::string_view rest = field.value();
            while (!rest.empty()) {
                const auto semi = rest.find(';');
                auto item = rest.substr(0, semi);
                while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
                if (!item.empty()) cookies.push_back(std::string(item));
                if (semi == std::string_view::npos) break;
                rest.remove_prefix(semi + 1);
            }
            continue;
        }
        auto& slot = headers[lower(field.name_string())];
        if (slot.is_null())
            slot = std::string(field.value());
        else
            slot.get_ref<std::string&>() += "," + std::string(field.value());
    }
    forwardedHeaders(
        request, [&](const char* name, const std::string& value) { headers[lower(name)] = value; });

    json query = json::object();
    for (auto& [name, value] : parseQuery(request.rawQuery).pairs) {
        auto& slot = query[name];
        if (slot.is_null())
            slot = std::move(value);
        else
            slot.get_ref<std::string&>() += "," + value;
    }

    const std::string domain = domainOf(request);
    json httpContext = {{"method", std::string(request.http.method_string())},
                        {"path", request.path.decoded},
                        {"protocol", request.http.version() == 10 ? "HTTP/1.0" : "HTTP/1.1"},
                        {"sourceIp", request.sourceIp},
                        {"userAgent", std::string(request.http[http::field::user_agent])}};
    json context = {{"accountId", request.accountId},
                    {"apiId", apiIdFor(api.id)},
                    {"domainName", domain},
                    {"domainPrefix", domain.substr(0, domain.find('.'))},
                    {"http", std::move(httpContext)},
                    {"requestId", request.requestId},
                    {"routeKey", route.routeKey},
                    {"stage", api.stage},
                    {"time", requestTime(request.time)},
                    {"timeEpoch", epochMs(request.time)}};

    auto [body, base64] = eventBody(request, api);
    json event = {{"version", "2.0"},
                  {"routeKey", route.routeKey},
                  {"rawPath", std::string(request.rawPath)},
                  {"rawQueryString", std::string(request.rawQuery)},
                  {"headers", std::move(headers)},
                  {"requestContext", std::move(context)},
                  {"isBase64Encoded", base64}};
    // Format 2.0 leaves out what the request does not have.
    if (!cookies.empty()) event["cookies"] = std::move(cookies);
    if (!query.empty()) event["queryStringParameters"] = std::move(query);
    if (!params.empty()) event["pathParameters"] = pathParameters(params);
    if (!body.empty()) event["body"] = std::move(body);
    return event.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace fogbank::apigw
