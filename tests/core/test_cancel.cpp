// A run stops within moments of its cancel flag, even inside one tick of billions of requests; a cancelled run is
// either finished with the ticks it did (runSimulation) or dropped whole (runCompleteSimulation); and a sampled run
// that would take long says so before it starts.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "shardsim/engine/simulation.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    // One tick of a day at `rate`: 8.64 x 10^10 requests at 1M/s, minutes of sampling on one thread.
    ScenarioConfig oneHugeTick(const std::string& rate = "1M/s", const std::string& keys = "")
    {
        const std::string text = "name: huge-tick\nduration: 1d\ntick: 1d\ncluster: { nodes: 8 }\n"
                                 "data: { tables: [ { name: t, rows: 1M } ] }\n"
                                 "sharding: { rule: \"hash-mod:n=8\" }\n"
                                 "workload: { rate: "
            + rate + keys + " }\n";
        ScenarioLoad load = loadScenarioText(text, "huge.yaml", ".");
        EXPECT_TRUE(load.ok()) << load.errorText();
        return load.ok() ? *load.config : ScenarioConfig {};
    }

    struct CountingSink : MetricsSink {
        int ticks = 0;
        int finished = 0;
        void onTick(int64_t, const ClusterTick&, std::span<const NodeTick>) override { ++ticks; }
        void onFinish(const RunResult&) override { ++finished; }
    };

    // Sets `flag` after `delay`, on its own thread.
    std::thread cancelAfter(std::atomic<bool>& flag, std::chrono::milliseconds delay)
    {
        return std::thread([&flag, delay] {
            std::this_thread::sleep_for(delay);
            flag.store(true);
        });
    }

    TEST(Cancel, StopsInsideATickOfBillionsOfRequestsAndDoesNotCountIt)
    {
        for (int threads : { 1, 2 }) {
            std::atomic<bool> cancel { false };
            CountingSink sink;
            RunOptions options;
            options.engine = EngineMode::Sampled;
            options.threads = threads;
            options.cancel = &cancel;
            options.sinks.push_back(&sink);
            auto simulation = Simulation::create(oneHugeTick(), options);
            ASSERT_TRUE(simulation) << simulation.error();
            std::thread canceller = cancelAfter(cancel, std::chrono::milliseconds(200));
            // Without the check inside the tick this step would run for minutes and then count the tick: the two
            // expectations below catch a tick that ignores the flag, and no clock can fail on a slow machine.
            EXPECT_FALSE(simulation->step()) << threads << " threads";
            canceller.join();
            EXPECT_EQ(simulation->tick(), 0) << "the tick cut short is not counted";
            EXPECT_EQ(sink.ticks, 0);
            const RunResult result = simulation->finish();
            EXPECT_TRUE(result.cancelled);
            EXPECT_EQ(result.ticks, 0);
            EXPECT_EQ(result.requests, 0) << "no partial tick reaches the totals";
        }
    }

    TEST(Cancel, PerCallDrawsStopToo)
    {
        // Calls of many keys are drawn one call at a time: the flag is looked at between calls as well.
        std::string text = "name: in-lists\nduration: 1d\ntick: 1d\ncluster: { nodes: 8 }\n"
                           "data: { tables: [ { name: t, rows: 1M } ] }\n"
                           "sharding: { rule: \"hash-mod:n=8\" }\n"
                           "workload:\n  rate: 100K/s\n  mix:\n    - { op: batch, kind: point, table: t, keys: 50 }\n";
        ScenarioLoad load = loadScenarioText(text, "in-lists.yaml", ".");
        ASSERT_TRUE(load.ok()) << load.errorText();
        std::atomic<bool> cancel { false };
        RunOptions options;
        options.engine = EngineMode::Sampled;
        options.cancel = &cancel;
        auto simulation = Simulation::create(*load.config, options);
        ASSERT_TRUE(simulation) << simulation.error();
        std::thread canceller = cancelAfter(cancel, std::chrono::milliseconds(200));
        EXPECT_FALSE(simulation->step());
        canceller.join();
        EXPECT_EQ(simulation->tick(), 0);
    }

    TEST(Cancel, ACompleteRunIsDroppedWholeWhenCancelled)
    {
        std::atomic<bool> cancel { false };
        CountingSink sink;
        RunOptions options;
        options.engine = EngineMode::Sampled;
        options.cancel = &cancel;
        options.sinks.push_back(&sink);
        std::thread canceller = cancelAfter(cancel, std::chrono::milliseconds(200));
        auto result = runCompleteSimulation(oneHugeTick(), options);
        canceller.join();
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error(), kRunCancelled);
        EXPECT_EQ(sink.finished, 0) << "no sink is told the run finished: the history records nothing";

        // runSimulation finishes it with what it did.
        std::atomic<bool> already { true };
        options.cancel = &already;
        auto finished = runSimulation(oneHugeTick(), options);
        ASSERT_TRUE(finished) << finished.error();
        EXPECT_TRUE(finished->cancelled);
        EXPECT_EQ(sink.finished, 1);
    }

    TEST(Cancel, ACompleteRunThatIsNotCancelledFinishes)
    {
        std::atomic<bool> cancel { false };
        RunOptions options;
        options.cancel = &cancel;
        auto result = runCompleteSimulation(oneHugeTick("1K/s"), options);
        ASSERT_TRUE(result) << result.error();
        EXPECT_FALSE(result->cancelled);
        EXPECT_NEAR(result->requests, 86'400'000, 86'400'000 * 1e-3);
    }

    TEST(SlowRunWarning, SaysHowManyRequestsAndHowLongAndSuggestsTheExpectedEngine)
    {
        RunOptions sampled;
        sampled.engine = EngineMode::Sampled;
        auto huge = Simulation::create(oneHugeTick(), sampled);
        ASSERT_TRUE(huge) << huge.error();
        // 1M/s over a day: 8.64 x 10^10 requests; at 10 ns each, 864 s on one thread.
        EXPECT_DOUBLE_EQ(huge->sampledRequests(), 86'400e6);
        const std::string warning = huge->slowRunWarning();
        EXPECT_NE(warning.find("86.4B requests"), std::string::npos) << warning;
        EXPECT_NE(warning.find("on 1 thread"), std::string::npos) << warning;
        EXPECT_NE(warning.find("--engine expected"), std::string::npos) << warning;

        // 1K/s over a day takes about a second: nothing to say.
        auto small = Simulation::create(oneHugeTick("1K/s"), sampled);
        ASSERT_TRUE(small) << small.error();
        EXPECT_EQ(small->slowRunWarning(), "");

        // The expected engine draws nothing.
        RunOptions expected;
        expected.engine = EngineMode::Expected;
        auto computed = Simulation::create(oneHugeTick(), expected);
        ASSERT_TRUE(computed) << computed.error();
        EXPECT_EQ(computed->sampledRequests(), 0);
        EXPECT_EQ(computed->slowRunWarning(), "");

        // More threads, less time: 864 s over 16 threads is 54 s, under the minute.
        sampled.threads = 16;
        auto threaded = Simulation::create(oneHugeTick(), sampled);
        ASSERT_TRUE(threaded) << threaded.error();
        EXPECT_EQ(threaded->slowRunWarning(), "");
    }

} // namespace
} // namespace shardsim
