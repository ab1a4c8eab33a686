// loadProject: reads template.yaml, then resolves it in two passes. The first collects
// parameters and declares every resource; the second builds the specs, so that a Ref may name a
// resource declared further down, as CloudFormation allows.
#include "emulator/project/project.h"

#include "emulator/project/function_builder.h"
#include "emulator/project/intrinsics.h"
#include "emulator/project/resource_catalog.h"
#include "emulator/project/yaml_source.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace fogbank {

using detail::DeclaredResource;
using detail::findEntry;
using detail::YamlSource;
using nlohmann::json;

namespace {

std::string readTemplate(const std::filesystem::path& path, const YamlSource& source) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        source.fail(source.fileOnly(), "is a directory, not a template file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        source.fail(source.fileOnly(),
                    std::string("cannot read the template: ") + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// yaml-cpp passes invalid UTF-8 through, and nlohmann::json would only throw much later, when a
// service serializes the property; reject it here, where the line and column are known.
void checkUtf8(const std::string& text, const YamlSource& source) {
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t length = c < 0x80           ? 1
                                   : (c >> 5) == 0x6  ? 2
                                   : (c >> 4) == 0xE  ? 3
                                   : (c >> 3) == 0x1E ? 4
                                                      : 0;
        bool valid = length > 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            valid = (static_cast<unsigned char>(text[i + k]) >> 6) == 0x2;
        }
        if (!valid) {
            source.fail(SourceLocation{source.file(), line, column},
                        "the template is not valid UTF-8");
        }
        if (c == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += length;
    }
}

YAML::Node parseTemplate(const std::string& text, const YamlSource& source) {
    checkUtf8(text, source);
    try {
        return YAML::Load(text);
    } catch (const YAML::Exception& e) {
        source.fail(source.at(e.mark), "invalid YAML: " + e.msg);
    }
}

// A top-level section that must be a mapping when present; an undefined node when absent.
YAML::Node section(const YAML::Node& parent, std::string_view name, const YamlSource& source) {
    const auto entry = findEntry(parent, name);
    if (!entry || entry->value.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
    if (!entry->value.IsMap()) {
        source.fail(entry->key, std::string(name) + " must be a mapping, got " +
                                    detail::describe(entry->value));
    }
    return entry->value;
}

bool isNumber(const std::string& text) {
    double value = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc{} && p == text.data() + text.size() && !text.empty();
}

std::string scalarText(const YAML::Node& node, const std::string& what, const YamlSource& source) {
    if (node.IsNull()) return {};
    if (node.IsScalar()) return node.Scalar();
    if (node.IsSequence()) {  // a list default for a CommaDelimitedList parameter
        std::string joined;
        for (const auto& item : node) {
            if (!item.IsScalar()) break;
            joined += (joined.empty() ? "" : ",") + item.Scalar();
        }
        return joined;
    }
    source.fail(node, what + " must be text, got " + detail::describe(node));
}

std::map<std::string, detail::TemplateParameter> loadParameters(const YAML::Node& root,
                                                                const LoadOptions& options,
                                                                const YamlSource& source,
                                                                std::vector<Warning>& warnings) {
    std::map<std::string, detail::TemplateParameter> parameters;
    const YAML::Node declared = section(root, "Parameters", source);
    if (declared.IsDefined()) {
        for (auto it = declared.begin(); it != declared.end(); ++it) {
            const std::string name = it->first.Scalar();
            if (!it->second.IsMap()) {
                source.fail(it->first, "parameter " + name + " must be a mapping with a Type");
            }
            detail::TemplateParameter p;
            const auto type = findEntry(it->second, "Type");
            p.type = type ? scalarText(type->value, "Type of parameter " + name, source) : "String";
            if (const auto o = options.parameterOverrides.find(name);
                o != options.parameterOverrides.end()) {
                p.value = o->second;
            } else if (const auto def = findEntry(it->second, "Default")) {
                p.value = scalarText(def->value, "Default of parameter " + name, source);
            } else {
                source.fail(it->first,
                            "parameter " + name + " has no Default and no value was given for it");
            }
            if (p.type == "Number" && !isNumber(p.value)) {
                source.fail(it->first,
                            "parameter " + name + " is a Number, got \"" + p.value + "\"");
            }
            if (const auto allowed = findEntry(it->second, "AllowedValues");
                allowed && allowed->value.IsSequence()) {
                const bool ok = std::any_of(
                    allowed->value.begin(), allowed->value.end(),
                    [&](const YAML::Node& v) { return v.IsScalar() && v.Scalar() == p.value; });
                if (!ok) {
                    source.fail(it->first, "parameter " + name + " must be one of its " +
                                               "AllowedValues, got \"" + p.value + "\"");
                }
            }
            if (p.type.starts_with("AWS::SSM::Parameter::Value")) {
                warnings.push_back({source.at(it->first), "parameter " + name +
                                                              " would be read from SSM Parameter "
                                                              "Store; using \"" +
                                                              p.value + "\" as its value"});
            }
            parameters.emplace(name, std::move(p));
        }
    }
    for (const auto& [name, value] : options.parameterOverrides) {
        if (!parameters.contains(name)) {
            warnings.push_back({source.fileOnly(), "parameter override " + name +
                                                       " does not match any template parameter"});
        }
    }
    return parameters;
}

void declareResources(const YAML::Node& resources, detail::ResourceCatalog& catalog,
                      const YamlSource& source, std::vector<Warning>& warnings) {
    for (auto it = resources.begin(); it != resources.end(); ++it) {
        DeclaredResource r;
        r.logicalId = it->first.Scalar();
        r.key = it->first;
        if (r.logicalId.starts_with("Fn::")) {
            warnings.push_back(
                {source.at(it->first), r.logicalId + " is not supported; the resources it would "
                                                     "create are skipped"});
            continue;
        }
        if (!it->second.IsMap()) {
            source.fail(it->first, "resource " + r.logicalId + " must be a mapping with a Type");
        }
        const auto type = findEntry(it->second, "Type");
        if (!type) source.fail(it->first, "resource " + r.logicalId + " has no Type");
        if (!type->value.IsScalar() || type->value.Scalar().empty()) {
            source.fail(type->key, "Type of " + r.logicalId + " must be text, got " +
                                       detail::describe(type->value));
        }
        r.type = type->value.Scalar();
        if (const auto properties = findEntry(it->second, "Properties")) {
            if (!properties->value.IsMap() && !properties->value.IsNull()) {
                source.fail(properties->key, "Properties of " + r.logicalId +
                                                 " must be a mapping, got " +
                                                 detail::describe(properties->value));
            }
            r.properties = properties->value;
        }
        r.condition = findEntry(it->second, "Condition");
        catalog.add(std::move(r));
    }
}

bool isEmulatedOther(const std::string& type) {
    return type == "AWS::Serverless::Api" || type == "AWS::Serverless::HttpApi" ||
           type == "AWS::Events::Rule" || type == "AWS::Scheduler::Schedule";
}

class SpecBuilder {
  public:
    SpecBuilder(Project& project, const YAML::Node& root, detail::IntrinsicResolver& resolver,
                detail::ResourceCatalog& catalog, const YamlSource& source,
                std::vector<Warning>& warnings)
        : project_(project),
          resolver_(resolver),
          catalog_(catalog),
          source_(source),
          warnings_(warnings),
          globals_(section(root, "Globals", source)),
          functions_{resolver, catalog, project.rootDir, section(globals_, "Function", source),
                     warnings} {}

    void build(const DeclaredResource& r) {
        const auto where = source_.at(r.key);
        if (r.type == "AWS::Serverless::Function" || r.type == "AWS::Lambda::Function") {
            if (auto fn = detail::buildFunction(r, functions_)) {
                project_.functions.push_back(std::move(*fn));
            } else {
                project_.otherResources.push_back({r.logicalId, r.type, properties(r), where});
            }
        } else if (r.type == "AWS::S3::Bucket") {
            BucketSpec bucket{r.logicalId, catalog_.physicalName(r), properties(r), where};
            if (!detail::isValidBucketName(bucket.bucketName)) {
                warn(r, "bucket name \"" + bucket.bucketName +
                            "\" breaks S3's naming rules; AWS would reject it");
            }
            project_.buckets.push_back(std::move(bucket));
        } else if (r.type == "AWS::SQS::Queue") {
            project_.queues.push_back(
                {r.logicalId, catalog_.physicalName(r), properties(r), where});
        } else {
            json props = properties(r);
            if (r.type == "AWS::Serverless::Api") mergeGlobals(props, "Api");
            if (r.type == "AWS::Serverless::HttpApi") mergeGlobals(props, "HttpApi");
            if (!isEmulatedOther(r.type)) {
                warn(r, r.type + " (" + r.logicalId + ") is not emulated yet");
            }
            project_.otherResources.push_back({r.logicalId, r.type, std::move(props), where});
        }
    }

    // SAM creates ServerlessRestApi / ServerlessHttpApi for the Api / HttpApi events that name
    // no API, with Globals.Api / Globals.HttpApi; they are kept like explicit APIs so that the
    // HTTP service reads one shape.
    void addImplicitApis() {
        addImplicitApi("Api", "RestApiId", "ServerlessRestApi", "AWS::Serverless::Api", "Prod");
        addImplicitApi("HttpApi", "ApiId", "ServerlessHttpApi", "AWS::Serverless::HttpApi",
                       "$default");
    }

  private:
    void addImplicitApi(const std::string& eventType, const std::string& idKey,
                        const std::string& logicalId, const std::string& type,
                        const std::string& stage) {
        if (catalog_.find(logicalId)) return;
        for (const auto& fn : project_.functions) {
            for (const auto& event : fn.events) {
                if (event.type != eventType || event.properties.contains(idKey)) continue;
                json props = json::object();
                mergeGlobals(props, eventType);
                // The implicit REST API's stage is always Prod; Globals cannot change it.
                props["StageName"] = stage;
                project_.otherResources.push_back({logicalId, type, std::move(props), event.where});
                return;
            }
        }
    }

    json properties(const DeclaredResource& r) {
        if (!r.properties.IsDefined() || r.properties.IsNull()) return json::object();
        auto resolved = resolver_.resolve(r.properties);
        return resolved && resolved->is_object() ? std::move(*resolved) : json::object();
    }

    // SAM's Globals.Api / Globals.HttpApi: top-level properties the API does not set itself.
    void mergeGlobals(json& props, const std::string& kind) {
        const YAML::Node node = section(globals_, kind, source_);
        if (!node.IsDefined()) return;
        auto& cached = resolvedGlobals_[kind];
        if (!cached) cached = resolver_.resolve(node).value_or(json::object());
        for (const auto& [key, value] : cached->items()) {
            if (!props.contains(key)) props[key] = value;
        }
    }

    void warn(const DeclaredResource& r, std::string message) {
        warnings_.push_back({source_.at(r.key), std::move(message)});
    }

    Project& project_;
    detail::IntrinsicResolver& resolver_;
    detail::ResourceCatalog& catalog_;
    const YamlSource& source_;
    std::vector<Warning>& warnings_;
    YAML::Node globals_;
    detail::FunctionContext functions_;
    std::map<std::string, std::optional<json>> resolvedGlobals_;
};

Project load(const std::filesystem::path& templatePath, const LoadOptions& options,
             const YamlSource& source) {
    const YAML::Node root = parseTemplate(readTemplate(templatePath, source), source);
    const SourceLocation top{source.file(), 1, 1};
    if (!root.IsDefined() || root.IsNull()) {
        source.fail(top, "the template is empty; it needs a Resources section");
    }
    if (!root.IsMap()) source.fail(top, "a template must be a mapping with a Resources section");

    Project project;
    project.templatePath = std::filesystem::absolute(templatePath).lexically_normal();
    project.rootDir = project.templatePath.parent_path();
    project.stackName = project.rootDir.filename().string();
    if (project.stackName.empty()) project.stackName = "fogbank";
    project.region = options.region;
    project.edgeUrl = options.edgeUrl;

    std::vector<Warning> warnings;
    const auto parameters = loadParameters(root, options, source, warnings);
    for (const auto& [name, p] : parameters) project.parameters[name] = p.value;

    const auto resources = findEntry(root, "Resources");
    if (!resources) source.fail(top, "the template has no Resources section");
    if (!resources->value.IsMap()) {
        source.fail(resources->key, "Resources must be a mapping of logical ids to resources");
    }

    const detail::PseudoParameters pseudo{project.region, project.accountId, project.stackName};
    detail::ResourceCatalog catalog(source, pseudo, options.edgeUrl);
    declareResources(resources->value, catalog, source, warnings);
    detail::IntrinsicResolver resolver(source, pseudo, parameters,
                                       section(root, "Mappings", source),
                                       section(root, "Conditions", source), catalog, warnings);
    catalog.attach(resolver);
    resolver.checkAllConditions();

    SpecBuilder specs(project, root, resolver, catalog, source, warnings);
    for (const DeclaredResource& r : catalog.resources()) {
        if (catalog.enabled(r)) specs.build(r);
    }
    specs.addImplicitApis();
    project.warnings = std::move(warnings);
    return project;
}

}  // namespace

Project loadProject(const std::filesystem::path& templatePath, const LoadOptions& options) {
    const YamlSource source(templatePath);
    try {
        return load(templatePath, options, source);
    } catch (const YAML::Exception& e) {
        // yaml-cpp can still throw while walking an odd tree; it is the template's fault.
        throw TemplateError(source.at(e.mark), e.msg);
    }
}

}  // namespace fogbank
