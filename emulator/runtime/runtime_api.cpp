#include "emulator/runtime/runtime_api.h"

#include <nlohmann/json.hpp>

namespace fogbank {

namespace http = boost::beast::http;

namespace {
constexpr std::string_view kPrefix = "/2018-06-01/runtime/";
}

std::string runtimeApiError(const std::string& type, const std::string& message) {
    return nlohmann::json{{"errorMessage", message}, {"errorType", type}}.dump();
}

void dispatchRuntimeApi(net::Request&& request, net::Responder responder,
                        RuntimeApiHandler& handler) {
    std::string_view target = request.target();
    if (auto q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
    auto notFound = [&] {
        responder.send(404, runtimeApiError("NotFound", "unknown Runtime API path " +
                                                            std::string(request.target())));
    };
    if (!target.starts_with(kPrefix)) return notFound();
    std::string_view rest = target.substr(kPrefix.size());
    const bool isGet = request.method() == http::verb::get;
    const bool isPost = request.method() == http::verb::post;
    auto errorType = [&] {
        auto it = request.find("Lambda-Runtime-Function-Error-Type");
        return it == request.end() ? std::string() : std::string(it->value());
    };

    if (rest == "invocation/next") {
        if (!isGet) return responder.send(405, runtimeApiError("MethodNotAllowed", "use GET"));
        return handler.next(request, std::move(responder));
    }
    if (rest == "init/error") {
        if (!isPost) return responder.send(405, runtimeApiError("MethodNotAllowed", "use POST"));
        return handler.initError(std::move(request.body()), errorType(), std::move(responder));
    }
    constexpr std::string_view kInvocation = "invocation/";
    if (rest.starts_with(kInvocation)) {
        rest.remove_prefix(kInvocation.size());
        auto slash = rest.find('/');
        if (slash == std::string_view::npos) return notFound();
        std::string id(rest.substr(0, slash));
        auto verb = rest.substr(slash + 1);
        if (!isPost) return responder.send(405, runtimeApiError("MethodNotAllowed", "use POST"));
        if (verb == "response")
            return handler.response(id, std::move(request.body()), std::move(responder));
        if (verb == "error")
            return handler.error(id, std::move(request.body()), errorType(), std::move(responder));
    }
    notFound();
}

}  // namespace fogbank
