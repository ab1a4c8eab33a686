#include "emulator/services/sqs/sqs_api.h"

#include "emulator/services/sqs/form_encoding.h"
#include "emulator/services/sqs/json_protocol.h"
#include "emulator/services/sqs/message_md5.h"
#include "emulator/services/sqs/query_protocol.h"
#include "emulator/trace/ids.h"

#include <spdlog/spdlog.h>

#include <regex>
#include <set>

namespace fogbank::sqs {

using nlohmann::json;

struct SqsApi::Exchange {
    bool jsonProtocol = false;
    std::string action;
    std::string requestId = newRequestId();
    std::string baseUrl;  // http://host:port, as the client reached us
    unsigned version = 11;
    bool keepAlive = true;

    net::Response response(unsigned status, std::string body) const {
        net::Request context;
        context.version(version);
        context.keep_alive(keepAlive);
        auto r = net::makeResponse(context, status, std::move(body),
                                   jsonProtocol ? "application/x-amz-json-1.0" : "text/xml");
        r.set("x-amzn-RequestId", requestId);
        return r;
    }
    void succeed(ServiceCall& call, const json& result) const {
        if (jsonProtocol)
            return call.send(
                response(200, result.dump(-1, ' ', false, json::error_handler_t::replace)));
        call.send(response(200, queryResponse(action, result, requestId)));
    }
    void fail(ServiceCall& call, const SqsError& error) const {
        auto r = response(error.status(),
                          jsonProtocol ? jsonErrorBody(error) : queryError(error, requestId));
        if (jsonProtocol) r.set("x-amzn-query-error", queryErrorHeader(error));
        r.set("x-amzn-ErrorType", jsonProtocol ? error.jsonType() : error.queryCode());
        call.send(std::move(r));
    }
    std::string queueUrl(const std::string& account, const std::string& name) const {
        return baseUrl + "/" + account + "/" + name;
    }
};

namespace {

// What SQS bills by: each 64 KiB chunk of a request's payload (bodies and message attributes) is
// one request. Attributes are counted as their JSON text, a little over what AWS counts.
std::size_t payloadBytes(const json& params) {
    std::size_t bytes = 0;
    auto one = [&bytes](const json& message) {
        if (auto body = message.find("MessageBody"); body != message.end() && body->is_string())
            bytes += body->get_ref<const std::string&>().size();
        if (auto attributes = message.find("MessageAttributes"); attributes != message.end())
            bytes += attributes->dump().size();
    };
    one(params);
    if (auto entries = params.find("Entries"); entries != params.end() && entries->is_array())
        for (const auto& entry : *entries) one(entry);
    return bytes;
}

constexpr const char* kAccount = "000000000000";

const json* member(const json& params, const char* name) {
    auto it = params.find(name);
    return it == params.end() || it->is_null() ? nullptr : &*it;
}

std::string text(const json& params, const char* name, bool required = false) {
    const json* value = member(params, name);
    if (!value) {
        if (required) throw missingParameter(name);
        return {};
    }
    if (value->is_string()) return value->get<std::string>();
    if (value->is_number() || value->is_boolean()) return value->dump();
    throw invalidParameter(std::string("The parameter ") + name + " must be a string.");
}

// The JSON protocol sends numbers, the query protocol strings of digits.
std::optional<int> integer(const json& params, const char* name) {
    const json* value = member(params, name);
    if (!value) return std::nullopt;
    if (value->is_number_integer()) return value->get<int>();
    if (value->is_string()) {
        const auto s = value->get<std::string>();
        std::size_t used = 0;
        try {
            const int n = std::stoi(s, &used);
            if (used == s.size()) return n;
        } catch (const std::exception&) {
        }
    }
    throw invalidParameter(std::string("Value ") + value->dump() + " for parameter " + name +
                           " is invalid. Reason: must be an integer.");
}

std::map<std::string, std::string> stringMap(const json& params, const char* name) {
    std::map<std::string, std::string> out;
    const json* value = member(params, name);
    if (!value) return out;
    if (!value->is_object())
        throw invalidParameter(std::string("The parameter ") + name + " must be a map.");
    for (const auto& [k, v] : value->items())
        out[k] = v.is_string() ? v.get<std::string>() : v.dump();
    return out;
}

std::vector<std::string> stringList(const json& params, const char* name) {
    std::vector<std::string> out;
    const json* value = member(params, name);
    if (!value) return out;
    if (value->is_string()) return {value->get<std::string>()};
    if (!value->is_array())
        throw invalidParameter(std::string("The parameter ") + name + " must be a list.");
    for (const auto& v : *value)
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

// http://127.0.0.1:4566/000000000000/orders -> orders. Any host, as the SDKs keep whatever URL
// they were given.
std::string queueNameOf(const json& params) {
    std::string url = text(params, "QueueUrl", true);
    while (!url.empty() && url.back() == '/') url.pop_back();
    const auto slash = url.rfind('/');
    std::string name = slash == std::string::npos ? url : url.substr(slash + 1);
    if (name.empty()) throw invalidParameter("The QueueUrl \"" + url + "\" names no queue.");
    return name;
}

json messageAttributes(const json& params) {
    const json* value = member(params, "MessageAttributes");
    if (!value) return json::object();
    if (!value->is_object())
        throw invalidParameter("The parameter MessageAttributes must be a map.");
    if (value->size() > 10)
        throw invalidParameter("Number of message attributes [" + std::to_string(value->size()) +
                               "] exceeds the allowed maximum [10].");
    json out = json::object();
    for (const auto& [name, attribute] : value->items()) {
        if (!attribute.is_object())
            throw invalidParameter("The message attribute '" + name + "' is not a structure.");
        json kept = json::object();
        for (const char* key : {"DataType", "StringValue", "BinaryValue"})
            if (attribute.contains(key)) kept[key] = attribute[key];
        out[name] = std::move(kept);
    }
    return out;
}

SendInput sendInput(const json& params, const std::string& traceHeader) {
    SendInput input;
    input.body = text(params, "MessageBody", true);
    input.delaySeconds = integer(params, "DelaySeconds");
    input.attributes = messageAttributes(params);
    input.groupId = text(params, "MessageGroupId");
    input.dedupId = text(params, "MessageDeduplicationId");
    input.traceHeader = traceHeader;
    return input;
}

json sendResultJson(const SendResult& r) {
    json out{{"MessageId", r.messageId}, {"MD5OfMessageBody", r.md5OfBody}};
    if (!r.md5OfAttributes.empty()) out["MD5OfMessageAttributes"] = r.md5OfAttributes;
    if (!r.sequenceNumber.empty()) out["SequenceNumber"] = r.sequenceNumber;
    return out;
}

// Checks a batch's entries: 1 to 10, ids distinct and of the allowed characters.
const json& batchEntries(const json& params) {
    const json* entries = member(params, "Entries");
    if (!entries || !entries->is_array() || entries->empty())
        throw SqsError("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest",
                       "There should be at least one entry in the batch request.");
    if (entries->size() > 10)
        throw SqsError("TooManyEntriesInBatchRequest",
                       "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                       "Maximum number of entries per request are 10. You have sent " +
                           std::to_string(entries->size()) + ".");
    static const std::regex kId("[A-Za-z0-9_-]{1,80}");
    std::set<std::string> ids;
    for (const auto& entry : *entries) {
        const std::string id = text(entry, "Id", true);
        if (!std::regex_match(id, kId))
            throw SqsError("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId",
                           "A batch entry id can only contain alphanumeric characters, hyphens "
                           "and underscores. It can be at most 80 letters long (\"" +
                               id + "\").");
        if (!ids.insert(id).second)
            throw SqsError("BatchEntryIdsNotDistinct",
                           "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                           "Id " + id + " repeated.");
    }
    return *entries;
}

json failedEntry(const std::string& id, const SqsError& error) {
    return json{{"Id", id},
                {"SenderFault", error.senderFault()},
                {"Code", error.queryCode()},
                {"Message", error.what()}};
}

// MessageAttributeNames: "All", ".*", "prefix.*" or exact names.
bool attributeWanted(const std::vector<std::string>& wanted, const std::string& name) {
    for (const auto& w : wanted) {
        if (w == "All" || w == ".*" || w == name) return true;
        if (w.ends_with(".*") && name.starts_with(w.substr(0, w.size() - 1))) return true;
    }
    return false;
}

json deliveryJson(const Delivery& d, const std::vector<std::string>& systemNames,
                  const std::vector<std::string>& attributeNames) {
    const Message& m = d.message;
    json out{{"MessageId", m.id},
             {"ReceiptHandle", d.receiptHandle},
             {"MD5OfBody", m.md5OfBody},
             {"Body", m.body}};
    if (!systemNames.empty()) {
        const bool all =
            std::find(systemNames.begin(), systemNames.end(), "All") != systemNames.end();
        json attributes = json::object();
        for (const auto& [name, value] : systemAttributes(m))
            if (all || std::find(systemNames.begin(), systemNames.end(), name) != systemNames.end())
                attributes[name] = value;
        if (!attributes.empty()) out["Attributes"] = std::move(attributes);
    }
    json selected = json::object();
    for (const auto& [name, value] : m.attributes.items())
        if (attributeWanted(attributeNames, name)) selected[name] = value;
    if (!selected.empty()) {
        // Over what is returned, which is what the SDKs check it against.
        out["MD5OfMessageAttributes"] = md5OfMessageAttributes(selected);
        out["MessageAttributes"] = std::move(selected);
    }
    return out;
}

std::string headerValue(const net::Request& request, std::string_view name) {
    auto it = request.find(name);
    return it == request.end() ? std::string() : std::string(it->value());
}

}  // namespace

void SqsApi::handle(net::Request&& request, ServiceCall call) {
    auto exchange = std::make_shared<Exchange>();
    exchange->version = request.version();
    exchange->keepAlive = request.keep_alive();
    const std::string host = headerValue(request, "Host");
    exchange->baseUrl = "http://" + (host.empty() ? std::string("127.0.0.1:4566") : host);
    const std::string target = headerValue(request, "X-Amz-Target");
    exchange->jsonProtocol = !target.empty();
    json params;
    try {
        if (exchange->jsonProtocol) {
            exchange->action = jsonAction(target);
            params = request.body().empty() ? json::object()
                                            : json::parse(request.body(), nullptr, false);
            if (!params.is_object())
                throw SqsError("InvalidRequest", "InvalidRequest",
                               "The request body is not a JSON object.");
        } else {
            // The query protocol posts a form; a GET carries the same pairs in its URL.
            std::string_view url = request.target();
            auto form = parseForm(request.body());
            if (auto q = url.find('?'); q != std::string_view::npos) {
                auto more = parseForm(url.substr(q + 1));
                form.insert(form.end(), more.begin(), more.end());
            }
            auto parsed = parseQueryRequest(form);
            exchange->action = parsed.action;
            params = std::move(parsed.params);
            // Older clients post to the queue's URL and may leave QueueUrl out of the form.
            const std::string path(url.substr(0, url.find('?')));
            if (!params.contains("QueueUrl") && std::count(path.begin(), path.end(), '/') == 2)
                params["QueueUrl"] = exchange->baseUrl + path;
        }
        if (exchange->action.empty())
            throw SqsError("InvalidAction", "InvalidAction",
                           "The request names no SQS action (Action= or X-Amz-Target).");
        std::string resource;
        if (params.contains("QueueUrl") && params["QueueUrl"].is_string())
            resource = queueNameOf(params);
        else if (params.contains("QueueName") && params["QueueName"].is_string())
            resource = params["QueueName"].get<std::string>();
        call.describe(exchange->action, resource);
        call.attribute("aws.request_id", exchange->requestId);
        if (exchange->action.starts_with("SendMessage"))
            call.attribute("aws.sqs.payload_bytes", std::to_string(payloadBytes(params)));
        if (exchange->action == "ReceiveMessage") return receiveMessage(params, exchange, call);
        exchange->succeed(call, dispatch(exchange->action, params, exchange, call));
    } catch (const SqsError& e) {
        exchange->fail(call, e);
    } catch (const nlohmann::json::exception& e) {
        exchange->fail(
            call, invalidParameter(std::string("A parameter has the wrong type: ") + e.what()));
    } catch (const std::exception& e) {
        spdlog::error("sqs {}: {}", exchange->action, e.what());
        exchange->fail(call, SqsError("InternalError", "InternalError",
                                      std::string("Fogbank failed: ") + e.what(), 500, false));
    }
}

json SqsApi::dispatch(const std::string& action, const json& params,
                      const std::shared_ptr<Exchange>& exchange, ServiceCall& call) {
    if (action == "CreateQueue") {
        const std::string name = text(params, "QueueName", true);
        auto attributes = stringMap(params, "Attributes");
        auto tags = stringMap(params, params.contains("tags") ? "tags" : "Tags");
        broker_.createQueue(name, std::move(attributes), std::move(tags));
        return {{"QueueUrl", exchange->queueUrl(kAccount, name)}};
    }
    if (action == "GetQueueUrl") {
        const std::string name = text(params, "QueueName", true);
        if (!broker_.hasQueue(name)) throw queueDoesNotExist(name);
        return {{"QueueUrl", exchange->queueUrl(kAccount, name)}};
    }
    if (action == "ListQueues") {
        auto names = broker_.queueNames(text(params, "QueueNamePrefix"));
        const auto max = integer(params, "MaxResults");
        if (max && (*max < 1 || *max > 1000))
            throw invalidParameter("Value " + std::to_string(*max) +
                                   " for parameter MaxResults is invalid. Reason: must be "
                                   "between 1 and 1000.");
        // The token is the last name handed out; names are listed in order.
        const std::string after = text(params, "NextToken");
        json urls = json::array();
        json out = json::object();
        std::string last;
        for (const auto& name : names) {
            if (!after.empty() && name <= after) continue;
            if (max && static_cast<int>(urls.size()) == *max) {
                out["NextToken"] = last;
                break;
            }
            urls.push_back(exchange->queueUrl(kAccount, name));
            last = name;
        }
        if (!urls.empty()) out["QueueUrls"] = std::move(urls);
        return out;
    }
    if (action == "DeleteQueue") {
        broker_.deleteQueue(queueNameOf(params));
        return json::object();
    }
    if (action == "GetQueueAttributes") {
        auto names = stringList(params, "AttributeNames");
        json out = json::object();
        auto attributes = broker_.attributes(queueNameOf(params), names);
        if (!attributes.empty()) out["Attributes"] = attributes;
        return out;
    }
    if (action == "SetQueueAttributes") {
        broker_.setAttributes(queueNameOf(params), stringMap(params, "Attributes"));
        return json::object();
    }
    if (action == "PurgeQueue") {
        broker_.purgeQueue(queueNameOf(params));
        return json::object();
    }
    if (action == "SendMessage") {
        const std::string queue = queueNameOf(params);
        auto result = broker_.send(queue, sendInput(params, call.traceHeader()));
        call.attribute("messaging.message.id", result.messageId);
        return sendResultJson(result);
    }
    if (action == "SendMessageBatch") {
        const std::string queue = queueNameOf(params);
        if (!broker_.hasQueue(queue)) throw queueDoesNotExist(queue);
        const json& entries = batchEntries(params);
        std::size_t total = 0;
        for (const auto& entry : entries) total += text(entry, "MessageBody").size();
        if (total > 262144)
            throw SqsError("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong",
                           "Batch requests cannot be longer than 262144 bytes. You have sent " +
                               std::to_string(total) + " bytes.");
        json ok = json::array(), failed = json::array();
        for (const auto& entry : entries) {
            const std::string id = text(entry, "Id", true);
            try {
                auto r = broker_.send(queue, sendInput(entry, call.traceHeader()));
                json item = sendResultJson(r);
                item["Id"] = id;
                ok.push_back(std::move(item));
            } catch (const SqsError& e) {
                failed.push_back(failedEntry(id, e));
            }
        }
        return {{"Successful", ok}, {"Failed", failed}};
    }
    if (action == "DeleteMessage") {
        broker_.deleteMessage(queueNameOf(params), text(params, "ReceiptHandle", true));
        return json::object();
    }
    if (action == "DeleteMessageBatch" || action == "ChangeMessageVisibilityBatch") {
        const std::string queue = queueNameOf(params);
        if (!broker_.hasQueue(queue)) throw queueDoesNotExist(queue);
        json ok = json::array(), failed = json::array();
        for (const auto& entry : batchEntries(params)) {
            const std::string id = text(entry, "Id", true);
            try {
                const std::string handle = text(entry, "ReceiptHandle", true);
                if (action == "DeleteMessageBatch") {
                    broker_.deleteMessage(queue, handle);
                } else {
                    auto seconds = integer(entry, "VisibilityTimeout");
                    if (!seconds) throw missingParameter("VisibilityTimeout");
                    broker_.changeVisibility(queue, handle, *seconds);
                }
                ok.push_back({{"Id", id}});
            } catch (const SqsError& e) {
                failed.push_back(failedEntry(id, e));
            }
        }
        return {{"Successful", ok}, {"Failed", failed}};
    }
    if (action == "ChangeMessageVisibility") {
        auto seconds = integer(params, "VisibilityTimeout");
        if (!seconds) throw missingParameter("VisibilityTimeout");
        broker_.changeVisibility(queueNameOf(params), text(params, "ReceiptHandle", true),
                                 *seconds);
        return json::object();
    }
    if (action == "ListDeadLetterSourceQueues") {
        json urls = json::array();
        for (const auto& name : broker_.deadLetterSources(queueNameOf(params)))
            urls.push_back(exchange->queueUrl(kAccount, name));
        return {{"queueUrls", urls}};
    }
    if (action == "TagQueue") {
        broker_.tag(queueNameOf(params), stringMap(params, "Tags"));
        return json::object();
    }
    if (action == "UntagQueue") {
        broker_.untag(queueNameOf(params), stringList(params, "TagKeys"));
        return json::object();
    }
    if (action == "ListQueueTags") {
        auto tags = broker_.tags(queueNameOf(params));
        json out = json::object();
        if (!tags.empty()) out["Tags"] = tags;
        return out;
    }
    throw SqsError("InvalidAction", "InvalidAction",
                   "The action " + action + " is not valid for this endpoint (Fogbank's SQS).");
}

void SqsApi::receiveMessage(const json& params, const std::shared_ptr<Exchange>& exchange,
                            ServiceCall call) {
    ReceiveOptions options;
    options.maxMessages = integer(params, "MaxNumberOfMessages").value_or(1);
    options.waitSeconds = integer(params, "WaitTimeSeconds");
    options.visibilitySeconds = integer(params, "VisibilityTimeout");
    auto systemNames = stringList(params, "AttributeNames");
    for (auto& name : stringList(params, "MessageSystemAttributeNames"))
        systemNames.push_back(std::move(name));
    auto attributeNames = stringList(params, "MessageAttributeNames");
    broker_.receive(
        queueNameOf(params), options, [call] { return call.open(); },
        [call, exchange, systemNames = std::move(systemNames),
         attributeNames = std::move(attributeNames)](std::vector<Delivery> got) mutable {
            json messages = json::array();
            for (const auto& d : got)
                messages.push_back(deliveryJson(d, systemNames, attributeNames));
            call.attribute("messaging.batch.message_count", std::to_string(got.size()));
            json out = json::object();
            if (!messages.empty()) out["Messages"] = std::move(messages);
            exchange->succeed(call, out);
        });
}

}  // namespace fogbank::sqs
