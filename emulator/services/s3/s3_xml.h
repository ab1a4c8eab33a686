// S3's XML: the documents it answers with (written with escaping), its error document, and the
// few request bodies it reads (DeleteObjects, CompleteMultipartUpload, notification
// configurations), parsed with Boost.PropertyTree.
#pragma once

#include <boost/property_tree/ptree.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace fogbank::s3 {

std::string xmlEscape(std::string_view text);

// Builds a document element by element: open("ListBucketResult").leaf("Name", bucket)...
class XmlWriter {
  public:
    explicit XmlWriter(std::string_view root);
    XmlWriter& open(std::string_view name);
    XmlWriter& close();
    XmlWriter& leaf(std::string_view name, std::string_view text);
    // Closes every open element.
    std::string finish();

  private:
    std::string out_;
    std::vector<std::string> stack_;
};

// A request body as a tree; nullopt when it is not well-formed XML. Namespaces are kept in the
// attributes, so paths are plain element names.
std::optional<boost::property_tree::ptree> parseXml(const std::string& body);

// An error of S3's: status, code, message, and what it names (Key, BucketName, ...).
struct S3Error {
    unsigned status = 500;
    std::string code;
    std::string message;
    std::string resourceName;   // "Key", "BucketName", "UploadId", ... or empty
    std::string resourceValue;  // its value
};

std::string errorDocument(const S3Error& error, const std::string& requestId);

// Thrown inside an operation, answered as S3's error document.
struct S3Failure {
    S3Error error;
};

[[noreturn]] void failWith(unsigned status, std::string code, std::string message,
                           std::string resourceName = {}, std::string resourceValue = {});

}  // namespace fogbank::s3
