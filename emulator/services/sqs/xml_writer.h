// The little XML the query protocol answers with: elements and escaped text, nothing more.
#pragma once

#include <string>
#include <string_view>

namespace fogbank::sqs {

class XmlWriter {
  public:
    XmlWriter& open(std::string_view name, std::string_view attributes = {});
    XmlWriter& close(std::string_view name);
    // <name>escaped text</name>
    XmlWriter& element(std::string_view name, std::string_view text);
    const std::string& str() const { return out_; }

  private:
    std::string out_ = "<?xml version=\"1.0\"?>";
};

// Escapes &, <, >, quotes, and carriage returns (which XML parsers would otherwise fold into
// newlines, changing a message body and its MD5).
std::string xmlEscape(std::string_view text);

}  // namespace fogbank::sqs
