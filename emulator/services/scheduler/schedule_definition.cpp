#include "emulator/services/scheduler/schedule_definition.h"

#include <set>

namespace fogbank::scheduler {

namespace {

using nlohmann::json;

// Reads one schedule's properties; `what` names it in errors ("Events.Nightly of Reports").
class Reader {
  public:
    Reader(const json& props, SourceLocation where, std::string what)
        : props_(props), where_(std::move(where)), what_(std::move(what)) {}

    [[noreturn]] void fail(const std::string& message) const {
        throw TemplateError(where_, what_ + ": " + message);
    }

    std::optional<std::string> string(const char* key) const {
        const auto it = props_.find(key);
        if (it == props_.end() || it->is_null()) return std::nullopt;
        if (!it->is_string()) fail(std::string(key) + " must be a string, got " + it->dump());
        return it->get<std::string>();
    }

    std::string required(const char* key) const {
        auto value = string(key);
        if (!value || value->empty()) fail(std::string("needs ") + key);
        return *value;
    }

    // SAM's Enabled (a boolean) and State (ENABLED / DISABLED) both switch a schedule.
    bool enabled() const {
        bool on = true;
        if (const auto it = props_.find("Enabled"); it != props_.end() && !it->is_null()) {
            if (it->is_boolean()) {
                on = it->get<bool>();
            } else if (it->is_string() && (*it == "true" || *it == "false")) {
                on = *it == "true";
            } else {
                fail("Enabled must be true or false, got " + it->dump());
            }
        }
        if (const auto state = string("State")) {
            if (*state == "DISABLED") return false;
            if (*state != "ENABLED" && *state != "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")
                fail("State must be ENABLED or DISABLED, got \"" + *state + "\"");
        }
        return on;
    }

    // EventBridge passes Input to the function as its event, so it must be JSON.
    std::optional<std::string> input(const json& from, bool mustBeJson) const {
        const auto it = from.find("Input");
        if (it == from.end() || it->is_null()) return std::nullopt;
        if (!it->is_string()) fail("Input must be a string of JSON text, got " + it->dump());
        const auto text = it->get<std::string>();
        if (mustBeJson && json::parse(text, nullptr, false).is_discarded())
            fail("Input is not valid JSON: " + text);
        return text;
    }

    ScheduleExpression expression(const std::string& text, const std::string& zone) const {
        try {
            return ScheduleExpression::parse(text, zone);
        } catch (const ScheduleExpressionError& e) {
            fail(e.what());
        }
    }

  private:
    const json& props_;
    SourceLocation where_;
    std::string what_;
};

std::string arn(const Project& p, const std::string& service, const std::string& resource) {
    return "arn:aws:" + service + ":" + p.region + ":" + p.accountId + ":" + resource;
}

// CloudFormation's generated physical name, as the resource catalog derives it for Ref.
std::string physicalName(const Project& p, const std::string& logicalId) {
    return (p.stackName + "-" + logicalId).substr(0, 64);
}

}  // namespace

ProjectSchedules readSchedules(const Project& project) {
    ProjectSchedules out;
    for (const auto& fn : project.functions) {
        for (const auto& event : fn.events) {
            if (event.type != "Schedule" && event.type != "ScheduleV2") continue;
            const Reader r(event.properties, event.where,
                           "Events." + event.name + " (" + event.type + ") of " + fn.logicalId);
            const bool v2 = event.type == "ScheduleV2";
            const auto text = r.required(v2 ? "ScheduleExpression" : "Schedule");
            const auto zone = v2 ? r.string("ScheduleExpressionTimezone").value_or("") : "";
            // SAM names the generated rule or schedule <function logical id><event name>.
            const std::string name = r.string("Name").value_or(fn.logicalId + event.name);
            // Without Name, CloudFormation names the generated rule or schedule after the stack.
            const std::string physical = r.string("Name").value_or(physicalName(project, name));
            const std::string resource =
                v2 ? "schedule/" + r.string("GroupName").value_or("default") + "/" + physical
                   : "rule/" + physical;
            out.schedules.push_back(ScheduleDefinition{
                .name = name,
                .function = fn.functionName,
                .source = event.type,
                .expression = r.expression(text, zone),
                .enabled = r.enabled(),
                .input = r.input(event.properties, !v2),
                .viaScheduler = v2,
                .arn = arn(project, v2 ? "scheduler" : "events", resource),
                .where = event.where,
            });
        }
    }
    for (const auto& res : project.otherResources) {
        const bool rule = res.type == "AWS::Events::Rule";
        if (!rule && res.type != "AWS::Scheduler::Schedule") continue;
        const Reader r(res.properties, res.where, res.logicalId + " (" + res.type + ")");
        const auto text = r.string("ScheduleExpression");
        if (!text) {
            if (rule) continue;  // an event-pattern rule: not a schedule
            r.fail("needs ScheduleExpression");
        }
        const auto zone = rule ? "" : r.string("ScheduleExpressionTimezone").value_or("");
        const std::string name = r.string("Name").value_or(res.logicalId);
        const std::string physical =
            r.string("Name").value_or(physicalName(project, res.logicalId));
        const std::string resourceArn =
            rule ? arn(project, "events", "rule/" + physical)
                 : arn(project, "scheduler",
                       "schedule/" + r.string("GroupName").value_or("default") + "/" + physical);
        auto expression = r.expression(*text, zone);
        const bool enabled = r.enabled();

        std::vector<json> targets;
        if (rule) {
            const auto it = res.properties.find("Targets");
            if (it != res.properties.end() && it->is_array())
                targets.assign(it->begin(), it->end());
        } else if (const auto it = res.properties.find("Target"); it != res.properties.end()) {
            targets.push_back(*it);
        }
        if (targets.empty()) {
            // CloudFormation requires a schedule's Target; a rule without targets is legal.
            if (!rule) r.fail("needs Target");
            out.warnings.push_back({res.where, res.logicalId + ": the rule has no targets"});
            continue;
        }
        int index = 0;
        for (const auto& target : targets) {
            ++index;
            const std::string targetArn =
                target.is_object() && target.contains("Arn") && target["Arn"].is_string()
                    ? target["Arn"].get<std::string>()
                    : std::string();
            const auto* fn = project.findFunction(targetArn);
            if (!fn) {
                out.warnings.push_back(
                    {res.where,
                     res.logicalId + ": target " +
                         (targetArn.empty() ? std::to_string(index) : targetArn) +
                         " is not a function of this template; Fogbank does not run it"});
                continue;
            }
            std::string targetName = name;
            if (targets.size() > 1) {
                const auto id = target.value("Id", json()).is_string()
                                    ? target["Id"].get<std::string>()
                                    : std::to_string(index);
                targetName += "/" + id;
            }
            out.schedules.push_back(ScheduleDefinition{
                .name = targetName,
                .function = fn->functionName,
                .source = res.type,
                .expression = expression,
                .enabled = enabled,
                .input = r.input(target, rule),
                .viaScheduler = !rule,
                .arn = resourceArn,
                .where = res.where,
            });
        }
    }
    std::set<std::string> seen;
    for (const auto& s : out.schedules)
        if (!seen.insert(s.name).second)
            throw TemplateError(s.where, "two schedules are named \"" + s.name +
                                             "\"; give one of them another Name");
    return out;
}

}  // namespace fogbank::scheduler
