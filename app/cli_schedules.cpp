// `fogbank schedules`: each schedule of the template with its next firings, computed from the
// expressions alone (no engine is started), so a cron can be checked before anything runs.
#include "app/cli_command.h"
#include "emulator/project/project.h"
#include "emulator/services/scheduler/schedule_definition.h"

#include <iostream>

namespace fogbank::cli {
namespace {

int runSchedules(const CommonOptions& common, int count, const std::string& from) {
    using namespace std::chrono;
    auto config = makeConfig(common);
    const auto project = loadProject(config.templatePath, config.load);
    const auto schedules = scheduler::readSchedules(project);
    for (const auto& warning : schedules.warnings)
        std::cerr << warning.where.file.string() << ':' << warning.where.line << ':'
                  << warning.where.column << ": warning: " << warning.message << '\n';
    const scheduler::TimePoint start =
        from.empty() ? floor<seconds>(system_clock::now()) : scheduler::parseUtc(from);
    if (schedules.schedules.empty()) std::cerr << "The template declares no schedules.\n";
    for (const auto& s : schedules.schedules) {
        const auto& e = s.expression;
        std::cout << s.name << '\t' << s.source << '\t' << s.function << '\t' << e.text() << '\t'
                  << e.timeZone() << '\t' << (s.enabled ? "enabled" : "disabled") << '\n';
        // As the engine does: the clock starts at `start`, and a firing due at it counts.
        for (const auto& t : e.next(count, start - seconds(1), start)) {
            std::cout << "  " << scheduler::formatUtc(t);
            if (e.timeZone() != "UTC") std::cout << '\t' << e.localTime(t);
            std::cout << '\n';
        }
    }
    return 0;
}

}  // namespace

Command addSchedulesCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("schedules", "List the schedules and their next firings");
    auto common = std::make_shared<CommonOptions>();
    struct Options {
        int count = 10;
        std::string from;
    };
    auto o = std::make_shared<Options>();
    addCommon(*sub, *common);
    sub->add_option("-n,--count", o->count, "Firings to list per schedule")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    sub->add_option("--from", o->from,
                    "Start of the clock, e.g. 2026-03-08T00:00:00Z (default: now); rate() "
                    "schedules count from it");
    return {sub, [=] { return runSchedules(*common, o->count, o->from); }};
}

}  // namespace fogbank::cli
