#include "emulator/events/event_template_library.h"

#include "emulator/crypto/digest.h"

#include "emulator/net/base64.h"
#include "emulator/net/url_encoding.h"
#include "emulator/trace/ids.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <system_error>

namespace fogbank {

namespace {

using ojson = nlohmann::ordered_json;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Values

std::mt19937_64& rng() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return engine;
}

std::string randomDigits(std::size_t n, bool hexDigits) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::uniform_int_distribution<int> pick(0, hexDigits ? 15 : 9);
    std::string out(n, '0');
    for (auto& c : out) c = kDigits[pick(rng())];
    return out;
}

std::string randomBase64(std::size_t bytes) {
    std::uniform_int_distribution<int> pick(0, 255);
    std::string raw(bytes, '\0');
    for (auto& c : raw) c = static_cast<char>(pick(rng()));
    return base64Encode(raw);
}

// Text of a value as it appears inside a larger string.
std::string text(const ojson& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return {};
    return value.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

bool isEmptyValue(const ojson& value) {
    return value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty()) ||
           ((value.is_object() || value.is_array()) && value.empty());
}

std::string upperHex(std::uint64_t n, int width) {
    return fmt::format("{:0{}X}", n, width);
}

std::string formatTime(std::int64_t epochMs, const std::string& format) {
    const std::time_t seconds =
        static_cast<std::time_t>(epochMs >= 0 ? epochMs / 1000 : (epochMs - 999) / 1000);
    const int millis = static_cast<int>(epochMs - std::int64_t(seconds) * 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const int year = tm.tm_year + 1900, month = tm.tm_mon + 1;
    if (format == "iso8601")
        return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", year, month, tm.tm_mday,
                           tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (format == "iso8601ms")
        return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", year, month, tm.tm_mday,
                           tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    // clf: the Common Log Format time API Gateway puts in requestContext.
    return fmt::format("{:02}/{}/{:04}:{:02}:{:02}:{:02} +0000", tm.tm_mday, kMonths[tm.tm_mon],
                       year, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// "a=1&b=2&a=3" -> [(a,1), (b,2), (a,3)], decoded, in order.
std::vector<std::pair<std::string, std::string>> parseQuery(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> pairs;
    if (!query.empty() && query.front() == '?') query.remove_prefix(1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (part.empty()) continue;
        const auto eq = part.find('=');
        pairs.emplace_back(
            net::percentDecode(part.substr(0, eq)),
            eq == std::string_view::npos ? std::string() : net::percentDecode(part.substr(eq + 1)));
    }
    return pairs;
}

// ---------------------------------------------------------------------------------------------
// Expansion

struct Placeholder {
    std::string source;
    std::vector<std::string> filters;
};

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

Placeholder parsePlaceholder(std::string_view inside) {
    Placeholder p;
    std::size_t start = 0;
    bool first = true;
    for (;;) {
        const auto bar = inside.find('|', start);
        std::string part = trim(inside.substr(
            start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
        if (first)
            p.source = std::move(part);
        else
            p.filters.push_back(std::move(part));
        first = false;
        if (bar == std::string_view::npos) break;
        start = bar + 1;
    }
    return p;
}

class Expander {
  public:
    Expander(const EventTemplate& t, const std::map<std::string, std::string>& values,
             std::int64_t nowMs)
        : t_(t), nowMs_(nowMs) {
        // Every given value is checked, whether or not the event ends up using it.
        for (const auto& [name, raw] : values) resolved_[name] = convert(*t.field(name), raw);
    }

    // nullopt: the value is to be left out.
    std::optional<ojson> expand(const ojson& node, const std::string& where) {
        if (node.is_string()) return expandString(node.get_ref<const std::string&>(), where);
        if (node.is_object()) {
            ojson out = ojson::object();
            for (const auto& [key, value] : node.items()) {
                auto expanded = expand(value, where + "." + key);
                if (expanded) out[key] = std::move(*expanded);
            }
            return out;
        }
        if (node.is_array()) {
            ojson out = ojson::array();
            for (std::size_t i = 0; i < node.size(); ++i) {
                auto expanded = expand(node[i], where + "[" + std::to_string(i) + "]");
                if (expanded) out.push_back(std::move(*expanded));
            }
            return out;
        }
        return node;
    }

  private:
    [[noreturn]] void fail(const std::string& where, const std::string& message) const {
        throw EventTemplateError(t_.file.string() + ": " + where + ": " + message);
    }

    std::optional<ojson> expandString(const std::string& s, const std::string& where) {
        const auto open = s.find("{{");
        if (open == std::string::npos) return ojson(s);
        const auto close = s.find("}}", open);
        // Exactly one placeholder: the value keeps its type.
        if (open == 0 && close == s.size() - 2)
            return evaluate(parsePlaceholder(std::string_view(s).substr(2, s.size() - 4)), where);
        std::string out;
        std::size_t at = 0;
        while (at < s.size()) {
            const auto o = s.find("{{", at);
            if (o == std::string::npos) {
                out += s.substr(at);
                break;
            }
            const auto c = s.find("}}", o + 2);
            if (c == std::string::npos) fail(where, "unclosed {{ in \"" + s + "\"");
            out += s.substr(at, o - at);
            auto value =
                evaluate(parsePlaceholder(std::string_view(s).substr(o + 2, c - o - 2)), where);
            if (value) out += text(*value);
            at = c + 2;
        }
        return ojson(std::move(out));
    }

    std::optional<ojson> evaluate(const Placeholder& p, const std::string& where) {
        std::optional<ojson> value = source(p.source, where);
        for (const auto& filter : p.filters) {
            if (!value) break;
            value = apply(filter, std::move(*value), where);
        }
        return value;
    }

    std::optional<ojson> source(const std::string& name, const std::string& where) {
        if (name.empty()) fail(where, "empty placeholder {{}}");
        if (name[0] == '$') {
            const auto colon = name.find(':');
            const std::string gen = name.substr(0, colon);
            std::size_t n = 0;
            if (colon != std::string::npos) {
                const std::string arg = name.substr(colon + 1);
                auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), n);
                if (ec != std::errc() || end != arg.data() + arg.size() || n == 0 || n > 4096)
                    fail(where, "bad length in {{" + name + "}}");
            }
            if (gen == "$now") return ojson(nowMs_);
            if (gen == "$uuid") return ojson(newRequestId());
            if (colon != std::string::npos) {
                if (gen == "$hex") return ojson(randomDigits(n, true));
                if (gen == "$digits") return ojson(randomDigits(n, false));
                if (gen == "$base64") return ojson(randomBase64(n));
            }
            fail(where, "unknown generated value {{" + name +
                            "}} (there are $now, $uuid, $hex:N, $digits:N, $base64:N)");
        }
        return field(name, where);
    }

    std::optional<ojson> field(const std::string& name, const std::string& where) {
        if (auto it = resolved_.find(name); it != resolved_.end()) return it->second;
        const EventField* f = t_.field(name);
        if (!f) fail(where, "{{" + name + "}} is not a field of this template");
        if (!resolving_.insert(name).second)
            fail(where, "the default of field " + name + " depends on itself");
        std::optional<ojson> value = expand(f->defaultValue, "fields." + name + ".default");
        resolving_.erase(name);
        resolved_[name] = value;
        return value;
    }

    static ojson convert(const EventField& f, const std::string& raw) {
        const auto bad = [&](const std::string& expected) {
            return EventTemplateError("--" + f.name + " must be " + expected + ", got \"" + raw +
                                      "\"");
        };
        if (f.type == "string") return raw;
        if (f.type == "json") {
            auto parsed = ojson::parse(raw, nullptr, false);
            if (parsed.is_discarded()) throw bad("JSON");
            return parsed;
        }
        if (f.type == "boolean") {
            if (raw == "true" || raw == "1" || raw == "yes") return true;
            if (raw == "false" || raw == "0" || raw == "no") return false;
            throw bad("true or false");
        }
        // number, integer
        const char* begin = raw.data();
        const char* end = raw.data() + raw.size();
        std::int64_t i = 0;
        if (auto [p, ec] = std::from_chars(begin, end, i);
            ec == std::errc() && p == end && !raw.empty())
            return i;
        if (f.type == "integer") throw bad("an integer");
        double d = 0;
        if (auto [p, ec] = std::from_chars(begin, end, d);
            ec == std::errc() && p == end && !raw.empty() && std::isfinite(d))
            return d;
        throw bad("a number");
    }

    std::optional<ojson> apply(const std::string& filter, ojson value, const std::string& where) {
        const auto needNumber = [&]() -> std::int64_t {
            if (!value.is_number()) fail(where, filter + " needs a number, got " + text(value));
            return value.is_number_float() ? static_cast<std::int64_t>(value.get<double>())
                                           : value.get<std::int64_t>();
        };
        if (filter == "string") return ojson(text(value));
        if (filter == "upper" || filter == "lower") {
            std::string s = text(value);
            for (auto& c : s)
                c = static_cast<char>(filter == "upper"
                                          ? std::toupper(static_cast<unsigned char>(c))
                                          : std::tolower(static_cast<unsigned char>(c)));
            return ojson(std::move(s));
        }
        if (filter == "md5") return ojson(md5Hex(text(value)));
        if (filter == "length") return ojson(static_cast<std::int64_t>(text(value).size()));
        if (filter == "s3key") return ojson(s3EventKey(text(value)));
        if (filter == "strip-slash") {
            std::string s = text(value);
            s.erase(0, s.find_first_not_of('/') == std::string::npos ? s.size()
                                                                     : s.find_first_not_of('/'));
            return ojson(std::move(s));
        }
        if (filter == "or-null") return isEmptyValue(value) ? ojson(nullptr) : value;
        if (filter == "or-omit")
            return isEmptyValue(value) ? std::nullopt : std::optional<ojson>(std::move(value));
        if (filter == "iso8601" || filter == "iso8601ms" || filter == "clf")
            return ojson(formatTime(needNumber(), filter));
        if (filter == "epoch") {
            const std::int64_t ms = needNumber();
            return ojson(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
        }
        if (filter == "hex" || filter.rfind("hex:", 0) == 0) {
            int width = 16;
            if (filter.size() > 4) {
                auto [end, ec] =
                    std::from_chars(filter.data() + 4, filter.data() + filter.size(), width);
                if (ec != std::errc() || end != filter.data() + filter.size() || width < 1 ||
                    width > 32)
                    fail(where, "bad width in filter " + filter);
            }
            return ojson(upperHex(static_cast<std::uint64_t>(needNumber()), width));
        }
        if (filter == "query-v1" || filter == "query-v1-multi" || filter == "query-v2") {
            const auto pairs = parseQuery(text(value));
            if (pairs.empty()) {
                if (filter == "query-v2") return std::nullopt;
                return ojson(nullptr);
            }
            ojson out = ojson::object();
            for (const auto& [k, v] : pairs) {
                if (filter == "query-v1") {
                    out[k] = v;  // REST APIs keep the last value
                } else if (filter == "query-v1-multi") {
                    if (!out.contains(k)) out[k] = ojson::array();
                    out[k].push_back(v);
                } else {  // HTTP APIs join repeated values with commas
                    out[k] = out.contains(k) ? out[k].get<std::string>() + "," + v : v;
                }
            }
            return out;
        }
        fail(where, "unknown filter \"" + filter + "\"");
    }

    const EventTemplate& t_;
    std::int64_t nowMs_;
    std::map<std::string, std::optional<ojson>> resolved_;
    std::set<std::string> resolving_;
};

std::string typeOf(const ojson& defaultValue) {
    if (defaultValue.is_number_integer()) return "integer";
    if (defaultValue.is_number()) return "number";
    if (defaultValue.is_boolean()) return "boolean";
    if (defaultValue.is_object() || defaultValue.is_array()) return "json";
    return "string";
}

bool validName(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

EventTemplate loadTemplate(const fs::path& file, std::string service, std::string type) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw EventTemplateError(file.string() + ": cannot read it");
    std::stringstream buffer;
    buffer << in.rdbuf();
    ojson doc;
    try {
        doc = ojson::parse(buffer.str());
    } catch (const ojson::parse_error& e) {
        throw EventTemplateError(file.string() + ": not valid JSON: " + e.what());
    }
    const auto fail = [&](const std::string& message) {
        return EventTemplateError(file.string() + ": " + message);
    };
    if (!doc.is_object() || !doc.contains("event"))
        throw fail("an event template is an object with \"event\" (and \"fields\")");
    EventTemplate t;
    t.service = std::move(service);
    t.type = std::move(type);
    t.file = file;
    t.event = doc["event"];
    if (doc.contains("description") && doc["description"].is_string())
        t.description = doc["description"].get<std::string>();
    if (doc.contains("fields")) {
        if (!doc["fields"].is_object()) throw fail("\"fields\" must be an object");
        for (const auto& [name, spec] : doc["fields"].items()) {
            if (!validName(name))
                throw fail("field name \"" + name + "\" must be lowercase letters, digits and -");
            if (!spec.is_object() || !spec.contains("default"))
                throw fail("field " + name + " needs a \"default\"");
            EventField f;
            f.name = name;
            f.defaultValue = spec["default"];
            f.type =
                spec.contains("type") ? spec["type"].get<std::string>() : typeOf(f.defaultValue);
            static const std::set<std::string> kTypes{"string", "number", "integer", "boolean",
                                                      "json"};
            if (!kTypes.count(f.type))
                throw fail("field " + name + " has an unknown type \"" + f.type +
                           "\" (string, number, integer, boolean or json)");
            if (spec.contains("description") && spec["description"].is_string())
                f.description = spec["description"].get<std::string>();
            t.fields.push_back(std::move(f));
        }
    }
    return t;
}

}  // namespace

std::string s3EventKey(std::string_view key) {
    // S3 writes keys into notifications form-encoded (Java's URLEncoder: letters, digits and
    // . - * _ stay; a space becomes '+'; the rest %XX of its UTF-8 bytes), keeping '/'.
    std::string out;
    for (const char ch : key) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '.' || c == '-' || c == '*' || c == '_' || c == '/')
            out += static_cast<char>(c);
        else if (c == ' ')
            out += '+';
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

const EventField* EventTemplate::field(const std::string& name) const {
    for (const auto& f : fields)
        if (f.name == name) return &f;
    return nullptr;
}

EventTemplateLibrary::EventTemplateLibrary(std::filesystem::path dir) : dir_(std::move(dir)) {
    std::error_code ec;
    if (!fs::is_directory(dir_, ec))
        throw EventTemplateError("no event templates in " + dir_.string() +
                                 " (set FOGBANK_TEMPLATES to the folder that holds events/)");
    for (const auto& serviceDir : fs::directory_iterator(dir_)) {
        if (!serviceDir.is_directory()) continue;
        const std::string service = serviceDir.path().filename().string();
        for (const auto& entry : fs::directory_iterator(serviceDir.path())) {
            if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
            const std::string type = entry.path().stem().string();
            templates_[service].emplace(type, loadTemplate(entry.path(), service, type));
        }
    }
}

std::filesystem::path EventTemplateLibrary::defaultDir() {
    if (const char* env = std::getenv("FOGBANK_TEMPLATES"); env && *env)
        return fs::path(env) / "events";
    std::error_code ec;
    auto exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto installed =
            exe.parent_path().parent_path() / "share" / "fogbank" / "templates" / "events";
        if (fs::is_directory(installed, ec)) return installed;
    }
    return fs::path(FOGBANK_SOURCE_TEMPLATES) / "events";
}

std::vector<std::string> EventTemplateLibrary::services() const {
    std::vector<std::string> names;
    for (const auto& [service, types] : templates_) names.push_back(service);
    return names;
}

std::vector<const EventTemplate*> EventTemplateLibrary::templates(
    const std::string& service) const {
    std::vector<const EventTemplate*> out;
    if (auto it = templates_.find(service); it != templates_.end())
        for (const auto& [type, t] : it->second) out.push_back(&t);
    return out;
}

const EventTemplate* EventTemplateLibrary::find(const std::string& service,
                                                const std::string& type) const {
    auto it = templates_.find(service);
    if (it == templates_.end()) return nullptr;
    auto t = it->second.find(type);
    return t == it->second.end() ? nullptr : &t->second;
}

nlohmann::ordered_json EventTemplateLibrary::generate(
    const EventTemplate& eventTemplate, const std::map<std::string, std::string>& values,
    std::chrono::system_clock::time_point now) {
    for (const auto& [name, value] : values) {
        if (eventTemplate.field(name)) continue;
        std::string valid;
        for (const auto& f : eventTemplate.fields)
            valid += (valid.empty() ? "--" : ", --") + f.name;
        throw EventTemplateError("--" + name + " is not a field of " + eventTemplate.service + " " +
                                 eventTemplate.type +
                                 " (it has: " + (valid.empty() ? "none" : valid) + ")");
    }
    const auto nowMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    Expander expander(eventTemplate, values, nowMs);
    auto event = expander.expand(eventTemplate.event, "event");
    if (!event)
        throw EventTemplateError(eventTemplate.file.string() + ": the whole event was left out");
    return std::move(*event);
}

}  // namespace fogbank
