// fogbank generate-event SERVICE TYPE [--field value ...]: a sample event in the shape AWS sends
// it, from templates/events/, printed as JSON on stdout (pipe it into `fogbank invoke -e -`).
#include "app/cli_command.h"
#include "emulator/events/event_template_library.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>

namespace fogbank::cli {
namespace {

// "[default: \"example-bucket\"]"; "[computed: {{content|md5}}]" for a default worked out per
// event from other fields or generated values.
std::string defaultText(const nlohmann::ordered_json& value) {
    if (value.is_string() && value.get_ref<const std::string&>().find("{{") != std::string::npos)
        return "[computed: " + value.get<std::string>() + "]";
    std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return "[default: " + text + "]";
}

std::string describeTemplate(const EventTemplate& t) {
    std::ostringstream out;
    out << "  " << t.service << ' ' << t.type << ": " << t.description << '\n';
    std::size_t width = 0;
    for (const auto& f : t.fields) width = std::max(width, f.name.size());
    for (const auto& f : t.fields) {
        out << "      --" << f.name << std::string(width - f.name.size() + 2, ' ') << f.description;
        if (f.type != "string") out << " (" << f.type << ")";
        out << ' ' << defaultText(f.defaultValue) << '\n';
    }
    return out.str();
}

std::string listServices(const EventTemplateLibrary& library) {
    std::string out;
    for (const auto& service : library.services()) {
        out += "  " + service + ":";
        for (const auto* t : library.templates(service)) out += " " + t->type;
        out += '\n';
    }
    return out;
}

// `--name value` and `--name=value` pairs, in order; a later one wins.
std::map<std::string, std::string> parseFields(const std::vector<std::string>& args) {
    std::map<std::string, std::string> values;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0 || arg.size() == 2)
            throw std::runtime_error("generate-event: unexpected \"" + arg +
                                     "\" (fields are given as --name value)");
        const auto eq = arg.find('=');
        if (eq != std::string::npos) {
            values[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
        } else {
            if (i + 1 >= args.size())
                throw std::runtime_error("generate-event: " + arg + " needs a value");
            values[arg.substr(2)] = args[++i];
        }
    }
    return values;
}

int runGenerateEvent(const std::string& service, const std::string& type,
                     const std::vector<std::string>& rest) {
    const EventTemplateLibrary library;
    if (service.empty())
        throw std::runtime_error("generate-event needs a service and an event type:\n" +
                                 listServices(library));
    const auto templates = library.templates(service);
    if (templates.empty())
        throw std::runtime_error("generate-event: no service \"" + service + "\"; there are:\n" +
                                 listServices(library));
    const EventTemplate* eventTemplate = type.empty() ? nullptr : library.find(service, type);
    if (!eventTemplate) {
        std::string types;
        for (const auto* t : templates) types += (types.empty() ? "" : ", ") + t->type;
        std::string message =
            type.empty()
                ? "generate-event " + service + " needs an event type: one of " + types
                : "generate-event: " + service + " has no event \"" + type + "\"; it has " + types;
        message += "\n\n";
        for (const auto* t : templates) message += describeTemplate(*t);
        throw std::runtime_error(message);
    }
    const auto values = parseFields(rest);
    nlohmann::ordered_json event;
    try {
        event = EventTemplateLibrary::generate(*eventTemplate, values);
    } catch (const EventTemplateError& e) {
        throw std::runtime_error(std::string("generate-event: ") + e.what() + "\n\n" +
                                 describeTemplate(*eventTemplate));
    }
    std::cout << event.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
    return 0;
}

}  // namespace

Command addGenerateEventCommand(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "generate-event",
        "Print a sample event in the shape AWS sends it (S3, SQS, API Gateway, EventBridge, SNS, "
        "DynamoDB), to pipe into `fogbank invoke FUNCTION -e -`");
    auto service = std::make_shared<std::string>();
    auto type = std::make_shared<std::string>();
    sub->add_option("service", *service, "s3, sqs, apigateway, eventbridge, sns, dynamodb, ...");
    sub->add_option("type", *type, "The event type; `fogbank generate-event SERVICE` lists them");
    // Everything after SERVICE TYPE is the template's own fields (--bucket b --key k ...).
    sub->prefix_command();
    sub->footer(
        "Fields: --name value fills the template's fields; `fogbank generate-event SERVICE` lists "
        "each type's fields and defaults.\nExample: fogbank generate-event s3 put --bucket photos "
        "--key 'a b.jpg' | fogbank invoke Resize -e -");
    return {sub, [=] { return runGenerateEvent(*service, *type, sub->remaining()); }};
}

}  // namespace fogbank::cli
