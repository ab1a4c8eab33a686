// application/x-www-form-urlencoded, as the SQS query protocol posts it (and as URLs carry it).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fogbank::sqs {

// "%2F" -> "/", "+" -> " ". Throws SqsError (InvalidParameterValue) on a broken escape.
std::string formDecode(std::string_view text);
// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}, in order.
std::vector<std::pair<std::string, std::string>> parseForm(std::string_view body);

}  // namespace fogbank::sqs
