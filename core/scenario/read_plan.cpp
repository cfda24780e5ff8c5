// The `plan` section (docs/scenario-format.md#plan). Read after `cluster` and `limits`, whose values are
// the defaults of plan.limits and plan.node_types.

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "rate_limits.h"
#include "section_readers.h"
#include "shardsim/common/units.h"
#include "shardsim/rules/rule_families.h"
#include "shardsim/scenario/config_names.h"
#include "shardsim/scenario/input_limits.h"

namespace shardsim::scenario {

namespace {

    constexpr double kMaxHorizon = 30.0 * 365 * 86'400; // s: 30 years

    void readPlanLimits(ReadContext& context, const TreeNode* node, PlanLimits& out)
    {
        MapReader map(context, node, "plan.limits",
            { "max_utilization", "max_storage", "max_rows_per_table", "max_p99_latency", "tolerate_failures" });
        if (const TreeNode* value = map.get("max_utilization")) {
            if (auto fraction = readFraction(context, *value, map.pathOf("max_utilization"), 0.01, 1))
                out.maxUtilization = *fraction;
        }
        if (const TreeNode* value = map.get("max_storage")) {
            if (auto fraction = readFraction(context, *value, map.pathOf("max_storage"), 0.01, 1))
                out.maxStorage = *fraction;
        }
        if (const TreeNode* value = map.get("max_rows_per_table")) {
            if (auto rows = readCount(context, *value, map.pathOf("max_rows_per_table"), 1, input_limits::kMaxRows))
                out.maxRowsPerTable = *rows;
        }
        if (const TreeNode* value = map.get("max_p99_latency")) {
            if (auto latency = readDuration(context, *value, map.pathOf("max_p99_latency"), 1e-6, 3600))
                out.maxP99Latency = *latency;
        }
        if (const TreeNode* value = map.get("tolerate_failures")) {
            if (auto failures = readCount(context, *value, map.pathOf("tolerate_failures"), 0, 100))
                out.tolerateFailures = static_cast<int>(*failures);
        }
        map.finish();
    }

    void readRuleFamilies(ReadContext& context, const TreeNode& node, std::vector<std::string>& out)
    {
        const std::string path = "plan.rules";
        if (!node.isSequence()) {
            context.error(node, path, "expected a list of rule families like [jump, hash-mod, range], got "
                    + node.describe());
            return;
        }
        if (node.children.empty()) {
            context.error(node, path, "must name at least one rule family (leave it out for all of them)");
            return;
        }
        std::vector<std::string> choices;
        for (const RuleFamily& family : ruleFamilies())
            choices.push_back(family.name);
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            const TreeNode& entry = node.children[i];
            const std::string entryPath = fmt::format("{}[{}]", path, i);
            std::string name;
            if (entry.isScalar() && entry.scalar.rfind("auto-range", 0) == 0) {
                // Ranges that follow the data: the rule as written (canonical), sized by its node count alone.
                std::string why;
                const auto family = plannedRuleFamily(entry.scalar, &why);
                if (!family) {
                    context.error(entry, entryPath, why);
                    continue;
                }
                name = family->name;
            } else {
                auto index = readChoice(context, entry, entryPath, choices, "rule family the planner can size");
                if (!index)
                    continue;
                name = choices[*index];
            }
            if (std::find(out.begin(), out.end(), name) != out.end())
                context.error(entry, entryPath, fmt::format("'{}' is listed twice", name));
            else
                out.push_back(name);
        }
    }

    void readNodeTypes(
        ReadContext& context, const TreeNode& node, const NodeSpec& defaults, std::vector<NodeTypeConfig>& out)
    {
        const std::string path = "plan.node_types";
        if (!node.isSequence() || node.children.empty()) {
            context.error(node, path,
                "expected a list of node types like [{ name: large, max_qps: 20K, storage: 2TB, cost_per_month: 900 }], "
                "got " + node.describe());
            return;
        }
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            MapReader map(context, &node.children[i], fmt::format("{}[{}]", path, i),
                { "name", "max_qps", "storage", "cost_per_month", "base_latency", "concurrency", "queue_timeout" });
            NodeTypeConfig type;
            type.maxQps = defaults.maxQps;
            type.storage = defaults.storage;
            type.costPerMonth = defaults.costPerMonth;
            type.baseLatency = defaults.baseLatency;
            type.concurrency = defaults.concurrency;
            type.queueTimeout = defaults.queueTimeout;
            if (const TreeNode* value = map.require("name", "e.g. name: large")) {
                if (auto name = readName(context, *value, map.pathOf("name"))) {
                    const bool taken = std::any_of(
                        out.begin(), out.end(), [&](const NodeTypeConfig& other) { return other.name == *name; });
                    if (taken)
                        context.error(*value, map.pathOf("name"), fmt::format("'{}' is used twice", *name));
                    type.name = *name;
                }
            }
            if (const TreeNode* value = map.get("max_qps")) {
                if (value->isScalar() && value->scalar.find('/') == std::string::npos) {
                    if (auto qps
                        = readCount(context, *value, map.pathOf("max_qps"), 1, int64_t(input_limits::kMaxRate)))
                        type.maxQps = double(*qps);
                } else if (auto qps = readRate(context, *value, map.pathOf("max_qps"), 1, input_limits::kMaxRate)) {
                    type.maxQps = *qps;
                }
            }
            if (const TreeNode* value = map.get("storage")) {
                if (auto bytes = readSize(context, *value, map.pathOf("storage"), 1, input_limits::kMaxBytes))
                    type.storage = *bytes;
            }
            if (const TreeNode* value = map.get("cost_per_month")) {
                if (auto cost = readNumber(context, *value, map.pathOf("cost_per_month"), 0, 1e12))
                    type.costPerMonth = *cost;
            }
            if (const TreeNode* value = map.get("base_latency")) {
                if (auto latency = readDuration(context, *value, map.pathOf("base_latency"), 1e-6, 3600))
                    type.baseLatency = *latency;
            }
            readServiceModel(context, map, type.concurrency, type.queueTimeout);
            map.finish();
            out.push_back(std::move(type));
        }
    }

    // The plan runs the scenario's last period at the end of the horizon: its growth must keep the rate and the
    // tables within the reader's limits there too, or the plan's numbers stop being finite.
    void checkGrowthOverHorizon(ReadContext& context, const TreeNode& node, const std::string& path,
        const ScenarioConfig& scenario, double horizon)
    {
        const double end = horizon + scenario.duration;
        const double limit = std::log10(input_limits::kMaxRate);
        const double rate = log10TotalPeakRate(scenario.workload.rate, end);
        if (log10TotalPeakRate(scenario.workload.rate, scenario.duration) > limit)
            return; // the run itself is past the limit, and said so at the rate
        if (rate > limit) {
            context.error(node, path,
                fmt::format("the workload's growth takes the rate to {} by the end of the horizon; more than {}",
                    formatLog10Rate(rate), kRateLimit));
            return;
        }
        for (const TableConfig& table : scenario.data.tables) {
            const double rows = double(table.rows) + table.growth * end;
            if (rows > double(input_limits::kMaxRows) || rows * table.rowSize > input_limits::kMaxBytes) {
                context.error(node, path,
                    fmt::format("table '{}' grows to {} rows ({}) by the end of the horizon; more than the limits of "
                                "10^15 rows and {} per table",
                        table.name, formatNumber(rows), units::formatSize(rows * table.rowSize),
                        units::formatSize(input_limits::kMaxBytes)));
                return;
            }
        }
    }

} // namespace

void readPlan(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario, std::optional<PlanConfig>& out)
{
    if (!node)
        return;
    PlanConfig plan;
    plan.line = node->line;
    plan.limits.maxUtilization = scenario.limits.maxUtilization;
    plan.limits.maxStorage = scenario.limits.maxStorageUtilization;
    plan.limits.maxRowsPerTable = scenario.limits.maxRowsPerTable;
    MapReader map(context, node, "plan", { "horizon", "step", "limits", "rules", "node_types", "bandwidth", "max_nodes" });
    if (const TreeNode* value = map.get("horizon")) {
        if (auto horizon = readDuration(context, *value, map.pathOf("horizon"), 0, kMaxHorizon, "the limit of 30 years")) {
            plan.horizon = *horizon;
            checkGrowthOverHorizon(context, *value, map.pathOf("horizon"), scenario, plan.horizon);
        }
    }
    if (const TreeNode* value = map.get("step")) {
        if (auto step = readChoice(context, *value, map.pathOf("step"), kPlanStepNames.list(), "step"))
            plan.step = static_cast<PlanStep>(*step);
    }
    if (plan.horizon > 0 && plan.horizon / planStepSeconds(plan.step) > 360.0)
        context.error(*map.get("horizon"), map.pathOf("horizon"),
            fmt::format("is more than 360 periods of a {}; use a longer step", planStepName(plan.step)));
    readPlanLimits(context, map.get("limits"), plan.limits);
    if (const TreeNode* value = map.get("rules"))
        readRuleFamilies(context, *value, plan.rules);
    if (const TreeNode* value = map.get("node_types"))
        readNodeTypes(context, *value, scenario.cluster.node, plan.nodeTypes);
    if (const TreeNode* value = map.get("bandwidth")) {
        if (auto bandwidth = readByteRate(context, *value, map.pathOf("bandwidth"), 1, input_limits::kMaxBytes))
            plan.bandwidth = *bandwidth;
    }
    if (const TreeNode* value = map.get("max_nodes")) {
        if (auto nodes = readCount(context, *value, map.pathOf("max_nodes"), 1, input_limits::kMaxNodes, "the node limit"))
            plan.maxNodes = static_cast<int>(*nodes);
    }
    map.finish();
    if (plan.limits.tolerateFailures >= plan.maxNodes)
        context.error(*node, "plan.limits.tolerate_failures",
            fmt::format("must be below plan.max_nodes, {}", plan.maxNodes));
    out = std::move(plan);
}

} // namespace shardsim::scenario
