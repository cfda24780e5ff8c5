// libFuzzer target: any bytes through the scenario text reader. Besides crashes, sanitizer reports
// and hangs, it stops on a broken promise of the reader: a config exactly when there are no errors,
// every error with a message and a place inside the text, every accepted config within its limits.
//
// A first line `#set PATH=VALUE;PATH=VALUE` also feeds overrides, so the fuzzer explores them too.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/input_limits.h"
#include "shardsim/scenario/scenario_reader.h"

namespace {

void require(bool condition, const char* promise)
{
    if (!condition) {
        std::fprintf(stderr, "scenario reader broke a promise: %s\n", promise);
        std::abort();
    }
}

std::vector<std::string> overridesOf(std::string_view text)
{
    std::vector<std::string> overrides;
    if (!text.starts_with("#set "))
        return overrides;
    std::string_view line = text.substr(5);
    line = line.substr(0, line.find('\n'));
    while (!line.empty()) {
        const std::size_t end = line.find(';');
        overrides.emplace_back(line.substr(0, end));
        if (end == std::string_view::npos)
            break;
        line.remove_prefix(end + 1);
    }
    return overrides;
}

void checkConfig(const shardsim::ScenarioConfig& config)
{
    namespace limits = shardsim::input_limits;
    require(!config.name.empty(), "a config has a name");
    require(config.duration > 0 && config.duration <= limits::kMaxDuration, "duration within limits");
    require(config.tick > 0 && config.tickCount() <= limits::kMaxTicks, "tick count within limits");
    require(config.cluster.nodes >= 1 && config.cluster.nodes <= limits::kMaxNodes, "node count within limits");
    require(config.cluster.replication >= 1 && config.cluster.replication <= config.cluster.nodes, "replication fits");
    int regionNodes = 0;
    for (const auto& region : config.cluster.regions)
        regionNodes += region.nodes;
    require(config.cluster.regions.empty() || regionNodes == config.cluster.nodes, "regions add up");
    require(!config.data.tables.empty(), "at least one table");
    const int databases = static_cast<int>(config.data.databases.size());
    int databaseNodes = 0;
    for (const auto& database : config.data.databases) {
        require(database.nodes >= 1 && database.nodes >= config.cluster.replication, "a database holds its copies");
        databaseNodes += database.nodes;
    }
    require(databases == 0 || databaseNodes == config.cluster.nodes, "business databases own every node");
    require(databases == 0 || config.cluster.regions.empty(), "no regions with business databases");
    for (const auto& table : config.data.tables)
        require(table.database >= 0 && table.database < std::max(databases, 1), "a table's database exists");
    for (const auto& event : config.events)
        require(event.addNodesDatabase >= 0 && event.addNodesDatabase < std::max(databases, 1),
            "added nodes join a database that exists");
    for (const auto& table : config.data.tables) {
        require(table.rows >= 0 && table.rows <= limits::kMaxRows, "rows within limits");
        require(std::isfinite(table.rowSize) && table.rowSize > 0, "row size finite");
        require(std::isfinite(table.growth) && table.growth >= 0, "growth finite");
        require(table.boundTo.empty() || config.data.findTable(table.boundTo), "bound_to exists");
    }
    require(!config.workload.rate.empty(), "a rate");
    for (const auto& shape : config.workload.rate)
        require(std::isfinite(shape.base) && shape.base >= 0 && std::isfinite(shape.peak), "rate finite");
    double shares = 0;
    for (const auto& share : config.workload.geo)
        shares += share.share;
    require(config.workload.geo.empty() || std::fabs(shares - 1) < 1e-6, "geo shares add up");
    require(!config.workload.mix.empty(), "a mix");
    for (const auto& op : config.workload.mix) {
        require(!op.tables.empty(), "an operation has tables");
        for (const auto& table : op.tables)
            require(config.data.findTable(table) != nullptr, "operation tables exist");
    }
    for (std::size_t i = 0; i < config.events.size(); ++i) {
        require(config.events[i].at >= 0 && config.events[i].at <= config.duration, "event within the run");
        require(i == 0 || config.events[i - 1].at <= config.events[i].at, "events in time order");
    }
    shardsim::RuleContext context;
    context.baseDirectory = config.baseDirectory;
    require(shardsim::makeRule(config.sharding.rule, context).ok(), "the accepted rule builds");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    shardsim::ScenarioReadOptions options;
    options.overrides = overridesOf(text);
    const shardsim::ScenarioLoad load = shardsim::loadScenarioText(text, "fuzz.yaml", "", options);

    require(load.ok() == load.diagnostics.empty(), "a config exactly when there are no diagnostics");
    require(load.diagnostics.size() <= shardsim::input_limits::kMaxDiagnostics + 1, "diagnostics are capped");
    long lines = 1;
    for (char c : text)
        lines += c == '\n' ? 1 : 0;
    for (const auto& diagnostic : load.diagnostics) {
        require(!diagnostic.message.empty(), "every diagnostic has a message");
        require(diagnostic.line >= 0 && diagnostic.line <= lines, "every diagnostic is inside the text");
        require(!diagnostic.format().empty(), "every diagnostic formats");
    }
    if (load.config)
        checkConfig(*load.config);
    return 0;
}
