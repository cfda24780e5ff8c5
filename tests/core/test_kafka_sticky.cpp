// Records without a key under the kafka rule: Kafka's sticky partitioner (KIP-794) in both engines. References are
// computed here from Kafka's formulas: batches of ceil(batch.size / record size) records, the next partition uniform
// or drawn by the cumulative frequency table of (max queue + 1 - queue).

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "engine_test_support.h"
#include "engine/sticky_partitioner.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    using namespace shardsim::testing;

    using engine::StickyPartitioner;
    using rules::systems::KafkaProducerConfig;

    KafkaProducerConfig producer(bool adaptive, int64_t timeoutMs = 0)
    {
        KafkaProducerConfig config;
        config.adaptive = adaptive;
        config.availabilityTimeoutMs = timeoutMs;
        return config;
    }

    TEST(KafkaSticky, BatchSwitchesAfterBatchSizeBytes)
    {
        // Kafka switches once the bytes produced reach batch.size: 16384 / 1000 -> after the 17th record.
        EXPECT_EQ(StickyPartitioner::callsPerBatch(16'384, 1000), 17u);
        EXPECT_EQ(StickyPartitioner::callsPerBatch(16'384, 1024), 16u);
        EXPECT_EQ(StickyPartitioner::callsPerBatch(3, 1), 3u); // BuiltInPartitionerTest: 3 one-byte records
        EXPECT_EQ(StickyPartitioner::callsPerBatch(0, 100), 1u); // batch.size 0: every record a batch
    }

    TEST(KafkaSticky, TheRuleCarriesTheProducerSettings)
    {
        auto rule = makeRule("kafka:partitions=6,batch_size=1024,adaptive=false,availability_timeout=50");
        ASSERT_TRUE(rule.ok()) << rule.error();
        const KafkaProducerConfig* config = rules::systems::kafkaProducerConfig(**rule);
        ASSERT_NE(config, nullptr);
        EXPECT_EQ(config->batchSize, 1024);
        EXPECT_FALSE(config->adaptive);
        EXPECT_EQ(config->availabilityTimeoutMs, 50);
        EXPECT_EQ((*rule)->spec(), "kafka:partitions=6,batch_size=1024,adaptive=false,availability_timeout=50");
        // Kafka's defaults are not repeated in the spec.
        auto defaults = makeRule("kafka:partitions=6,batch_size=16384,adaptive=true");
        ASSERT_TRUE(defaults.ok());
        EXPECT_EQ((*defaults)->spec(), "kafka:partitions=6");
        const KafkaProducerConfig kafka;
        EXPECT_EQ(kafka.batchSize, 16'384);
        EXPECT_TRUE(kafka.adaptive);
        EXPECT_EQ(kafka.availabilityTimeoutMs, 0);
        EXPECT_EQ(rules::systems::kafkaProducerConfig(**makeRule("mod:n=4")), nullptr);
        EXPECT_FALSE(makeRule("kafka:partitions=6,adaptive=maybe").ok());
        EXPECT_FALSE(makeRule("kafka:partitions=6,batch_size=-1").ok());
    }

    TEST(KafkaSticky, UniformWithoutLoadStats)
    {
        StickyPartitioner sticky(producer(false), 12, 1);
        for (double share : sticky.shares())
            EXPECT_DOUBLE_EQ(share, 1.0 / 12);
        // Without adaptive partitioning queues and readiness are not looked at.
        const std::vector<int64_t> queues = { 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        const std::vector<uint8_t> ready = { 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
        sticky.setLoad(queues, ready);
        EXPECT_DOUBLE_EQ(sticky.shares()[0], 1.0 / 12);
    }

    TEST(KafkaSticky, AdaptiveWeightsAreMaxPlusOneMinusQueue)
    {
        // BuiltInPartitionerTest.adaptivePartitionsTest: queues 5 0 3 0 1 -> frequencies 6 - queue = 1 6 3 6 5.
        StickyPartitioner sticky(producer(true), 5, 1);
        const std::vector<int64_t> queues = { 5, 0, 3, 0, 1 };
        const std::vector<uint8_t> ready(5, 1);
        const int before = sticky.version();
        sticky.setLoad(queues, ready);
        EXPECT_NE(sticky.version(), before);
        const int64_t maxPlusOne = *std::max_element(queues.begin(), queues.end()) + 1;
        int64_t total = 0;
        for (int64_t q : queues)
            total += maxPlusOne - q;
        ASSERT_EQ(total, 21);
        for (size_t p = 0; p < queues.size(); ++p)
            EXPECT_DOUBLE_EQ(sticky.shares()[p], static_cast<double>(maxPlusOne - queues[p]) / total) << p;
        // Equal queues and nobody left out: uniform again.
        sticky.setLoad(std::vector<int64_t>(5, 4), ready);
        for (double share : sticky.shares())
            EXPECT_DOUBLE_EQ(share, 0.2);
    }

    TEST(KafkaSticky, AvailabilityTimeoutLeavesPartitionsOut)
    {
        StickyPartitioner sticky(producer(true, 100), 4, 1);
        sticky.setLoad(std::vector<int64_t>(4, 0), std::vector<uint8_t> { 1, 0, 1, 1 });
        EXPECT_DOUBLE_EQ(sticky.shares()[1], 0.0);
        EXPECT_DOUBLE_EQ(sticky.shares()[0], 1.0 / 3);
        // Every partition left out: Kafka then picks among all of them.
        sticky.setLoad(std::vector<int64_t>(4, 0), std::vector<uint8_t>(4, 0));
        EXPECT_DOUBLE_EQ(sticky.shares()[1], 0.25);
    }

    // Per-partition calls per tick over many ticks: mean and variance of the multinomial over whole batches.
    void expectMultinomial(uint64_t recordsPerTick, uint64_t perBatch, int partitions, int ticks)
    {
        SCOPED_TRACE(::testing::Message() << recordsPerTick << " records a tick, " << perBatch << " per batch");
        ASSERT_EQ(recordsPerTick % perBatch, 0u); // every tick ends on a batch boundary: ticks are independent
        StickyPartitioner sticky(producer(false), partitions, 1);
        auto engine = workload::RandomStreams(42).engine("sticky");
        std::vector<double> sum(static_cast<size_t>(partitions), 0.0);
        std::vector<double> squares(sum.size(), 0.0);
        for (int t = 0; t < ticks; ++t) {
            std::vector<uint64_t> counts(sum.size(), 0);
            sticky.spread(0, recordsPerTick, perBatch, engine, counts);
            ASSERT_EQ(std::accumulate(counts.begin(), counts.end(), uint64_t(0)), recordsPerTick);
            for (size_t p = 0; p < counts.size(); ++p) {
                ASSERT_EQ(counts[p] % perBatch, 0u); // whole batches only
                sum[p] += static_cast<double>(counts[p]);
                squares[p] += static_cast<double>(counts[p]) * static_cast<double>(counts[p]);
            }
        }
        const double batches = static_cast<double>(recordsPerTick / perBatch);
        const double p = 1.0 / partitions;
        const double r = static_cast<double>(perBatch);
        const double mean = static_cast<double>(recordsPerTick) * p;
        const double variance = batches * p * (1 - p) * r * r;
        for (size_t q = 0; q < sum.size(); ++q) {
            const double seen = sum[q] / ticks;
            const double seenVariance = (squares[q] - ticks * seen * seen) / (ticks - 1);
            EXPECT_NEAR(seen, mean, 4 * std::sqrt(variance / ticks)) << q;
            // The sample variance's standard error is about variance sqrt(2 / ticks) (nearly normal counts).
            EXPECT_NEAR(seenVariance, variance, 5 * variance * std::sqrt(2.0 / ticks)) << q;
        }
    }

    TEST(KafkaSticky, SampledBatchesFollowTheMultinomial)
    {
        // 62 batches of 16 records a tick (1 KiB records, Kafka's default batch.size), and a tick of more batches
        // than are drawn one by one.
        expectMultinomial(992, 16, 12, 4000);
        expectMultinomial(16 * 10'000, 16, 12, 1500);
    }

    TEST(KafkaSticky, TheBatchBeingFilledCarriesOverToTheNextCall)
    {
        StickyPartitioner sticky(producer(false), 12, 1);
        auto engine = workload::RandomStreams(7).engine("sticky");
        std::vector<uint64_t> first(12, 0);
        sticky.spread(0, 5, 17, engine, first);
        std::vector<uint64_t> second(12, 0);
        sticky.spread(0, 12, 17, engine, second);
        // 17 records to a batch: the first 5 and the next 12 are the same batch, on one partition.
        const auto at = std::find(first.begin(), first.end(), 5u) - first.begin();
        ASSERT_LT(at, 12);
        EXPECT_EQ(second[static_cast<size_t>(at)], 12u);
    }

    // keys: none on a 12-partition topic over `nodes` nodes, inserting 1 KB records.
    ScenarioConfig keylessScenario(const std::string& rule, int nodes, const std::string& rate, double maxQps)
    {
        const std::string text = "name: sticky\nseed: 5\nduration: 60s\ntick: 1s\ncluster: { nodes: "
            + std::to_string(nodes) + ", node: { max_qps: " + std::to_string(static_cast<int64_t>(maxQps))
            + " } }\ndata:\n  tables:\n    - { name: logs, key: offset, rows: 1M, row_size: 1000B }\n"
            + "sharding: { rule: \"" + rule + "\" }\nworkload:\n  rate: " + rate
            + "\n  keys: none\n  mix:\n    - { kind: insert, table: logs }\n";
        ScenarioLoad load = loadScenarioText(text, "sticky.yaml", "");
        EXPECT_TRUE(load.ok()) << load.errorText() << "\n" << text;
        return load.config.value_or(ScenarioConfig {});
    }

    TEST(KafkaSticky, ExpectedEngineGivesEachPartitionRecordsOverN)
    {
        const RunResult result = mustRun(keylessScenario("kafka:partitions=12", 4, "12K/s", 1e6), EngineMode::Expected);
        ASSERT_EQ(result.shards.size(), 12u);
        const double records = 12'000.0 * 60;
        for (const ShardSummary& shard : result.shards)
            EXPECT_NEAR(shard.requests, records / 12, 1e-6 * records) << shard.name;
    }

    TEST(KafkaSticky, SampledEngineIsTheSameOnAnyThreadCount)
    {
        const ScenarioConfig config = keylessScenario("kafka:partitions=12", 4, "12K/s", 1e6);
        const RunResult one = mustRun(config, EngineMode::Sampled, 1);
        const RunResult four = mustRun(config, EngineMode::Sampled, 4);
        ASSERT_EQ(one.shards.size(), 12u);
        double total = 0;
        for (size_t s = 0; s < one.shards.size(); ++s) {
            EXPECT_EQ(one.shards[s].requests, four.shards[s].requests) << s;
            total += one.shards[s].requests;
        }
        // 720K records in batches of 17: per partition sd sqrt(B p (1 - p)) 17 with B = 42353, about 1,000.
        for (const ShardSummary& shard : one.shards)
            EXPECT_NEAR(shard.requests, total / 12, 5'000) << shard.name;
    }

    // Each node's share of the records when 12 partitions sit on 5 nodes (3, 3, 2, 2, 2 of them) and the nodes
    // with 3 cannot keep up with a uniform spread: 3/12 of 50K/s = 12.5K/s on a node serving 11K/s.
    std::vector<double> nodeShares(const std::string& rule, double* shed = nullptr)
    {
        const RunResult result = mustRun(keylessScenario(rule, 5, "50K/s", 11'000), EngineMode::Expected);
        std::vector<double> shares(5, 0.0);
        double total = 0;
        for (const ShardSummary& shard : result.shards) {
            shares[static_cast<size_t>(shard.node)] += shard.requests;
            total += shard.requests;
        }
        for (double& share : shares)
            share /= total;
        if (shed)
            *shed = result.shedRequests;
        return shares;
    }

    TEST(KafkaSticky, AdaptivePartitioningSteersAwayFromAQueueingNode)
    {
        double uniformShed = 0;
        double adaptiveShed = 0;
        const std::vector<double> uniform = nodeShares("kafka:partitions=12,adaptive=false", &uniformShed);
        const std::vector<double> adaptive = nodeShares("kafka:partitions=12", &adaptiveShed);
        EXPECT_NEAR(uniform[0], 3.0 / 12, 1e-9);
        EXPECT_NEAR(uniform[4], 2.0 / 12, 1e-9);
        EXPECT_GT(uniformShed, 0);
        // The balance of Kafka's feedback: a partition that cannot drain its share is drawn until what it is sent
        // equals what its leader serves. The two 3-partition nodes take their 11K/s each, the other three share
        // the remaining 28K/s: per partition 11K/3 = 3.67K/s < 50K/12 = 4.17K/s < 28K/6 = 4.67K/s.
        EXPECT_NEAR(adaptive[0], 11.0 / 50, 1e-9);
        EXPECT_NEAR(adaptive[1], 11.0 / 50, 1e-9);
        for (size_t n = 2; n < 5; ++n)
            EXPECT_NEAR(adaptive[n], (50.0 - 2 * 11) / 3 / 50, 1e-9) << n;
        EXPECT_EQ(adaptiveShed, 0);
    }

    // 4 brokers without replicas, 8 partitions, broker node-2 down for the second half of a minute: the share of
    // all records that fail.
    double failedWhenABrokerIsDown(const std::string& rule)
    {
        ScenarioConfig config = keylessScenario(rule, 4, "8K/s", 1e6);
        ScenarioLoad load = loadScenarioText(config.sourceText + "events:\n  - { at: 30s, fail_node: 2 }\n",
            "sticky.yaml", "");
        EXPECT_TRUE(load.ok()) << load.errorText();
        const RunResult result = mustRun(load.config.value_or(ScenarioConfig {}), EngineMode::Expected);
        return result.failedRequests / result.requests;
    }

    TEST(KafkaSticky, ADownBrokersPartitionsFailOnlyWithoutAdaptivePartitioning)
    {
        // adaptive=false: its 2 of 8 partitions keep their share for 30 of 60 s: 1/4 x 1/2 of the records fail.
        EXPECT_NEAR(failedWhenABrokerIsDown("kafka:partitions=8,adaptive=false"), 1.0 / 8, 1e-9);
        // Adaptive partitioning: a leader with no room gets nothing; the availability timeout leaves it out too.
        EXPECT_NEAR(failedWhenABrokerIsDown("kafka:partitions=8"), 0.0, 1e-12);
        EXPECT_NEAR(failedWhenABrokerIsDown("kafka:partitions=8,availability_timeout=100"), 0.0, 1e-12);
    }

    TEST(KafkaSticky, KeylessRecordsNeedTheKafkaRule)
    {
        const std::string text = "name: sticky\nduration: 1m\ncluster: { nodes: 2 }\ndata:\n  tables:\n"
                                 "    - { name: logs, key: offset, rows: 1M }\nsharding: { rule: \"mod:n=4\" }\n"
                                 "workload:\n  rate: 1K/s\n  keys: none\n  mix:\n    - { kind: insert, table: logs }\n";
        const ScenarioLoad load = loadScenarioText(text, "sticky.yaml", "");
        ASSERT_EQ(load.diagnostics.size(), 1u) << load.errorText();
        EXPECT_EQ(load.diagnostics[0].format(),
            "sticky.yaml:10:9: error: workload.keys: records without a key need a partitioner that accepts them: "
            "kafka (e.g. rule: kafka:partitions=12); mod:n=4 routes keys");
    }

    TEST(KafkaSticky, KeylessRecordsAreInserted)
    {
        const std::string text
            = "name: sticky\nduration: 1m\ncluster: { nodes: 2 }\ndata:\n  tables:\n"
              "    - { name: logs, key: offset, rows: 10 }\nsharding: { rule: \"kafka:partitions=4\" }\n"
              "workload:\n  rate: 1K/s\n  keys: none\n  mix:\n    - { kind: point, table: logs }\n";
        const ScenarioLoad load = loadScenarioText(text, "sticky.yaml", "");
        ASSERT_EQ(load.diagnostics.size(), 1u) << load.errorText();
        EXPECT_EQ(load.diagnostics[0].format(),
            "sticky.yaml:12:15: error: workload.mix[0].kind: records without a key (workload.keys: none) can only be "
            "produced: kind: insert");
    }

} // namespace
} // namespace shardsim
