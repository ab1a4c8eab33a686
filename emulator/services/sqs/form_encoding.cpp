#include "emulator/services/sqs/form_encoding.h"

#include "emulator/net/url_encoding.h"
#include "emulator/services/sqs/sqs_error.h"

namespace fogbank::sqs {

std::string formDecode(std::string_view text) {
    std::size_t badAt = 0;
    auto decoded = net::percentDecodeStrict(text, true, &badAt);
    if (!decoded)
        throw invalidParameter("The request body has a broken percent escape at byte " +
                               std::to_string(badAt) + ".");
    return std::move(*decoded);
}

std::vector<std::pair<std::string, std::string>> parseForm(std::string_view body) {
    std::vector<std::pair<std::string, std::string>> pairs;
    while (!body.empty()) {
        const auto amp = body.find('&');
        const std::string_view part = body.substr(0, amp);
        if (!part.empty()) {
            const auto eq = part.find('=');
            pairs.emplace_back(
                formDecode(part.substr(0, eq)),
                eq == std::string_view::npos ? std::string() : formDecode(part.substr(eq + 1)));
        }
        if (amp == std::string_view::npos) break;
        body.remove_prefix(amp + 1);
    }
    return pairs;
}

}  // namespace fogbank::sqs
