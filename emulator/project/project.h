// The project model: what template.yaml (SAM or plain CloudFormation) and fogbank.json say the
// application is, with every intrinsic that can be resolved locally already resolved.
//
// This folder owns reading templates and the project's own config. It must never start anything:
// the model is plain data that the runtime and the services read.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fogbank {

// A position in a source file, 1-based, as editors show it.
struct SourceLocation {
    std::filesystem::path file;
    int line = 0;
    int column = 0;
};

// A template (or config) that cannot be used. what() reads "template.yaml:LINE:COLUMN: message".
class TemplateError : public std::runtime_error {
  public:
    TemplateError(SourceLocation where, const std::string& message);
    const SourceLocation& where() const { return where_; }
    const std::string& message() const { return message_; }

  private:
    SourceLocation where_;
    std::string message_;
};

// Something Fogbank read but will not emulate; shown to the user, never fatal.
struct Warning {
    SourceLocation where;
    std::string message;
};

// One entry of a function's Events map. `properties` keeps the resolved SAM properties verbatim
// (as JSON) so that each service can read what it needs when it lands.
struct EventSource {
    std::string name;  // the key in Events
    std::string type;  // Api, HttpApi, S3, SQS, Schedule, ScheduleV2, ...
    nlohmann::json properties = nlohmann::json::object();
    SourceLocation where;
};

enum class RuntimeFamily { Node, Python, Provided, Unsupported };

struct FunctionSpec {
    // What Lambda accepts as MemorySize, in MB.
    static constexpr int minMemoryMb = 128;
    static constexpr int maxMemoryMb = 10240;

    std::string logicalId;
    std::string functionName;       // FunctionName property, else the logical id
    std::string runtime;            // e.g. "nodejs20.x", "python3.11", "provided.al2023"
    std::string handler;            // e.g. "app.handler"; ignored by provided runtimes
    std::filesystem::path codeUri;  // absolute directory holding the code
    int memoryMb = 128;
    double timeoutSeconds = 3.0;
    std::string architecture = "x86_64";  // x86_64 or arm64
    std::optional<int> reservedConcurrency;
    // ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions: sandboxes kept warm.
    int provisionedConcurrency = 0;
    std::map<std::string, std::string> environment;
    std::vector<EventSource> events;
    SourceLocation where;

    RuntimeFamily family() const;
};

struct BucketSpec {
    std::string logicalId;
    std::string bucketName;  // BucketName, else a name derived from the stack and logical id
    nlohmann::json properties = nlohmann::json::object();
    SourceLocation where;
};

struct QueueSpec {
    std::string logicalId;
    std::string queueName;  // QueueName, else derived; FIFO names end in ".fifo"
    nlohmann::json properties = nlohmann::json::object();
    SourceLocation where;
};

// Any other resource Fogbank keeps (schedules, APIs) for later services to read.
struct ResourceSpec {
    std::string logicalId;
    std::string type;
    nlohmann::json properties = nlohmann::json::object();
    SourceLocation where;
};

struct Project {
    std::filesystem::path templatePath;  // absolute
    std::filesystem::path rootDir;       // the template's directory
    std::string stackName;               // the root directory's name
    std::string region = "us-east-1";
    std::string accountId = "000000000000";
    std::map<std::string, std::string> parameters;  // resolved values (defaults + overrides)
    std::vector<FunctionSpec> functions;
    std::vector<BucketSpec> buckets;
    std::vector<QueueSpec> queues;
    std::vector<ResourceSpec> otherResources;
    std::vector<Warning> warnings;

    // Looks a function up by logical id, FunctionName, or a Lambda ARN (with or without a
    // qualifier) naming either.
    const FunctionSpec* findFunction(std::string_view nameOrArn) const;
    std::string functionArn(const FunctionSpec& fn) const;

    // The edge endpoint that queue URLs (Ref of a queue, QueueUrl) point at.
    std::string edgeUrl = "http://127.0.0.1:4566";
    std::string queueUrl(const QueueSpec& queue) const;  // <edgeUrl>/<account>/<name>
    std::string queueArn(const QueueSpec& queue) const;
    std::string bucketArn(const BucketSpec& bucket) const;
};

struct LoadOptions {
    std::map<std::string, std::string> parameterOverrides;
    std::string region = "us-east-1";
    // Where the engine's edge listens; baked into queue URLs the template hands to handlers.
    std::string edgeUrl = "http://127.0.0.1:4566";
};

// Reads and resolves a template. Throws TemplateError naming file, line and column.
Project loadProject(const std::filesystem::path& templatePath, const LoadOptions& options = {});

}  // namespace fogbank
