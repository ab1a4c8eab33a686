// An SQS error as both wire protocols name it: the query protocol's code
// (AWS.SimpleQueueService.NonExistentQueue) and the JSON protocol's type (QueueDoesNotExist), with
// the HTTP status and whose fault it is. Thrown by the queues, turned into bytes by the codecs.
#pragma once

#include <stdexcept>
#include <string>

namespace fogbank::sqs {

class SqsError : public std::runtime_error {
  public:
    SqsError(std::string jsonType, std::string queryCode, const std::string& message,
             unsigned status = 400, bool senderFault = true)
        : std::runtime_error(message),
          jsonType_(std::move(jsonType)),
          queryCode_(std::move(queryCode)),
          status_(status),
          senderFault_(senderFault) {}

    const std::string& jsonType() const { return jsonType_; }
    const std::string& queryCode() const { return queryCode_; }
    unsigned status() const { return status_; }
    bool senderFault() const { return senderFault_; }

  private:
    std::string jsonType_;
    std::string queryCode_;
    unsigned status_;
    bool senderFault_;
};

// The errors SQS answers with; both names as the real service sends them.
inline SqsError queueDoesNotExist(const std::string& queue) {
    return {"QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
            "The specified queue does not exist: " + queue};
}
inline SqsError invalidParameter(const std::string& message) {
    return {"InvalidParameterValue", "InvalidParameterValue", message};
}
inline SqsError missingParameter(const std::string& name) {
    return {"MissingParameter", "MissingParameter",
            "The request must contain the parameter " + name + "."};
}
inline SqsError invalidAttributeName(const std::string& name) {
    return {"InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute " + name + "."};
}
inline SqsError receiptHandleIsInvalid(const std::string& handle) {
    return {"ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
            "The input receipt handle \"" + handle + "\" is not a valid receipt handle."};
}

}  // namespace fogbank::sqs
