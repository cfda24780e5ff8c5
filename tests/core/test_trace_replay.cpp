// Real data as the workload: a trace's rows replayed exactly in both engines, a sample file's keys drawn by their
// weights, and the reader's messages for files that are missing or malformed.

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <map>

#include <unistd.h>

#include "shardsim/engine/simulation.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    const std::string kValid = std::string(SHARDSIM_TEST_DATA) + "/scenarios/valid/";

    // A scratch directory with the given files, removed at the end of the test. The process id keeps tests that
    // run at the same time (ctest --parallel runs each test in its own process) out of each other's files.
    class ScratchFiles {
    public:
        explicit ScratchFiles(const std::string& name)
            : m_directory(std::filesystem::temp_directory_path()
                  / ("shardsim-" + name + "-" + std::to_string(static_cast<long>(getpid()))))
        {
            std::filesystem::remove_all(m_directory);
            std::filesystem::create_directories(m_directory);
        }
        ~ScratchFiles() { std::filesystem::remove_all(m_directory); }

        void write(const std::string& name, const std::string& text) const
        {
            std::ofstream(m_directory / name) << text;
        }
        std::string directory() const { return m_directory.string(); }

    private:
        std::filesystem::path m_directory;
    };

    std::string scenario(const std::string& keys, const std::string& rule = "mod:n=2")
    {
        return "name: replay\nduration: 4s\ntick: 1s\ncluster: { nodes: 2 }\n"
               "data:\n  tables:\n    - { name: t_user, key: uid, rows: 100 }\n"
               "sharding: { rule: \""
            + rule + "\" }\nworkload:\n  rate: 1K/s\n  keys: " + keys
            + "\n  mix:\n    - { op: get, kind: point, table: t_user }\n"
              "    - { op: put, kind: transaction, table: t_user }\n";
    }

    RunResult mustRun(const ScenarioConfig& config, EngineMode engine, int threads = 1)
    {
        RunOptions options;
        options.engine = engine;
        options.threads = threads;
        auto result = runSimulation(config, std::move(options));
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        return result.ok() ? *result : RunResult {};
    }

    // trace.csv's rows, recomputed from the rule its header states.
    struct ExpectedTrace {
        std::array<double, 4> shards {}; // mod:n=4
        std::map<std::string, double> operations;
        std::array<double, 30> ticks {}; // requests per 1s tick
    };

    ExpectedTrace expectedTrace()
    {
        ExpectedTrace expected;
        for (int i = 0; i < 300; ++i) {
            const int key = 1 + (i * i) % 97;
            expected.shards[static_cast<size_t>(key % 4)] += 1;
            expected.operations[i % 3 == 2 ? "put" : "get"] += 1;
            expected.ticks[static_cast<size_t>(2 * (i / 30))] += 1;
        }
        return expected;
    }

    TEST(TraceReplay, BothEnginesReplayExactlyTheTraceRows)
    {
        ScenarioLoad load = loadScenarioFile(kValid + "trace-replay.yaml");
        ASSERT_TRUE(load.ok()) << load.errorText();
        const ExpectedTrace expected = expectedTrace();
        for (EngineMode engine : { EngineMode::Sampled, EngineMode::Expected }) {
            const RunResult result = mustRun(*load.config, engine);
            EXPECT_DOUBLE_EQ(result.requests, 300);
            ASSERT_EQ(result.shards.size(), 4u);
            for (size_t s = 0; s < 4; ++s)
                EXPECT_DOUBLE_EQ(result.shards[s].requests, expected.shards[s]) << "shard " << s;
            for (const OperationSummary& op : result.operations)
                EXPECT_DOUBLE_EQ(op.requests, expected.operations.at(op.name)) << op.name;
            ASSERT_EQ(result.cluster.size(), 30u);
            for (size_t t = 0; t < 30; ++t)
                EXPECT_DOUBLE_EQ(result.cluster[t].qps, expected.ticks[t]) << "tick " << t;
        }
    }

    TEST(TraceReplay, DoesNotDependOnThreads)
    {
        ScenarioLoad load = loadScenarioFile(kValid + "trace-replay.yaml");
        ASSERT_TRUE(load.ok()) << load.errorText();
        const RunResult one = mustRun(*load.config, EngineMode::Sampled, 1);
        const RunResult three = mustRun(*load.config, EngineMode::Sampled, 3);
        ASSERT_EQ(one.shards.size(), three.shards.size());
        for (size_t s = 0; s < one.shards.size(); ++s)
            EXPECT_EQ(one.shards[s].requests, three.shards[s].requests);
    }

    TEST(TraceReplay, SharesFollowTheRecordedKeys)
    {
        // Three rows on key 1 and one on key 2: mod:n=2 puts 3/4 on shard 1 and 1/4 on shard 0. Ticks 1 and 3 have
        // no rows, the rate notwithstanding.
        ScratchFiles files("trace-shares");
        files.write("t.csv", "time,op,key,table\n0,get,1,t_user\n0.5s,put,1\n2,get,1\n2.9,get,2\n");
        ScenarioLoad load
            = loadScenarioText(scenario("{ distribution: trace, file: t.csv }"), "replay.yaml", files.directory());
        ASSERT_TRUE(load.ok()) << load.errorText();
        for (EngineMode engine : { EngineMode::Sampled, EngineMode::Expected }) {
            const RunResult result = mustRun(*load.config, engine);
            ASSERT_EQ(result.shards.size(), 2u);
            EXPECT_DOUBLE_EQ(result.shards[0].share, 0.25);
            EXPECT_DOUBLE_EQ(result.shards[1].share, 0.75);
            ASSERT_EQ(result.cluster.size(), 4u);
            EXPECT_DOUBLE_EQ(result.cluster[0].qps, 2);
            EXPECT_DOUBLE_EQ(result.cluster[1].qps, 0);
            EXPECT_DOUBLE_EQ(result.cluster[2].qps, 2);
            EXPECT_DOUBLE_EQ(result.cluster[3].qps, 0);
            EXPECT_DOUBLE_EQ(result.nodes[0].requests + result.nodes[1].requests, 4);
        }
    }

    // Each operation's calls per tick, as fanout.csv gets them.
    struct QueryRecorder : MetricsSink {
        std::map<int64_t, std::vector<QueryTick>> ticks;
        void onTick(int64_t, const ClusterTick&, std::span<const NodeTick>) override { }
        void onQueries(int64_t tick, std::span<const QueryTick> operations) override
        {
            ticks[tick].assign(operations.begin(), operations.end());
        }
    };

    TEST(TraceReplay, EachRowIsOneClientCallOfItsOperation)
    {
        // Three gets and a put, at 0 s, 0.5 s, 2 s and 2.9 s: four client calls, each one shard request on one
        // shard reading its one row.
        ScratchFiles files("trace-calls");
        files.write("t.csv", "time,op,key,table\n0,get,1,t_user\n0.5s,put,1\n2,get,1\n2.9,get,2\n");
        ScenarioLoad load
            = loadScenarioText(scenario("{ distribution: trace, file: t.csv }"), "replay.yaml", files.directory());
        ASSERT_TRUE(load.ok()) << load.errorText();
        for (EngineMode engine : { EngineMode::Sampled, EngineMode::Expected }) {
            QueryRecorder recorder;
            RunOptions options;
            options.engine = engine;
            options.sinks.push_back(&recorder);
            auto result = runSimulation(*load.config, std::move(options));
            ASSERT_TRUE(result) << result.error();
            EXPECT_DOUBLE_EQ(result->clientRequests, 4);
            ASSERT_EQ(result->queries.size(), 2u);
            const QuerySummary& get = result->queries[0];
            EXPECT_EQ(get.op, "get");
            EXPECT_DOUBLE_EQ(get.calls, 3);
            EXPECT_DOUBLE_EQ(get.shardRequests, 3);
            EXPECT_DOUBLE_EQ(get.meanFanout, 1);
            EXPECT_EQ(get.maxFanout, 1);
            EXPECT_EQ(get.fanoutHistogram, (std::vector<double> { 0, 3 }));
            EXPECT_DOUBLE_EQ(get.rowsReadPerCall, 1);
            EXPECT_DOUBLE_EQ(get.amplification, 1);
            EXPECT_DOUBLE_EQ(get.crossShardFraction, 0);
            const QuerySummary& put = result->queries[1];
            EXPECT_EQ(put.op, "put");
            EXPECT_DOUBLE_EQ(put.calls, 1);
            EXPECT_DOUBLE_EQ(put.shardRequests, 1);
            // Per tick: tick 0 one get and one put, tick 1 nothing, tick 2 two gets.
            ASSERT_EQ(recorder.ticks.size(), 4u);
            EXPECT_DOUBLE_EQ(recorder.ticks[0][0].calls, 1);
            EXPECT_DOUBLE_EQ(recorder.ticks[0][1].calls, 1);
            EXPECT_DOUBLE_EQ(recorder.ticks[1][0].calls, 0);
            EXPECT_DOUBLE_EQ(recorder.ticks[2][0].calls, 2);
            EXPECT_DOUBLE_EQ(recorder.ticks[2][0].shardRequests, 2);
            EXPECT_DOUBLE_EQ(recorder.ticks[2][0].fanout, 2);
        }
    }

    TEST(TraceReplay, RowsAfterTheEndAreLeftOutWithAWarning)
    {
        ScratchFiles files("trace-late");
        files.write("t.csv", "0,get,1\n3.5,get,2\n4,get,3\n1h,put,4\n");
        ScenarioLoad load
            = loadScenarioText(scenario("{ distribution: trace, file: t.csv }"), "replay.yaml", files.directory());
        ASSERT_TRUE(load.ok()) << load.errorText();
        const RunResult result = mustRun(*load.config, EngineMode::Expected);
        EXPECT_DOUBLE_EQ(result.requests, 2);
        EXPECT_TRUE(std::any_of(result.warnings.begin(), result.warnings.end(),
            [](const std::string& warning) { return warning.find("2 rows") != std::string::npos; }));
    }

    std::string loadError(const std::string& keys, const std::string& file, const std::string& text)
    {
        ScratchFiles files("trace-errors");
        if (!file.empty())
            files.write(file, text);
        ScenarioLoad load = loadScenarioText(scenario(keys), "replay.yaml", files.directory());
        EXPECT_FALSE(load.ok());
        return load.errorText();
    }

    TEST(TraceReplay, ReaderNamesTheScenarioLineAndTheCsvLine)
    {
        const std::string keys = "{ distribution: trace, file: t.csv }";
        const std::string missing = loadError(keys, "", "");
        EXPECT_NE(missing.find("replay.yaml:11:"), std::string::npos) << missing;
        EXPECT_NE(missing.find("no such file"), std::string::npos) << missing;

        const std::string unknownOp = loadError(keys, "t.csv", "# a comment\ntime,op,key\n0,get,1\n1,delete,2\n");
        EXPECT_NE(unknownOp.find("replay.yaml:11:"), std::string::npos) << unknownOp;
        EXPECT_NE(unknownOp.find("t.csv:4: unknown operation 'delete'"), std::string::npos) << unknownOp;

        const std::string badKey = loadError(keys, "t.csv", "0,get,1\n1,get,abc\n");
        EXPECT_NE(badKey.find("t.csv:2: expected an integer key"), std::string::npos) << badKey;
        const std::string backwards = loadError(keys, "t.csv", "2,get,1\n1,get,1\n");
        EXPECT_NE(backwards.find("t.csv:2: times must not decrease"), std::string::npos) << backwards;
        const std::string shortRow = loadError(keys, "t.csv", "0,get\n");
        EXPECT_NE(shortRow.find("t.csv:1: expected time,op,key[,table]"), std::string::npos) << shortRow;
        const std::string table = loadError(keys, "t.csv", "0,get,1,t_order\n");
        EXPECT_NE(table.find("t.csv:1: operation 'get' does not read table 't_order'"), std::string::npos) << table;
    }

    TEST(SampleFile, ReaderNamesTheScenarioLineAndTheCsvLine)
    {
        const std::string keys = "{ distribution: sample, file: s.csv }";
        const std::string missing = loadError(keys, "", "");
        EXPECT_NE(missing.find("replay.yaml:11:"), std::string::npos) << missing;
        EXPECT_NE(missing.find("no such file"), std::string::npos) << missing;
        const std::string weight = loadError(keys, "s.csv", "key,weight\n1,5\n2,0\n");
        EXPECT_NE(weight.find("s.csv:3: a weight must be greater than 0"), std::string::npos) << weight;
        const std::string key = loadError(keys, "s.csv", "1,5\n0,1\n");
        EXPECT_NE(key.find("s.csv:2: keys are 1 to"), std::string::npos) << key;
        const std::string fields = loadError(keys, "s.csv", "1,5,3\n");
        EXPECT_NE(fields.find("s.csv:1: expected key,weight"), std::string::npos) << fields;
        const std::string empty = loadError(keys, "s.csv", "# nothing\n");
        EXPECT_NE(empty.find("lists no keys"), std::string::npos) << empty;
    }

    TEST(SampleFile, BothEnginesGiveTheWeightsShares)
    {
        // sample.csv over mod:n=2: odd keys 1, 3, 7 weigh 70 of 100.
        ScenarioLoad load = loadScenarioFile(kValid + "sample-keys.yaml");
        ASSERT_TRUE(load.ok()) << load.errorText();
        const RunResult expected = mustRun(*load.config, EngineMode::Expected);
        ASSERT_EQ(expected.shards.size(), 2u);
        EXPECT_NEAR(expected.shards[1].share, 0.7, 1e-12);
        const RunResult sampled = mustRun(*load.config, EngineMode::Sampled);
        // 6,000 requests: the share's standard deviation is sqrt(0.21 / 6000) ~ 0.006.
        EXPECT_NEAR(sampled.shards[1].share, 0.7, 0.03);
    }

    TEST(SampleFile, OlderOneKeyPerLineFormWeighsEachLineOnce)
    {
        ScratchFiles files("sample-plain");
        files.write("keys.txt", "9\n9\n9\n4\n");
        ScenarioLoad load
            = loadScenarioText(scenario("{ distribution: sample, file: keys.txt }"), "replay.yaml", files.directory());
        ASSERT_TRUE(load.ok()) << load.errorText();
        const RunResult result = mustRun(*load.config, EngineMode::Expected);
        EXPECT_NEAR(result.shards[1].share, 0.75, 1e-12);
    }

} // namespace
} // namespace shardsim
