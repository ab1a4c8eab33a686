#include "emulator/project/function_builder.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace fogbank::detail {

using nlohmann::json;

namespace {

// The function's own properties, falling back to Globals.Function as SAM does.
class Properties {
  public:
    Properties(YAML::Node own, YAML::Node globals) : own_(std::move(own)), globals_(globals) {}

    std::optional<YamlEntry> get(std::string_view key) const {
        if (auto entry = findEntry(own_, key)) return entry;
        return findEntry(globals_, key);
    }
    std::optional<YamlEntry> own(std::string_view key) const { return findEntry(own_, key); }
    std::optional<YamlEntry> global(std::string_view key) const { return findEntry(globals_, key); }

  private:
    YAML::Node own_;
    YAML::Node globals_;
};

// Numbers arrive as JSON numbers from the template, or as text from a Ref to a parameter.
std::optional<double> numberOf(const json& value) {
    if (value.is_number()) return value.get<double>();
    if (!value.is_string()) return std::nullopt;
    const auto& text = value.get_ref<const std::string&>();
    double number = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
    return number;
}

class Builder {
  public:
    Builder(const DeclaredResource& resource, FunctionContext& ctx, bool serverless)
        : r_(resource),
          ctx_(ctx),
          source_(ctx.resolver.source()),
          serverless_(serverless),
          props_(resource.properties, serverless ? ctx.globals : YAML::Node()) {}

    std::optional<FunctionSpec> build();

  private:
    std::optional<json> value(const YamlEntry& entry, Scalars mode = Scalars::Typed) {
        return ctx_.resolver.resolve(entry.value, mode);
    }
    std::optional<std::string> text(std::string_view key);
    template <typename T>
    std::optional<T> number(std::string_view key, double min, double max, bool integer,
                            const std::string& rule);
    std::filesystem::path codeDirectory();
    std::filesystem::path localDirectory(const YamlEntry& entry, const std::string& relative);
    std::map<std::string, std::string> environment();
    void addVariables(const YamlEntry& environment, std::map<std::string, std::string>& out);
    std::vector<EventSource> events();
    void warn(const YAML::Node& at, std::string message) {
        ctx_.warnings.push_back(Warning{source_.at(at), std::move(message)});
    }

    const DeclaredResource& r_;
    FunctionContext& ctx_;
    const YamlSource& source_;
    bool serverless_;
    Properties props_;
};

std::optional<std::string> Builder::text(std::string_view key) {
    const auto entry = props_.get(key);
    if (!entry) return std::nullopt;
    const auto resolved = value(*entry, Scalars::Strings);
    if (!resolved) return std::nullopt;
    if (!resolved->is_string()) {
        source_.fail(entry->key, std::string(key) + " must be text, got " + resolved->dump());
    }
    return resolved->get<std::string>();
}

template <typename T>
std::optional<T> Builder::number(std::string_view key, double min, double max, bool integer,
                                 const std::string& rule) {
    const auto entry = props_.get(key);
    if (!entry) return std::nullopt;
    const auto resolved = value(*entry);
    if (!resolved) return std::nullopt;
    const auto n = numberOf(*resolved);
    if (!n || *n < min || *n > max || (integer && std::floor(*n) != *n)) {
        source_.fail(entry->key,
                     std::string(key) + " must be " + rule + ", got " + resolved->dump());
    }
    return static_cast<T>(*n);
}

std::optional<FunctionSpec> Builder::build() {
    FunctionSpec fn;
    fn.logicalId = r_.logicalId;
    fn.where = source_.at(r_.key);

    if (text("PackageType").value_or("Zip") == "Image") {
        warn(r_.key, r_.logicalId +
                         " is a container image function; Fogbank runs only Zip "
                         "(code folder) functions");
        return std::nullopt;
    }

    fn.functionName = ctx_.catalog.physicalName(r_);
    fn.runtime = text("Runtime").value_or("");
    if (fn.runtime.empty()) source_.fail(r_.key, "function " + r_.logicalId + " has no Runtime");
    fn.handler = text("Handler").value_or("");
    if (fn.handler.empty() && fn.family() != RuntimeFamily::Provided) {
        source_.fail(r_.key, "function " + r_.logicalId + " has no Handler");
    }
    if (fn.family() == RuntimeFamily::Unsupported) {
        const auto at = props_.get("Runtime");
        warn(at->key, "Runtime " + fn.runtime + " of " + r_.logicalId +
                          " is not supported; Fogbank runs nodejs*, python3* and provided*");
    }

    fn.codeUri = codeDirectory();
    if (auto memory =
            number<int>("MemorySize", FunctionSpec::minMemoryMb, FunctionSpec::maxMemoryMb, true,
                        "a number between 128 and 10240")) {
        fn.memoryMb = *memory;
    }
    if (auto timeout =
            number<double>("Timeout", 1, 900, false, "a number of seconds between 1 and 900")) {
        fn.timeoutSeconds = *timeout;
    }
    fn.reservedConcurrency =
        number<int>("ReservedConcurrentExecutions", 0, 1e9, true, "a whole number of at least 0");
    // SAM wants an AutoPublishAlias beside it; locally there is no alias to publish, so the
    // sandboxes are kept warm either way.
    if (const auto entry = props_.get("ProvisionedConcurrencyConfig")) {
        const auto config = value(*entry);
        const auto count =
            config && config->is_object() && config->contains("ProvisionedConcurrentExecutions")
                ? numberOf((*config)["ProvisionedConcurrentExecutions"])
                : std::nullopt;
        if (!count || *count < 0 || std::floor(*count) != *count)
            source_.fail(entry->key,
                         "ProvisionedConcurrencyConfig must be {ProvisionedConcurrentExecutions: "
                         "a whole number of at least 0}, got " +
                             (config ? config->dump() : std::string("nothing")));
        fn.provisionedConcurrency = static_cast<int>(*count);
    }

    if (const auto entry = props_.get("Architectures")) {
        const auto list = value(*entry, Scalars::Strings);
        if (list && (!list->is_array() || list->size() != 1 || !(*list)[0].is_string() ||
                     ((*list)[0] != "x86_64" && (*list)[0] != "arm64"))) {
            source_.fail(entry->key,
                         "Architectures must be [x86_64] or [arm64], got " + list->dump());
        }
        if (list) fn.architecture = (*list)[0].get<std::string>();
    }
    fn.environment = environment();
    if (serverless_) fn.events = events();
    return fn;
}

std::filesystem::path Builder::localDirectory(const YamlEntry& entry, const std::string& relative) {
    std::filesystem::path dir = (ctx_.rootDir / relative).lexically_normal();
    if (dir.filename().empty()) dir = dir.parent_path();  // "src/" and "." end in a separator
    std::error_code ec;
    const auto status = std::filesystem::status(dir, ec);
    if (!std::filesystem::exists(status)) {
        source_.fail(entry.key,
                     entry.key.Scalar() + " directory \"" + relative + "\" does not exist");
    }
    if (!std::filesystem::is_directory(status)) {
        source_.fail(entry.key, entry.key.Scalar() + " \"" + relative +
                                    "\" is not a directory; Fogbank runs code from a folder, "
                                    "not an archive");
    }
    return dir;
}

std::filesystem::path Builder::codeDirectory() {
    const std::string key = serverless_ ? "CodeUri" : "Code";
    const auto entry = props_.get(key);
    if (serverless_ && !entry && props_.get("InlineCode")) {
        warn(props_.get("InlineCode")->key,
             "InlineCode of " + r_.logicalId + " is not emulated; give it a CodeUri folder");
        return ctx_.rootDir;
    }
    if (!entry) return ctx_.rootDir;
    const auto resolved = value(*entry, Scalars::Strings);
    if (!resolved) return ctx_.rootDir;
    if (resolved->is_string()) {
        const std::string path = resolved->get<std::string>();
        if (path.starts_with("s3://")) {
            warn(entry->key, key + " of " + r_.logicalId + " points at S3 (" + path +
                                 "); using the template's folder instead");
            return ctx_.rootDir;
        }
        return localDirectory(*entry, path.empty() ? "." : path);
    }
    if (resolved->is_object()) {
        const char* what = resolved->contains("ZipFile")    ? "inline ZipFile code"
                           : resolved->contains("ImageUri") ? "a container image"
                                                            : "an S3 object";
        warn(entry->key, key + " of " + r_.logicalId + " is " + what +
                             ", which Fogbank cannot run; using the template's folder instead");
        return ctx_.rootDir;
    }
    source_.fail(entry->key, key + " must be a folder path, got " + resolved->dump());
}

void Builder::addVariables(const YamlEntry& environment, std::map<std::string, std::string>& out) {
    if (environment.value.IsNull()) return;
    if (!environment.value.IsMap()) {
        source_.fail(environment.key, "Environment must be a mapping with Variables, got " +
                                          describe(environment.value));
    }
    const auto variables = findEntry(environment.value, "Variables");
    if (!variables || variables->value.IsNull()) return;
    const auto resolved = value(*variables, Scalars::Strings);
    if (!resolved) return;
    if (!resolved->is_object()) {
        source_.fail(variables->key,
                     "Variables must be a mapping of names to values, got " + resolved->dump());
    }
    for (const auto& [name, v] : resolved->items()) {
        out[name] = ctx_.resolver.toText(v, variables->key, "environment variable " + name);
    }
}

std::map<std::string, std::string> Builder::environment() {
    std::map<std::string, std::string> out;
    // Globals first, then the function's own: variables merge key by key, the function's win.
    if (serverless_) {
        if (const auto global = props_.global("Environment")) addVariables(*global, out);
    }
    if (const auto own = props_.own("Environment")) addVariables(*own, out);
    return out;
}

std::vector<EventSource> Builder::events() {
    std::vector<EventSource> out;
    const auto entry = props_.own("Events");
    if (!entry || entry->value.IsNull()) return out;
    if (!entry->value.IsMap()) {
        source_.fail(entry->key, "Events must be a mapping of event names to events, got " +
                                     describe(entry->value));
    }
    for (auto it = entry->value.begin(); it != entry->value.end(); ++it) {
        EventSource event;
        event.name = it->first.Scalar();
        event.where = source_.at(it->first);
        if (!it->second.IsMap()) {
            source_.fail(it->first, "event " + event.name +
                                        " must be a mapping with Type and "
                                        "Properties, got " +
                                        describe(it->second));
        }
        const auto type = findEntry(it->second, "Type");
        if (!type) source_.fail(it->first, "event " + event.name + " has no Type");
        const auto typeValue = ctx_.resolver.resolve(type->value, Scalars::Strings);
        if (!typeValue || !typeValue->is_string() || typeValue->get<std::string>().empty()) {
            source_.fail(type->key, "Type of event " + event.name + " must be text, got " +
                                        describe(type->value));
        }
        event.type = typeValue->get<std::string>();
        if (const auto properties = findEntry(it->second, "Properties")) {
            const auto resolved = ctx_.resolver.resolve(properties->value);
            if (resolved && !resolved->is_null() && !resolved->is_object()) {
                source_.fail(properties->key, "Properties of event " + event.name +
                                                  " must be a mapping, got " + resolved->dump());
            }
            if (resolved && resolved->is_object()) event.properties = *resolved;
        }
        out.push_back(std::move(event));
    }
    return out;
}

}  // namespace

std::optional<FunctionSpec> buildFunction(const DeclaredResource& resource, FunctionContext& ctx) {
    return Builder(resource, ctx, resource.type == "AWS::Serverless::Function").build();
}

}  // namespace fogbank::detail
