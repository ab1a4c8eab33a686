// The SQS JSON protocol (X-Amz-Target: AmazonSQS.<Action>, application/x-amz-json-1.0), what
// current SDKs send. Requests and results are already in the shape the operations use; only
// errors need writing: {"__type":"com.amazonaws.sqs#<Type>","message":...} plus the
// x-amzn-query-error header that lets query-compatible SDKs name the error by its query code.
#pragma once

#include "emulator/services/sqs/sqs_error.h"

#include <string>
#include <string_view>

namespace fogbank::sqs {

// "AmazonSQS.SendMessage" -> "SendMessage"; empty when the target is not SQS's.
std::string jsonAction(std::string_view target);
std::string jsonErrorBody(const SqsError& error);
// "AWS.SimpleQueueService.NonExistentQueue;Sender"
std::string queryErrorHeader(const SqsError& error);

}  // namespace fogbank::sqs
