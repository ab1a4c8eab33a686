#include "emulator/trace/json_diff.h"

#include <optional>
#include <stdexcept>

namespace fogbank {

namespace {

using nlohmann::json;

// One step of a path: a key, an index, or a wildcard (in ignore patterns).
struct Segment {
    enum class Kind { Key, Index, AnyKey, AnyIndex };
    Kind kind = Kind::Key;
    std::string key;
    std::size_t index = 0;
};

bool plainKey(const std::string& key) {
    if (key.empty() || (key[0] >= '0' && key[0] <= '9')) return false;
    for (const char c : key) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '$';
        if (!ok) return false;
    }
    return true;
}

std::vector<Segment> parsePattern(const std::string& pattern) {
    const auto bad = [&](const std::string& why) {
        return std::invalid_argument("bad path \"" + pattern + "\": " + why +
                                     " (expected e.g. $.body.items[*].id)");
    };
    if (pattern.empty() || pattern[0] != '$') throw bad("it must start with $");
    std::vector<Segment> segments;
    std::size_t i = 1;
    while (i < pattern.size()) {
        Segment s;
        if (pattern[i] == '.') {
            std::size_t end = i + 1;
            while (end < pattern.size() && pattern[end] != '.' && pattern[end] != '[') ++end;
            s.key = pattern.substr(i + 1, end - i - 1);
            if (s.key.empty()) throw bad("an empty key");
            if (s.key == "*") s.kind = Segment::Kind::AnyKey;
            i = end;
        } else if (pattern[i] == '[') {
            if (i + 1 < pattern.size() && pattern[i + 1] == '"') {
                // ["odd key"]: a JSON string, then ]
                std::size_t end = i + 2;
                while (end < pattern.size() && pattern[end] != '"')
                    end += pattern[end] == '\\' ? 2 : 1;
                if (end + 1 >= pattern.size() || pattern[end + 1] != ']') throw bad("unclosed [\"");
                const auto key = json::parse(pattern.substr(i + 1, end - i), nullptr, false);
                if (!key.is_string()) throw bad("a bad quoted key");
                s.key = key.get<std::string>();
                i = end + 2;
            } else {
                const auto close = pattern.find(']', i);
                if (close == std::string::npos) throw bad("unclosed [");
                const std::string inside = pattern.substr(i + 1, close - i - 1);
                if (inside == "*") {
                    s.kind = Segment::Kind::AnyIndex;
                } else {
                    if (inside.empty() ||
                        inside.find_first_not_of("0123456789") != std::string::npos)
                        throw bad("[" + inside + "] is not an index");
                    s.kind = Segment::Kind::Index;
                    s.index = std::stoul(inside);
                }
                i = close + 1;
            }
        } else {
            throw bad(std::string("unexpected '") + pattern[i] + "'");
        }
        segments.push_back(std::move(s));
    }
    return segments;
}

bool matches(const std::vector<Segment>& pattern, const std::vector<Segment>& path) {
    if (pattern.size() != path.size()) return false;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const Segment& p = pattern[i];
        const Segment& s = path[i];
        switch (p.kind) {
            case Segment::Kind::AnyKey:
                if (s.kind != Segment::Kind::Key) return false;
                break;
            case Segment::Kind::AnyIndex:
                if (s.kind != Segment::Kind::Index) return false;
                break;
            case Segment::Kind::Key:
                if (s.kind != Segment::Kind::Key || s.key != p.key) return false;
                break;
            case Segment::Kind::Index:
                if (s.kind != Segment::Kind::Index || s.index != p.index) return false;
                break;
        }
    }
    return true;
}

std::optional<json> embedded(const json& value) {
    if (!value.is_string()) return std::nullopt;
    const auto& s = value.get_ref<const std::string&>();
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || (s[first] != '{' && s[first] != '[')) return std::nullopt;
    auto parsed = json::parse(s, nullptr, false);
    if (parsed.is_discarded()) return std::nullopt;
    return parsed;
}

class Differ {
  public:
    explicit Differ(const JsonDiffOptions& options) : options_(options) {
        for (const auto& p : options.ignore) ignore_.push_back(parsePattern(p));
    }

    void diff(const json& a, const json& b, const std::string& path) {
        if (ignored()) return;
        if (a == b) return;
        if (a.is_object() && b.is_object()) {
            for (const auto& [key, value] : a.items()) {
                const std::string child = jsonPathChild(path, key);
                push(Segment{Segment::Kind::Key, key, 0});
                const auto it = b.find(key);
                if (it == b.end())
                    report(JsonChange::Kind::Removed, child, value, nullptr);
                else
                    diff(value, *it, child);
                pop();
            }
            for (const auto& [key, value] : b.items()) {
                if (a.contains(key)) continue;
                push(Segment{Segment::Kind::Key, key, 0});
                report(JsonChange::Kind::Added, jsonPathChild(path, key), nullptr, value);
                pop();
            }
            return;
        }
        if (a.is_array() && b.is_array()) {
            const std::size_t common = std::min(a.size(), b.size());
            for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
                const std::string child = path + "[" + std::to_string(i) + "]";
                push(Segment{Segment::Kind::Index, {}, i});
                if (i < common)
                    diff(a[i], b[i], child);
                else if (i < a.size())
                    report(JsonChange::Kind::Removed, child, a[i], nullptr);
                else
                    report(JsonChange::Kind::Added, child, nullptr, b[i]);
                pop();
            }
            return;
        }
        if (options_.parseEmbeddedJson) {
            auto ea = embedded(a);
            auto eb = embedded(b);
            if (ea && eb) {
                diff(*ea, *eb, path);
                return;
            }
        }
        report(JsonChange::Kind::Changed, path, a, b);
    }

    std::vector<JsonChange> changes;

  private:
    void push(Segment s) { path_.push_back(std::move(s)); }
    void pop() { path_.pop_back(); }
    bool ignored() const {
        for (const auto& pattern : ignore_)
            if (matches(pattern, path_)) return true;
        return false;
    }
    void report(JsonChange::Kind kind, const std::string& path, const json& before,
                const json& after) {
        if (ignored()) return;
        changes.push_back(JsonChange{kind, path, before, after});
    }

    const JsonDiffOptions& options_;
    std::vector<std::vector<Segment>> ignore_;
    std::vector<Segment> path_;
};

std::string shortDump(const json& value, std::size_t maxChars) {
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > maxChars && maxChars > 3) {
        std::size_t cut = maxChars - 3;
        // Never cut a UTF-8 sequence in half.
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        text = text.substr(0, cut) + "...";
    }
    return text;
}

}  // namespace

std::string jsonPathChild(const std::string& parent, const std::string& key) {
    if (plainKey(key)) return parent + "." + key;
    return parent + "[" + json(key).dump(-1, ' ', false, json::error_handler_t::replace) + "]";
}

std::vector<JsonChange> diffJson(const nlohmann::json& before, const nlohmann::json& after,
                                 const JsonDiffOptions& options) {
    Differ differ(options);
    differ.diff(before, after, "$");
    return std::move(differ.changes);
}

std::string describe(const JsonChange& change, std::size_t maxValueChars) {
    switch (change.kind) {
        case JsonChange::Kind::Added:
            return change.path + ": added " + shortDump(change.after, maxValueChars);
        case JsonChange::Kind::Removed:
            return change.path + ": removed " + shortDump(change.before, maxValueChars);
        case JsonChange::Kind::Changed:
            break;
    }
    return change.path + ": " + shortDump(change.before, maxValueChars) + " -> " +
           shortDump(change.after, maxValueChars);
}

}  // namespace fogbank
