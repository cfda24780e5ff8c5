// Every form of the format beyond the example: stacked shapes, points, hot spots, geo shifts, all
// operation kinds, every event action, expect windows, limits, id schemes and rule mappings.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    const std::string kValid = std::string(SHARDSIM_TEST_DATA) + "/scenarios/valid/";

    class AllFeatures : public ::testing::Test {
    protected:
        static void SetUpTestSuite()
        {
            ScenarioLoad load = loadScenarioFile(kValid + "all-features.yaml");
            ASSERT_TRUE(load.ok()) << load.errorText();
            s_config = new ScenarioConfig(*load.config);
        }
        static void TearDownTestSuite()
        {
            delete s_config;
            s_config = nullptr;
        }
        const ScenarioConfig& config() const { return *s_config; }

    private:
        static inline ScenarioConfig* s_config = nullptr;
    };

    TEST_F(AllFeatures, TimingAndCluster)
    {
        EXPECT_EQ(config().seed, 7u);
        EXPECT_DOUBLE_EQ(config().duration, 2 * 86'400.0);
        EXPECT_DOUBLE_EQ(config().tick, 10);
        EXPECT_EQ(config().tickCount(), 17'280);
        EXPECT_DOUBLE_EQ(config().cluster.node.maxQps, 5'000);
        EXPECT_DOUBLE_EQ(config().cluster.node.storage, 500.0 * 1024 * 1024 * 1024); // GiB is binary
        EXPECT_DOUBLE_EQ(config().cluster.node.costPerMonth, 1'200);
        EXPECT_DOUBLE_EQ(config().cluster.node.baseLatency, 0.002);
        EXPECT_EQ(config().cluster.replication, 3);
    }

    TEST_F(AllFeatures, Tables)
    {
        const auto& tables = config().data.tables;
        ASSERT_EQ(tables.size(), 5u);
        EXPECT_EQ(tables[0].rows, 1'000'000); // 1_000_000
        EXPECT_DOUBLE_EQ(tables[0].rowSize, 4'000); // 4KB is decimal
        EXPECT_EQ(tables[0].ids.scheme, IdScheme::Segment);
        EXPECT_EQ(tables[0].ids.block, 5'000);
        EXPECT_DOUBLE_EQ(tables[0].growth, 10'000.0 / 3'600);
        ASSERT_EQ(tables[0].columns.size(), 4u);
        EXPECT_EQ(tables[0].columns[1].name, "mobile");
        EXPECT_EQ(tables[0].columns[1].kind, ColumnKind::Indexed);
        EXPECT_EQ(tables[0].columns[2].kind, ColumnKind::Time);
        EXPECT_EQ(tables[0].columns[3].kind, ColumnKind::Plain);

        EXPECT_EQ(tables[1].rows, 2'000'000'000); // 2B is a count here, not bytes
        EXPECT_DOUBLE_EQ(tables[1].rowSize, 1'024); // 1KiB
        EXPECT_EQ(tables[1].ids.scheme, IdScheme::Snowflake);
        EXPECT_EQ(tables[1].ids.workers, 32);
        EXPECT_DOUBLE_EQ(tables[1].growth, 5); // 300/min
        ASSERT_EQ(tables[1].columns.size(), 2u); // list form: plain columns
        EXPECT_EQ(tables[1].columns[0].name, "created_at");
        EXPECT_EQ(tables[1].columns[0].kind, ColumnKind::Plain);

        EXPECT_EQ(tables[2].boundTo, "t_order");
        EXPECT_EQ(tables[2].rows, 1'000);
        EXPECT_EQ(tables[2].ids.scheme, IdScheme::Step);
        EXPECT_EQ(tables[2].ids.step, 4);
        EXPECT_EQ(tables[3].ids.scheme, IdScheme::Uuid);
        EXPECT_TRUE(tables[4].broadcast); // yes
    }

    TEST_F(AllFeatures, ShardingMappingRuleAndExplicitPlacement)
    {
        const ShardingConfig& sharding = config().sharding;
        EXPECT_EQ(sharding.rule.name, "range");
        EXPECT_EQ(sharding.rule.params.at("bounds"), (std::vector<std::string> { "250K", "500K", "750K" }));
        EXPECT_EQ(sharding.placement.kind, PlacementKind::Explicit);
        EXPECT_EQ(sharding.placement.nodes, (std::vector<NodeId> { 0, 1, 3, 5 })); // 1, node-2, 4, 6
        EXPECT_EQ(sharding.lookup.at("login_name"), LookupKind::MappingTable);
        EXPECT_EQ(sharding.lookup.at("mobile"), LookupKind::Gene);
        EXPECT_EQ(sharding.lookup.at("nickname"), LookupKind::None);
    }

    TEST_F(AllFeatures, StackedRateShapes)
    {
        const auto& rate = config().workload.rate;
        ASSERT_EQ(rate.size(), 4u);
        EXPECT_EQ(rate[0].kind, RateShapeKind::Diurnal);
        EXPECT_DOUBLE_EQ(rate[0].base, 2'000);
        EXPECT_DOUBLE_EQ(rate[0].peak, 3);
        EXPECT_DOUBLE_EQ(rate[0].peakHour, 21.5);
        EXPECT_NEAR(rate[0].growth, std::pow(1.05, 12) - 1, 1e-12); // 5%/month compounds

        EXPECT_EQ(rate[1].kind, RateShapeKind::Double11);
        EXPECT_DOUBLE_EQ(rate[1].peak, 20); // a plain number is a factor
        EXPECT_DOUBLE_EQ(rate[1].at, 86'400);
        EXPECT_DOUBLE_EQ(rate[1].ramp, 60);
        EXPECT_DOUBLE_EQ(rate[1].hold, 300);
        EXPECT_DOUBLE_EQ(rate[1].decay, 1'200);

        EXPECT_EQ(rate[2].kind, RateShapeKind::Points);
        ASSERT_EQ(rate[2].points.size(), 3u);
        EXPECT_DOUBLE_EQ(rate[2].points[1].at, 43'200);
        EXPECT_DOUBLE_EQ(rate[2].points[1].rate, 500);
        EXPECT_DOUBLE_EQ(rate[2].points[2].at, 86'400);

        EXPECT_EQ(rate[3].kind, RateShapeKind::Constant); // shape defaults to constant
        EXPECT_DOUBLE_EQ(rate[3].base, 100);
    }

    TEST_F(AllFeatures, HotspotAndGeo)
    {
        const WorkloadConfig& workload = config().workload;
        EXPECT_EQ(workload.keys.kind, KeyDistributionKind::Hotspot);
        EXPECT_DOUBLE_EQ(workload.keys.hotOps, 0.9);
        EXPECT_EQ(workload.keys.hotAt, HotspotPosition::Range);
        EXPECT_DOUBLE_EQ(workload.keys.hotBegin, 0.4);
        EXPECT_DOUBLE_EQ(workload.keys.hotEnd, 0.45);
        EXPECT_NEAR(workload.keys.hotFraction, 0.05, 1e-12);
        EXPECT_DOUBLE_EQ(workload.keys.drift, 0.01 / 3'600); // 1%/h, per second
        ASSERT_EQ(workload.geo.size(), 3u);
        EXPECT_DOUBLE_EQ(workload.geo[0].share, 0.6);
        EXPECT_DOUBLE_EQ(workload.geo[1].share, 0.3);
        EXPECT_DOUBLE_EQ(workload.geo[1].shift, 3'600);
    }

    TEST_F(AllFeatures, EveryOperationKind)
    {
        const auto& mix = config().workload.mix;
        ASSERT_EQ(mix.size(), 9u);
        EXPECT_EQ(mix[1].by, "mobile");
        EXPECT_EQ(mix[1].keys, 3);
        EXPECT_EQ(mix[2].kind, OperationKind::Page);
        EXPECT_EQ(mix[2].offset, 10);
        EXPECT_EQ(mix[2].maxOffset, 200);
        EXPECT_EQ(mix[3].kind, OperationKind::Transaction);
        EXPECT_EQ(mix[3].by, "uid"); // default: the table's shard key
        EXPECT_EQ(mix[4].kind, OperationKind::Scan);
        EXPECT_EQ(mix[4].limit, 500);
        EXPECT_EQ(mix[5].kind, OperationKind::Aggregate);
        EXPECT_EQ(mix[5].by, "");
        EXPECT_EQ(mix[6].kind, OperationKind::Join);
        EXPECT_EQ(mix[6].tables, (std::vector<std::string> { "t_order", "t_order_detail" }));
        EXPECT_EQ(mix[7].kind, OperationKind::Insert);
        EXPECT_EQ(mix[7].keys, 10);
        EXPECT_EQ(mix[8].name, "point-9"); // default name: kind and position
        EXPECT_DOUBLE_EQ(mix[8].weight, 1);
    }

    TEST_F(AllFeatures, EventsInTimeOrder)
    {
        const auto& events = config().events;
        ASSERT_EQ(events.size(), 6u);
        EXPECT_DOUBLE_EQ(events[0].at, 6 * 3'600.0); // written second, happens first
        EXPECT_EQ(events[0].failNode, std::optional<NodeId>(3));
        EXPECT_EQ(events[1].recoverNode, std::optional<NodeId>(3));
        EXPECT_EQ(events[2].addNodes, 2);
        EXPECT_EQ(events[2].addNodesRegion, "south");
        EXPECT_DOUBLE_EQ(events[2].migration.bandwidth, 1024.0 * 1024 * 1024 / 60);
        ASSERT_TRUE(events[3].reshard.has_value());
        EXPECT_EQ(events[3].reshard->name, "jump");
        EXPECT_EQ(events[4].removeNode, std::optional<NodeId>(1));
        ASSERT_TRUE(events[4].placement.has_value());
        EXPECT_EQ(events[4].placement->kind, PlacementKind::RoundRobin);
        EXPECT_DOUBLE_EQ(events[4].migration.bandwidth, 100e6); // default
        ASSERT_TRUE(events[5].placement.has_value());
        EXPECT_EQ(events[5].placement->nodes, (std::vector<NodeId> { 0, 2, 3, 4, 5, 6, 7, 0 }));
        EXPECT_EQ(events[5].reshard->params.at("n"), std::vector<std::string> { "8" });
    }

    TEST_F(AllFeatures, ExpectAndLimits)
    {
        const auto& expect = config().expect;
        ASSERT_EQ(expect.size(), 4u);
        EXPECT_EQ(expect[1].atLeast, std::optional<double>(0.1));
        EXPECT_EQ(expect[1].atMost, std::optional<double>(0.9));
        EXPECT_EQ(expect[1].from, std::optional<double>(86'400));
        EXPECT_EQ(expect[1].to, std::optional<double>(172'800));
        EXPECT_EQ(expect[2].atLeast, std::optional<double>(1e6)); // 1M
        EXPECT_EQ(expect[3].equals, std::optional<double>(0));
        EXPECT_EQ(config().limits.maxRowsPerTable, 5'000'000);
        EXPECT_DOUBLE_EQ(config().limits.maxUtilization, 0.6);
        EXPECT_DOUBLE_EQ(config().limits.maxStorageUtilization, 0.75);
    }

    TEST(ScenarioFiles, TraceFileResolvesAgainstTheScenarioDirectory)
    {
        ScenarioLoad load = loadScenarioFile(kValid + "trace-keys.yaml");
        ASSERT_TRUE(load.ok()) << load.errorText();
        const KeyDistributionConfig& keys = load.config->workload.keys;
        EXPECT_EQ(keys.kind, KeyDistributionKind::Trace);
        EXPECT_EQ(keys.file, "keys.txt");
        EXPECT_TRUE(std::filesystem::is_regular_file(keys.resolvedFile)) << keys.resolvedFile;

        // The same text with another base directory cannot find the trace.
        ScenarioLoad elsewhere = loadScenarioText(load.config->sourceText, "trace-keys.yaml", "/nonexistent-dir");
        ASSERT_FALSE(elsewhere.ok());
        EXPECT_NE(elsewhere.errorText().find("no such file: /nonexistent-dir/keys.txt"), std::string::npos)
            << elsewhere.errorText();
    }

    TEST(ScenarioFiles, MissingFileAndDirectory)
    {
        ScenarioLoad missing = loadScenarioFile(kValid + "no-such-scenario.yaml");
        ASSERT_EQ(missing.diagnostics.size(), 1u);
        EXPECT_EQ(missing.diagnostics[0].line, 0);
        EXPECT_NE(missing.diagnostics[0].message.find("does not exist"), std::string::npos);

        ScenarioLoad directory = loadScenarioFile(kValid);
        ASSERT_EQ(directory.diagnostics.size(), 1u);
        EXPECT_NE(directory.diagnostics[0].message.find("is a directory"), std::string::npos);
    }

    TEST(ScenarioFiles, EveryValidSampleLoads)
    {
        int count = 0;
        for (const auto& entry : std::filesystem::directory_iterator(kValid)) {
            const auto extension = entry.path().extension();
            if (extension != ".yaml" && extension != ".json")
                continue;
            ScenarioLoad load = loadScenarioFile(entry.path().string());
            EXPECT_TRUE(load.ok()) << entry.path() << "\n" << load.errorText();
            ++count;
        }
        EXPECT_GE(count, 4);
    }

} // namespace
} // namespace shardsim
