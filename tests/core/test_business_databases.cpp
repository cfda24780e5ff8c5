// A vertical split by business domain (data.databases, docs/engine-model.md): each business database is sharded
// by the rule on nodes of its own. Its requests, rows, fan-out, 2PC, broadcast copies, added nodes and rebuilt
// replicas stay on those nodes.

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "shardsim/engine/simulation.h"
#include "shardsim/report/query_explain.h"
#include "shardsim/scenario/business_database_scenario.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    ScenarioConfig mustLoad(const std::string& text)
    {
        ScenarioLoad load = loadScenarioText(text, "domains.yaml", "");
        EXPECT_TRUE(load.ok()) << load.errorText() << "\n" << text;
        return load.config.value_or(ScenarioConfig {});
    }

    RunResult mustRun(const std::string& text, EngineMode engine = EngineMode::Expected)
    {
        RunOptions options;
        options.engine = engine;
        auto result = runSimulation(mustLoad(text), std::move(options));
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        return result.ok() ? *result : RunResult {};
    }

    // order_db on node-1..node-4, member_db on node-5..node-6; mod 4 shards each of them into 4 databases.
    std::string domains(const std::string& extraMix = "", const std::string& rest = "", int orderNodes = 4,
        int memberNodes = 2, int replication = 1)
    {
        return "name: domains\nduration: 100s\ntick: 1s\ncluster: { nodes: " + std::to_string(orderNodes + memberNodes)
            + ", replication: " + std::to_string(replication) + R"(, node: { max_qps: 20K } }
data:
  databases:
    - { name: order_db, nodes: )"
            + std::to_string(orderNodes) + R"( }
    - { name: member_db, nodes: )"
            + std::to_string(memberNodes) + R"( }
  tables:
    - { name: t_order, key: order_id, rows: 4M, row_size: 1KB, database: order_db }
    - { name: t_user, key: uid, rows: 2M, row_size: 500B, columns: { created_at: time }, database: member_db }
    - { name: t_region, key: region_id, rows: 100, row_size: 100B, broadcast: true, database: order_db }
sharding: { rule: "mod:n=4" }
workload:
  rate: { shape: constant, base: 8K/s }
  keys: { distribution: uniform }
  mix:
    - { op: get_order, kind: point, table: t_order, weight: 3 }
    - { op: get_user, kind: point, table: t_user, weight: 1 }
)" + extraMix
            + rest;
    }

    const QuerySummary& queryNamed(const RunResult& result, const std::string& op)
    {
        return *std::find_if(
            result.queries.begin(), result.queries.end(), [&](const QuerySummary& q) { return q.op == op; });
    }

    TEST(BusinessDatabaseRuns, EachDatabaseLoadsOnlyItsOwnNodes)
    {
        const RunResult result = mustRun(domains());
        ASSERT_EQ(result.nodes.size(), 6u);
        // 3/4 of the calls on order_db's 4 nodes, 1/4 on member_db's 2.
        for (size_t n = 0; n < 4; ++n)
            EXPECT_NEAR(result.nodes[n].share, 3.0 / 16.0, 1e-9) << result.nodes[n].name;
        for (size_t n = 4; n < 6; ++n)
            EXPECT_NEAR(result.nodes[n].share, 1.0 / 8.0, 1e-9) << result.nodes[n].name;
        // get_user loads member_db's nodes only.
        const QuerySummary& user = queryNamed(result, "get_user");
        ASSERT_EQ(user.nodeLoad.size(), 6u);
        for (size_t n = 0; n < 4; ++n)
            EXPECT_EQ(user.nodeLoad[n], 0.0);
        EXPECT_GT(user.nodeLoad[4], 0.0);
    }

    TEST(BusinessDatabaseRuns, ShardsAreNamedAfterTheirDatabaseAndLiveOnItsNodes)
    {
        const RunResult result = mustRun(domains());
        ASSERT_EQ(result.shards.size(), 8u);
        EXPECT_EQ(result.shards[0].name.rfind("order_db/", 0), 0u) << result.shards[0].name;
        EXPECT_EQ(result.shards[4].name.rfind("member_db/", 0), 0u) << result.shards[4].name;
        for (size_t s = 0; s < 4; ++s)
            EXPECT_EQ(result.shards[s].node, static_cast<int>(s));
        // member_db's 4 databases round-robin on node-5, node-6.
        EXPECT_EQ(result.shards[4].node, 4);
        EXPECT_EQ(result.shards[5].node, 5);
        EXPECT_EQ(result.shards[6].node, 4);
        EXPECT_EQ(result.shards[7].node, 5);
        EXPECT_DOUBLE_EQ(result.shards[0].rows, 1e6);
        EXPECT_DOUBLE_EQ(result.shards[4].rows, 0.5e6);
    }

    TEST(BusinessDatabaseRuns, RowsAndBroadcastCopiesStayInTheirDatabase)
    {
        const RunResult result = mustRun(domains());
        // t_order: 1M rows of 1 KB per order node, plus the broadcast dictionary's 100 rows in its one database.
        for (size_t n = 0; n < 4; ++n) {
            EXPECT_DOUBLE_EQ(result.nodes[n].rows, 1e6 + 100) << result.nodes[n].name;
            EXPECT_DOUBLE_EQ(result.nodes[n].bytes, 1e6 * 1000 + 100 * 100) << result.nodes[n].name;
        }
        // t_user: 2M rows over 2 nodes; no dictionary copy.
        for (size_t n = 4; n < 6; ++n)
            EXPECT_DOUBLE_EQ(result.nodes[n].rows, 1e6) << result.nodes[n].name;
        const auto region = std::find_if(
            result.tables.begin(), result.tables.end(), [](const TableSummary& t) { return t.name == "t_region"; });
        ASSERT_NE(region, result.tables.end());
        EXPECT_EQ(region->physicalTables, 4);
    }

    TEST(BusinessDatabaseRuns, OrdersShardedByTheBuyersUidStayOnTheOrderNodes)
    {
        // t_user's uid is member_db's key: orders sharded by uid in order_db are spread there by their own rows.
        std::string text = domains();
        const std::string orderKey = "key: order_id,";
        text.replace(text.find(orderKey), orderKey.size(), "key: order_no, shard_key: uid,");
        const RunResult result = mustRun(text);
        for (size_t n = 0; n < 4; ++n)
            EXPECT_DOUBLE_EQ(result.nodes[n].rows, 1e6 + 100) << result.nodes[n].name;
        for (size_t n = 4; n < 6; ++n)
            EXPECT_DOUBLE_EQ(result.nodes[n].rows, 1e6) << result.nodes[n].name;
    }

    TEST(BusinessDatabaseRuns, FanOutAndTwoPhaseCommitCountTheDatabasesOfOneBusinessDatabase)
    {
        const std::string mix = R"(    - { op: pay, kind: transaction, tables: [t_order], keys: 2, weight: 1 }
    - { op: list_users, kind: page, table: t_user, order_by: created_at, limit: 20, weight: 1 }
)";
        for (EngineMode engine : { EngineMode::Expected, EngineMode::Sampled }) {
            const RunResult result = mustRun(domains(mix), engine);
            // Two uniform keys over order_db's 4 databases: 2PC 3/4 of the time (not 7/8, as over 8).
            const double tolerance = engine == EngineMode::Expected ? 1e-9 : 0.02;
            EXPECT_NEAR(queryNamed(result, "pay").crossShardFraction, 0.75, tolerance);
            // An ORDER BY without the shard key asks member_db's 4 shards.
            EXPECT_DOUBLE_EQ(queryNamed(result, "list_users").meanFanout, 4.0);
            EXPECT_DOUBLE_EQ(queryNamed(result, "list_users").rowsReadPerCall, 4.0 * 20.0);
        }
    }

    TEST(BusinessDatabaseRuns, TheSampledEngineAgrees)
    {
        const RunResult expected = mustRun(domains());
        const RunResult sampled = mustRun(domains(), EngineMode::Sampled);
        ASSERT_EQ(sampled.nodes.size(), expected.nodes.size());
        for (size_t n = 0; n < expected.nodes.size(); ++n)
            EXPECT_NEAR(sampled.nodes[n].share, expected.nodes[n].share, 0.01) << expected.nodes[n].name;
    }

    TEST(BusinessDatabaseRuns, AnAddedNodeTakesDataOnlyFromItsOwnDatabase)
    {
        const RunResult result = mustRun(domains("", R"(events:
  - { at: 10s, add_nodes: { count: 1, database: member_db }, migration: { bandwidth: 1GB/s } }
)"));
        ASSERT_EQ(result.migrations.size(), 1u);
        const MigrationSummary& moved = result.migrations.front();
        ASSERT_EQ(moved.nodeInBytes.size(), 7u);
        // member_db's databases 3 and 4 move (round-robin over node-5, node-6, node-7): half of t_user.
        EXPECT_DOUBLE_EQ(moved.movedRows, 1e6);
        EXPECT_DOUBLE_EQ(moved.nodeInBytes[6], 0.5e6 * 500);
        for (size_t n = 0; n < 4; ++n) {
            EXPECT_EQ(moved.nodeInBytes[n], 0.0);
            EXPECT_EQ(moved.nodeOutBytes[n], 0.0);
        }
        EXPECT_TRUE(moved.finished);
        EXPECT_GT(result.nodes[6].requests, 0.0);
    }

    TEST(BusinessDatabaseRuns, ALostNodeIsRebuiltInsideItsDatabase)
    {
        const RunResult result = mustRun(domains("", R"(events:
  - { at: 10s, fail_node: 4, migration: { bandwidth: 1GB/s } }
)",
            3, 3, 2));
        ASSERT_EQ(result.migrations.size(), 1u);
        const MigrationSummary& rebuilt = result.migrations.front();
        EXPECT_EQ(rebuilt.kind, "re-replication");
        EXPECT_GT(rebuilt.movedBytes, 0.0);
        // node-4 is member_db's first node: its copies are rebuilt on node-5 and node-6, never on order_db's.
        const double intoMembers = rebuilt.nodeInBytes[4] + rebuilt.nodeInBytes[5];
        EXPECT_DOUBLE_EQ(intoMembers, rebuilt.movedBytes);
        for (size_t n = 0; n < 3; ++n)
            EXPECT_EQ(rebuilt.nodeInBytes[n], 0.0);
        EXPECT_EQ(result.failedRequests, 0.0);
    }

    TEST(BusinessDatabaseRuns, OneBusinessDatabaseIsAScenarioOfItsOwn)
    {
        const ScenarioConfig whole = mustLoad(domains());
        auto member = businessDatabaseScenario(whole, "member_db");
        ASSERT_TRUE(member.ok()) << member.error();
        EXPECT_EQ(member->cluster.nodes, 2);
        EXPECT_TRUE(member->data.databases.empty());
        ASSERT_EQ(member->data.tables.size(), 1u);
        EXPECT_EQ(member->data.tables[0].name, "t_user");
        ASSERT_EQ(member->workload.mix.size(), 1u);
        EXPECT_EQ(member->workload.mix[0].name, "get_user");
        // get_user is 1 of the mix's 4 weights: a quarter of 8K/s.
        ASSERT_EQ(member->workload.rate.size(), 1u);
        EXPECT_DOUBLE_EQ(member->workload.rate[0].base, 2000);
        // Its run matches the whole run's member nodes: 2K/s over node-5, node-6.
        RunOptions expected;
        expected.engine = EngineMode::Expected;
        const RunResult own = runSimulation(*member, expected).value();
        const RunResult all = mustRun(domains());
        ASSERT_EQ(own.nodes.size(), 2u);
        EXPECT_NEAR(own.nodes[0].requests, all.nodes[4].requests, 1e-6 * all.nodes[4].requests);
        EXPECT_DOUBLE_EQ(own.nodes[1].rows, all.nodes[5].rows);

        auto unknown = businessDatabaseScenario(whole, "member");
        ASSERT_FALSE(unknown.ok());
        EXPECT_NE(unknown.error().find("did you mean 'member_db'"), std::string::npos) << unknown.error();
    }

    TEST(BusinessDatabaseRuns, ExplainNamesTheDatabaseAndItsNodes)
    {
        auto explained = queries::explainQuery(mustLoad(domains()), "get_user", { 6 });
        ASSERT_TRUE(explained.ok()) << explained.error();
        ASSERT_EQ(explained->requests.size(), 1u);
        // uid 6 mod 4 = 2: member_db's third database, on node-5 (its databases go node-5, node-6, node-5, ...).
        EXPECT_EQ(explained->requests[0].shardName.rfind("member_db/", 0), 0u) << explained->requests[0].shardName;
        EXPECT_EQ(explained->requests[0].node, "node-5");
    }

} // namespace
} // namespace shardsim
