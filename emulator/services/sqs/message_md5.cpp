#include "emulator/services/sqs/message_md5.h"

#include "emulator/crypto/digest.h"
#include "emulator/net/base64.h"
#include "emulator/services/sqs/sqs_error.h"

#include <cstdint>

namespace fogbank::sqs {

namespace {

void appendLengthPrefixed(std::string& out, std::string_view bytes) {
    const auto size = static_cast<std::uint32_t>(bytes.size());
    out += static_cast<char>((size >> 24) & 0xff);
    out += static_cast<char>((size >> 16) & 0xff);
    out += static_cast<char>((size >> 8) & 0xff);
    out += static_cast<char>(size & 0xff);
    out.append(bytes);
}

}  // namespace

std::string md5OfMessageAttributes(const nlohmann::json& attributes) {
    if (!attributes.is_object() || attributes.empty()) return {};
    std::string buffer;
    // nlohmann::json objects iterate in sorted key order, which is the order AWS hashes in.
    for (const auto& [name, value] : attributes.items()) {
        const std::string type = value.value("DataType", "");
        appendLengthPrefixed(buffer, name);
        appendLengthPrefixed(buffer, type);
        if (type.starts_with("Binary")) {
            auto bytes = base64Decode(value.value("BinaryValue", ""));
            if (!bytes)
                throw invalidParameter("The message attribute '" + name +
                                       "' has a BinaryValue that is not valid base64.");
            buffer += '\2';
            appendLengthPrefixed(buffer, *bytes);
        } else {
            buffer += '\1';
            appendLengthPrefixed(buffer, value.value("StringValue", ""));
        }
    }
    return md5Hex(buffer);
}

}  // namespace fogbank::sqs
