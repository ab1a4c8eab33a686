// Private to emulator/project: evaluates CloudFormation's intrinsic functions (short `!Tag` and
// long `Fn::` forms), parameters, pseudo parameters and conditions into plain JSON.
#pragma once

#include "emulator/project/yaml_source.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fogbank::detail {

class ResourceCatalog;

struct PseudoParameters {
    std::string region;
    std::string accountId;
    std::string stackName;
    std::string partition = "aws";
    std::string urlSuffix = "amazonaws.com";
};

struct TemplateParameter {
    std::string type;   // "String", "Number", "CommaDelimitedList", "List<...>", ...
    std::string value;  // the default or the override
    // CloudFormation hands list-typed parameters to Ref as lists, not as the raw text.
    bool isList() const;
};

// How to type scalars the author wrote without quotes. Properties keep YAML's types (a
// BatchSize of 10 is a number); everything that CloudFormation treats as text (environment
// variables, the operands of Fn::Join or Fn::Sub) keeps the exact characters, so "3.10" stays
// "3.10" and "007" stays "007".
enum class Scalars { Typed, Strings };

class IntrinsicResolver {
  public:
    IntrinsicResolver(const YamlSource& source, PseudoParameters pseudo,
                      const std::map<std::string, TemplateParameter>& parameters,
                      YAML::Node mappings, YAML::Node conditions, ResourceCatalog& catalog,
                      std::vector<Warning>& warnings);

    // The node with every intrinsic applied; nullopt when it is AWS::NoValue, which removes
    // the key or list element holding it.
    std::optional<nlohmann::json> resolve(const YAML::Node& node, Scalars mode = Scalars::Typed);

    // Evaluates the named entry of the Conditions section; `usedAt` is blamed if it is unknown.
    bool condition(const std::string& name, const YAML::Node& usedAt);
    // Evaluates every condition once, so a broken but unused condition is still reported.
    void checkAllConditions();

    // Text for a resolved scalar; lists and mappings are an error naming `what`.
    std::string toText(const nlohmann::json& value, const YAML::Node& at,
                       const std::string& what) const;

    void warn(const YAML::Node& at, std::string message);
    const PseudoParameters& pseudo() const { return pseudo_; }
    const YamlSource& source() const { return source_; }

  private:
    struct Intrinsic {
        std::string name;  // "Ref", "Condition" or "Fn::..."
        YAML::Node arg;
        bool shortForm;  // `!Sub x`: the argument node carries the function's own tag
    };

    std::optional<Intrinsic> intrinsicOf(const YAML::Node& node, bool ignoreTag,
                                         bool allowCondition) const;
    std::optional<nlohmann::json> resolveImpl(const YAML::Node& node, Scalars mode, bool ignoreTag);
    std::optional<nlohmann::json> argValue(const Intrinsic& fn, Scalars mode);
    std::optional<nlohmann::json> apply(const Intrinsic& fn, const YAML::Node& at, Scalars mode);
    nlohmann::json scalarValue(const YAML::Node& node, Scalars mode, bool ignoreTag) const;

    std::optional<nlohmann::json> ref(const std::string& name, const YAML::Node& at);
    nlohmann::json getAtt(const Intrinsic& fn, const YAML::Node& at);
    std::string sub(const Intrinsic& fn, const YAML::Node& at);
    std::string subVariable(const std::string& name,
                            const std::map<std::string, nlohmann::json>& vars,
                            const YAML::Node& at);
    nlohmann::json join(const Intrinsic& fn, const YAML::Node& at);
    std::optional<nlohmann::json> select(const Intrinsic& fn, const YAML::Node& at, Scalars mode);
    nlohmann::json split(const Intrinsic& fn, const YAML::Node& at);
    std::optional<nlohmann::json> findInMap(const Intrinsic& fn, const YAML::Node& at,
                                            Scalars mode);
    bool conditionExpression(const YAML::Node& node);
    bool conditionFunction(const Intrinsic& fn, const YAML::Node& at);
    nlohmann::json unresolved(const YAML::Node& at, const std::string& what,
                              const std::string& why);

    // The argument list of a function that takes one, checked for its length.
    std::vector<YAML::Node> listArg(const Intrinsic& fn, const YAML::Node& at, std::size_t min,
                                    std::size_t max) const;
    std::string textArg(const YAML::Node& node, const std::string& what);

    const YamlSource& source_;
    PseudoParameters pseudo_;
    const std::map<std::string, TemplateParameter>& parameters_;
    YAML::Node mappings_;
    YAML::Node conditions_;
    ResourceCatalog& catalog_;
    std::vector<Warning>& warnings_;

    std::map<std::string, bool> conditionValues_;
    std::set<std::string> evaluating_;
    // Guards against YAML aliases: yaml-cpp turns `&a [*a]` into a cycle, and a few nested
    // aliases into an exponential tree.
    int depth_ = 0;
    std::size_t budget_ = 1'000'000;
};

}  // namespace fogbank::detail
