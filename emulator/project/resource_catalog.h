// Private to emulator/project: every resource the template declares, with the physical names,
// ARNs and URLs that Ref and Fn::GetAtt give for them. Names are worked out on first use, so a
// Ref may name a resource declared further down the template.
#pragma once

#include "emulator/project/intrinsics.h"
#include "emulator/project/yaml_source.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fogbank::detail {

struct DeclaredResource {
    std::string logicalId;
    std::string type;
    YAML::Node key;         // the logical id in the template: where the resource "is"
    YAML::Node properties;  // a mapping, or null when the resource has no Properties
    std::optional<YamlEntry> condition;
};

class ResourceCatalog {
  public:
    ResourceCatalog(const YamlSource& source, PseudoParameters pseudo, std::string edgeUrl);

    // The resolver and the catalog need each other: names may be written with intrinsics.
    void attach(IntrinsicResolver& resolver) { resolver_ = &resolver; }

    void add(DeclaredResource resource);
    const std::vector<DeclaredResource>& resources() const { return resources_; }
    const DeclaredResource* find(const std::string& logicalId) const;

    // Declared resources and the ones SAM generates implicitly (ServerlessRestApi, FnRole, ...).
    bool knows(const std::string& name) const;
    // Whether the resource's Condition, if it has one, holds.
    bool enabled(const DeclaredResource& resource);
    // Function name, bucket name, queue name, ...; the logical id for types without one.
    std::string physicalName(const DeclaredResource& resource);

    nlohmann::json ref(const std::string& name, const YAML::Node& at);
    nlohmann::json getAtt(const std::string& name, const std::string& attribute,
                          const YAML::Node& at);

    const std::string& edgeUrl() const { return edgeUrl_; }

  private:
    std::string computeName(const DeclaredResource& resource);
    std::optional<std::string> nameProperty(const DeclaredResource& resource,
                                            const std::string& key);
    const DeclaredResource* implicitRoleOwner(const std::string& name) const;
    std::string implicitRoleName(const std::string& name) const;
    std::string arn(const std::string& service, const std::string& resource) const;
    nlohmann::json unresolvedAttribute(const std::string& name, const std::string& attribute,
                                       const YAML::Node& at);

    const YamlSource& source_;
    PseudoParameters pseudo_;
    std::string edgeUrl_;
    IntrinsicResolver* resolver_ = nullptr;
    std::vector<DeclaredResource> resources_;
    std::map<std::string, std::size_t> index_;
    std::map<std::string, std::string> names_;
    std::set<std::string> naming_;  // names being worked out, to catch cycles
};

std::string lambdaArn(const PseudoParameters& pseudo, const std::string& functionName);
std::string sqsQueueUrl(const std::string& edgeUrl, const std::string& accountId,
                        const std::string& queueName);
// `<stack>-<logicalid>` lowercased and cut to S3's bucket naming rules.
std::string derivedBucketName(const std::string& stackName, const std::string& logicalId);
bool isValidBucketName(const std::string& name);
// `<stack>-<LogicalId>` cut to SQS's queue naming rules, ".fifo" appended for FIFO queues.
std::string derivedQueueName(const std::string& stackName, const std::string& logicalId, bool fifo);

}  // namespace fogbank::detail
