// The example scenario (resources/scenarios/double-11-orders.yaml) defines the format: it must
// validate unchanged and every value must land in the typed config with its unit applied.

#include <gtest/gtest.h>

#include <cmath>

#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    const std::string kExample = std::string(SHARDSIM_RESOURCES) + "/scenarios/double-11-orders.yaml";
    const std::string kValid = std::string(SHARDSIM_TEST_DATA) + "/scenarios/valid/";

    ScenarioConfig mustLoad(const std::string& path)
    {
        ScenarioLoad load = loadScenarioFile(path);
        EXPECT_TRUE(load.ok()) << load.errorText();
        EXPECT_TRUE(load.diagnostics.empty());
        return load.config.value_or(ScenarioConfig {});
    }

    constexpr double kDay = 86'400;

    TEST(ScenarioExample, ValidatesUnchanged)
    {
        ScenarioLoad load = loadScenarioFile(kExample);
        ASSERT_TRUE(load.ok()) << load.errorText();
    }

    TEST(ScenarioExample, TopLevel)
    {
        const ScenarioConfig config = mustLoad(kExample);
        EXPECT_EQ(config.name, "double-11-orders");
        EXPECT_EQ(config.description.rfind("22:00-01:00 on Double-11.", 0), 0u) << config.description;
        EXPECT_EQ(config.seed, 42u);
        ASSERT_TRUE(config.start.has_value());
        EXPECT_DOUBLE_EQ(*config.start, 22 * 3600.0); // the clock starts at 22:00, so the spike at 2h is midnight
        EXPECT_EQ(config.clock().format(config.workload.rate[0].at), "00:00");
        EXPECT_DOUBLE_EQ(config.duration, 10'800); // 3h
        EXPECT_DOUBLE_EQ(config.tick, 1);
        EXPECT_EQ(config.tickCount(), 10'800);
    }

    TEST(ScenarioExample, Cluster)
    {
        const ClusterConfig cluster = mustLoad(kExample).cluster;
        EXPECT_EQ(cluster.nodes, 8);
        EXPECT_DOUBLE_EQ(cluster.node.maxQps, 20'000);
        EXPECT_DOUBLE_EQ(cluster.node.storage, 2e12); // 2TB is decimal
        EXPECT_DOUBLE_EQ(cluster.node.costPerMonth, 900);
        EXPECT_DOUBLE_EQ(cluster.node.baseLatency, 0.001); // default
        EXPECT_TRUE(cluster.regions.empty()); // one data centre: the story is capacity, not geography
        EXPECT_EQ(cluster.replication, 2);
        EXPECT_EQ(cluster.regionOfNode(0), "");
    }

    TEST(ScenarioExample, Tables)
    {
        const DataConfig data = mustLoad(kExample).data;
        ASSERT_EQ(data.tables.size(), 3u);

        const TableConfig& user = data.tables[0];
        EXPECT_EQ(user.name, "t_user");
        EXPECT_EQ(user.key, "uid");
        EXPECT_EQ(user.effectiveShardKey(), "uid");
        EXPECT_EQ(user.rows, 50'000'000);
        EXPECT_DOUBLE_EQ(user.rowSize, 512);
        EXPECT_EQ(user.ids.scheme, IdScheme::Sequential);
        EXPECT_DOUBLE_EQ(user.growth, 200'000 / kDay);
        ASSERT_EQ(user.columns.size(), 1u);
        EXPECT_EQ(user.columns[0].name, "login_name");
        EXPECT_EQ(user.columns[0].kind, ColumnKind::Unique);
        EXPECT_TRUE(user.boundTo.empty());
        EXPECT_FALSE(user.broadcast);

        const TableConfig& order = data.tables[1];
        EXPECT_EQ(order.name, "t_order");
        EXPECT_EQ(order.key, "order_no");
        EXPECT_EQ(order.shardKey, "uid");
        EXPECT_EQ(order.boundTo, "t_user");
        EXPECT_EQ(order.rows, 900'000'000);
        EXPECT_DOUBLE_EQ(order.rowSize, 300);
        EXPECT_EQ(order.ids.scheme, IdScheme::Snowflake);
        EXPECT_DOUBLE_EQ(order.growth, 2'000'000 / kDay);
        EXPECT_TRUE(order.hasColumn("uid"));
        EXPECT_TRUE(order.hasColumn("order_no"));
        EXPECT_FALSE(order.hasColumn("login_name"));

        const TableConfig& region = data.tables[2];
        EXPECT_EQ(region.name, "t_region");
        EXPECT_EQ(region.key, "id"); // default
        EXPECT_EQ(region.rows, 34);
        EXPECT_DOUBLE_EQ(region.rowSize, 64);
        EXPECT_TRUE(region.broadcast);
        EXPECT_DOUBLE_EQ(region.growth, 0);

        EXPECT_EQ(data.findTable("t_order"), &data.tables[1]);
        EXPECT_EQ(data.findTable("t_orders"), nullptr);
    }

    TEST(ScenarioExample, Sharding)
    {
        const ShardingConfig sharding = mustLoad(kExample).sharding;
        EXPECT_EQ(sharding.rule.name, "db-table");
        EXPECT_EQ(sharding.rule.params.at("dbs"), std::vector<std::string> { "8" });
        EXPECT_EQ(sharding.rule.params.at("tables"), std::vector<std::string> { "10" });
        EXPECT_EQ(sharding.placement.kind, PlacementKind::RoundRobin);
        ASSERT_EQ(sharding.lookup.size(), 1u);
        EXPECT_EQ(sharding.lookup.at("login_name"), LookupKind::MappingTable);
    }

    TEST(ScenarioExample, RateShape)
    {
        const WorkloadConfig workload = mustLoad(kExample).workload;
        ASSERT_EQ(workload.rate.size(), 1u);
        const RateShapeConfig& rate = workload.rate[0];
        EXPECT_EQ(rate.kind, RateShapeKind::Double11);
        EXPECT_DOUBLE_EQ(rate.base, 40'000); // 40K/s
        EXPECT_DOUBLE_EQ(rate.peak, 5); // 5x
        EXPECT_DOUBLE_EQ(rate.at, 7'200); // midnight of a run that starts at 22:00
        EXPECT_DOUBLE_EQ(rate.ramp, 120);
        EXPECT_DOUBLE_EQ(rate.hold, 900);
        EXPECT_DOUBLE_EQ(rate.decay, 1'800);
        EXPECT_DOUBLE_EQ(rate.growth, 0);
    }

    TEST(ScenarioExample, Keys)
    {
        const WorkloadConfig workload = mustLoad(kExample).workload;
        EXPECT_EQ(workload.keys.kind, KeyDistributionKind::Zipf);
        EXPECT_DOUBLE_EQ(workload.keys.theta, 0.6);
        EXPECT_TRUE(workload.geo.empty());
    }

    TEST(ScenarioExample, Mix)
    {
        const std::vector<OperationConfig> mix = mustLoad(kExample).workload.mix;
        ASSERT_EQ(mix.size(), 6u);

        EXPECT_EQ(mix[0].name, "get_user");
        EXPECT_EQ(mix[0].kind, OperationKind::Point);
        EXPECT_EQ(mix[0].tables, std::vector<std::string> { "t_user" });
        EXPECT_EQ(mix[0].by, "uid");
        EXPECT_DOUBLE_EQ(mix[0].weight, 60);

        EXPECT_EQ(mix[1].name, "login");
        EXPECT_EQ(mix[1].by, "login_name");
        EXPECT_DOUBLE_EQ(mix[1].weight, 5);

        EXPECT_EQ(mix[2].name, "list_orders");
        EXPECT_EQ(mix[2].kind, OperationKind::Page);
        EXPECT_EQ(mix[2].tables, std::vector<std::string> { "t_order" });
        EXPECT_EQ(mix[2].by, "uid");
        EXPECT_EQ(mix[2].limit, 20);
        EXPECT_EQ(mix[2].offset, 0);
        EXPECT_EQ(mix[2].maxOffset, 1'000);

        EXPECT_EQ(mix[3].name, "report");
        EXPECT_EQ(mix[3].kind, OperationKind::Page);
        EXPECT_EQ(mix[3].by, ""); // no key condition: every shard is asked
        EXPECT_EQ(mix[3].orderBy, "created_at");
        EXPECT_DOUBLE_EQ(mix[3].weight, 0.1);
        EXPECT_EQ(mix[3].limit, 50);
        EXPECT_EQ(mix[3].offset, 5'000);

        EXPECT_EQ(mix[4].name, "place_order");
        EXPECT_EQ(mix[4].kind, OperationKind::Transaction);
        EXPECT_EQ(mix[4].tables, (std::vector<std::string> { "t_user", "t_order" }));
        EXPECT_EQ(mix[4].by, "uid");
        EXPECT_EQ(mix[4].keys, 1);
        EXPECT_DOUBLE_EQ(mix[4].weight, 14);

        EXPECT_EQ(mix[5].name, "transfer");
        EXPECT_EQ(mix[5].keys, 2);
        EXPECT_DOUBLE_EQ(mix[5].weight, 0.9);
        EXPECT_GT(mix[5].line, mix[4].line);
    }

    TEST(ScenarioExample, EventsExpectAndPlan)
    {
        const ScenarioConfig config = mustLoad(kExample);
        // 23:40: four nodes join and the eight databases become twelve, one per node.
        ASSERT_EQ(config.events.size(), 1u);
        EXPECT_DOUBLE_EQ(config.events[0].at, 6'000); // 100m
        EXPECT_EQ(config.events[0].addNodes, 4);
        ASSERT_TRUE(config.events[0].reshard.has_value());
        EXPECT_EQ(config.events[0].reshard->toString(), "db-table:dbs=12,tables=10");
        EXPECT_DOUBLE_EQ(config.events[0].migration.bandwidth, 150e6); // 150MB/s

        ASSERT_EQ(config.expect.size(), 3u);
        EXPECT_EQ(config.expect[0].metric, "peak.utilization");
        EXPECT_EQ(config.expect[0].atMost, std::optional<double>(0.7));
        EXPECT_EQ(config.expect[0].to, std::optional<double>(6'000));
        EXPECT_EQ(config.expect[1].metric, "requests.shed_fraction");
        EXPECT_EQ(config.expect[2].metric, "imbalance.max_over_mean");
        EXPECT_GT(config.expect[0].line, 0);

        ASSERT_TRUE(config.plan.has_value());
        EXPECT_DOUBLE_EQ(config.plan->horizon, 0);
    }

    TEST(ScenarioExample, DefaultsAndSource)
    {
        const ScenarioConfig config = mustLoad(kExample);
        EXPECT_EQ(config.limits.maxRowsPerTable, 10'000'000);
        EXPECT_DOUBLE_EQ(config.limits.maxUtilization, 0.7);
        EXPECT_EQ(config.sourceFile, kExample);
        EXPECT_NE(config.sourceText.find("name: double-11-orders"), std::string::npos);
        EXPECT_TRUE(config.overrides.empty());
        EXPECT_FALSE(config.baseDirectory.empty());
    }

    TEST(ScenarioExample, JsonFormReadsTheSame)
    {
        const ScenarioConfig yaml = mustLoad(kExample);
        const ScenarioConfig json = mustLoad(kValid + "double-11-orders.json");
        EXPECT_EQ(json.name, yaml.name);
        EXPECT_EQ(json.seed, yaml.seed);
        EXPECT_EQ(json.start, yaml.start);
        EXPECT_DOUBLE_EQ(json.duration, yaml.duration);
        EXPECT_EQ(json.cluster.nodes, yaml.cluster.nodes);
        EXPECT_DOUBLE_EQ(json.cluster.node.storage, yaml.cluster.node.storage);
        EXPECT_EQ(json.cluster.regions.size(), yaml.cluster.regions.size());
        ASSERT_EQ(json.data.tables.size(), yaml.data.tables.size());
        for (std::size_t i = 0; i < yaml.data.tables.size(); ++i) {
            EXPECT_EQ(json.data.tables[i].name, yaml.data.tables[i].name);
            EXPECT_EQ(json.data.tables[i].rows, yaml.data.tables[i].rows);
            EXPECT_DOUBLE_EQ(json.data.tables[i].growth, yaml.data.tables[i].growth);
            EXPECT_EQ(json.data.tables[i].broadcast, yaml.data.tables[i].broadcast);
        }
        EXPECT_EQ(json.sharding.rule.toString(), yaml.sharding.rule.toString());
        EXPECT_DOUBLE_EQ(json.workload.rate[0].peak, yaml.workload.rate[0].peak);
        ASSERT_EQ(json.workload.mix.size(), yaml.workload.mix.size());
        EXPECT_DOUBLE_EQ(json.workload.mix[3].weight, yaml.workload.mix[3].weight);
        EXPECT_EQ(json.events.size(), yaml.events.size());
        EXPECT_EQ(json.expect[0].atMost, yaml.expect[0].atMost);
    }

    TEST(ScenarioExample, MinimalGetsDocumentedDefaults)
    {
        const ScenarioConfig config = mustLoad(kValid + "minimal.yaml");
        EXPECT_EQ(config.seed, 1u);
        EXPECT_DOUBLE_EQ(config.tick, 1);
        EXPECT_EQ(config.cluster.replication, 1);
        EXPECT_DOUBLE_EQ(config.cluster.node.maxQps, 10'000);
        EXPECT_DOUBLE_EQ(config.cluster.node.storage, 1e12);
        EXPECT_TRUE(config.cluster.regions.empty());
        EXPECT_DOUBLE_EQ(config.data.tables[0].rowSize, 256);
        EXPECT_EQ(config.sharding.placement.kind, PlacementKind::RoundRobin);
        ASSERT_EQ(config.workload.rate.size(), 1u);
        EXPECT_EQ(config.workload.rate[0].kind, RateShapeKind::Constant);
        EXPECT_DOUBLE_EQ(config.workload.rate[0].base, 1'000);
        EXPECT_EQ(config.workload.keys.kind, KeyDistributionKind::Uniform);
        ASSERT_EQ(config.workload.mix.size(), 1u); // one point read of the first table by its key
        EXPECT_EQ(config.workload.mix[0].kind, OperationKind::Point);
        EXPECT_EQ(config.workload.mix[0].tables, std::vector<std::string> { "t_user" });
        EXPECT_EQ(config.workload.mix[0].by, "uid");
        EXPECT_TRUE(config.events.empty());
        EXPECT_TRUE(config.expect.empty());
    }

} // namespace
} // namespace shardsim
