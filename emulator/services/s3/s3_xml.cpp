#include "emulator/services/s3/s3_xml.h"

#include <boost/property_tree/xml_parser.hpp>

#include <sstream>

namespace fogbank::s3 {

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
            // Keys may hold control characters; XML 1.0 cannot carry them raw.
            case '\r':
                out += "&#13;";
                break;
            case '\n':
                out += "&#10;";
                break;
            case '\t':
                out += "&#9;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

XmlWriter::XmlWriter(std::string_view root) {
    out_ = R"(<?xml version="1.0" encoding="UTF-8"?>)";
    out_ += "\n<";
    out_ += root;
    out_ += R"( xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)";
    stack_.emplace_back(root);
}

XmlWriter& XmlWriter::open(std::string_view name) {
    out_ += '<';
    out_ += name;
    out_ += '>';
    stack_.emplace_back(name);
    return *this;
}

XmlWriter& XmlWriter::close() {
    if (stack_.empty()) return *this;
    out_ += "</" + stack_.back() + ">";
    stack_.pop_back();
    return *this;
}

XmlWriter& XmlWriter::leaf(std::string_view name, std::string_view text) {
    out_ += '<';
    out_ += name;
    out_ += '>';
    out_ += xmlEscape(text);
    out_ += "</";
    out_ += name;
    out_ += '>';
    return *this;
}

std::string XmlWriter::finish() {
    while (!stack_.empty()) close();
    return std::move(out_);
}

std::optional<boost::property_tree::ptree> parseXml(const std::string& body) {
    std::istringstream in(body);
    boost::property_tree::ptree tree;
    try {
        boost::property_tree::read_xml(in, tree);
    } catch (const boost::property_tree::xml_parser_error&) {
        return std::nullopt;
    }
    return tree;
}

std::string errorDocument(const S3Error& error, const std::string& requestId) {
    std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>)";
    out += "\n<Error><Code>" + xmlEscape(error.code) + "</Code><Message>" +
           xmlEscape(error.message) + "</Message>";
    if (!error.resourceName.empty())
        out += "<" + error.resourceName + ">" + xmlEscape(error.resourceValue) + "</" +
               error.resourceName + ">";
    out += "<RequestId>" + xmlEscape(requestId) + "</RequestId><HostId>fogbank</HostId></Error>";
    return out;
}

void failWith(unsigned status, std::string code, std::string message, std::string resourceName,
              std::string resourceValue) {
    throw S3Failure{{status, std::move(code), std::move(message), std::move(resourceName),
                     std::move(resourceValue)}};
}

}  // namespace fogbank::s3
