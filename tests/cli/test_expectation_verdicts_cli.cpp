// Expectations are judged once, on the finished run: the run text, summary.json and the run history report exactly
// the verdicts of that one evaluation, and those are the verdicts of the run's every tick.

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "cli_runner.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/history/run_history.h"
#include "shardsim/report/expectations.h"
#include "shardsim/report/scenario_run.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    // Five expectations over a run whose rate climbs from 1K/s to 4K/s between 4 s and 5 s: per-tick ones inside and outside a window, run
    // totals, one that fails on a tick and one that fails on the whole run.
    const char* kScenario = "name: verdicts\nduration: 10s\ntick: 1s\nseed: 3\n"
                            "cluster: { nodes: 4, node: { max_qps: 2K } }\n"
                            "data: { tables: [ { name: t, rows: 100000 } ] }\n"
                            "sharding: { rule: \"mod:n=4\" }\n"
                            "workload:\n"
                            "  rate: { shape: points, points: [ [0s, 1K/s], [4s, 1K/s], [5s, 4K/s], [10s, 4K/s] ] }\n"
                            "  keys: { distribution: zipf, theta: 0.9 }\n"
                            "expect:\n"
                            "  - { metric: peak.qps, at_most: 2000, from: 0s, to: 4s }\n"
                            "  - { metric: peak.qps, at_most: 2000 }\n"
                            "  - { metric: peak.utilization, at_least: 0.1, from: 6s }\n"
                            "  - { metric: requests.total, at_least: 1 }\n"
                            "  - { metric: utilization.mean, at_most: 0.01 }\n";

    // Every cluster tick, as the run produced it.
    struct TickRecorder : MetricsSink {
        void onTick(int64_t, const ClusterTick& cluster, std::span<const NodeTick>) override
        {
            ticks.push_back(cluster);
        }
        bool wantsNodes() const override { return false; }
        std::vector<ClusterTick> ticks;
    };

    class ExpectationVerdicts : public ::testing::Test {
    protected:
        void SetUp() override
        {
            m_dir = std::filesystem::temp_directory_path() / ("shardsim-verdicts-" + std::to_string(getpid()));
            std::filesystem::remove_all(m_dir);
            std::filesystem::create_directories(m_dir);
            m_file = m_dir / "verdicts.yaml";
            std::ofstream(m_file) << kScenario;
            ScenarioLoad load = loadScenarioFile(m_file.string());
            ASSERT_TRUE(load.ok()) << load.errorText();
            m_config = *load.config;

            // The reference: the bare engine's run with every tick kept, judged on that whole series.
            TickRecorder recorder;
            RunOptions options;
            options.engine = EngineMode::Expected;
            options.sinks = { &recorder };
            auto bare = runSimulation(m_config, options);
            ASSERT_TRUE(bare) << bare.error();
            EXPECT_TRUE(bare->expectations.empty()) << "the engine itself judges nothing";
            RunResult everyTick = *bare;
            everyTick.cluster = recorder.ticks;
            m_reference = evaluateExpectations(m_config.expect, everyTick);
            ASSERT_EQ(m_reference.size(), 5u);
        }
        void TearDown() override { std::filesystem::remove_all(m_dir); }

        std::filesystem::path m_dir;
        std::filesystem::path m_file;
        ScenarioConfig m_config;
        std::vector<ExpectationResult> m_reference;
    };

    TEST_F(ExpectationVerdicts, BothOutcomesAreExercised)
    {
        const std::vector<bool> held { true, false, true, true, false };
        for (size_t e = 0; e < m_reference.size(); ++e)
            EXPECT_EQ(m_reference[e].ok, held[e]) << m_reference[e].metric << ' ' << m_reference[e].bound;
    }

    TEST_F(ExpectationVerdicts, ScenarioRunGivesTheVerdictsOfEveryTick)
    {
        RunOptions options;
        options.engine = EngineMode::Expected;
        auto run = runScenario(m_config, options);
        ASSERT_TRUE(run) << run.error();
        ASSERT_EQ(run->expectations.size(), m_reference.size());
        for (size_t e = 0; e < m_reference.size(); ++e) {
            EXPECT_EQ(run->expectations[e].ok, m_reference[e].ok);
            EXPECT_EQ(run->expectations[e].value, m_reference[e].value);
            EXPECT_EQ(run->expectations[e].at, m_reference[e].at);
            EXPECT_EQ(run->expectations[e].line, m_reference[e].line);
        }
    }

    TEST_F(ExpectationVerdicts, SummaryJsonReportsThem)
    {
        const CliResult result
            = runCli({ "run", m_file.string(), "--engine", "expected", "--format", "json", "--no-history" });
        EXPECT_EQ(result.exitCode, 1) << "two expectations fail: " << result.err;
        const auto reported = nlohmann::json::parse(result.out)["expectations"];
        ASSERT_EQ(reported.size(), m_reference.size());
        for (size_t e = 0; e < m_reference.size(); ++e) {
            SCOPED_TRACE(m_reference[e].metric + " " + m_reference[e].bound);
            EXPECT_EQ(reported[e]["metric"], m_reference[e].metric);
            EXPECT_EQ(reported[e]["bound"], m_reference[e].bound);
            EXPECT_EQ(reported[e]["ok"], m_reference[e].ok);
            EXPECT_DOUBLE_EQ(reported[e]["value"].get<double>(), m_reference[e].value);
            EXPECT_EQ(reported[e].contains("at"), m_reference[e].at.has_value());
            if (m_reference[e].at) {
                EXPECT_DOUBLE_EQ(reported[e]["at"].get<double>(), *m_reference[e].at);
            }
            EXPECT_EQ(reported[e]["line"], m_reference[e].line);
        }
    }

    TEST_F(ExpectationVerdicts, RunTextAndHistoryReportThem)
    {
        const auto db = m_dir / "history.sqlite";
        const CliResult result
            = runCli({ "run", m_file.string(), "--engine", "expected", "--history", db.string() });
        EXPECT_EQ(result.exitCode, 1) << result.err;
        int failed = 0;
        for (const ExpectationResult& expected : m_reference) {
            const std::string row = std::string(expected.ok ? "ok  " : "FAIL") + "  " + expected.metric + " "
                + expected.bound + "  (";
            EXPECT_NE(result.out.find(row), std::string::npos) << row << "\n" << result.out;
            const std::string where = m_file.string() + ":" + std::to_string(expected.line) + ": expectation failed";
            EXPECT_EQ(result.err.find(where) != std::string::npos, !expected.ok) << where << "\n" << result.err;
            failed += expected.ok ? 0 : 1;
        }

        auto history = RunHistory::open(db);
        ASSERT_TRUE(history) << history.error();
        const auto runs = history->list();
        ASSERT_TRUE(runs) << runs.error();
        ASSERT_EQ(runs->size(), 1u);
        EXPECT_EQ(runs->front().expectations, static_cast<int>(m_reference.size()));
        EXPECT_EQ(runs->front().expectationsFailed, failed);
        const auto details = history->get(runs->front().id);
        ASSERT_TRUE(details && *details);
        const auto stored = nlohmann::json::parse((*details)->summaryJson)["expectations"];
        ASSERT_EQ(stored.size(), m_reference.size());
        for (size_t e = 0; e < m_reference.size(); ++e)
            EXPECT_EQ(stored[e]["ok"], m_reference[e].ok);
    }

} // namespace
} // namespace shardsim
