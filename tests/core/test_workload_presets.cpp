// `workload: { preset: NAME }` fills the key law, the mix and the first table's row size from a published
// workload; each part can be overridden. The expected values are the sources' own figures
// (docs/workload-model.md §4), written out here rather than read from the preset table.
#include <gtest/gtest.h>

#include <string>

#include "shardsim/scenario/scenario_reader.h"

using namespace shardsim;

namespace {

ScenarioLoad loadWith(const std::string& workload, const std::string& table = "{ name: usertable, rows: 1M }")
{
    const std::string text = "name: preset\nduration: 1m\ncluster: { nodes: 4 }\ndata:\n  tables:\n    - " + table
        + "\nsharding: { rule: mod:n=4 }\nworkload:\n" + workload;
    return loadScenarioText(text, "preset.yaml", {});
}

double weightOf(const WorkloadConfig& workload, const std::string& op)
{
    for (const OperationConfig& operation : workload.mix)
        if (operation.name == op)
            return operation.weight;
    return -1;
}

} // namespace

TEST(WorkloadPresets, YcsbAIsHalfReadsHalfUpdatesOfOneKiloByteRecords)
{
    auto load = loadWith("  preset: ycsb-a\n  rate: 1K/s\n");
    ASSERT_TRUE(load.ok()) << load.errorText();
    const WorkloadConfig& w = load.config->workload;
    EXPECT_EQ(w.preset, "ycsb-a");
    EXPECT_EQ(w.keys.kind, KeyDistributionKind::ScrambledZipf);
    EXPECT_DOUBLE_EQ(w.keys.theta, 0.99);
    ASSERT_EQ(w.mix.size(), 2u);
    EXPECT_DOUBLE_EQ(weightOf(w, "read"), 0.5);
    EXPECT_DOUBLE_EQ(weightOf(w, "update"), 0.5);
    EXPECT_EQ(w.mix[1].kind, OperationKind::Transaction);
    EXPECT_EQ(w.mix[1].tables, std::vector<std::string> { "usertable" });
    // 10 fields x 100 bytes and a 23-byte key.
    EXPECT_DOUBLE_EQ(load.config->data.tables[0].rowSize, 1023);
}

TEST(WorkloadPresets, YcsbDReadsTheLatestAndInserts)
{
    auto load = loadWith("  preset: ycsb-d\n  rate: 1K/s\n");
    ASSERT_TRUE(load.ok()) << load.errorText();
    const WorkloadConfig& w = load.config->workload;
    EXPECT_EQ(w.keys.kind, KeyDistributionKind::Latest);
    EXPECT_DOUBLE_EQ(weightOf(w, "read"), 0.95);
    EXPECT_DOUBLE_EQ(weightOf(w, "insert"), 0.05);
    EXPECT_EQ(w.mix[1].kind, OperationKind::Insert);
}

TEST(WorkloadPresets, YcsbEScansFiftyRowsFromAKey)
{
    auto load = loadWith("  preset: ycsb-e\n  rate: 1K/s\n", "{ name: usertable, key: k, rows: 1M }");
    ASSERT_TRUE(load.ok()) << load.errorText();
    const OperationConfig& scan = load.config->workload.mix[0];
    EXPECT_EQ(scan.kind, OperationKind::Scan);
    EXPECT_EQ(scan.limit, 50); // the nearest whole number to the mean of uniform 1..100
    EXPECT_EQ(scan.by, "k");
}

TEST(WorkloadPresets, TwitterCachesAndMetaEtcCarryTheirPublishedNumbers)
{
    struct Case {
        const char* preset;
        double theta;
        const char* write;
        double getShare;
        double rowSize;
    };
    // stat/2020Mar.md of twitter/cache-trace; Atikoglu et al. 2012 (GET:SET 30:1, key 36.2 B + value 329.1 B).
    for (const Case& c : { Case { "twitter", 1.28, "set", 0.86 / (0.86 + 0.14), 36 + 224 },
             Case { "twitter-cluster52", 1.2117, "set", 0.93 / (0.93 + 0.06), 20 + 273 },
             Case { "twitter-cluster7", 1.0666, "set", 0.82, 17 + 1936 },
             Case { "twitter-cluster12", 0.3048, "set", 0.20, 44 + 1030 },
             Case { "meta-etc", 0.99, "set", 30.0 / 31, 36.2 + 329.1 } }) {
        auto load = loadWith(std::string("  preset: ") + c.preset + "\n  rate: 1K/s\n");
        ASSERT_TRUE(load.ok()) << c.preset << ": " << load.errorText();
        const WorkloadConfig& w = load.config->workload;
        EXPECT_DOUBLE_EQ(w.keys.theta, c.theta) << c.preset;
        const double get = weightOf(w, "get"), write = weightOf(w, c.write);
        EXPECT_NEAR(get / (get + write), c.getShare, 1e-12) << c.preset;
        EXPECT_NEAR(load.config->data.tables[0].rowSize, c.rowSize, 1e-9) << c.preset;
    }
}

TEST(WorkloadPresets, MixgraphPutsFourFifthsOfTheAccessesOnOneKeyRangeInThirty)
{
    auto load = loadWith("  preset: rocksdb-mixgraph\n  rate: 1K/s\n");
    ASSERT_TRUE(load.ok()) << load.errorText();
    const WorkloadConfig& w = load.config->workload;
    EXPECT_EQ(w.keys.kind, KeyDistributionKind::Hotspot);
    EXPECT_DOUBLE_EQ(w.keys.hotFraction, 1.0 / 30);
    EXPECT_NEAR(w.keys.hotOps, 0.8066, 5e-5); // db_bench: 538 of 667 access units
    EXPECT_DOUBLE_EQ(weightOf(w, "get"), 0.85);
    EXPECT_DOUBLE_EQ(weightOf(w, "put"), 0.14);
    EXPECT_DOUBLE_EQ(weightOf(w, "seek"), 0.01);
    EXPECT_NEAR(load.config->data.tables[0].rowSize, 48 + 25.45 / (1 - 0.2615), 0.05);
}

TEST(WorkloadPresets, KeysMixAndRowSizeOverrideThePreset)
{
    auto load = loadWith("  preset: ycsb-a\n  rate: 1K/s\n  keys: { theta: 1.2 }\n"
                         "  mix:\n    - { op: get, kind: point, table: usertable }\n",
        "{ name: usertable, rows: 1M, row_size: 2KB }");
    ASSERT_TRUE(load.ok()) << load.errorText();
    const ScenarioConfig& config = *load.config;
    EXPECT_EQ(config.workload.keys.kind, KeyDistributionKind::ScrambledZipf) << "the preset's law, adjusted";
    EXPECT_DOUBLE_EQ(config.workload.keys.theta, 1.2);
    ASSERT_EQ(config.workload.mix.size(), 1u);
    EXPECT_EQ(config.workload.mix[0].name, "get");
    EXPECT_DOUBLE_EQ(config.data.tables[0].rowSize, 2000);

    load = loadWith("  preset: ycsb-a\n  rate: 1K/s\n  keys: uniform\n");
    ASSERT_TRUE(load.ok()) << load.errorText();
    EXPECT_EQ(load.config->workload.keys.kind, KeyDistributionKind::Uniform);
}

TEST(WorkloadPresets, AnUnknownPresetNamesTheFieldAndTheNearestName)
{
    auto load = loadWith("  preset: ycsb-g\n  rate: 1K/s\n");
    ASSERT_FALSE(load.ok());
    ASSERT_EQ(load.diagnostics.size(), 1u) << load.errorText();
    const Diagnostic& error = load.diagnostics[0];
    EXPECT_EQ(error.path, "workload.preset");
    EXPECT_EQ(error.line, 9);
    EXPECT_EQ(error.column, 11);
    EXPECT_NE(error.message.find("ycsb-"), std::string::npos) << error.message;
}
