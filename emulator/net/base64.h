// Base64 as the AWS APIs use it (standard alphabet, padded): log tails, client contexts, MD5s.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fogbank {

std::string base64Encode(std::string_view bytes);
// nullopt when `text` is not valid base64.
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace fogbank
