#include "emulator/project/intrinsics.h"

#include "emulator/project/resource_catalog.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace fogbank::detail {

using nlohmann::json;

namespace {

constexpr int kMaxDepth = 200;

std::string base64(std::string_view in) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                           (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    if (i < in.size()) {
        unsigned n = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return std::string(s.substr(first, last - first + 1));
}

// YAML 1.2 core-schema typing of an unquoted scalar, except that numbers with leading zeros
// stay text: they are account ids and codes far more often than octal numbers.
json inferScalar(const std::string& text) {
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
        return nullptr;
    }
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;

    std::string_view digits = text;
    if (digits.front() == '-' || digits.front() == '+') digits.remove_prefix(1);
    if (digits.empty() ||
        !(std::isdigit(static_cast<unsigned char>(digits.front())) || digits.front() == '.')) {
        return text;
    }
    if (digits.size() > 1 && digits[0] == '0' && digits[1] != '.') return text;

    const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
    const char* end = text.data() + text.size();
    std::int64_t integer = 0;
    if (auto [p, ec] = std::from_chars(begin, end, integer); ec == std::errc{} && p == end) {
        return integer;
    }
    double real = 0;
    if (auto [p, ec] = std::from_chars(begin, end, real); ec == std::errc{} && p == end) {
        return real;
    }
    return text;
}

struct DepthGuard {
    explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
    ~DepthGuard() { --depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    int& depth_;
};

}  // namespace

bool TemplateParameter::isList() const {
    return type == "CommaDelimitedList" || type.starts_with("List<");
}

IntrinsicResolver::IntrinsicResolver(const YamlSource& source, PseudoParameters pseudo,
                                     const std::map<std::string, TemplateParameter>& parameters,
                                     YAML::Node mappings, YAML::Node conditions,
                                     ResourceCatalog& catalog, std::vector<Warning>& warnings)
    : source_(source),
      pseudo_(std::move(pseudo)),
      parameters_(parameters),
      mappings_(std::move(mappings)),
      conditions_(std::move(conditions)),
      catalog_(catalog),
      warnings_(warnings) {}

void IntrinsicResolver::warn(const YAML::Node& at, std::string message) {
    warnings_.push_back(Warning{source_.at(at), std::move(message)});
}

json IntrinsicResolver::unresolved(const YAML::Node& at, const std::string& what,
                                   const std::string& why) {
    warn(at, what + " cannot be resolved locally (" + why + "); using a placeholder");
    return "<unresolved " + what + ">";
}

std::string IntrinsicResolver::toText(const json& value, const YAML::Node& at,
                                      const std::string& what) const {
    switch (value.type()) {
        case json::value_t::string:
            return value.get<std::string>();
        case json::value_t::null:
            return {};
        case json::value_t::boolean:
            return value.get<bool>() ? "true" : "false";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float:
            return value.dump();
        default:
            source_.fail(at, what + " must be text, got " + value.dump());
    }
}

std::optional<IntrinsicResolver::Intrinsic> IntrinsicResolver::intrinsicOf(
    const YAML::Node& node, bool ignoreTag, bool allowCondition) const {
    const std::string& tag = node.Tag();
    // "!" alone is the non-specific tag of quoted scalars; "!!str" arrives as "tag:yaml.org,...".
    if (!ignoreTag && tag.size() > 1 && tag.front() == '!') {
        std::string name = tag.substr(1);
        if (name != "Ref" && name != "Condition") name = "Fn::" + name;
        return Intrinsic{std::move(name), node, true};
    }
    if (node.IsMap() && node.size() == 1) {
        const auto it = node.begin();
        if (!it->first.IsScalar()) return std::nullopt;
        const std::string& key = it->first.Scalar();
        if (key == "Ref" || key.starts_with("Fn::") || (allowCondition && key == "Condition")) {
            return Intrinsic{key, it->second, false};
        }
    }
    return std::nullopt;
}

std::optional<json> IntrinsicResolver::resolve(const YAML::Node& node, Scalars mode) {
    return resolveImpl(node, mode, false);
}

std::optional<json> IntrinsicResolver::resolveImpl(const YAML::Node& node, Scalars mode,
                                                   bool ignoreTag) {
    DepthGuard guard(depth_);
    if (depth_ > kMaxDepth) {
        source_.fail(node, "value is nested too deeply (a YAML alias that contains itself?)");
    }
    if (budget_ == 0) {
        source_.fail(node, "template expands to too many values (nested YAML aliases?)");
    }
    --budget_;

    if (auto fn = intrinsicOf(node, ignoreTag, false)) return apply(*fn, node, mode);

    switch (node.Type()) {
        case YAML::NodeType::Sequence: {
            json out = json::array();
            for (const auto& item : node) {
                if (auto v = resolveImpl(item, mode, false)) out.push_back(std::move(*v));
            }
            return out;
        }
        case YAML::NodeType::Map: {
            json out = json::object();
            for (auto it = node.begin(); it != node.end(); ++it) {
                if (!it->first.IsScalar()) source_.fail(it->first, "mapping keys must be text");
                if (auto v = resolveImpl(it->second, mode, false)) {
                    out[it->first.Scalar()] = std::move(*v);
                }
            }
            return out;
        }
        case YAML::NodeType::Scalar:
            return scalarValue(node, mode, ignoreTag);
        default:
            return mode == Scalars::Strings ? json("") : json(nullptr);
    }
}

json IntrinsicResolver::scalarValue(const YAML::Node& node, Scalars mode, bool ignoreTag) const {
    if (mode == Scalars::Strings || ignoreTag || !isPlainScalar(node)) return node.Scalar();
    return inferScalar(node.Scalar());
}

std::optional<json> IntrinsicResolver::argValue(const Intrinsic& fn, Scalars mode) {
    return resolveImpl(fn.arg, mode, fn.shortForm);
}

std::vector<YAML::Node> IntrinsicResolver::listArg(const Intrinsic& fn, const YAML::Node& at,
                                                   std::size_t min, std::size_t max) const {
    if (!fn.arg.IsSequence() || fn.arg.size() < min || fn.arg.size() > max) {
        const std::string count =
            min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max);
        const std::string got =
            fn.arg.IsSequence() ? "a list of " + std::to_string(fn.arg.size()) : describe(fn.arg);
        source_.fail(at, fn.name + " takes a list of " + count + " values, got " + got);
    }
    return {fn.arg.begin(), fn.arg.end()};
}

std::string IntrinsicResolver::textArg(const YAML::Node& node, const std::string& what) {
    const auto value = resolve(node, Scalars::Strings);
    return value ? toText(*value, node, what) : std::string();
}

std::optional<json> IntrinsicResolver::apply(const Intrinsic& fn, const YAML::Node& at,
                                             Scalars mode) {
    const std::string& name = fn.name;
    if (name == "Ref") {
        if (!fn.arg.IsScalar()) source_.fail(at, "Ref takes the name of a parameter or resource");
        return ref(fn.arg.Scalar(), at);
    }
    if (name == "Fn::GetAtt") return getAtt(fn, at);
    if (name == "Fn::Sub") return sub(fn, at);
    if (name == "Fn::Join") return join(fn, at);
    if (name == "Fn::Select") return select(fn, at, mode);
    if (name == "Fn::Split") return split(fn, at);
    if (name == "Fn::FindInMap") return findInMap(fn, at, mode);
    if (name == "Fn::If") {
        const auto args = listArg(fn, at, 3, 3);
        if (!args[0].IsScalar()) source_.fail(args[0], "Fn::If needs a condition name first");
        return resolve(condition(args[0].Scalar(), args[0]) ? args[1] : args[2], mode);
    }
    if (name == "Fn::Equals" || name == "Fn::Not" || name == "Fn::And" || name == "Fn::Or" ||
        name == "Condition") {
        return json(conditionFunction(fn, at));
    }
    if (name == "Fn::Base64") {
        const auto value = argValue(fn, Scalars::Strings);
        return base64(value ? toText(*value, at, "the argument of Fn::Base64") : "");
    }
    if (name == "Fn::GetAZs") {
        const auto value = argValue(fn, Scalars::Strings);
        std::string region = value ? toText(*value, at, "the argument of Fn::GetAZs") : "";
        if (region.empty()) region = pseudo_.region;
        return json::array({region + "a", region + "b", region + "c"});
    }
    if (name == "Fn::ToJsonString") {
        const auto value = argValue(fn, Scalars::Typed);
        return value ? value->dump() : "null";
    }
    if (name == "Fn::Length") {
        const auto value = argValue(fn, Scalars::Strings);
        if (!value || !value->is_array()) source_.fail(at, "Fn::Length takes a list");
        return value->size();
    }
    if (name == "Fn::ImportValue" || name == "Fn::Cidr" || name == "Fn::Transform" ||
        name == "Fn::ForEach") {
        return unresolved(at, name, "it needs other stacks or AWS itself");
    }
    return unresolved(at, name, "unknown intrinsic function");
}

std::optional<json> IntrinsicResolver::ref(const std::string& name, const YAML::Node& at) {
    if (name == "AWS::NoValue") return std::nullopt;
    if (name == "AWS::Region") return pseudo_.region;
    if (name == "AWS::AccountId") return pseudo_.accountId;
    if (name == "AWS::StackName") return pseudo_.stackName;
    if (name == "AWS::Partition") return pseudo_.partition;
    if (name == "AWS::URLSuffix") return pseudo_.urlSuffix;
    if (name == "AWS::NotificationARNs") return json::array();
    if (name == "AWS::StackId") {
        return "arn:" + pseudo_.partition + ":cloudformation:" + pseudo_.region + ":" +
               pseudo_.accountId + ":stack/" + pseudo_.stackName +
               "/00000000-0000-0000-0000-000000000000";
    }
    if (name.starts_with("AWS::")) source_.fail(at, "unknown pseudo parameter \"" + name + "\"");

    if (const auto it = parameters_.find(name); it != parameters_.end()) {
        if (!it->second.isList()) return it->second.value;
        json items = json::array();
        if (it->second.value.empty()) return items;
        std::size_t start = 0;
        for (;;) {
            const auto comma = it->second.value.find(',', start);
            items.push_back(trim(std::string_view(it->second.value)
                                     .substr(start, comma == std::string::npos ? std::string::npos
                                                                               : comma - start)));
            if (comma == std::string::npos) return items;
            start = comma + 1;
        }
    }
    if (catalog_.knows(name)) return catalog_.ref(name, at);
    source_.fail(at, "Ref to unknown parameter or resource \"" + name + "\"");
}

json IntrinsicResolver::getAtt(const Intrinsic& fn, const YAML::Node& at) {
    std::string resource;
    std::string attribute;
    if (fn.arg.IsScalar()) {
        const std::string& text = fn.arg.Scalar();
        const auto dot = text.find('.');
        if (dot == std::string::npos || dot == 0 || dot + 1 == text.size()) {
            source_.fail(at, "Fn::GetAtt takes \"Resource.Attribute\", got \"" + text + "\"");
        }
        resource = text.substr(0, dot);
        attribute = text.substr(dot + 1);
    } else {
        const auto args = listArg(fn, at, 2, 2);
        if (!args[0].IsScalar()) source_.fail(args[0], "Fn::GetAtt needs a resource name first");
        resource = args[0].Scalar();
        attribute = textArg(args[1], "the attribute name of Fn::GetAtt");
    }
    if (!catalog_.knows(resource)) {
        source_.fail(at, "Fn::GetAtt names unknown resource \"" + resource + "\"");
    }
    return catalog_.getAtt(resource, attribute, at);
}

std::string IntrinsicResolver::sub(const Intrinsic& fn, const YAML::Node& at) {
    std::string text;
    std::map<std::string, json> vars;
    if (fn.arg.IsSequence()) {
        const auto args = listArg(fn, at, 2, 2);
        if (!args[0].IsScalar()) source_.fail(args[0], "Fn::Sub needs a string first");
        text = args[0].Scalar();
        if (!args[1].IsMap()) {
            source_.fail(args[1],
                         "Fn::Sub needs a mapping of variables second, got " + describe(args[1]));
        }
        for (auto it = args[1].begin(); it != args[1].end(); ++it) {
            const auto value = resolve(it->second, Scalars::Strings);
            vars[it->first.Scalar()] = value ? *value : json("");
        }
    } else if (fn.arg.IsScalar()) {
        text = fn.arg.Scalar();
    } else {
        source_.fail(at,
                     "Fn::Sub takes a string or [string, {variables}], got " + describe(fn.arg));
    }

    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto open = text.find("${", i);
        if (open == std::string::npos) {
            out.append(text, i);
            break;
        }
        out.append(text, i, open - i);
        const auto close = text.find('}', open + 2);
        if (close == std::string::npos) {
            source_.fail(at, "Fn::Sub: \"${\" without a closing \"}\" in \"" + text + "\"");
        }
        if (text[open + 2] == '!') {
            // ${!Literal} is how a template writes a literal "${Literal}".
            out += "${";
            out.append(text, open + 3, close + 1 - (open + 3));
        } else {
            out += subVariable(trim(std::string_view(text).substr(open + 2, close - open - 2)),
                               vars, at);
        }
        i = close + 1;
    }
    return out;
}

std::string IntrinsicResolver::subVariable(const std::string& name,
                                           const std::map<std::string, json>& vars,
                                           const YAML::Node& at) {
    json value;
    if (const auto it = vars.find(name); it != vars.end()) {
        value = it->second;
    } else if (const auto dot = name.find('.');
               dot != std::string::npos && !name.starts_with("AWS::")) {
        const std::string resource = name.substr(0, dot);
        if (!catalog_.knows(resource)) {
            source_.fail(at,
                         "Fn::Sub: ${" + name + "} names unknown resource \"" + resource + "\"");
        }
        value = catalog_.getAtt(resource, name.substr(dot + 1), at);
    } else {
        value = ref(name, at).value_or(json(""));
    }
    if (value.is_array()) {
        std::string joined;
        for (const auto& item : value) {
            if (!joined.empty()) joined += ',';
            joined += toText(item, at, "${" + name + "}");
        }
        return joined;
    }
    return toText(value, at, "${" + name + "}");
}

json IntrinsicResolver::join(const Intrinsic& fn, const YAML::Node& at) {
    const auto args = listArg(fn, at, 2, 2);
    const std::string delimiter = textArg(args[0], "the delimiter of Fn::Join");
    json items;
    if (args[1].IsSequence() && !intrinsicOf(args[1], false, false)) {
        items = json::array();
        for (const auto& item : args[1]) {
            if (auto v = resolve(item, Scalars::Strings)) items.push_back(std::move(*v));
        }
    } else {
        items = resolve(args[1], Scalars::Strings).value_or(json::array());
        if (!items.is_array()) {
            source_.fail(args[1], "Fn::Join needs a list of values second, got " + items.dump());
        }
    }
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += delimiter;
        out += toText(items[i], args[1], "each value joined by Fn::Join");
    }
    return out;
}

std::optional<json> IntrinsicResolver::select(const Intrinsic& fn, const YAML::Node& at,
                                              Scalars mode) {
    const auto args = listArg(fn, at, 2, 2);
    const std::string indexText = textArg(args[0], "the index of Fn::Select");
    std::size_t index = 0;
    const auto [p, ec] =
        std::from_chars(indexText.data(), indexText.data() + indexText.size(), index);
    if (ec != std::errc{} || p != indexText.data() + indexText.size()) {
        source_.fail(args[0], "Fn::Select needs a number as index, got \"" + indexText + "\"");
    }
    const json items = resolve(args[1], mode).value_or(json::array());
    if (!items.is_array()) {
        source_.fail(args[1], "Fn::Select needs a list second, got " + items.dump());
    }
    if (index >= items.size()) {
        source_.fail(at, "Fn::Select index " + indexText + " is out of range for a list of " +
                             std::to_string(items.size()));
    }
    return items[index];
}

json IntrinsicResolver::split(const Intrinsic& fn, const YAML::Node& at) {
    const auto args = listArg(fn, at, 2, 2);
    const std::string delimiter = textArg(args[0], "the delimiter of Fn::Split");
    const std::string text = textArg(args[1], "the string split by Fn::Split");
    if (delimiter.empty()) source_.fail(args[0], "Fn::Split needs a non-empty delimiter");
    json out = json::array();
    std::size_t start = 0;
    for (;;) {
        const auto pos = text.find(delimiter, start);
        if (pos == std::string::npos) {
            out.push_back(text.substr(start));
            return out;
        }
        out.push_back(text.substr(start, pos - start));
        start = pos + delimiter.size();
    }
}

std::optional<json> IntrinsicResolver::findInMap(const Intrinsic& fn, const YAML::Node& at,
                                                 Scalars mode) {
    const auto args = listArg(fn, at, 3, 3);
    const std::string mapName = textArg(args[0], "the mapping name of Fn::FindInMap");
    const std::string topKey = textArg(args[1], "the first key of Fn::FindInMap");
    const std::string secondKey = textArg(args[2], "the second key of Fn::FindInMap");
    const auto map = findEntry(mappings_, mapName);
    if (!map) source_.fail(at, "Fn::FindInMap: no mapping named \"" + mapName + "\" in Mappings");
    const auto top = findEntry(map->value, topKey);
    if (!top) {
        source_.fail(at,
                     "Fn::FindInMap: mapping \"" + mapName + "\" has no key \"" + topKey + "\"");
    }
    const auto second = findEntry(top->value, secondKey);
    if (!second) {
        source_.fail(at, "Fn::FindInMap: \"" + mapName + "." + topKey + "\" has no key \"" +
                             secondKey + "\"");
    }
    return resolve(second->value, mode);
}

bool IntrinsicResolver::condition(const std::string& name, const YAML::Node& usedAt) {
    if (const auto it = conditionValues_.find(name); it != conditionValues_.end()) {
        return it->second;
    }
    const auto entry = findEntry(conditions_, name);
    if (!entry) source_.fail(usedAt, "unknown condition \"" + name + "\"");
    if (!evaluating_.insert(name).second) {
        source_.fail(entry->key, "condition \"" + name + "\" depends on itself");
    }
    const bool value = conditionExpression(entry->value);
    evaluating_.erase(name);
    conditionValues_[name] = value;
    return value;
}

void IntrinsicResolver::checkAllConditions() {
    if (!conditions_.IsDefined() || conditions_.IsNull()) return;
    if (!conditions_.IsMap()) source_.fail(conditions_, "Conditions must be a mapping");
    for (auto it = conditions_.begin(); it != conditions_.end(); ++it) {
        condition(it->first.Scalar(), it->first);
    }
}

bool IntrinsicResolver::conditionExpression(const YAML::Node& node) {
    DepthGuard guard(depth_);
    if (depth_ > kMaxDepth) source_.fail(node, "condition is nested too deeply");
    const auto fn = intrinsicOf(node, false, true);
    if (!fn) {
        source_.fail(node,
                     "a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or "
                     "Condition, got " +
                         describe(node));
    }
    return conditionFunction(*fn, node);
}

bool IntrinsicResolver::conditionFunction(const Intrinsic& fn, const YAML::Node& at) {
    if (fn.name == "Condition") {
        if (!fn.arg.IsScalar()) source_.fail(at, "Condition takes a condition name");
        return condition(fn.arg.Scalar(), at);
    }
    if (fn.name == "Fn::Equals") {
        const auto args = listArg(fn, at, 2, 2);
        return resolve(args[0], Scalars::Strings).value_or(json("")) ==
               resolve(args[1], Scalars::Strings).value_or(json(""));
    }
    if (fn.name == "Fn::Not") return !conditionExpression(listArg(fn, at, 1, 1)[0]);
    const bool isAnd = fn.name == "Fn::And";
    if (!isAnd && fn.name != "Fn::Or") {
        source_.fail(at, fn.name + " cannot be used as a condition");
    }
    const auto args = listArg(fn, at, 2, 10);
    // Every operand is evaluated, not short-circuited, so that errors anywhere are reported.
    bool result = isAnd;
    for (const auto& arg : args) {
        const bool value = conditionExpression(arg);
        result = isAnd ? (result && value) : (result || value);
    }
    return result;
}

}  // namespace fogbank::detail
