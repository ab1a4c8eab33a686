#include "emulator/services/apigateway/cors_policy.h"

#include <boost/beast/core/string.hpp>

#include <algorithm>

namespace fogbank::apigw {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

// SAM's REST values are header values in single quotes ("'*'"), as API Gateway's mock takes them.
std::string unquote(std::string text) {
    if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'')
        text = text.substr(1, text.size() - 2);
    return text;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += ',';
        out += item;
    }
    return out;
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        auto item = text.substr(start, end - start);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) out.push_back(std::move(item));
        start = end + 1;
    }
    return out;
}

std::string text(const json& value, const std::string& key, const SourceLocation& where) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number() || value.is_boolean()) return value.dump();
    throw TemplateError(where, key + " must be text, got " + value.dump());
}

std::vector<std::string> list(const json& value, const std::string& key,
                              const SourceLocation& where) {
    if (!value.is_array()) return splitList(text(value, key, where));
    std::vector<std::string> out;
    for (const auto& item : value) out.push_back(text(item, key, where));
    return out;
}

bool flag(const json& value, const std::string& key, const SourceLocation& where) {
    if (value.is_boolean()) return value.get<bool>();
    const auto t = unquote(text(value, key, where));
    if (t == "true" || t == "True") return true;
    if (t == "false" || t == "False") return false;
    throw TemplateError(where, key + " must be true or false, got " + value.dump());
}

long long number(const json& value, const std::string& key, const SourceLocation& where) {
    if (value.is_number_integer()) return value.get<long long>();
    const auto t = unquote(text(value, key, where));
    try {
        std::size_t used = 0;
        const long long n = std::stoll(t, &used);
        if (used == t.size()) return n;
    } catch (const std::exception&) {
    }
    throw TemplateError(where, key + " must be a number of seconds, got " + value.dump());
}

void checkKeys(const json& object, std::initializer_list<const char*> known,
               const std::string& what, const SourceLocation& where) {
    for (const auto& [key, value] : object.items()) {
        if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; }))
            throw TemplateError(where, what + " has no property " + key);
    }
}

}  // namespace

std::optional<CorsPolicy> CorsPolicy::fromRest(const json& cors, const SourceLocation& where) {
    if (cors.is_null()) return std::nullopt;
    CorsPolicy policy;
    policy.rest = true;
    if (cors.is_string()) {
        policy.allowOrigins = {unquote(cors.get<std::string>())};
        return policy;
    }
    if (!cors.is_object())
        throw TemplateError(where,
                            "Cors must be an origin like \"'*'\" or a mapping, got " + cors.dump());
    checkKeys(cors, {"AllowOrigin", "AllowMethods", "AllowHeaders", "MaxAge", "AllowCredentials"},
              "Cors", where);
    if (!cors.contains("AllowOrigin"))
        throw TemplateError(where, "Cors needs AllowOrigin (for example \"'*'\")");
    policy.allowOrigins = {unquote(text(cors["AllowOrigin"], "Cors.AllowOrigin", where))};
    if (cors.contains("AllowMethods"))
        policy.allowMethods =
            splitList(unquote(text(cors["AllowMethods"], "Cors.AllowMethods", where)));
    if (cors.contains("AllowHeaders"))
        policy.allowHeaders =
            splitList(unquote(text(cors["AllowHeaders"], "Cors.AllowHeaders", where)));
    if (cors.contains("MaxAge")) policy.maxAge = number(cors["MaxAge"], "Cors.MaxAge", where);
    if (cors.contains("AllowCredentials"))
        policy.allowCredentials = flag(cors["AllowCredentials"], "Cors.AllowCredentials", where);
    return policy;
}

std::optional<CorsPolicy> CorsPolicy::fromHttp(const json& cors, const SourceLocation& where) {
    if (cors.is_null()) return std::nullopt;
    CorsPolicy policy;
    if (cors.is_boolean()) {
        if (!cors.get<bool>()) return std::nullopt;
        policy.allowOrigins = policy.allowMethods = policy.allowHeaders = {"*"};
        return policy;
    }
    if (!cors.is_object())
        throw TemplateError(where,
                            "CorsConfiguration must be true or a mapping, got " + cors.dump());
    const std::string what = "CorsConfiguration";
    checkKeys(cors,
              {"AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "MaxAge",
               "AllowCredentials"},
              what, where);
    if (cors.contains("AllowOrigins"))
        policy.allowOrigins = list(cors["AllowOrigins"], what + ".AllowOrigins", where);
    if (cors.contains("AllowMethods"))
        policy.allowMethods = list(cors["AllowMethods"], what + ".AllowMethods", where);
    if (cors.contains("AllowHeaders"))
        policy.allowHeaders = list(cors["AllowHeaders"], what + ".AllowHeaders", where);
    if (cors.contains("ExposeHeaders"))
        policy.exposeHeaders = list(cors["ExposeHeaders"], what + ".ExposeHeaders", where);
    if (cors.contains("MaxAge")) policy.maxAge = number(cors["MaxAge"], what + ".MaxAge", where);
    if (cors.contains("AllowCredentials"))
        policy.allowCredentials = flag(cors["AllowCredentials"], what + ".AllowCredentials", where);
    return policy;
}

bool CorsPolicy::isPreflight(const net::Request& request) {
    return request.method() == http::verb::options && request.count(http::field::origin) &&
           request.count(http::field::access_control_request_method);
}

std::optional<std::string> CorsPolicy::allowedOrigin(std::string_view origin) const {
    for (const auto& allowed : allowOrigins) {
        if (allowed == "*") return allowCredentials ? std::string(origin) : std::string("*");
        if (boost::beast::iequals(allowed, origin)) return std::string(origin);
        // API Gateway's subdomain wildcard: "https://*.example.com".
        if (const auto star = allowed.find("*."); star != std::string::npos) {
            const std::string_view head(allowed.data(), star);
            const std::string_view tail(allowed.data() + star + 1, allowed.size() - star - 1);
            if (origin.size() > head.size() + tail.size() && origin.starts_with(head) &&
                origin.ends_with(tail))
                return std::string(origin);
        }
    }
    return std::nullopt;
}

net::Response CorsPolicy::preflight(const net::Request& request,
                                    const std::vector<std::string>& pathMethods) const {
    if (rest) {
        // SAM's mock OPTIONS method: 200, the configured values whoever asks.
        auto response = net::makeResponse(request, 200, {});
        response.set("Access-Control-Allow-Origin", allowOrigins.empty() ? "*" : allowOrigins[0]);
        std::vector<std::string> methods = allowMethods;
        if (methods.empty()) {
            methods = pathMethods;
            if (std::find(methods.begin(), methods.end(), "OPTIONS") == methods.end())
                methods.push_back("OPTIONS");
            std::sort(methods.begin(), methods.end());
        }
        response.set("Access-Control-Allow-Methods", join(methods));
        if (!allowHeaders.empty()) response.set("Access-Control-Allow-Headers", join(allowHeaders));
        if (maxAge) response.set("Access-Control-Max-Age", std::to_string(*maxAge));
        if (allowCredentials) response.set("Access-Control-Allow-Credentials", "true");
        return response;
    }
    net::Response response{http::status::no_content, request.version() ? request.version() : 11};
    const auto origin = allowedOrigin(request[http::field::origin]);
    if (!origin) return response;  // API Gateway answers, without granting anything
    response.set("access-control-allow-origin", *origin);
    if (!allowMethods.empty()) response.set("access-control-allow-methods", join(allowMethods));
    if (!allowHeaders.empty()) response.set("access-control-allow-headers", join(allowHeaders));
    if (maxAge) response.set("access-control-max-age", std::to_string(*maxAge));
    if (allowCredentials) response.set("access-control-allow-credentials", "true");
    return response;
}

void CorsPolicy::decorate(const net::Request& request, net::Response& response) const {
    if (rest || !request.count(http::field::origin)) return;
    for (const auto field :
         {http::field::access_control_allow_origin, http::field::access_control_allow_credentials,
          http::field::access_control_expose_headers, http::field::access_control_allow_methods,
          http::field::access_control_allow_headers, http::field::access_control_max_age})
        response.erase(field);
    const auto origin = allowedOrigin(request[http::field::origin]);
    if (!origin) return;
    response.set("access-control-allow-origin", *origin);
    if (allowCredentials) response.set("access-control-allow-credentials", "true");
    if (!exposeHeaders.empty()) response.set("access-control-expose-headers", join(exposeHeaders));
}

}  // namespace fogbank::apigw
