#include "shardsim/migration/balancer_growth.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "engine/key_law.h"
#include "engine/range_balancer.h"
#include "engine/run_plan.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/workload/key_distribution.h"
#include "shardsim/workload/random_streams.h"

namespace shardsim {

namespace {

    // Balancer windows at most: a cluster that is still moving after this many is reported as it stands.
    constexpr int kMaxWindows = 1'000'000;

} // namespace

std::string autoRangeMigrationProblem(const RuleSpec& from, const RuleSpec& to)
{
    const RuleSpec* ranges = to.name == "auto-range" ? &to : from.name == "auto-range" ? &from : nullptr;
    if (!ranges)
        return "";
    auto rule = makeRule(*ranges);
    if (!rule)
        return rule.error();
    return fmt::format("{} has no fixed layout to count keys against: its ranges split, merge and move with the data "
                       "and the load during a run. Run a scenario with it (run), or put it beside the other rule in "
                       "compare --rules, whose growth columns give the bytes its balancer moves when nodes join",
        (*rule)->spec());
}

Result<BalancerGrowth> measureBalancerGrowth(
    const ScenarioConfig& config, const AutoRangeRule& rule, int fromNodes, int toNodes)
{
    auto plan = engine::RunPlan::create(config, true);
    if (!plan)
        return fail(plan.error());
    const int domain = plan->heatDomain();
    if (domain < 0)
        return fail("auto-range needs a sharded table, but every table is broadcast");
    const engine::DomainPlan& keys = plan->domains()[static_cast<size_t>(domain)];

    AutoRangeSettings settings = rule.settings();
    settings.splitQps = 0;
    settings.splitBytesPerSecond = 0;
    settings.mergeBytes = 0;
    settings.mergeSplitFraction = 0;
    if (settings.snapshotBytesPerSecond <= 0) // as a run: the scenario's migration bandwidth
        settings.snapshotBytesPerSecond
            = config.events.empty() ? EventConfig {}.migration.bandwidth : config.events.front().migration.bandwidth;

    engine::RangeLoad load;
    if (settings.score == BalanceScore::Load) {
        workload::RandomEngine placement(config.seed);
        auto law = workload::makeKeyDistribution(config.workload.keys, keys.keysAt(0), placement);
        if (!law)
            return fail(law.error());
        load.laws.emplace_back(engine::cutKeyLaw(**law, config.workload.keys, {}));
        load.shares.push_back(1);
        load.requestsPerSecond = 1; // only the ranges' shares of it matter to the balance
    }

    std::vector<NodeId> members(static_cast<size_t>(fromNodes));
    std::iota(members.begin(), members.end(), 0);
    engine::RangeBalancer balancer(settings, toNodes, members, keys.keysAt(0),
        plan->tables()[static_cast<size_t>(keys.table)].rowsAt(0), static_cast<int>(rule.bounds().size()) + 1);
    engine::RangeWindowInput input;
    input.keyCount = keys.keysAt(0);
    input.bytesPerRow = plan->bytesPerRootRow(domain, 0);
    input.load = settings.score == BalanceScore::Load ? &load : nullptr;
    balancer.splitLoadedTable(input);

    BalancerGrowth growth;
    growth.fromNodes = fromNodes;
    growth.toNodes = toNodes;
    growth.ranges = static_cast<int>(balancer.map().size());
    for (const engine::Range& range : balancer.map().ranges())
        growth.tableBytes += range.rows * input.bytesPerRow;
    for (NodeId node = fromNodes; node < toNodes; ++node)
        balancer.addNode(node);

    // Done once the balancer has looked for work for a whole balance interval with nothing running.
    const double window = settings.loadWindowSeconds > 0 ? settings.loadWindowSeconds : 1;
    const int quietWindows = 1 + static_cast<int>(std::ceil(settings.balanceIntervalSeconds / window));
    std::vector<double> background(static_cast<size_t>(toNodes), 0.0);
    double t = 0;
    int quiet = 0;
    for (int w = 0; w < kMaxWindows && quiet < quietWindows; ++w) {
        const double copied = balancer.bytesMoved();
        balancer.advanceMoves(t, t + window, background);
        t += window;
        if (balancer.bytesMoved() > copied)
            growth.seconds = t; // copies ran in this window
        input.t = t;
        const engine::RangeWindowStats stats = balancer.runWindow(input);
        quiet = stats.moves > 0 || !balancer.moves().empty() ? 0 : quiet + 1;
    }
    growth.moves = balancer.movesDone();
    growth.movedBytes = balancer.bytesMoved();
    growth.movedFraction = growth.tableBytes > 0 ? growth.movedBytes / growth.tableBytes : 0;
    growth.optimumFraction = toNodes > 0 ? double(toNodes - fromNodes) / double(toNodes) : 0;
    return growth;
}

} // namespace shardsim
