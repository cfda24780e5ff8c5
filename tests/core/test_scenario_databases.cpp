// A vertical split by business domain (data.databases): names resolve to indices, the databases own
// contiguous node ranges in file order, added nodes join the database their event names, and a split
// that is not written stays exactly as before. The error messages are in test_scenario_errors.cpp.

#include <gtest/gtest.h>

#include <string>

#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    const std::string kValid = std::string(SHARDSIM_TEST_DATA) + "/scenarios/valid/";

    ScenarioLoad loadSample(std::vector<std::string> overrides = {})
    {
        return loadScenarioFile(kValid + "business-databases.yaml", ScenarioReadOptions { std::move(overrides) });
    }

    int tableDatabase(const ScenarioConfig& config, const std::string& table)
    {
        const TableConfig* found = config.data.findTable(table);
        return found ? found->database : -1;
    }

    TEST(BusinessDatabases, DatabasesInFileOrder)
    {
        const ScenarioLoad load = loadSample();
        ASSERT_TRUE(load.ok()) << load.errorText();
        const auto& databases = load.config->data.databases;
        ASSERT_EQ(databases.size(), 3u);
        EXPECT_EQ(databases[0].name, "order_db");
        EXPECT_EQ(databases[0].nodes, 4);
        EXPECT_EQ(databases[0].line, 11);
        EXPECT_EQ(databases[1].name, "payment_db");
        EXPECT_EQ(databases[1].nodes, 2);
        EXPECT_EQ(databases[1].line, 12);
        EXPECT_EQ(databases[2].name, "member_db");
        EXPECT_EQ(databases[2].nodes, 2);
        EXPECT_EQ(databases[2].line, 13);
    }

    TEST(BusinessDatabases, TablesResolveToTheirDatabaseIndex)
    {
        const ScenarioLoad load = loadSample();
        ASSERT_TRUE(load.ok()) << load.errorText();
        const ScenarioConfig& config = *load.config;
        EXPECT_EQ(tableDatabase(config, "t_user"), 2);
        EXPECT_EQ(tableDatabase(config, "t_address"), 2);
        EXPECT_EQ(tableDatabase(config, "t_order"), 0);
        EXPECT_EQ(tableDatabase(config, "t_order_item"), 0);
        EXPECT_EQ(tableDatabase(config, "t_payment"), 1);
        EXPECT_EQ(tableDatabase(config, "t_region"), 0);
        EXPECT_EQ(config.sharding.placement.kind, PlacementKind::RoundRobin);
        ASSERT_EQ(config.workload.mix.size(), 5u);
        EXPECT_EQ(config.workload.mix[2].tables, (std::vector<std::string> { "t_order", "t_order_item" }));
    }

    TEST(BusinessDatabases, AddedNodesJoinTheNamedDatabase)
    {
        const ScenarioLoad load = loadSample();
        ASSERT_TRUE(load.ok()) << load.errorText();
        const auto& events = load.config->events;
        ASSERT_EQ(events.size(), 5u);
        EXPECT_EQ(events[0].addNodes, 2);
        EXPECT_EQ(events[0].addNodesDatabase, 1); // payment_db
        // payment_db owned node-5 and node-6 and gained node-9 and node-10, so both old nodes may leave.
        EXPECT_EQ(events[1].removeNode, 4);
        EXPECT_EQ(events[2].removeNode, 5);
        EXPECT_EQ(events[3].failNode, 8);
        EXPECT_EQ(events[4].reshard->name, "db-table");
    }

    // Only the ranges in file order make exactly these removals leave a database empty: order_db is node-1..4,
    // payment_db node-5..6, member_db node-7..8.
    TEST(BusinessDatabases, InitialNodesAreContiguousRangesInFileOrder)
    {
        const std::vector<std::pair<int, int>> pairs = { { 1, 2 }, { 3, 4 }, { 4, 5 }, { 5, 6 }, { 6, 7 }, { 7, 8 } };
        for (const auto& [first, second] : pairs) {
            const std::string events = "events=[{ at: 1h, remove_node: " + std::to_string(first)
                + " }, { at: 2h, remove_node: " + std::to_string(second) + " }]";
            const ScenarioLoad load = loadSample({ events });
            const bool emptiesADatabase = (first == 5 && second == 6) || (first == 7 && second == 8);
            EXPECT_EQ(load.ok(), !emptiesADatabase) << events << "\n" << load.errorText();
            if (emptiesADatabase) {
                ASSERT_EQ(load.diagnostics.size(), 1u);
                const std::string database = first == 5 ? "payment_db" : "member_db";
                EXPECT_EQ(load.diagnostics[0].message,
                    "node " + std::to_string(second) + " is the last node of " + database
                        + " at 2h: the business database would have no nodes left");
            }
        }
    }

    TEST(BusinessDatabases, AddedNodesKeepTheirDatabaseAlive)
    {
        // member_db gains node-9 at 1h, so both of its first nodes may leave, but not node-9 after them.
        const ScenarioLoad allowed = loadSample({ "events=[{ at: 1h, add_nodes: { count: 1, database: member_db } }, "
                                                  "{ at: 2h, remove_node: 7 }, { at: 2h, remove_node: 8 }]" });
        ASSERT_TRUE(allowed.ok()) << allowed.errorText();
        EXPECT_EQ(allowed.config->events[0].addNodesDatabase, 2);

        const ScenarioLoad refused = loadSample({ "events=[{ at: 1h, add_nodes: { count: 1, database: member_db } }, "
                                                  "{ at: 2h, remove_node: 7 }, { at: 2h, remove_node: 8 }, "
                                                  "{ at: 3h, remove_node: 9 }]" });
        ASSERT_EQ(refused.diagnostics.size(), 1u) << refused.errorText();
        EXPECT_EQ(refused.diagnostics[0].path, "events[3].remove_node");
        EXPECT_NE(refused.diagnostics[0].message.find("node 9 is the last node of member_db"), std::string::npos);
    }

    TEST(BusinessDatabases, FailingTheLastNodeIsAllowed)
    {
        const ScenarioLoad load = loadSample({ "events=[{ at: 1h, fail_node: 7 }, { at: 1h, fail_node: 8 }]" });
        ASSERT_TRUE(load.ok()) << load.errorText();
        EXPECT_EQ(load.config->events[1].failNode, 7);
    }

    TEST(BusinessDatabases, OperationsWithinOneDatabaseIncludingItsBroadcastTables)
    {
        // t_region is order_db's broadcast table: order_db's operations may join it, member_db's may not.
        const ScenarioLoad load = loadSample({ "workload.mix[user_addresses].tables=[t_user, t_region]" });
        ASSERT_EQ(load.diagnostics.size(), 1u) << load.errorText();
        EXPECT_EQ(load.diagnostics[0].path, "workload.mix[1].tables");
        EXPECT_NE(load.diagnostics[0].message.find("t_user is in member_db and t_region in order_db"),
            std::string::npos);
    }

    TEST(BusinessDatabases, WithoutDatabasesEveryTableIsInDatabaseZero)
    {
        const ScenarioLoad load = loadScenarioFile(kValid + "all-features.yaml");
        ASSERT_TRUE(load.ok()) << load.errorText();
        EXPECT_TRUE(load.config->data.databases.empty());
        for (const TableConfig& table : load.config->data.tables)
            EXPECT_EQ(table.database, 0) << table.name;
        for (const EventConfig& event : load.config->events)
            EXPECT_EQ(event.addNodesDatabase, 0);
    }

} // namespace
} // namespace shardsim
