#include "emulator/project/resource_catalog.h"

#include <algorithm>
#include <cctype>

namespace fogbank::detail {

using nlohmann::json;

namespace {

constexpr const char* kServerlessFunction = "AWS::Serverless::Function";

bool isFunction(const std::string& type) {
    return type == kServerlessFunction || type == "AWS::Lambda::Function";
}

bool isTable(const std::string& type) {
    return type == "AWS::DynamoDB::Table" || type == "AWS::Serverless::SimpleTable";
}

// Replaces every character `allowed` rejects with '-', folds runs of '-' and trims them.
template <typename Allowed>
std::string sanitize(const std::string& text, Allowed allowed, std::size_t maxLength) {
    std::string out;
    for (const char c : text) {
        const char keep = allowed(c) ? c : '-';
        if (keep == '-' && (out.empty() || out.back() == '-')) continue;
        out += keep;
    }
    if (out.size() > maxLength) out.resize(maxLength);
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

bool isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool isAlnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

std::string stackPrefixed(const std::string& stackName, const std::string& logicalId,
                          std::size_t maxLength) {
    const std::string name = sanitize(
        stackName + "-" + logicalId, [](char c) { return isAlnum(c) || c == '_'; }, maxLength);
    return name.empty() ? logicalId : name;
}

}  // namespace

std::string lambdaArn(const PseudoParameters& pseudo, const std::string& functionName) {
    return "arn:" + pseudo.partition + ":lambda:" + pseudo.region + ":" + pseudo.accountId +
           ":function:" + functionName;
}

std::string sqsQueueUrl(const std::string& edgeUrl, const std::string& accountId,
                        const std::string& queueName) {
    std::string base = edgeUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + accountId + "/" + queueName;
}

std::string derivedBucketName(const std::string& stackName, const std::string& logicalId) {
    std::string lower = stackName + "-" + logicalId;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string name = sanitize(lower, isLowerAlnum, 63);
    while (!name.empty() && name.front() == '-') name.erase(name.begin());
    if (name.size() < 3) name = "fogbank-" + (name.empty() ? std::string("bucket") : name);
    return name;
}

bool isValidBucketName(const std::string& name) {
    if (name.size() < 3 || name.size() > 63) return false;
    if (!isLowerAlnum(name.front()) || !isLowerAlnum(name.back())) return false;
    if (name.find("..") != std::string::npos) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return isLowerAlnum(c) || c == '-' || c == '.'; });
}

std::string derivedQueueName(const std::string& stackName, const std::string& logicalId,
                             bool fifo) {
    const std::string suffix = fifo ? ".fifo" : "";
    return stackPrefixed(stackName, logicalId, 80 - suffix.size()) + suffix;
}

ResourceCatalog::ResourceCatalog(const YamlSource& source, PseudoParameters pseudo,
                                 std::string edgeUrl)
    : source_(source), pseudo_(std::move(pseudo)), edgeUrl_(std::move(edgeUrl)) {}

void ResourceCatalog::add(DeclaredResource resource) {
    index_[resource.logicalId] = resources_.size();
    resources_.push_back(std::move(resource));
}

const DeclaredResource* ResourceCatalog::find(const std::string& logicalId) const {
    const auto it = index_.find(logicalId);
    return it == index_.end() ? nullptr : &resources_[it->second];
}

const DeclaredResource* ResourceCatalog::implicitRoleOwner(const std::string& name) const {
    // SAM creates "<Function>Role" for every function that does not name its own Role.
    if (!name.ends_with("Role")) return nullptr;
    const DeclaredResource* owner = find(name.substr(0, name.size() - 4));
    if (!owner || owner->type != kServerlessFunction) return nullptr;
    return findEntry(owner->properties, "Role") ? nullptr : owner;
}

std::string ResourceCatalog::implicitRoleName(const std::string& name) const {
    return stackPrefixed(pseudo_.stackName, name, 64);
}

bool ResourceCatalog::knows(const std::string& name) const {
    return find(name) || name == "ServerlessRestApi" || name == "ServerlessHttpApi" ||
           implicitRoleOwner(name);
}

bool ResourceCatalog::enabled(const DeclaredResource& resource) {
    if (!resource.condition) return true;
    const YAML::Node& value = resource.condition->value;
    if (!value.IsScalar()) {
        source_.fail(resource.condition->key,
                     "Condition must name a condition, got " + describe(value));
    }
    return resolver_->condition(value.Scalar(), value);
}

std::string ResourceCatalog::arn(const std::string& service, const std::string& resource) const {
    return "arn:" + pseudo_.partition + ":" + service + ":" + pseudo_.region + ":" +
           pseudo_.accountId + ":" + resource;
}

std::optional<std::string> ResourceCatalog::nameProperty(const DeclaredResource& resource,
                                                         const std::string& key) {
    const auto entry = findEntry(resource.properties, key);
    if (!entry) return std::nullopt;
    const auto value = resolver_->resolve(entry->value, Scalars::Strings);
    if (!value) return std::nullopt;
    std::string name = resolver_->toText(*value, entry->key, key);
    if (name.empty()) return std::nullopt;
    return name;
}

std::string ResourceCatalog::physicalName(const DeclaredResource& resource) {
    if (const auto it = names_.find(resource.logicalId); it != names_.end()) return it->second;
    if (!naming_.insert(resource.logicalId).second) {
        source_.fail(resource.key, "the name of " + resource.logicalId + " refers to itself");
    }
    std::string name = computeName(resource);
    naming_.erase(resource.logicalId);
    return names_[resource.logicalId] = std::move(name);
}

std::string ResourceCatalog::computeName(const DeclaredResource& r) {
    const std::string& type = r.type;
    const std::string& stack = pseudo_.stackName;
    if (isFunction(type)) return nameProperty(r, "FunctionName").value_or(r.logicalId);
    if (type == "AWS::S3::Bucket") {
        return nameProperty(r, "BucketName").value_or(derivedBucketName(stack, r.logicalId));
    }
    if (type == "AWS::SQS::Queue") {
        const auto fifoText = nameProperty(r, "FifoQueue");
        const bool fifo = fifoText && (*fifoText == "true" || *fifoText == "True");
        std::string name =
            nameProperty(r, "QueueName").value_or(derivedQueueName(stack, r.logicalId, fifo));
        if (fifo && !name.ends_with(".fifo")) name += ".fifo";
        return name;
    }
    if (type == "AWS::SNS::Topic") {
        return nameProperty(r, "TopicName").value_or(stackPrefixed(stack, r.logicalId, 256));
    }
    if (isTable(type)) {
        return nameProperty(r, "TableName").value_or(stackPrefixed(stack, r.logicalId, 255));
    }
    if (type == "AWS::IAM::Role") {
        return nameProperty(r, "RoleName").value_or(stackPrefixed(stack, r.logicalId, 64));
    }
    if (type == "AWS::Events::Rule" || type == "AWS::Scheduler::Schedule") {
        return nameProperty(r, "Name").value_or(stackPrefixed(stack, r.logicalId, 64));
    }
    return r.logicalId;
}

json ResourceCatalog::ref(const std::string& name, const YAML::Node& at) {
    const DeclaredResource* r = find(name);
    if (!r) {
        if (implicitRoleOwner(name)) return implicitRoleName(name);
        return name;  // ServerlessRestApi and ServerlessHttpApi: the API id
    }
    if (!enabled(*r)) {
        resolver_->warn(at, name + " is not created because its condition \"" +
                                r->condition->value.Scalar() + "\" is false");
        return "<not created " + name + ">";
    }
    if (r->type == "AWS::SQS::Queue") {
        return sqsQueueUrl(edgeUrl_, pseudo_.accountId, physicalName(*r));
    }
    if (r->type == "AWS::SNS::Topic") return arn("sns", physicalName(*r));
    return physicalName(*r);
}

json ResourceCatalog::unresolvedAttribute(const std::string& name, const std::string& attribute,
                                          const YAML::Node& at) {
    const std::string what = name + "." + attribute;
    resolver_->warn(at, "Fn::GetAtt " + what + " cannot be resolved locally; using a placeholder");
    return "<unresolved " + what + ">";
}

json ResourceCatalog::getAtt(const std::string& name, const std::string& attribute,
                             const YAML::Node& at) {
    const DeclaredResource* r = find(name);
    if (!r) {
        if (implicitRoleOwner(name) && attribute == "Arn") {
            return "arn:" + pseudo_.partition + ":iam::" + pseudo_.accountId + ":role/" +
                   implicitRoleName(name);
        }
        return unresolvedAttribute(name, attribute, at);
    }
    if (!enabled(*r)) {
        resolver_->warn(at, name + " is not created because its condition \"" +
                                r->condition->value.Scalar() + "\" is false");
        return "<not created " + name + "." + attribute + ">";
    }
    const std::string& type = r->type;
    if (isFunction(type) && attribute == "Arn") return lambdaArn(pseudo_, physicalName(*r));
    if (type == "AWS::S3::Bucket") {
        const std::string bucket = physicalName(*r);
        const std::string& suffix = pseudo_.urlSuffix;
        if (attribute == "Arn") return "arn:" + pseudo_.partition + ":s3:::" + bucket;
        if (attribute == "DomainName") return bucket + ".s3." + suffix;
        if (attribute == "RegionalDomainName") {
            return bucket + ".s3." + pseudo_.region + "." + suffix;
        }
        if (attribute == "DualStackDomainName") {
            return bucket + ".s3.dualstack." + pseudo_.region + "." + suffix;
        }
        if (attribute == "WebsiteURL") {
            return "http://" + bucket + ".s3-website-" + pseudo_.region + "." + suffix;
        }
    }
    if (type == "AWS::SQS::Queue") {
        const std::string queue = physicalName(*r);
        if (attribute == "Arn") return arn("sqs", queue);
        if (attribute == "QueueName") return queue;
        if (attribute == "QueueUrl") return sqsQueueUrl(edgeUrl_, pseudo_.accountId, queue);
    }
    if (type == "AWS::SNS::Topic") {
        if (attribute == "TopicArn") return arn("sns", physicalName(*r));
        if (attribute == "TopicName") return physicalName(*r);
    }
    if (isTable(type) && attribute == "Arn") return arn("dynamodb", "table/" + physicalName(*r));
    if (type == "AWS::IAM::Role" && attribute == "Arn") {
        return "arn:" + pseudo_.partition + ":iam::" + pseudo_.accountId + ":role/" +
               physicalName(*r);
    }
    if (type == "AWS::Events::Rule" && attribute == "Arn") {
        return arn("events", "rule/" + physicalName(*r));
    }
    if (type == "AWS::Scheduler::Schedule" && attribute == "Arn") {
        return arn("scheduler", "schedule/default/" + physicalName(*r));
    }
    return unresolvedAttribute(name, attribute, at);
}

}  // namespace fogbank::detail
