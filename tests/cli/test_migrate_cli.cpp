// `migrate` and `compare` as a user runs them: exact counts over a million keys, checked by brute force through
// `route`'s own rule library, the JSON fields, and compare's table.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "cli_runner.h"
#include "shardsim/rules/rule_factory.h"

namespace {

nlohmann::json migrateJson(const std::vector<std::string>& extra)
{
    std::vector<std::string> args { "migrate", "--format", "json" };
    args.insert(args.end(), extra.begin(), extra.end());
    const CliResult result = runCli(args);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return result.exitCode == 0 ? nlohmann::json::parse(result.out) : nlohmann::json {};
}

// Keys 1..n routed through both rules one by one: the count a user could make with `route`.
uint64_t bruteForceMoved(const std::string& from, const std::string& to, uint64_t n)
{
    auto a = shardsim::makeRule(from);
    auto b = shardsim::makeRule(to);
    EXPECT_TRUE(a && b);
    uint64_t moved = 0;
    for (uint64_t key = 1; key <= n; ++key) {
        const auto x = (*a)->route(shardsim::Key::int64(static_cast<int64_t>(key)));
        const auto y = (*b)->route(shardsim::Key::int64(static_cast<int64_t>(key)));
        if (x->index != y->index || (*a)->databaseOf(x->index) != (*b)->databaseOf(y->index))
            ++moved;
    }
    return moved;
}

std::string writeScenario(const std::string& name, const std::string& text)
{
    const std::string path = ::testing::TempDir() + name;
    std::ofstream(path) << text;
    return path;
}

const char* kScenario = R"(
name: hundred-gb
duration: 60s
cluster: { nodes: 8 }
data:
  tables:
    - { name: t_user, key: uid, rows: 100M, row_size: 1KB }
sharding: { rule: "mod:n=8" }
workload:
  rate: 1K/s
  keys: { distribution: uniform }
)";

} // namespace

TEST(MigrateCli, ExactCountsOverAMillionKeys)
{
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>> {
             { "mod:n=8", "mod:n=16" },
             { "mod:n=8", "mod:n=9" },
             { "jump:buckets=8", "jump:buckets=16" },
             { "db-table:dbs=64,tables=10,fold=8", "db-table:dbs=64,tables=10,fold=16" },
         }) {
        SCOPED_TRACE(from + " -> " + to);
        const auto json = migrateJson({ "--from", from, "--to", to, "--keys", "1000000" });
        EXPECT_EQ(json["keys"], 1'000'000);
        EXPECT_EQ(json["moved_keys"].get<uint64_t>(), bruteForceMoved(from, to, 1'000'000));
        EXPECT_DOUBLE_EQ(json["moved_fraction"].get<double>(), json["moved_keys"].get<double>() / 1e6);
        // The matrix adds up to the keys, row by row to the old shards' keys.
        uint64_t total = 0;
        for (const auto& row : json["matrix"])
            for (const auto& cell : row)
                total += cell.get<uint64_t>();
        EXPECT_EQ(total, 1'000'000u);
        EXPECT_EQ(json["matrix"].size(), json["from_shards"].size());
        EXPECT_EQ(json["matrix"][0].size(), json["to_shards"].size());
    }
    const auto mod = migrateJson({ "--from", "mod:n=8", "--to", "mod:n=16", "--keys", "1000000" });
    EXPECT_EQ(mod["moved_keys"], 500'000);
    EXPECT_EQ(mod["optimum_fraction"], 0.5);
    const auto nine = migrateJson({ "--from", "mod:n=8", "--to", "mod:n=9", "--keys", "1000000" });
    EXPECT_NEAR(nine["moved_fraction"].get<double>(), 8.0 / 9.0, 1e-5);
    // Residue b < 8 keeps at most min(its keys under mod 8, under mod 9) of 1..10^6 (125,000 and 111,112 or 111,111).
    double kept = 0;
    for (uint64_t b = 0; b < 8; ++b)
        kept += static_cast<double>(std::min((1'000'000 + 8 - (b == 0 ? 8 : b)) / 8, (1'000'000 + 9 - (b == 0 ? 9 : b)) / 9));
    EXPECT_DOUBLE_EQ(nine["optimum_fraction"].get<double>(), 1 - kept / 1e6);
}

TEST(MigrateCli, RangeSplitMovesOnlyTheKeysThatLeave)
{
    // [250K,500K) splits at 375K: keys 375,000..499,999 go to the new range; the ranges after it are renumbered
    // (shard 2 -> 3, 3 -> 4) and stay where they are. Each half holds 125,000 keys, so one half must move.
    const auto json = migrateJson(
        { "--from", "range:bounds=250K|500K|750K", "--to", "range:bounds=250K|375K|500K|750K", "--keys", "1000000" });
    EXPECT_EQ(json["moved_keys"], 125'000);
    EXPECT_EQ(json["moved_fraction"], 0.125);
    EXPECT_EQ(json["optimum_fraction"], 0.125);
    EXPECT_EQ(json["matrix"][2][3], 250'000);
    const CliResult text
        = runCli({ "migrate", "--from", "range:bounds=250K|500K|750K", "--to", "range:bounds=250K|375K|500K|750K" });
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_NE(text.out.find("moved_fraction    0.125000\n"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("optimum_fraction  0.125000\n"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("renumbered, kept  [500K,750K) 2 -> 3, >=750K 3 -> 4\n"), std::string::npos) << text.out;
    EXPECT_EQ(
        json["kept_place_of"], nlohmann::json::parse(R"j(["<250K", "[250K,500K)", null, "[500K,750K)", ">=750K"])j"));
    // A bound below the first key renumbers every range and moves nothing.
    const auto renumbered
        = migrateJson({ "--from", "range:bounds=250K|500K|750K", "--to", "range:bounds=0|250K|500K|750K" });
    EXPECT_EQ(renumbered["moved_keys"], 0);
}

TEST(MigrateCli, RingWithinItsSpread)
{
    const auto json = migrateJson({ "--from", "ring:nodes=8,vnodes=256", "--to", "ring:nodes=16,vnodes=256", "--keys",
        "1000000" });
    EXPECT_NEAR(json["moved_fraction"].get<double>(), 0.5, 3.0 / std::sqrt(8.0 * 256.0));
}

TEST(MigrateCli, TextShowsTheCountsAndTheMatrix)
{
    const CliResult result = runCli({ "migrate", "--from", "mod:n=2", "--to", "mod:n=4", "--keys", "100" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("moved_keys        50\n"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("optimum_fraction  0.500000"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("shard-0      25       0      25       0"), std::string::npos) << result.out;
}

TEST(MigrateCli, ScenarioGivesRowsBytesAndNodes)
{
    const std::string file = writeScenario("migrate.yaml", kScenario);
    const auto json = migrateJson({ "--scenario", file, "--to", "mod:n=16", "--set", "cluster.nodes=16" });
    EXPECT_EQ(json["from"], "mod:n=8");
    EXPECT_EQ(json["moved_rows"], 50e6);
    EXPECT_EQ(json["moved_bytes"], 50e9);
    EXPECT_EQ(json["moved_fraction"], 0.5);
    EXPECT_EQ(json["nodes"][0]["out_bytes"], 6.25e9);
    EXPECT_EQ(json["nodes"][8]["in_bytes"], 6.25e9);
}

TEST(MigrateCli, ScenarioWithALookupMovesItsMappingTableToo)
{
    // The example has a login_name mapping table, which the run adds as a table of its own: the movement is
    // measured over the tables as the run sees them, never as an empty scenario.
    const auto json = migrateJson(
        { "--scenario", std::string(SHARDSIM_RESOURCES) + "/scenarios/double-11-orders.yaml", "--from", "mod:n=8",
            "--to", "mod:n=16" });
    EXPECT_EQ(json["moved_fraction"], 0.5);
    EXPECT_GT(json["moved_bytes"].get<double>(), 0);
}

TEST(MigrateCli, UsageErrors)
{
    EXPECT_EQ(runCli({ "migrate", "--from", "mod:n=8", "--to", "mdo:n=16" }).exitCode, 2);
    EXPECT_EQ(runCli({ "migrate", "--to", "mod:n=16", "--keys", "10" }).exitCode, 2);
    const CliResult both = runCli({ "migrate", "--from", "mod:n=8", "--to", "mod:n=16", "--keys", "10", "--scenario",
        "x.yaml" });
    EXPECT_EQ(both.exitCode, 2);
}

TEST(CompareCli, RulesSideBySide)
{
    const std::string file = writeScenario("compare.yaml", kScenario);
    const CliResult result = runCli({ "compare", file, "--rules",
        "mod:n=8,db-table:dbs=8,tables=10,jump:buckets=8", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto json = nlohmann::json::parse(result.out);
    ASSERT_EQ(json["rules"].size(), 3u);
    EXPECT_EQ(json["rules"][0]["rule"], "mod:n=8");
    EXPECT_EQ(json["rules"][1]["rule"], "db-table:dbs=8,tables=10");
    // Uniform keys over mod 8 on 8 nodes: even.
    EXPECT_NEAR(json["rules"][0]["imbalance"].get<double>(), 1.0, 1e-9);
    EXPECT_EQ(json["rules"][0]["fanout"], 1.0);
    // Doubling mod and db-table moves exactly half; jump about half.
    EXPECT_EQ(json["rules"][0]["growth"]["to"], "mod:n=16");
    EXPECT_EQ(json["rules"][0]["growth"]["moved_fraction"], 0.5);
    EXPECT_EQ(json["rules"][0]["growth"]["optimum_fraction"], 0.5);
    EXPECT_EQ(json["rules"][1]["growth"]["to"], "db-table:dbs=16,tables=10");
    EXPECT_EQ(json["rules"][1]["growth"]["moved_fraction"], 0.5);
    EXPECT_NEAR(json["rules"][2]["growth"]["moved_fraction"].get<double>(), 0.5, 0.002);

    const CliResult text = runCli({ "compare", file, "--rules", "mod:n=8,jump:buckets=8" });
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_NE(text.out.find("jump:buckets=16"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("imbalance"), std::string::npos);
}

TEST(CompareCli, JsonFieldsAreTheColumnsOfTheAppsExport)
{
    const std::string file = writeScenario("compare-schema.yaml", kScenario);
    const CliResult result = runCli({ "compare", file, "--rules", "mod:n=8,jump:buckets=8", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto json = nlohmann::ordered_json::parse(result.out);
    // The Compare view's CSV header (docs/outputs.md): the JSON's fields, nested names joined by '_'.
    const std::vector<std::string> columns { "rule", "imbalance", "peak_imbalance", "hottest_node", "hottest_share",
        "peak_utilization", "fanout", "requests", "failed_requests", "events", "growth_to", "growth_moved_fraction",
        "growth_optimum_fraction", "growth_moved_bytes" };
    ASSERT_EQ(json["rules"].size(), 2u);
    for (const auto& rule : json["rules"]) {
        std::vector<std::string> fields;
        for (const auto& [key, value] : rule.items()) {
            if (!value.is_object()) {
                fields.push_back(key);
                continue;
            }
            for (const auto& [inner, unused] : value.items())
                fields.push_back(key + "_" + inner);
        }
        EXPECT_EQ(fields, columns);
    }
    EXPECT_EQ(json["rules"][1]["growth"]["to"], "jump:buckets=16");
}

TEST(CompareCli, RangeGrowthSplitsEveryRangeInPlace)
{
    // 100M rows in ranges of 25M: the next growth step splits [1,25M), [25M,50M) and [50M,75M) at their middles;
    // their upper halves, 12.5M rows each, go to new ranges on the empty nodes 5..7, and the ranges after each split
    // keep their nodes although they are renumbered. The unbounded [75M,...) is not split.
    const std::string file = writeScenario("compare-range.yaml", kScenario);
    const CliResult result = runCli({ "compare", file, "--rules", "range:bounds=25M|50M|75M", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto growth = nlohmann::json::parse(result.out)["rules"][0]["growth"];
    EXPECT_EQ(growth["moved_fraction"], 3 * 12.5e6 / 100e6);
    EXPECT_EQ(growth["moved_bytes"], 3 * 12.5e6 * 1000);
    // One half of each split range must leave; the smaller half of [1,25M) is its lower one, 1..12,499,999.
    EXPECT_EQ(growth["optimum_fraction"], (3 * 12.5e6 - 1) / 100e6);
}

namespace {

// 720,000 users on 8 nodes; at 10 minutes a ninth node joins and the rule becomes uid mod 9.
const char* kOneNodeMore = R"(name: one-more
duration: 30m
tick: 1m
cluster: { nodes: 8, node: { max_qps: 10K } }
data:
  tables:
    - { name: t_user, key: uid, rows: 720K, row_size: 512B }
sharding: { rule: "mod:n=8" }
workload: { rate: 6K/s, keys: uniform }
events:
  - { at: 10m, add_nodes: 1, reshard: "mod:n=9" }
)";

double growthMoved(const std::string& file, const std::vector<std::string>& extra, size_t rule)
{
    std::vector<std::string> args { "compare", file, "--rules", "mod:n=8,jump:buckets=8", "--format", "json" };
    args.insert(args.end(), extra.begin(), extra.end());
    const CliResult result = runCli(args);
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return result.exitCode == 0
        ? nlohmann::json::parse(result.out)["rules"][rule]["growth"]["moved_fraction"].get<double>()
        : -1;
}

} // namespace

TEST(CompareCli, GrowthFollowsTheFilesNextStepOrTheOneChosen)
{
    const std::string file = writeScenario("compare-one-more.yaml", kOneNodeMore);
    // The file adds one node: mod 8 -> 9 keeps only k mod 72 < 8, 8/9 move; jump moves 1/9.
    EXPECT_DOUBLE_EQ(growthMoved(file, {}, 0), 8.0 / 9);
    EXPECT_NEAR(growthMoved(file, {}, 1), 1.0 / 9, 0.005);
    EXPECT_DOUBLE_EQ(growthMoved(file, { "--growth", "+1" }, 0), 8.0 / 9);
    // Doubled, mod and jump both move half: the lesson disappears, which is why it is not the default.
    EXPECT_DOUBLE_EQ(growthMoved(file, { "--growth", "x2" }, 0), 0.5);
    EXPECT_NEAR(growthMoved(file, { "--growth", "x2" }, 1), 0.5, 0.005);

    const CliResult text = runCli({ "compare", file, "--rules", "mod:n=8,jump:buckets=8" });
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_NE(
        text.out.find("when the rule grows +1 (add_nodes 1, reshard to mod:n=9 at 10m (line 11);"), std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("jump:buckets=9"), std::string::npos) << text.out;
    // A line per rule and event says what became of the file's reshard in that rule's run.
    EXPECT_NE(text.out.find("  mod:n=8\n    add_nodes 1, reshard to mod:n=9 at 10m (line 11): reshard as mod:n=8 -> "
                            "mod:n=9 (+1); the rest kept\n"),
        std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("  jump:buckets=8\n    add_nodes 1, reshard to mod:n=9 at 10m (line 11): reshard as "
                            "jump:buckets=8 -> jump:buckets=9 (+1); the rest kept\n"),
        std::string::npos)
        << text.out;

    // The JSON carries the same step and lines.
    const CliResult json = runCli({ "compare", file, "--rules", "mod:n=8,jump:buckets=8", "--format", "json" });
    ASSERT_EQ(json.exitCode, 0) << json.err;
    const auto compared = nlohmann::json::parse(json.out);
    EXPECT_EQ(compared["growth_step"]["step"], "+1");
    EXPECT_EQ(compared["growth_step"]["source"], "add_nodes 1, reshard to mod:n=9 at 10m (line 11)");
    EXPECT_EQ(compared["rules"][1]["events"],
        nlohmann::json::array({ "add_nodes 1, reshard to mod:n=9 at 10m (line 11): reshard as jump:buckets=8 -> "
                                "jump:buckets=9 (+1); the rest kept" }));

    const CliResult chosen = runCli({ "compare", file, "--rules", "mod:n=8,jump:buckets=8", "--growth", "x2" });
    EXPECT_NE(chosen.out.find("when the rule grows x2 (--growth x2;"), std::string::npos) << chosen.out;
    EXPECT_EQ(runCli({ "compare", file, "--rules", "mod:n=8,jump:buckets=8", "--growth", "x3" }).exitCode, 2);
}
