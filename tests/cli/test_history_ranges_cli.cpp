// `shardsim-cli history` on an auto-range run: `show` says its range windows are kept, and `export --ranges` writes the
// ranges.csv that `run --out` wrote, byte for byte.

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "../core/history_test_support.h"
#include "cli_runner.h"

namespace {

using namespace shardsim::testing;

class HistoryRangesCli : public ::testing::Test {
protected:
    CliResult history(std::vector<std::string> args) const
    {
        args.insert(args.begin(), "history");
        args.push_back("--history");
        args.push_back(m_path.string());
        return runCli(args);
    }

    // Runs a lesson with --out and the test's history; returns its run id as text.
    std::string run(const std::string& scenario)
    {
        const CliResult ran = runCli({ "run", std::string(SHARDSIM_SCENARIOS) + "/" + scenario, "--quiet", "--out",
            m_out.string(), "--history", m_path.string() });
        EXPECT_EQ(ran.exitCode, 0) << ran.err;
        const auto runs = nlohmann::json::parse(history({ "list", "--format", "json" }).out);
        return std::to_string(runs.at(0).at("id").get<int64_t>());
    }

    ScratchDir m_dir;
    std::filesystem::path m_path = m_dir / "history.sqlite";
    std::filesystem::path m_out = m_dir / "out";
};

TEST_F(HistoryRangesCli, ExportRangesWritesTheRangesCsvTheRunWrote)
{
    const std::string id = run("ranges/add-node-balancer.yaml");
    const std::string written = readFile(m_out / "ranges.csv");
    // 10 minutes of CockroachDB's 1 s load windows.
    ASSERT_EQ(std::count(written.begin(), written.end(), '\n'), 601) << written.substr(0, 200);

    const CliResult exported = history({ "export", id, "--ranges" });
    ASSERT_EQ(exported.exitCode, 0) << exported.err;
    EXPECT_EQ(exported.out, written);
    const auto file = m_dir / "ranges.csv";
    const CliResult toFile = history({ "export", id, "--ranges", "--out", file.string() });
    ASSERT_EQ(toFile.exitCode, 0) << toFile.err;
    EXPECT_TRUE(toFile.out.empty());
    EXPECT_EQ(readFile(file), written);

    const CliResult shown = history({ "show", id });
    EXPECT_TRUE(
        mentions(shown.out, "ranges        600 windows ('history export " + id + " --ranges' writes ranges.csv)"))
        << shown.out;
    const auto listed = nlohmann::json::parse(history({ "list", "--format", "json" }).out);
    EXPECT_EQ(listed.at(0).at("range_windows"), 600);
    const auto bundle = nlohmann::json::parse(history({ "export", id, "--format", "json" }).out);
    EXPECT_EQ(bundle.at("run_range_windows").at("rows").size(), 600u);
}

TEST_F(HistoryRangesCli, ExportRangesOfARunWithoutRangesOrAsJsonIsAUsageError)
{
    const std::string id = run("workload/hotspot-keys.yaml");
    const CliResult none = history({ "export", id, "--ranges" });
    EXPECT_EQ(none.exitCode, 2);
    EXPECT_TRUE(none.out.empty()) << none.out;
    EXPECT_EQ(none.err,
        "error: run " + id
            + " has no ranges.csv: only a run of an auto-range rule (sharding.rule: auto-range:...) has ranges\n");
    EXPECT_FALSE(mentions(history({ "show", id }).out, "ranges        "));
    EXPECT_TRUE(nlohmann::json::parse(history({ "list", "--format", "json" }).out).at(0).at("range_windows").is_null());

    const CliResult json = history({ "export", id, "--ranges", "--format", "json" });
    EXPECT_EQ(json.exitCode, 2);
    EXPECT_TRUE(mentions(json.err, "--ranges writes ranges.csv, and --format json the whole run")) << json.err;
}

} // namespace
