// Sample events in the shapes AWS sends them (S3 notifications, SQS batches, API Gateway proxy
// requests, ...), made from the JSON templates under templates/events/<service>/<type>.json, for
// `fogbank generate-event` and the window's event library.
//
// A template file holds a description, the fields a user may set, and the event:
//
//   {
//     "description": "Amazon S3 ObjectCreated:Put notification",
//     "fields": {
//       "bucket": { "default": "example-bucket", "description": "The bucket's name" },
//       "size":   { "default": "{{content|length}}", "type": "number" }
//     },
//     "event": { "Records": [ { "s3": { "object": { "key": "{{key|s3key}}", ... } } } ] }
//   }
//
// Strings in "event" (and in defaults) may hold placeholders, {{SOURCE|FILTER|...}}. A string that
// is exactly one placeholder takes the value's own JSON type (a number stays a number, an object
// an object, and a value a filter says to omit removes the key); elsewhere a placeholder is
// replaced by the value's text. SOURCE is a field's name or a generated value:
//   $now        this moment, as milliseconds since the epoch (the same in the whole event)
//   $uuid       a new UUID v4             $hex:N     N random lowercase hex digits
//   $digits:N   N random decimal digits   $base64:N  N random bytes, base64
// A field's value is worked out once per event, so a default like "{{$uuid}}" is the same
// wherever the field appears.
// FILTERs: string, upper, lower, md5 (hex digest), length (UTF-8 bytes), s3key (URL-encoded as
// S3 notifications carry keys), strip-slash (leading '/'), or-null / or-omit (an empty string,
// object, array or null becomes null / is left out), iso8601 / iso8601ms / clf / epoch (a $now
// formatted as 2024-05-01T12:00:00Z, 2024-05-01T12:00:00.000Z, 01/May/2024:12:00:00 +0000,
// seconds), hex / hex:N (an integer as 16 / N uppercase hex digits), query-v1 / query-v1-multi /
// query-v2 (a query string as API Gateway's REST and HTTP APIs pass its parameters).
//
// Field types ("string" unless the default says otherwise): string, number, integer, boolean,
// json. Values given on the command line are converted to the field's type.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fogbank {

// A template that cannot be read, or a value that does not fit it; the message names what and
// where, and is meant to be shown to the user as it is.
class EventTemplateError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct EventField {
    std::string name;  // as on the command line, without the leading --
    std::string type;  // string, number, integer, boolean, json
    nlohmann::ordered_json defaultValue;
    std::string description;
};

struct EventTemplate {
    std::string service;  // the folder's name: s3, sqs, apigateway, ...
    std::string type;     // the file's stem: put, delete, receive, ...
    std::string description;
    std::vector<EventField> fields;
    nlohmann::ordered_json event;
    std::filesystem::path file;

    const EventField* field(const std::string& name) const;
};

class EventTemplateLibrary {
  public:
    // Reads every <dir>/<service>/<type>.json. Throws EventTemplateError naming a file that is
    // not a valid template.
    explicit EventTemplateLibrary(std::filesystem::path dir = defaultDir());

    // FOGBANK_TEMPLATES/events if set; else share/fogbank/templates/events beside an installed
    // executable; else the source tree's templates/events (a build that has not been installed).
    static std::filesystem::path defaultDir();

    const std::filesystem::path& dir() const { return dir_; }
    std::vector<std::string> services() const;
    // Sorted by type; empty for an unknown service.
    std::vector<const EventTemplate*> templates(const std::string& service) const;
    const EventTemplate* find(const std::string& service, const std::string& type) const;

    // The event with `values` (field name -> value as typed) filled in and every other field at
    // its default. Throws EventTemplateError for an unknown field (naming the valid ones) or a
    // value of the wrong type.
    static nlohmann::ordered_json generate(
        const EventTemplate& eventTemplate, const std::map<std::string, std::string>& values,
        std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

  private:
    std::filesystem::path dir_;
    std::map<std::string, std::map<std::string, EventTemplate>> templates_;
};

// An object key as S3 event notifications carry it: URL-encoded, a space as '+', '/' kept.
std::string s3EventKey(std::string_view key);

}  // namespace fogbank
