// Hashed rules put a range's keys where the hashes send them, not exactly 1/N on every shard: the rows per shard
// and the expected engine's shares follow the rule's real assignment (engine/range_share_counter.h), checked
// against brute-force counts made here with a jump consistent hash written from Lamping & Veach's paper, and the
// stated standard error of the part beyond the counted keys holds (docs/engine-model.md, "Counted keys").

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>

#include "engine/range_share_counter.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/report/scenario_outline.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    // Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014), figure 1.
    int32_t paperJump(uint64_t key, int32_t buckets)
    {
        int64_t b = -1;
        int64_t j = 0;
        while (j < buckets) {
            b = j;
            key = key * 2862933555777941757ULL + 1;
            j = static_cast<int64_t>(static_cast<double>(b + 1) * (double(1LL << 31) / double((key >> 33) + 1)));
        }
        return static_cast<int32_t>(b);
    }

    std::vector<double> jumpCounts(uint64_t keys, int32_t buckets)
    {
        std::vector<double> counts(static_cast<size_t>(buckets), 0.0);
        for (uint64_t k = 1; k <= keys; ++k)
            counts[static_cast<size_t>(paperJump(k, buckets))] += 1;
        return counts;
    }

    // Counts of keys 1..keys per shard through the rule's route(), the path the routing tests check bit-exact.
    std::vector<double> routedCounts(const ShardRule& rule, uint64_t keys)
    {
        std::vector<double> counts(static_cast<size_t>(rule.shardCount()), 0.0);
        for (uint64_t k = 1; k <= keys; ++k)
            counts[static_cast<size_t>(rule.route(Key::int64(static_cast<int64_t>(k)))->index)] += 1;
        return counts;
    }

    // A counter that counts every key up to `keys` and none beyond.
    engine::CountingLimits countingUpTo(uint64_t keys)
    {
        engine::CountingLimits limits;
        limits.exactKeys = keys;
        limits.budgetKeys = keys;
        return limits;
    }

    ShardRulePtr mustMake(const std::string& spec)
    {
        auto rule = makeRule(spec);
        EXPECT_TRUE(rule.ok()) << spec;
        return rule.ok() ? *rule : nullptr;
    }

    RunResult runScenario(const std::string& rule, const std::string& table, EngineMode engine,
        const std::string& keys = "uniform", int threads = 1, bool countToBound = true)
    {
        const std::string text
            = "name: variance\nseed: 5\nduration: 4s\ncluster: { nodes: 20, node: { max_qps: 1T } }\n"
              "data:\n  tables:\n    - "
            + table + "\nsharding: { rule: \"" + rule + "\" }\nworkload:\n  rate: 200K/s\n  keys: " + keys + "\n";
        ScenarioLoad load = loadScenarioText(text, "variance.yaml", "");
        EXPECT_TRUE(load.ok()) << load.errorText() << "\n" << text;
        RunOptions options;
        options.engine = engine;
        options.threads = threads;
        options.countToBound = countToBound;
        auto result = runSimulation(load.config.value_or(ScenarioConfig {}), options);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        return result.ok() ? *result : RunResult {};
    }

    void expectShardRows(const RunResult& result, const std::vector<double>& counts)
    {
        ASSERT_EQ(result.shards.size(), counts.size());
        for (size_t s = 0; s < counts.size(); ++s)
            EXPECT_NEAR(result.shards[s].rows, counts[s], 1e-6 * counts[s]) << result.shards[s].name;
        ASSERT_EQ(result.tables.size(), 1u);
        EXPECT_NEAR(result.tables[0].maxRowsPerTable, *std::max_element(counts.begin(), counts.end()), 1e-3);
    }

    TEST(HashingVariance, JumpOverAMillionRowsHoldsEachBucketsRealCount)
    {
        const std::vector<double> counts = jumpCounts(1'000'000, 100);
        EXPECT_EQ(*std::min_element(counts.begin(), counts.end()), 9'834);
        EXPECT_EQ(*std::max_element(counts.begin(), counts.end()), 10'197);
        const RunResult result
            = runScenario("jump:buckets=100", "{ name: t_user, key: uid, rows: 1M }", EngineMode::Expected);
        expectShardRows(result, counts);
        EXPECT_EQ(result.tables[0].largest,
            "shard-" + std::to_string(std::max_element(counts.begin(), counts.end()) - counts.begin()));
        // Uniform keys: each shard's share of the requests is its share of the keys, the hottest 1.97% and not 1%.
        for (size_t s = 0; s < counts.size(); ++s)
            EXPECT_NEAR(result.shards[s].share, counts[s] / 1e6, 1e-9) << result.shards[s].name;
    }

    TEST(HashingVariance, HashModAndRingRowsAreTheirKeysRealCounts)
    {
        for (const std::string spec : { "hash-mod:n=10,hash=murmur3", "ring:nodes=8,vnodes=20",
                 "maglev:nodes=7,table=1009", "rendezvous:nodes=6", "vitess-hash:shards=8", "mongo-hashed:chunks=5" }) {
            SCOPED_TRACE(spec);
            const std::vector<double> counts = routedCounts(*mustMake(spec), 300'000);
            expectShardRows(runScenario(spec, "{ name: t_user, key: uid, rows: 300K }", EngineMode::Expected), counts);
        }
    }

    TEST(HashingVariance, RangesAreCountedExactlyWhereverTheyStartAndEnd)
    {
        for (const std::string spec :
            { "jump:buckets=13", "hash-mod:n=7,hash=murmur3", "ring:nodes=5,vnodes=10,hash=java" }) {
            SCOPED_TRACE(spec);
            const ShardRulePtr rule = mustMake(spec);
            engine::RangeShareCounter counter(*rule, countingUpTo(200'000));
            std::mt19937_64 random(7);
            for (int i = 0; i < 40; ++i) {
                const auto lo = static_cast<int64_t>(random() % 250'000) - 1'000;
                const auto hi = lo + static_cast<int64_t>(random() % 60'000);
                std::vector<double> brute(static_cast<size_t>(rule->shardCount()), 0.0);
                for (int64_t k = lo; k <= hi; ++k)
                    brute[static_cast<size_t>(rule->shardOfInteger(k))] += 1;
                const auto length = static_cast<double>(hi - lo + 1);
                std::vector<double> shares(brute.size(), 0.0);
                EXPECT_EQ(counter.addRangeShares(lo, hi, length, shares), 0.0);
                // Inside 1..200,000 exact; the keys outside get the rule's fractions, off by a few keys at most.
                const double outside
                    = static_cast<double>(std::max<int64_t>(0, hi - 200'000) + std::max<int64_t>(0, 1 - lo));
                for (size_t s = 0; s < brute.size(); ++s)
                    EXPECT_NEAR(shares[s], brute[s], outside == 0 ? 1e-6 : 6 * std::sqrt(outside) + 1)
                        << lo << ".." << hi;
            }
        }
    }

    // 10^5 shards keep 83 checkpoints within 32 MB: a sweep over millions of keys thins them (the step doubles,
    // part-way through), and every range is still counted exactly, on one thread or three.
    TEST(HashingVariance, ThinnedCheckpointsStillCountEveryRangeExactly)
    {
        const ShardRulePtr rule = mustMake("jump:buckets=100000");
        engine::CountingLimits limits = countingUpTo(4'000'000);
        engine::RangeShareCounter one(*rule, limits);
        limits.threads = 3;
        engine::RangeShareCounter three(*rule, limits);
        std::mt19937_64 random(11);
        for (int i = 0; i < 30; ++i) {
            // Ranges further out as i grows, so the sweep goes on from thinned checkpoints.
            const auto lo = static_cast<int64_t>(random() % (130'000 * static_cast<uint64_t>(i + 1)));
            const auto hi = lo + static_cast<int64_t>(random() % 50'000);
            std::vector<double> brute(100'000, 0.0);
            for (int64_t k = lo; k <= hi; ++k)
                brute[static_cast<size_t>(rule->shardOfInteger(k))] += 1;
            const auto length = static_cast<double>(hi - lo + 1);
            std::vector<double> shares(brute.size(), 0.0);
            std::vector<double> sharesOnThree(brute.size(), 0.0);
            one.addRangeShares(lo, hi, length, shares);
            three.addRangeShares(lo, hi, length, sharesOnThree);
            ASSERT_EQ(shares, sharesOnThree) << lo << ".." << hi;
            for (size_t s = 0; s < brute.size(); ++s)
                ASSERT_NEAR(shares[s], brute[s], 1e-6) << lo << ".." << hi << " shard " << s;
        }
        EXPECT_GT(one.countedKeys(), 83u * 16'384) << "past 83 checkpoints 16,384 keys apart: thinned";
    }

    // 10^7 keys over 100 buckets, the first 2^20 counted and the rest given 1/100 each: the stated standard error
    // sqrt((n - 1) * beyond) / length is what the shards really deviate by (its RMS over 100 shards is within 30%).
    TEST(HashingVariance, StatedStandardErrorHoldsBeyondTheCountedKeys)
    {
        constexpr uint64_t kKeys = 10'000'000;
        constexpr uint64_t kCounted = 1 << 20;
        const std::vector<double> exact = jumpCounts(kKeys, 100);
        const ShardRulePtr rule = mustMake("jump:buckets=100");
        const double stated = std::sqrt(99.0 * static_cast<double>(kKeys - kCounted)) / static_cast<double>(kKeys);
        EXPECT_NEAR(stated, 2.98e-3, 1e-5);

        engine::RangeShareCounter partly(*rule, countingUpTo(kCounted));
        std::vector<double> shares(100, 0.0);
        partly.addRangeShares(1, kKeys, 1.0, shares);
        double squares = 0;
        for (size_t s = 0; s < 100; ++s) {
            const double relative = shares[s] * kKeys / exact[s] - 1;
            squares += relative * relative;
        }
        const double rms = std::sqrt(squares / 100);
        RecordProperty("rms_relative_error", std::to_string(rms));
        EXPECT_LT(rms, 1.3 * stated);
        EXPECT_GT(rms, 0.7 * stated);

        // The default counts all 10^7 keys: no error at all.
        engine::RangeShareCounter counter(*rule);
        std::fill(shares.begin(), shares.end(), 0.0);
        counter.addRangeShares(1, kKeys, static_cast<double>(kKeys), shares);
        for (size_t s = 0; s < 100; ++s)
            EXPECT_NEAR(shares[s], exact[s], 1e-6) << s;
    }

    // Zipf(0.99) over 10^7 keys on 1,024 murmur3 remainders: the expected engine counts the heaviest keys until what
    // the rest leave is a standard error of 0.1% of the smallest share (the fractions alone leave 0.57%); its shares
    // against every key's probability summed per shard. murmur3 rather than jump: jump spreads consecutive keys more
    // evenly than independent hashes do, so its fractions are closer to the truth than the bound says.
    TEST(HashingVariance, ZipfRequestSharesAreWithinTheStatedErrorOfEveryKeysSum)
    {
        constexpr uint64_t kKeys = 10'000'000;
        const ShardRulePtr rule = mustMake("hash-mod:n=1024,hash=murmur3");
        std::vector<double> exact(1024, 0.0);
        double harmonic = 0;
        for (uint64_t k = kKeys; k >= 1; --k) { // smallest terms first
            const double p = std::pow(static_cast<double>(k), -0.99);
            harmonic += p;
            exact[static_cast<size_t>(rule->shardOfInteger(static_cast<int64_t>(k)))] += p;
        }
        const RunResult result = runScenario("hash-mod:n=1024,hash=murmur3", "{ name: t_user, key: uid, rows: 10M }",
            EngineMode::Expected, "{ distribution: zipf, theta: 0.99 }");
        ASSERT_EQ(result.shards.size(), 1024u);
        double squares = 0;
        for (size_t s = 0; s < 1024; ++s) {
            const double relative = result.shards[s].share / (exact[s] / harmonic) - 1;
            squares += relative * relative;
            EXPECT_LT(std::fabs(relative), 5e-3) << result.shards[s].name;
        }
        RecordProperty("rms_relative_error", std::to_string(std::sqrt(squares / 1024)));
        EXPECT_LT(std::sqrt(squares / 1024), 1e-3);
    }

    TEST(HashingVariance, ExpectedAndSampledEnginesAgreeOnRowsPerTableAndNode)
    {
        const std::string table = "{ name: t_user, key: uid, rows: 1M, growth: 10K/s }";
        const RunResult expected = runScenario("jump:buckets=100", table, EngineMode::Expected);
        const RunResult sampled = runScenario("jump:buckets=100", table, EngineMode::Sampled);
        ASSERT_EQ(expected.tables.size(), 1u);
        ASSERT_EQ(sampled.tables.size(), 1u);
        // 1,040,000 rows at the end; the inserts go to the shards of their keys, counted.
        const std::vector<double> counts = jumpCounts(1'040'000, 100);
        const double largest = *std::max_element(counts.begin(), counts.end());
        EXPECT_NEAR(expected.tables[0].maxRowsPerTable, largest, 1e-6 * largest);
        EXPECT_NEAR(sampled.tables[0].maxRowsPerTable, expected.tables[0].maxRowsPerTable, 1e-6 * largest);
        ASSERT_EQ(expected.nodes.size(), sampled.nodes.size());
        for (size_t n = 0; n < expected.nodes.size(); ++n)
            EXPECT_NEAR(sampled.nodes[n].rows, expected.nodes[n].rows, 1e-3 * expected.nodes[n].rows) << n;
    }

    // The error the engines state for a shard's rows (RangeShareCounter::shareStandardError, TableSummary) against
    // an independent count of every key through route(): 1,000 murmur3 remainders with 2^16 keys counted, over 10^5
    // keys (counted up to 2^16, fractions beyond) and 2 x 10^6 keys (too few countable: fractions throughout). The
    // RMS of the shards' relative deviations from the truth is the stated error within 15% (1,000 shards estimate it
    // to about 2%).
    TEST(HashingVariance, TheStatedRowErrorIsWhatAnIndependentCountFinds)
    {
        const ShardRulePtr rule = mustMake("hash-mod:n=1000,hash=murmur3");
        const engine::RangeShareCounter counter(*rule, countingUpTo(1 << 16));
        engine::RangeShareCounter estimating(*rule, countingUpTo(1 << 16));
        for (const uint64_t keys : { uint64_t(100'000), uint64_t(2'000'000) }) {
            SCOPED_TRACE(keys);
            const std::vector<double> truth = routedCounts(*rule, keys);
            std::vector<double> shares(1000, 0.0);
            estimating.addEvenShares(1, keys, shares); // as StorageModel::spreadUniform splits a table's rows
            double squares = 0;
            const double even = static_cast<double>(keys) / 1000;
            for (size_t s = 0; s < 1000; ++s) {
                const double relative = (shares[s] * static_cast<double>(keys) - truth[s]) / even;
                squares += relative * relative;
            }
            const double rms = std::sqrt(squares / 1000);
            const double stated = counter.shareStandardError(1, keys);
            const double beyond = keys == 100'000 ? 100'000.0 - 65'536.0 : 2e6;
            EXPECT_DOUBLE_EQ(stated, std::sqrt(999 * beyond) / static_cast<double>(keys));
            EXPECT_LT(rms, 1.15 * stated) << rms;
            EXPECT_GT(rms, 0.85 * stated) << rms;
        }
        EXPECT_EQ(counter.shareStandardError(1, 60'000), 0) << "every key counted";
        const ShardRulePtr mod = mustMake("mod:n=1000");
        ASSERT_TRUE(mod);
        EXPECT_EQ(engine::RangeShareCounter(*mod).shareStandardError(1, 1'000'000'000), 0) << "a closed form is exact";
    }

    // Past the counting budget (4,096 shards need 10^9 - 2.4 x 10^8 of 10^9 keys counted, more than 2^28) the error
    // passes 0.1%: summary.json's rows.share_standard_error, a warning in the run's text and the describe outline
    // say so. At 1,024 shards the keys the bound needs are counted and at 100 the fractions keep it: stated, quiet.
    TEST(HashingVariance, RunsAndOutlinesStateTheRowErrorAboveTheBound)
    {
        const RunResult wide
            = runScenario("hash-mod:n=4096,hash=murmur3", "{ name: t_user, key: uid, rows: 1B }", EngineMode::Expected);
        ASSERT_EQ(wide.tables.size(), 1u);
        const double stated = std::sqrt(4095 / 1e9);
        EXPECT_NEAR(wide.tables[0].shareStandardError, stated, 1e-12);
        const auto json = summaryJson(wide);
        EXPECT_NEAR(json["rows"]["share_standard_error"].get<double>(), stated, 1e-12);
        EXPECT_NEAR(json["tables"][0]["share_standard_error"].get<double>(), stated, 1e-12);
        const auto warned = std::count_if(wide.warnings.begin(), wide.warnings.end(), [](const std::string& w) {
            return w.starts_with("t_user: a shard's rows carry a standard error of 0.202%");
        });
        EXPECT_EQ(warned, 1) << (wide.warnings.empty() ? "" : wide.warnings.front());

        for (const int shards : { 100, 1024 }) {
            SCOPED_TRACE(shards);
            const RunResult narrow = runScenario("hash-mod:n=" + std::to_string(shards) + ",hash=murmur3",
                "{ name: t_user, key: uid, rows: 1B }", EngineMode::Expected);
            // 100 shards: the fractions' own sqrt(99 / 10^9); 1,024: all but (10^-3 10^9)^2 / 1023 keys counted.
            const double expected
                = shards == 100 ? std::sqrt(99 / 1e9) : std::sqrt(1023.0 * std::floor(1e12 / 1023)) / 1e9;
            EXPECT_NEAR(narrow.tables.at(0).shareStandardError, expected, 1e-12);
            EXPECT_LE(narrow.tables.at(0).shareStandardError, 1e-3);
            for (const std::string& warning : narrow.warnings)
                EXPECT_EQ(warning.find("standard error"), std::string::npos) << warning;
        }

        ScenarioLoad load = loadScenarioText("name: outline\nduration: 1h\ncluster: { nodes: 16 }\n"
                                             "data: { tables: [ { name: t_user, key: uid, rows: 1B } ] }\n"
                                             "sharding: { rule: \"jump:buckets=4096\" }\nworkload: { rate: 1K/s }\n",
            "outline.yaml", "");
        ASSERT_TRUE(load.ok()) << load.errorText();
        const std::string outline = formatOutline(outlineScenario(*load.config));
        EXPECT_NE(outline.find("estimated with a standard error of 0.202%"), std::string::npos) << outline;
    }

    // 1,024 buckets of jump over 4 x 10^7 rows, where the fractions beyond 2^25 counted keys left 0.13%: all but
    // (10^-3 L)^2 / 1023 = 1,564,027 keys are counted, each bucket's rows are the paper's count of them plus its
    // fraction of the rest, the stated error is at the bound, and uniform requests follow the keys within it. The
    // counting is split over the run's threads: two give the same summary.json, byte for byte.
    TEST(HashingVariance, AThousandShardsInsideTheOldWindowAreCountedToTheBound)
    {
        constexpr uint64_t kKeys = 40'000'000;
        constexpr uint64_t kBeyond = 1'564'027;
        ASSERT_EQ(static_cast<uint64_t>(std::floor(std::pow(1e-3 * kKeys, 2) / 1023)), kBeyond);
        std::vector<double> truth(1024, 0.0); // every key's bucket
        std::vector<double> counted; // the keys 1..L - beyond
        for (uint64_t k = 1; k <= kKeys; ++k) {
            if (k == kKeys - kBeyond + 1)
                counted = truth;
            truth[static_cast<size_t>(paperJump(k, 1024))] += 1;
        }

        const std::string table = "{ name: t_user, key: uid, rows: 40M }";
        const RunResult result = runScenario("jump:buckets=1024", table, EngineMode::Expected);
        ASSERT_EQ(result.shards.size(), 1024u);
        ASSERT_EQ(result.tables.size(), 1u);
        const double stated = std::sqrt(1023.0 * kBeyond) / kKeys;
        EXPECT_NEAR(result.tables[0].shareStandardError, stated, 1e-15);
        EXPECT_LE(result.tables[0].shareStandardError, 1e-3);
        for (const std::string& warning : result.warnings)
            EXPECT_EQ(warning.find("standard error"), std::string::npos) << warning;
        double largest = 0;
        double rowSquares = 0;
        double requestSquares = 0;
        for (size_t s = 0; s < 1024; ++s) {
            const double rows = counted[s] + kBeyond / 1024.0;
            largest = std::max(largest, rows);
            EXPECT_NEAR(result.shards[s].rows, rows, 1e-9 * rows) << result.shards[s].name;
            rowSquares += std::pow((rows - truth[s]) / (kKeys / 1024.0), 2);
            requestSquares += std::pow(result.shards[s].share / (truth[s] / kKeys) - 1, 2);
        }
        EXPECT_NEAR(result.tables[0].maxRowsPerTable, largest, 1e-9 * largest);
        // Standard errors, not hard bounds: the shards' RMS deviation from the truth is about them (1,024 shards
        // estimate an RMS to 2%).
        const double rowRms = std::sqrt(rowSquares / 1024);
        const double requestRms = std::sqrt(requestSquares / 1024);
        RecordProperty("rows_rms_relative_error", std::to_string(rowRms));
        RecordProperty("requests_rms_relative_error", std::to_string(requestRms));
        EXPECT_LT(rowRms, 1.15 * stated);
        EXPECT_LT(requestRms, 1.15e-3);

        const RunResult twoThreads = runScenario("jump:buckets=1024", table, EngineMode::Expected, "uniform", 2);
        EXPECT_EQ(summaryJson(twoThreads).dump(2), summaryJson(result).dump(2));
    }

    // A cancelled run's counter stops sweeping: the keys it did not reach get the rule's fractions.
    TEST(HashingVariance, ACancelledSweepLeavesTheRestToTheFractions)
    {
        const ShardRulePtr rule = mustMake("jump:buckets=64");
        const std::atomic<bool> cancel { true };
        engine::CountingLimits limits;
        limits.cancel = &cancel;
        limits.threads = 2;
        engine::RangeShareCounter counter(*rule, limits);
        std::vector<double> shares(64, 0.0);
        std::vector<double> fractions(64, 0.0);
        counter.addRangeShares(1, 1'000'000, 1.0, shares);
        rule->addRangeShares(1, 1'000'000, 1.0, fractions);
        EXPECT_EQ(counter.countedKeys(), 0u);
        EXPECT_EQ(counter.reach(), 0u);
        EXPECT_EQ(shares, fractions);
    }

    // A search over many candidate layouts (the capacity planner's) counts no further than 2^25 keys: 4 x 10^7 keys on
    // 1,024 shards would need 3.8 x 10^7 counted; 2^25 are, and the run states the 0.203% the rest leave.
    TEST(HashingVariance, ARunThatDoesNotCountToTheBoundStatesWhatItLeaves)
    {
        const RunResult quick = runScenario("hash-mod:n=1024,hash=murmur3", "{ name: t_user, key: uid, rows: 40M }",
            EngineMode::Expected, "uniform", 1, false);
        ASSERT_EQ(quick.tables.size(), 1u);
        // A planner's candidate counts to key 2^20, less than half of the 4 x 10^7 keys: none are counted, and the
        // fractions leave sqrt(1023 / 4 x 10^7).
        EXPECT_NEAR(quick.tables[0].shareStandardError, std::sqrt(1023.0 * 40e6) / 40e6, 1e-12);
        EXPECT_EQ(std::count_if(quick.warnings.begin(), quick.warnings.end(),
                      [](const std::string& w) { return w.find("standard error of 0.506%") != std::string::npos; }),
            1);
    }

    // The rule "count as far as the bound needs" at a small scale: a bound of 1% instead of 0.1% (the same formula,
    // 100 times fewer keys), 256 murmur3 remainders, L = 1.5 x 10^6 keys, of which the fractions may cover
    // (0.01 L)^2 / 255 = 882,352: the first 617,648 are counted, their counts equal to routing each through route(),
    // and the shards' deviations from the truth over all L keys are the stated error (RMS within 15%).
    TEST(HashingVariance, CountsAsFarAsTheBoundNeedsAndNoFurther)
    {
        constexpr uint64_t kKeys = 1'500'000;
        const ShardRulePtr rule = mustMake("hash-mod:n=256,hash=murmur3");
        engine::CountingLimits limits;
        limits.exactKeys = 1 << 16;
        limits.budgetKeys = 1 << 22;
        limits.shareError = 0.01;
        engine::RangeShareCounter counter(*rule, limits);
        const auto beyond = static_cast<uint64_t>(std::floor(std::pow(0.01 * kKeys, 2) / 255));
        EXPECT_EQ(beyond, 882'352u);
        ASSERT_EQ(counter.keysToCount(1, kKeys), kKeys - beyond);
        const double stated = counter.shareStandardError(1, kKeys);
        EXPECT_DOUBLE_EQ(stated, std::sqrt(255.0 * beyond) / kKeys);
        EXPECT_LE(stated, 0.01);
        EXPECT_GT(stated, 0.0099);

        std::vector<double> shares(256, 0.0);
        counter.addEvenShares(1, kKeys, shares);
        EXPECT_GE(counter.countedKeys(), kKeys - beyond);
        EXPECT_LT(counter.countedKeys(), kKeys - beyond + 16'384) << "the sweep stops at the checkpoint past them";

        const std::vector<double> counted = routedCounts(*rule, kKeys - beyond);
        const std::vector<double> truth = routedCounts(*rule, kKeys);
        double squares = 0;
        for (size_t s = 0; s < 256; ++s) {
            // The counted keys where they are, the rest 1/256 each.
            EXPECT_NEAR(shares[s] * kKeys, counted[s] + beyond / 256.0, 1e-6) << s;
            const double relative = shares[s] * kKeys / (kKeys / 256.0) - truth[s] / (kKeys / 256.0);
            squares += relative * relative;
        }
        const double rms = std::sqrt(squares / 256);
        RecordProperty("rms_relative_error", std::to_string(rms));
        EXPECT_LT(rms, 1.15 * stated);
        EXPECT_GT(rms, 0.85 * stated);

        // Where the fractions alone keep the bound (L >= 255 / 0.01^2), nothing is counted.
        EXPECT_EQ(counter.keysToCount(1, 2'550'000), 0u);
        // Where the 607,844 keys the bound needs of 10^6 lie past the budget (2^22), the keys up to it are counted when
        // they are at least half of the range, and the error that leaves is stated.
        EXPECT_EQ(counter.keysToCount(3'600'001, 4'600'000), (1u << 22) - 3'600'000);
        EXPECT_NEAR(counter.shareStandardError(3'600'001, 4'600'000), std::sqrt(255.0 * 405'696) / 1e6, 1e-12);
        EXPECT_EQ(counter.keysToCount(3'800'001, 4'800'000), 0u);
        EXPECT_NEAR(counter.shareStandardError(3'800'001, 4'800'000), std::sqrt(255 / 1e6), 1e-12);
    }

} // namespace
} // namespace shardsim
