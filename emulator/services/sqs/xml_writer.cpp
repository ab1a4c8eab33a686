#include "emulator/services/sqs/xml_writer.h"

namespace fogbank::sqs {

std::string xmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            case '\r':
                out += "&#xD;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

XmlWriter& XmlWriter::open(std::string_view name, std::string_view attributes) {
    out_ += '<';
    out_ += name;
    if (!attributes.empty()) {
        out_ += ' ';
        out_ += attributes;
    }
    out_ += '>';
    return *this;
}

XmlWriter& XmlWriter::close(std::string_view name) {
    out_ += "</";
    out_ += name;
    out_ += '>';
    return *this;
}

XmlWriter& XmlWriter::element(std::string_view name, std::string_view text) {
    open(name);
    out_ += xmlEscape(text);
    return close(name);
}

}  // namespace fogbank::sqs
