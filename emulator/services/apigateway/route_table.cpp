#include "emulator/services/apigateway/route_table.h"

#include "emulator/net/url_encoding.h"

#include <algorithm>
#include <map>
#include <set>

namespace fogbank::apigw {

using nlohmann::json;

namespace {

const char* const kRestType = "AWS::Serverless::Api";
const char* const kHttpType = "AWS::Serverless::HttpApi";
const std::vector<std::string> kAllMethods{"DELETE", "GET",  "HEAD", "OPTIONS",
                                           "PATCH",  "POST", "PUT"};

std::string upper(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string scalarText(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number_float()) {
        // PayloadFormatVersion: 1.0 written unquoted arrives as a number.
        std::string text = value.dump();
        if (text.find('.') == std::string::npos) text += ".0";
        return text;
    }
    if (value.is_number()) return value.dump() + ".0";
    return value.dump();
}

ApiSpec readApi(const ResourceSpec& resource, std::vector<Warning>& warnings) {
    ApiSpec api;
    api.id = resource.logicalId;
    const auto& props = resource.properties;
    const bool rest = resource.type == kRestType;
    api.kind = rest ? ApiKind::Rest : ApiKind::Http;
    api.stage = rest ? "Prod" : "$default";
    if (props.contains("StageName")) {
        if (!props["StageName"].is_string())
            throw TemplateError(resource.where, resource.logicalId + ": StageName must be text");
        api.stage = props["StageName"].get<std::string>();
    }
    if (props.contains("DefinitionBody") || props.contains("DefinitionUri"))
        warnings.push_back({resource.where, resource.logicalId +
                                                ": routes in its OpenAPI definition are not "
                                                "served; only the functions' " +
                                                (rest ? "Api" : "HttpApi") + " events are"});
    if (rest) {
        if (props.contains("BinaryMediaTypes")) {
            const auto& types = props["BinaryMediaTypes"];
            if (!types.is_array())
                throw TemplateError(resource.where,
                                    resource.logicalId + ": BinaryMediaTypes must be a list");
            for (const auto& type : types) {
                if (!type.is_string())
                    throw TemplateError(resource.where, resource.logicalId +
                                                            ": BinaryMediaTypes holds " +
                                                            type.dump() + ", not a media type");
                // CloudFormation writes '/' as "~1" (JSON Pointer escaping).
                std::string text = type.get<std::string>();
                for (auto at = text.find("~1"); at != std::string::npos; at = text.find("~1"))
                    text.replace(at, 2, "/");
                api.binaryMediaTypes.push_back(std::move(text));
            }
        }
        if (props.contains("Cors")) api.cors = CorsPolicy::fromRest(props["Cors"], resource.where);
    } else if (props.contains("CorsConfiguration")) {
        api.cors = CorsPolicy::fromHttp(props["CorsConfiguration"], resource.where);
    }
    return api;
}

std::vector<PathSegment> parsePath(const std::string& path, const EventSource& event,
                                   const std::string& function) {
    const auto fail = [&](const std::string& why) {
        throw TemplateError(event.where, "event " + event.name + " of " + function + ": Path \"" +
                                             path + "\" " + why);
    };
    if (path.empty() || path[0] != '/') fail("must start with '/'");
    std::vector<PathSegment> segments;
    std::size_t start = 1;
    while (start < path.size()) {
        auto end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        std::string text = path.substr(start, end - start);
        start = end + 1;
        if (text.empty()) {
            if (end == path.size()) break;  // a trailing '/'
            fail("has an empty segment");
        }
        if (!segments.empty() && segments.back().kind == SegmentKind::Greedy)
            fail("continues after a greedy {name+} segment, which must be the last");
        if (text.front() == '{' && text.back() == '}') {
            const bool greedy = text.size() > 3 && text[text.size() - 2] == '+';
            std::string name = text.substr(1, text.size() - (greedy ? 3 : 2));
            if (name.empty()) fail("has a parameter without a name");
            segments.push_back({greedy ? SegmentKind::Greedy : SegmentKind::Param, name});
        } else {
            if (text.find_first_of("{}") != std::string::npos)
                fail("mixes text and a {parameter} in one segment, which API Gateway refuses");
            segments.push_back({SegmentKind::Literal, std::move(text)});
        }
    }
    return segments;
}

// What makes two routes the same for API Gateway: the literals and where the parameters are.
std::string shapeOf(const Route& route) {
    std::string shape;
    for (const auto& s : route.segments) {
        switch (s.kind) {
            case SegmentKind::Literal:
                shape += "/" + s.text;
                break;
            case SegmentKind::Param:
                shape += "/{}";
                break;
            case SegmentKind::Greedy:
                shape += "/{+}";
                break;
            case SegmentKind::Default:
                shape += "$default";
                break;
        }
    }
    return shape;
}

bool precedes(const Route& a, const Route& b) {
    const auto kinds = [](const Route& r) {
        std::vector<int> out;
        for (const auto& s : r.segments) out.push_back(static_cast<int>(s.kind));
        return out;
    };
    const auto ka = kinds(a), kb = kinds(b);
    if (ka != kb) return std::lexicographical_compare(ka.begin(), ka.end(), kb.begin(), kb.end());
    return a.method != "ANY" && b.method == "ANY";
}

bool matches(const Route& route, const RequestPath& path, PathParams& params) {
    params.clear();
    const auto& have = path.segments;
    std::size_t i = 0;
    for (const auto& segment : route.segments) {
        switch (segment.kind) {
            case SegmentKind::Default:
                return true;
            case SegmentKind::Literal:
                if (i >= have.size() || have[i] != segment.text) return false;
                break;
            case SegmentKind::Param:
                if (i >= have.size() || have[i].empty()) return false;
                params.emplace_back(segment.text, have[i]);
                break;
            case SegmentKind::Greedy: {
                if (i >= have.size()) return false;
                std::string rest = have[i];
                for (std::size_t j = i + 1; j < have.size(); ++j) rest += "/" + have[j];
                params.emplace_back(segment.text, std::move(rest));
                return true;
            }
        }
        ++i;
    }
    return i == have.size();
}

}  // namespace

RequestPath::RequestPath(std::string_view rawPath) {
    std::size_t start = rawPath.starts_with('/') ? 1 : 0;
    while (start < rawPath.size()) {
        auto end = rawPath.find('/', start);
        if (end == std::string_view::npos) end = rawPath.size();
        segments.push_back(net::percentDecode(rawPath.substr(start, end - start)));
        start = end + 1;
    }
    // "/pets/" is "/pets", as API Gateway treats it.
    while (!segments.empty() && segments.back().empty()) segments.pop_back();
    for (const auto& s : segments) decoded += "/" + s;
    if (decoded.empty()) decoded = "/";
}

RouteTable RouteTable::build(const Project& project, std::vector<Warning>& allWarnings) {
    RouteTable table;
    auto& warnings = table.warnings_;
    std::map<std::string, std::size_t> apiIndex;
    for (const auto& resource : project.otherResources) {
        if (resource.type != kRestType && resource.type != kHttpType) continue;
        apiIndex[resource.logicalId] = table.apis_.size();
        table.apis_.push_back(readApi(resource, warnings));
    }

    std::map<std::string, std::size_t> seen;  // API-independent: every API shares the port
    std::vector<Route> routes;
    for (const auto& fn : project.functions) {
        for (const auto& event : fn.events) {
            if (event.type != "Api" && event.type != "HttpApi") continue;
            const bool rest = event.type == "Api";
            const auto& props = event.properties;
            const auto fail = [&](const std::string& why) {
                throw TemplateError(event.where,
                                    "event " + event.name + " of " + fn.functionName + ": " + why);
            };
            Route route;
            route.function = fn.functionName;
            route.where = event.where;
            const std::string idKey = rest ? "RestApiId" : "ApiId";
            const std::string api = props.contains(idKey) ? scalarText(props[idKey])
                                    : rest                ? "ServerlessRestApi"
                                                          : "ServerlessHttpApi";
            const auto it = apiIndex.find(api);
            if (it == apiIndex.end())
                fail(idKey + " names " + api + ", which is not an " +
                     (rest ? kRestType : kHttpType) + " in the template");
            route.api = it->second;
            if ((table.apis_[route.api].kind == ApiKind::Rest) != rest)
                fail(idKey + " names " + api + ", which is an " + (rest ? kHttpType : kRestType) +
                     "; an " + event.type + " event needs an " + (rest ? kRestType : kHttpType));

            route.payload = PayloadVersion::V1;
            if (!rest) {
                route.payload = PayloadVersion::V2;
                if (props.contains("PayloadFormatVersion")) {
                    const auto version = scalarText(props["PayloadFormatVersion"]);
                    if (version == "1.0")
                        route.payload = PayloadVersion::V1;
                    else if (version != "2.0")
                        fail("PayloadFormatVersion must be \"1.0\" or \"2.0\", got " + version);
                }
            }
            const bool hasPath = props.contains("Path"), hasMethod = props.contains("Method");
            if (!rest && !hasPath && !hasMethod) {
                route.method = "ANY";
                route.path = route.routeKey = "$default";
                route.segments = {{SegmentKind::Default, {}}};
            } else {
                if (!hasPath || !props["Path"].is_string()) fail("needs a Path, like /items/{id}");
                if (!hasMethod || !props["Method"].is_string())
                    fail("needs a Method, like get, post or any");
                route.path = props["Path"].get<std::string>();
                route.method = upper(props["Method"].get<std::string>());
                if (route.method != "ANY" && std::find(kAllMethods.begin(), kAllMethods.end(),
                                                       route.method) == kAllMethods.end())
                    fail("Method " + route.method + " is not an HTTP method API Gateway routes");
                route.segments = parsePath(route.path, event, fn.functionName);
                route.routeKey = route.method + " " + route.path;
            }
            const std::string key = route.method + " " + shapeOf(route);
            if (const auto clash = seen.find(key); clash != seen.end()) {
                const Route& first = routes[clash->second];
                warnings.push_back(
                    {event.where, "route " + route.method + " " + route.path + " of " +
                                      fn.functionName + " (" + api +
                                      ") is not served: it is the same route as " + first.method +
                                      " " + first.path + " of " + first.function + " (" +
                                      table.apis_[first.api].id + "), which came first"});
                continue;
            }
            seen[key] = routes.size();
            routes.push_back(std::move(route));
        }
    }
    std::stable_sort(routes.begin(), routes.end(), precedes);
    table.routes_ = std::move(routes);

    std::map<std::pair<std::size_t, std::string>, std::set<std::string>> methods;
    for (const auto& r : table.routes_) {
        auto& set = methods[{r.api, shapeOf(r)}];
        if (r.method == "ANY")
            set.insert(kAllMethods.begin(), kAllMethods.end());
        else
            set.insert(r.method);
    }
    for (const auto& r : table.routes_) {
        const auto& set = methods[{r.api, shapeOf(r)}];
        table.pathMethods_.emplace_back(set.begin(), set.end());
    }
    allWarnings.insert(allWarnings.end(), warnings.begin(), warnings.end());
    return table;
}

const Route* RouteTable::match(std::string_view method, const RequestPath& path,
                               PathParams& params) const {
    for (const auto& route : routes_) {
        if (route.method != method && route.method != "ANY") continue;
        if (matches(route, path, params)) return &route;
    }
    params.clear();
    return nullptr;
}

bool RouteTable::pathMatches(const Route& route, const RequestPath& path) {
    PathParams ignored;
    return matches(route, path, ignored);
}

const std::vector<std::string>& RouteTable::methodsOnPath(const Route& route) const {
    return pathMethods_[static_cast<std::size_t>(&route - routes_.data())];
}

}  // namespace fogbank::apigw
