// The scenario's `start:`: what the reader accepts and refuses, and how a run's moments then read (time of day, the
// day when the run is longer than one), in the run's text and in summary.json.

#include <gtest/gtest.h>

#include "shardsim/common/run_clock.h"
#include "shardsim/report/summary_json.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    std::string scenarioWithStart(const std::string& start)
    {
        return "name: clock\n" + (start.empty() ? std::string() : "start: " + start + "\n")
            + "duration: 3h\n"
              "cluster: { nodes: 2 }\n"
              "data: { tables: [ { name: t, key: id, rows: 1000 } ] }\n"
              "sharding: { rule: \"mod:n=2\" }\n"
              "workload: { rate: 10/s }\n";
    }

    ScenarioLoad load(const std::string& start)
    {
        return loadScenarioText(scenarioWithStart(start), "clock.yaml", ".", {});
    }

    TEST(ScenarioStart, ReadsTheTimeOfDayQuotedOrNot)
    {
        for (const auto& [text, seconds] :
            std::vector<std::pair<std::string, double>> { { "\"22:00\"", 22 * 3600.0 }, { "22:00", 22 * 3600.0 },
                { "'7:05:30'", 7 * 3600 + 5 * 60 + 30.0 }, { "\"00:00\"", 0.0 }, { "23:59:59", 86'399.0 } }) {
            const ScenarioLoad loaded = load(text);
            ASSERT_TRUE(loaded.ok()) << text << ": " << loaded.errorText();
            ASSERT_TRUE(loaded.config->start.has_value()) << text;
            EXPECT_DOUBLE_EQ(*loaded.config->start, seconds) << text;
        }
        const ScenarioLoad without = load("");
        ASSERT_TRUE(without.ok()) << without.errorText();
        EXPECT_FALSE(without.config->start.has_value()) << "no start: the run counts time since its start";
    }

    TEST(ScenarioStart, RefusesAnythingButA24HourClockAtItsPlace)
    {
        for (const auto& [text, why] :
            std::vector<std::pair<std::string, std::string>> { { "\"24:00\"", "the hour is 0 to 23" },
                { "\"22:60\"", "minutes and seconds are 00 to 59" }, { "\"22\"", "expected HH:MM" },
                { "\"10pm\"", "expected HH:MM" }, { "\"22:0\"", "expected HH:MM or HH:MM:SS with digits only" },
                { "\"2026-11-10T22:00\"", "expected HH:MM or HH:MM:SS with digits only" },
                { "\"22:00:\"", "nothing after the second ':'" } }) {
            const ScenarioLoad loaded = load(text);
            ASSERT_EQ(loaded.diagnostics.size(), 1u) << text << ": " << loaded.errorText();
            const std::string message = loaded.diagnostics[0].format();
            // FILE:LINE:COL, the field, what is wrong and the form to write.
            EXPECT_EQ(message.rfind("clock.yaml:2:8: error: start: ", 0), 0u) << message;
            EXPECT_NE(message.find(why), std::string::npos) << message;
            EXPECT_NE(message.find("e.g. \"22:00\""), std::string::npos) << message;
        }
        const ScenarioLoad listed = load("[22, 0]");
        ASSERT_EQ(listed.diagnostics.size(), 1u) << listed.errorText();
        EXPECT_EQ(listed.diagnostics[0].path, "start");
    }

    TEST(RunClock, ReadsMomentsAsTheTimeOfDayFromTheStart)
    {
        const RunClock evening(22 * 3600.0, 3 * 3600.0);
        EXPECT_EQ(evening.format(0), "22:00");
        EXPECT_EQ(evening.format(100 * 60), "23:40");
        EXPECT_EQ(evening.format(2 * 3600), "00:00") << "midnight wraps, the day is not named in a short run";
        EXPECT_EQ(evening.format(2 * 3600 + 37), "00:00:37");
        EXPECT_EQ(evening.format(3 * 3600), "01:00");
        // 00:30 is 2h30m after a 22:00 start; 22:30 is 30 minutes in.
        EXPECT_DOUBLE_EQ(evening.elapsedAt(30 * 60), 2.5 * 3600);
        EXPECT_DOUBLE_EQ(evening.elapsedAt(22.5 * 3600), 30 * 60);

        const RunClock week(6 * 3600.0, 7 * 86'400.0);
        EXPECT_TRUE(week.showsDay());
        EXPECT_EQ(week.format(0), "day 1 06:00");
        EXPECT_EQ(week.format(18 * 3600), "day 2 00:00");
        EXPECT_DOUBLE_EQ(week.elapsedAt(0, 2), 18 * 3600);

        const RunClock elapsed;
        EXPECT_FALSE(elapsed.onClock());
        EXPECT_EQ(elapsed.format(100 * 60), "1h40m");
        EXPECT_DOUBLE_EQ(elapsed.elapsedAt(90), 90);
    }

    TEST(RunClock, SummaryJsonCarriesTheStartAndReadsItBack)
    {
        RunResult result;
        result.scenario = "clock";
        result.ticks = 10'800;
        result.tickSeconds = 1;
        result.start = 22 * 3600.0;
        result.peak = PeakMoment { 7'200, 7'200.0, 1000 };
        const auto json = summaryJson(result);
        EXPECT_EQ(json.at("start"), "22:00");
        EXPECT_EQ(json.at("peak").at("time"), 7'200.0) << "tick times stay seconds since the start";
        auto read = readSummaryJson(json.dump(), "summary.json");
        ASSERT_TRUE(read.ok()) << read.error();
        ASSERT_TRUE(read->start.has_value());
        EXPECT_DOUBLE_EQ(*read->start, 22 * 3600.0);
        EXPECT_EQ(read->clock().format(read->peak.time), "00:00");

        result.start.reset();
        EXPECT_FALSE(summaryJson(result).contains("start")) << "without a start summary.json is as before";

        auto broken = readSummaryJson(R"({"scenario":"clock","start":"25:00"})", "summary.json");
        ASSERT_FALSE(broken.ok());
        EXPECT_NE(broken.error().find("summary.json: start: '25:00' is not a time of day"), std::string::npos)
            << broken.error();
    }

} // namespace
} // namespace shardsim
