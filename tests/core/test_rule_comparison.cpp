// The compare command's definitions: the next growth step of each rule and the mix's fan-out.

#include <gtest/gtest.h>

#include "shardsim/migration/rule_comparison.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/scenario_reader.h"

using namespace shardsim;

namespace {

std::string grown(const std::string& spec)
{
    auto rule = makeRule(spec);
    EXPECT_TRUE(rule) << rule.error();
    const auto step = nextGrowthStep(**rule);
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
