// The one schema of a rule comparison: compare --format json and the Compare view's CSV name every field alike,
// a rule without a growth step has null growth (empty CSV cells), a spec's commas stay inside its quoted cell, and
// the growth step and each rule's event lines travel with the numbers.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "shardsim/migration/rule_comparison_export.h"

using namespace shardsim;

namespace {

std::vector<RuleComparison> twoRows()
{
    RuleComparison grows;
    grows.spec = "db-table:dbs=8,tables=10";
    grows.imbalance = 1.25;
    grows.peakImbalance = 2.5;
    grows.hottestNode = "node-3";
    grows.hottestShare = 0.125;
    grows.peakUtilization = 0.75;
    grows.fanout = 1.5;
    grows.run.requests = 1000;
    grows.run.failedRequests = 4;
    grows.growthSpec = "db-table:dbs=16,tables=10";
    grows.growthMovedFraction = 0.5;
    grows.growthOptimumFraction = 0.5;
    grows.growthMovedBytes = 2e9;
    grows.growth.add = 1;
    grows.growth.source = "add_nodes 1 at 10m (line 29)";
    grows.events = { "add_nodes 1 at 10m (line 29): reshard as db-table:dbs=8,tables=10 -> db-table:dbs=16,tables=10",
        "fail_node 2 at 20m (line 30)" };
    RuleComparison still = grows;
    still.spec = "directory:table=owners";
    still.growthSpec.clear();
    still.events.clear();
    return { grows, still };
}

std::vector<std::string> splitLines(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

} // namespace

TEST(RuleComparisonExport, JsonHasTheDocumentedFieldsInOrder)
{
    const auto json = ruleComparisonJson("orders", twoRows());
    EXPECT_EQ(json["scenario"], "orders");
    ASSERT_EQ(json["rules"].size(), 2u);
    std::vector<std::string> keys;
    for (const auto& [key, value] : json["rules"][0].items())
        keys.push_back(key);
    EXPECT_EQ(keys,
        (std::vector<std::string> { "rule", "imbalance", "peak_imbalance", "hottest_node", "hottest_share",
            "peak_utilization", "fanout", "requests", "failed_requests", "events", "growth" }));
    EXPECT_EQ(json["growth_step"]["step"], "+1");
    EXPECT_EQ(json["growth_step"]["source"], "add_nodes 1 at 10m (line 29)");
    EXPECT_EQ(json["rules"][0]["events"][1], "fail_node 2 at 20m (line 30)");
    EXPECT_TRUE(json["rules"][1]["events"].empty());
    EXPECT_EQ(json["rules"][0]["growth"]["to"], "db-table:dbs=16,tables=10");
    EXPECT_EQ(json["rules"][0]["growth"]["moved_bytes"], 2e9);
    EXPECT_TRUE(json["rules"][1]["growth"].is_null());
}

TEST(RuleComparisonExport, CsvColumnsAreTheJsonFields)
{
    const std::vector<std::string> lines = splitLines(ruleComparisonCsv(twoRows()));
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0],
        "rule,imbalance,peak_imbalance,hottest_node,hottest_share,peak_utilization,fanout,requests,failed_requests,"
        "events,growth_to,growth_moved_fraction,growth_optimum_fraction,growth_moved_bytes");
    EXPECT_EQ(lines[1],
        "\"db-table:dbs=8,tables=10\",1.25,2.5,node-3,0.125,0.75,1.5,1000.0,4.0,"
        "\"add_nodes 1 at 10m (line 29): reshard as db-table:dbs=8,tables=10 -> db-table:dbs=16,tables=10; fail_node 2 "
        "at 20m (line 30)\","
        "\"db-table:dbs=16,tables=10\",0.5,0.5,2000000000.0");
    EXPECT_EQ(lines[2], "directory:table=owners,1.25,2.5,node-3,0.125,0.75,1.5,1000.0,4.0,,,,,");
}
