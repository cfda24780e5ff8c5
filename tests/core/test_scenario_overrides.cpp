// `PATH=VALUE` overrides (the `run --set` feature): applied before reading, validated like the file,
// and errors name the override.

#include <gtest/gtest.h>

#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    const std::string kExample = std::string(SHARDSIM_RESOURCES) + "/scenarios/double-11-orders.yaml";
    const std::string kMinimal = std::string(SHARDSIM_TEST_DATA) + "/scenarios/valid/minimal.yaml";

    ScenarioLoad withOverrides(const std::string& file, std::vector<std::string> overrides)
    {
        return loadScenarioFile(file, ScenarioReadOptions { std::move(overrides) });
    }

    TEST(ScenarioOverrides, ReplaceScalarsAndListEntries)
    {
        ScenarioLoad load = withOverrides(kExample,
            { "cluster.regions={east: 8, north: 4, south: 4}", "cluster.nodes=16", "workload.keys.theta=0.8",
                "data.tables[0].rows=10M", "data.tables[t_order].row_size=1KB", "workload.mix[login].weight=7" });
        ASSERT_TRUE(load.ok()) << load.errorText();
        const ScenarioConfig& config = *load.config;
        EXPECT_EQ(config.cluster.nodes, 16);
        EXPECT_EQ(config.cluster.regions[0].nodes, 8);
        EXPECT_DOUBLE_EQ(config.workload.keys.theta, 0.8);
        EXPECT_EQ(config.workload.keys.kind, KeyDistributionKind::Zipf); // the rest of the mapping stays
        EXPECT_EQ(config.data.tables[0].rows, 10'000'000);
        EXPECT_DOUBLE_EQ(config.data.tables[1].rowSize, 1'000);
        EXPECT_DOUBLE_EQ(config.workload.mix[1].weight, 7);
        EXPECT_EQ(config.overrides.size(), 6u);
        EXPECT_EQ(config.overrides[1], "cluster.nodes=16");
        // The source text is the file as written; the overrides are kept beside it.
        EXPECT_NE(config.sourceText.find("nodes: 8"), std::string::npos);
    }

    TEST(ScenarioOverrides, CreateMissingMappingsAndReplaceWholeSections)
    {
        ScenarioLoad load = withOverrides(kMinimal,
            { "workload.keys={distribution: hotspot, hot_fraction: 10%}", "limits.max_rows_per_table=5M",
                "sharding.rule=db-table:dbs=2,tables=4", "description=from the command line" });
        ASSERT_TRUE(load.ok()) << load.errorText();
        EXPECT_EQ(load.config->workload.keys.kind, KeyDistributionKind::Hotspot);
        EXPECT_DOUBLE_EQ(load.config->workload.keys.hotFraction, 0.1);
        EXPECT_EQ(load.config->limits.maxRowsPerTable, 5'000'000);
        EXPECT_EQ(load.config->sharding.rule.name, "db-table");
        EXPECT_EQ(load.config->description, "from the command line");
    }

    TEST(ScenarioOverrides, LaterOverrideWins)
    {
        ScenarioLoad load = withOverrides(kMinimal, { "cluster.nodes=16", "cluster.nodes=2" });
        ASSERT_TRUE(load.ok()) << load.errorText();
        EXPECT_EQ(load.config->cluster.nodes, 2);
    }

    TEST(ScenarioOverrides, InvalidValueNamesTheOverride)
    {
        ScenarioLoad load = withOverrides(kMinimal, { "cluster.nodes=0" });
        ASSERT_EQ(load.diagnostics.size(), 1u) << load.errorText();
        EXPECT_EQ(load.diagnostics[0].format(),
            "override 'cluster.nodes=0': error: cluster.nodes: must be at least 1 (got 0)");
    }

    TEST(ScenarioOverrides, UnknownKeyNamesTheOverride)
    {
        ScenarioLoad load = withOverrides(kMinimal, { "cluster.nodse=3" });
        ASSERT_EQ(load.diagnostics.size(), 1u) << load.errorText();
        EXPECT_EQ(load.diagnostics[0].file, "override 'cluster.nodse=3'");
        EXPECT_NE(load.diagnostics[0].message.find("unknown key 'nodse'; did you mean 'nodes'?"), std::string::npos);
    }

    TEST(ScenarioOverrides, CrossChecksSeeTheOverriddenValue)
    {
        // 16 nodes no longer match the regions given beside them: the error is at the regions.
        ScenarioLoad load = withOverrides(kExample, { "cluster.regions={east: 4, north: 4}", "cluster.nodes=16" });
        ASSERT_EQ(load.diagnostics.size(), 1u) << load.errorText();
        EXPECT_EQ(load.diagnostics[0].file, "override 'cluster.regions={east: 4, north: 4}'");
        EXPECT_NE(
            load.diagnostics[0].message.find("the regions hold 8 nodes but cluster.nodes is 16"), std::string::npos);
        // A new section from an override is read like the file's.
        load = withOverrides(kMinimal, { "workload.keys.theta=0.8" });
        ASSERT_EQ(load.diagnostics.size(), 1u) << load.errorText();
        EXPECT_EQ(load.diagnostics[0].file, "override 'workload.keys.theta=0.8'");
        EXPECT_NE(load.diagnostics[0].message.find("missing required key 'distribution'"), std::string::npos);
    }

    TEST(ScenarioOverrides, BusinessDatabasesByName)
    {
        // Business databases are a list of named entries like the tables: addressed by name, checked like the file.
        const std::string file = std::string(SHARDSIM_TEST_DATA) + "/scenarios/valid/business-databases.yaml";
        ScenarioLoad load = withOverrides(file,
            { "data.databases[order_db].nodes=3", "data.databases[member_db].nodes=3",
                "data.tables[t_payment].database=order_db", "data.tables[t_user].database=member_db",
                "events[0].add_nodes.database=member_db", "data.tables[t_address].database=member_db" });
        // payment_db lost its only table to order_db.
        ASSERT_EQ(load.diagnostics.size(), 1u) << load.errorText();
        EXPECT_EQ(load.diagnostics[0].path, "data.databases[1].name");
        EXPECT_NE(load.diagnostics[0].message.find("no table is in payment_db"), std::string::npos);

        load = withOverrides(file,
            { "data.databases[order_db].nodes=3", "data.databases[member_db].nodes=3",
                "events[0].add_nodes.database=member_db", "events[1].remove_node=7", "events[2].remove_node=8" });
        ASSERT_TRUE(load.ok()) << load.errorText();
        EXPECT_EQ(load.config->data.databases[0].nodes, 3);
        EXPECT_EQ(load.config->data.databases[2].nodes, 3);
        EXPECT_EQ(load.config->events[0].addNodesDatabase, 2);

        load = withOverrides(file, { "data.tables[t_user].database=membr_db" });
        ASSERT_EQ(load.diagnostics.size(), 1u) << load.errorText();
        EXPECT_EQ(load.diagnostics[0].format(),
            "override 'data.tables[t_user].database=membr_db': error: data.tables[0].database: no business database "
            "named 'membr_db' in data.databases; did you mean 'member_db'?");

        load = withOverrides(file, { "data.databases[order_db].nodes=5" });
        ASSERT_EQ(load.diagnostics.size(), 1u) << load.errorText();
        EXPECT_NE(load.diagnostics[0].message.find("the business databases own 9 nodes but cluster.nodes is 8"),
            std::string::npos);
    }

    TEST(ScenarioOverrides, MalformedOverrides)
    {
        const std::vector<std::pair<std::string, std::string>> cases = {
            { "cluster.nodes", "expected PATH=VALUE" },
            { "=3", "expected PATH=VALUE" },
            { "cluster..nodes=3", "malformed path" },
            { "cluster.nodes[=3", "malformed path" },
            { "data.tables[7].rows=1", "data.tables has no entry [7] (it has 1)" },
            { "data.tables[t_none].rows=1", "has no entry [t_none]" },
            { "name.first=x", "name is 'minimal', not a mapping" },
            { "cluster[0]=x", "cluster is a mapping, not a list" },
            { "cluster.nodes=", "no value after '='" },
            { "cluster.nodes=[1, 2", "YAML syntax error" },
        };
        for (const auto& [text, fragment] : cases) {
            ScenarioLoad load = withOverrides(kMinimal, { text });
            ASSERT_FALSE(load.ok()) << text;
            EXPECT_EQ(load.diagnostics[0].file, "override '" + text + "'");
            EXPECT_NE(load.errorText().find(fragment), std::string::npos) << text << "\n" << load.errorText();
        }
    }

    TEST(ScenarioOverrides, OverridesCanCompleteAnEmptyText)
    {
        ScenarioLoad load = loadScenarioText("", "empty.yaml", "",
            ScenarioReadOptions { { "name=x", "duration=1h", "cluster.nodes=2", "data.tables=[{name: t, rows: 10}]",
                "sharding.rule=mod:n=2", "workload.rate=1K/s" } });
        ASSERT_TRUE(load.ok()) << load.errorText();
        EXPECT_EQ(load.config->data.tables[0].name, "t");
    }

} // namespace
} // namespace shardsim
