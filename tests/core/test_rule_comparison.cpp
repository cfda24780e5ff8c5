// The compare command's definitions: the growth step of each rule, the events each rule's run honours and the mix's
// fan-out.

#include <gtest/gtest.h>

#include "shardsim/migration/rule_comparison.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/scenario_reader.h"

using namespace shardsim;

namespace {

const GrowthStep kDouble { true, 0, "" };
const GrowthStep kPlusOne { false, 1, "" };

std::string grown(const std::string& spec, const GrowthStep& growth = kDouble)
{
    auto rule = makeRule(spec);
    EXPECT_TRUE(rule) << rule.error();
    const auto step = growRule(**rule, growth);
    if (!step)
        return "-";
    auto made = makeRule(*step);
    EXPECT_TRUE(made) << step->toString() << ": " << made.error();
    return made ? (*made)->spec() : "invalid";
}

} // namespace

TEST(RuleComparison, NextGrowthStepDoublesTheShards)
{
    EXPECT_EQ(grown("mod:n=8"), "mod:n=16");
    EXPECT_EQ(grown("jump:buckets=8"), "jump:buckets=16");
    EXPECT_EQ(grown("db-table:dbs=8,tables=10"), "db-table:dbs=16,tables=10");
    EXPECT_EQ(grown("db-table:dbs=64,tables=10,fold=8"), "db-table:dbs=64,tables=10,fold=16");
    EXPECT_EQ(grown("db-table:dbs=64,tables=10,fold=64"), "db-table:dbs=128,tables=10");
    EXPECT_EQ(grown("range:bounds=10M|20M"), "range:bounds=5M|10M|15M|20M");
    EXPECT_EQ(grown("vitess-hash:shards=4"), "vitess-hash:shards=8");
    EXPECT_EQ(grown("geo:map=east:0|north:1"), "-");
}

TEST(RuleComparison, PlusOneAddsOneShardOrSplitsTheWidestRange)
{
    EXPECT_EQ(grown("mod:n=8", kPlusOne), "mod:n=9");
    EXPECT_EQ(grown("ring:nodes=8,vnodes=100", kPlusOne), "ring:nodes=9,vnodes=100,hash=murmur3");
    // A fold must divide dbs: 8 of 64 grows to the next divisor, 16; 64 of 64 has none left, so dbs grows.
    EXPECT_EQ(grown("db-table:dbs=64,tables=10,fold=8", kPlusOne), "db-table:dbs=64,tables=10,fold=16");
    EXPECT_EQ(grown("db-table:dbs=64,tables=10,fold=64", kPlusOne), "db-table:dbs=65,tables=10");
    // [1,10M) and [10M,30M): only the wider second range splits, at 20M.
    EXPECT_EQ(grown("range:bounds=10M|30M", kPlusOne), "range:bounds=10M|20M|30M");
    EXPECT_EQ(grown("mod:n=8", GrowthStep { false, 3, "" }), "mod:n=11");
}

namespace {

ScenarioConfig growthScenario(const std::string& events)
{
    ScenarioLoad load = loadScenarioText(R"(
name: growth
duration: 30m
tick: 1m
cluster: { nodes: 8, node: { max_qps: 10K } }
data:
  tables:
    - { name: t_user, key: uid, rows: 720K, row_size: 512B }
sharding: { rule: "mod:n=8" }
workload: { rate: 6K/s, keys: uniform }
)" + events,
        "growth.yaml", "");
    EXPECT_TRUE(load.ok()) << load.errorText();
    return *load.config;
}

} // namespace

TEST(RuleComparison, TheScenariosGrowthStepIsItsFirstGrowingEvent)
{
    const ScenarioConfig oneNode = growthScenario(R"(events:
  - { at: 5m, fail_node: 2 }
  - { at: 10m, add_nodes: 1, reshard: "mod:n=9" }
  - { at: 20m, add_nodes: 9, reshard: "mod:n=18" }
)");
    const GrowthStep next = scenarioGrowthStep(oneNode, GrowthChoice::Next);
    EXPECT_EQ(next.label(), "+1");
    EXPECT_EQ(next.source, "add_nodes 1, reshard to mod:n=9 at 10m (line 13)");
    EXPECT_EQ(scenarioGrowthStep(oneNode, GrowthChoice::Double).label(), "x2");
    EXPECT_EQ(scenarioGrowthStep(oneNode, GrowthChoice::PlusOne).label(), "+1");
    // A reshard to twice the databases is x2; nodes added without a reshard count as they are.
    EXPECT_EQ(scenarioGrowthStep(growthScenario("events: [ { at: 10m, reshard: \"mod:n=16\" } ]\n"), GrowthChoice::Next)
                  .label(),
        "x2");
    EXPECT_EQ(scenarioGrowthStep(growthScenario("events: [ { at: 10m, add_nodes: 4 } ]\n"), GrowthChoice::Next).label(),
        "+4");
    const GrowthStep none = scenarioGrowthStep(growthScenario(""), GrowthChoice::Next);
    EXPECT_EQ(none.label(), "x2");
    EXPECT_EQ(none.source, "no event grows the cluster");
}

TEST(RuleComparison, EachRuleHonoursTheFilesReshardAsItsOwnGrowth)
{
    const ScenarioConfig config = growthScenario(R"(events:
  - { at: 10m, add_nodes: 1, reshard: "mod:n=9" }
)");
    RunOptions options;
    auto rows = compareRules(config, { *parseRuleSpec("mod:n=8"), *parseRuleSpec("jump:buckets=8") }, options);
    ASSERT_TRUE(rows) << rows.error();
    ASSERT_EQ(rows->size(), 2u);
    const RuleComparison& mod = (*rows)[0];
    const RuleComparison& jump = (*rows)[1];
    EXPECT_EQ(mod.events,
        (std::vector<std::string> {
            "add_nodes 1, reshard to mod:n=9 at 10m (line 12): reshard as mod:n=8 -> mod:n=9 (+1); the rest kept" }));
    EXPECT_EQ(jump.events,
        (std::vector<std::string> {
            "add_nodes 1, reshard to mod:n=9 at 10m (line 12): reshard as jump:buckets=8 -> jump:buckets=9 (+1); the "
            "rest kept" }));
    // The ninth node takes data in both runs: mod moves 8/9 of the rows, jump 1/9 (720K rows, exact).
    ASSERT_EQ(mod.run.migrations.size(), 1u);
    ASSERT_EQ(jump.run.migrations.size(), 1u);
    EXPECT_NEAR(mod.run.migrations.front().movedFraction, 8.0 / 9, 1e-12);
    EXPECT_NEAR(jump.run.migrations.front().movedFraction, 1.0 / 9, 0.01);
    EXPECT_GT(jump.run.nodes.back().requests, 0);
    // The growth columns measure the file's step, +1: the same numbers as the run's migration.
    EXPECT_EQ(mod.growth.label(), "+1");
    EXPECT_EQ(mod.growthSpec, "mod:n=9");
    EXPECT_NEAR(mod.growthMovedFraction, 8.0 / 9, 1e-12);
    EXPECT_EQ(jump.growthSpec, "jump:buckets=9");
}

TEST(RuleComparison, AReshardThatAddsNoDatabasesIsDroppedAndSaidSo)
{
    const ScenarioConfig config = growthScenario("events: [ { at: 10m, reshard: \"jump:buckets=8\" } ]\n");
    RunOptions options;
    auto rows = compareRules(config, { *parseRuleSpec("ring:nodes=8,vnodes=100") }, options);
    ASSERT_TRUE(rows) << rows.error();
    EXPECT_EQ(rows->front().events,
        (std::vector<std::string> { "reshard to jump:buckets=8 at 10m (line 11): reshard dropped: it does not add "
                                    "databases (8 -> 8)" }));
    EXPECT_TRUE(rows->front().run.migrations.empty());
}

TEST(RuleComparison, FanoutCountsScatterQueries)
{
    ScenarioLoad load = loadScenarioText(R"(
name: fanout
duration: 10s
cluster: { nodes: 4 }
data:
  tables:
    - { name: t_user, key: uid, rows: 1M, columns: { email: unique } }
sharding: { rule: "mod:n=8" }
workload:
  rate: 1K/s
  mix:
    - { op: get, kind: point, table: t_user, weight: 3 }
    - { op: by_email, kind: point, table: t_user, by: email, weight: 1 }
)",
        "fanout.yaml", "");
    ASSERT_TRUE(load.ok()) << load.errorText();
    auto rule = makeRule("mod:n=8");
    // Three of four requests touch one shard, the query by an unindexed-for-routing column all eight.
    EXPECT_DOUBLE_EQ(meanFanout(*load.config, **rule), (3.0 * 1 + 1.0 * 8) / 4);
    load.config->sharding.lookup["email"] = LookupKind::MappingTable;
    EXPECT_DOUBLE_EQ(meanFanout(*load.config, **rule), 1.0);
}

TEST(RuleComparison, RuleListsKeepEachSpecsParameters)
{
    EXPECT_EQ(splitRuleList("mod:n=8,db-table:dbs=8,tables=10,jump:buckets=8"),
        (std::vector<std::string> { "mod:n=8", "db-table:dbs=8,tables=10", "jump:buckets=8" }));
    EXPECT_EQ(splitRuleList(" vitess-numeric , ring:nodes=8,vnodes=64"),
        (std::vector<std::string> { "vitess-numeric", "ring:nodes=8,vnodes=64" }));
    EXPECT_TRUE(splitRuleList("").empty());
}
