// shardsim-cli plan and sweep as a user runs them: plan.json's documented fields, the text report, an
// infeasible plan, and a 2x2 sweep whose partitions concatenate to the whole.

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "cli_runner.h"
#include "shardsim/history/run_history.h"

namespace {

const std::string kPlans = SHARDSIM_TEST_DATA "/plans/";

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::filesystem::path freshDirectory(const std::string& name)
{
    auto dir = std::filesystem::temp_directory_path() / ("shardsim-plan-" + name + "-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    return dir;
}

} // namespace

TEST(PlanCli, WritesPlanJsonWithTheDocumentedFields)
{
    const auto dir = freshDirectory("json");
    const CliResult result
        = runCli({ "plan", kPlans + "uniform-jump.yaml", "--out", dir.string(), "--set", "plan.rules=[ring, jump]" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("Recommendation: jump:buckets=87 on 87 nodes now"), std::string::npos) << result.out;
    const auto plan = nlohmann::json::parse(readFile(dir / "plan.json"));
    EXPECT_TRUE(plan["feasible"].get<bool>());
    const auto& recommended = plan["recommended"];
    EXPECT_EQ(recommended["rule"], "jump:buckets=87");
    EXPECT_EQ(recommended["nodes"], 87);
    EXPECT_EQ(recommended["databases"], 87);
    EXPECT_GE(recommended["tables"].get<int>(), 90);
    EXPECT_EQ(recommended["binding_constraint"], "qps");
    EXPECT_TRUE(recommended.contains("monthly_cost"));
    ASSERT_EQ(plan["timeline"].size(), 1u);
    for (const char* field : { "period", "nodes", "tables", "binding_constraint", "peak_utilization",
             "storage_fraction", "max_rows_per_table" })
        EXPECT_TRUE(plan["timeline"][0].contains(field)) << field;
    EXPECT_TRUE(plan["reshards"].is_array());
    // The ring's virtual nodes spread keys unevenly, so it needs more nodes for the same load.
    ASSERT_EQ(plan["alternatives"].size(), 1u);
    EXPECT_EQ(plan["alternatives"][0]["rule"], "ring");
    EXPECT_GT(plan["alternatives"][0]["nodes"].get<int>(), 87);
    EXPECT_NE(plan["alternatives"][0]["reason"].get<std::string>().find("instead of 87"), std::string::npos);
}

// Every worked example of scenarios/planning/ holds when run, in every period: `plan --verify` runs each period's
// recommended layout through the expected engine and the sampled engine with three seeds, healthy and after the
// tolerated failures, and prints each limit's margin per period.
TEST(PlanCli, EveryPlanningScenarioPassesItsVerificationInEveryPeriod)
{
    int planned = 0;
    for (const auto& entry : std::filesystem::directory_iterator(SHARDSIM_SCENARIOS "/planning")) {
        if (entry.path().extension() != ".yaml")
            continue;
        ++planned;
        const auto dir = freshDirectory("verify-" + entry.path().stem().string());
        const CliResult result = runCli({ "plan", entry.path().string(), "--verify", "--out", dir.string() });
        ASSERT_EQ(result.exitCode, 0) << entry.path() << result.err;
        EXPECT_NE(result.out.find("Every run keeps every limit."), std::string::npos) << result.out;
        const auto plan = nlohmann::json::parse(readFile(dir / "plan.json"));
        ASSERT_TRUE(plan["feasible"].get<bool>()) << plan["reason"];
        const auto& verification = plan["verification"];
        EXPECT_TRUE(verification["passed"].get<bool>());
        const int failures = plan["limits"]["tolerate_failures"].get<int>();
        const std::size_t perPeriod = failures > 0 ? 8u : 4u;
        const auto& timeline = plan["timeline"];
        ASSERT_GT(timeline.size(), 1u) << "a plan over a horizon";
        ASSERT_EQ(verification["runs"].size(), timeline.size() * perPeriod);
        for (std::size_t k = 0; k < timeline.size(); ++k) {
            const auto& period = timeline[k];
            const std::string name = period["period"].get<std::string>();
            const int nodes = period["nodes"].get<int>();
            int sampled = 0;
            for (std::size_t i = k * perPeriod; i < (k + 1) * perPeriod; ++i) {
                const auto& run = verification["runs"][i];
                EXPECT_EQ(run["period"], name);
                EXPECT_EQ(run["time_s"], period["time_s"]);
                EXPECT_TRUE(run["ok"].get<bool>()) << run.dump();
                sampled += run["engine"] == "sampled";
                EXPECT_EQ(run["nodes"].get<int>(), run["cluster"] == "healthy" ? nodes : nodes - failures) << name;
                for (const auto& limit : run["limits"]) {
                    EXPECT_LE(limit["value"].get<double>(), limit["bound"].get<double>() * (1 + 1e-9)) << limit.dump();
                    EXPECT_GE(limit["margin"].get<double>(), 0.0) << limit.dump();
                }
            }
            EXPECT_EQ(sampled, failures > 0 ? 6 : 3) << name;
            // The report's line for the period's healthy cluster: its name, the cluster, its nodes and its runs.
            const std::string line = "  " + name + std::string(13 - name.size(), ' ') + "healthy    ";
            EXPECT_NE(result.out.find(line), std::string::npos) << line << "\n" << result.out;
        }
        // The last period's layout runs with the last period's rates: its sampled peak is the plan's highest.
        double first = 0;
        double last = 0;
        for (const auto& run : verification["runs"]) {
            if (run["engine"] != "expected" || run["cluster"] != "healthy")
                continue;
            (first == 0 ? first : last) = run["limits"][0]["value"].get<double>() * run["nodes"].get<int>();
        }
        EXPECT_GT(last, first) << "the verification of later periods runs their grown rates";
        // Today's cluster beside the recommendation.
        const int today = plan["today"]["nodes"].get<int>();
        EXPECT_NE(result.out.find(std::to_string(today) + " nodes today → "
                      + std::to_string(plan["recommended"]["nodes"].get<int>())),
            std::string::npos)
            << result.out;
    }
    EXPECT_GE(planned, 1);
}

TEST(PlanCli, VerifyExitsOneWhenNoSizePassesItsVerification)
{
    const auto dir = freshDirectory("unverified");
    const CliResult result = runCli({ "plan", kPlans + "noisy-peak.yaml", "--verify", "--set", "plan.max_nodes=15",
        "--out", dir.string() });
    EXPECT_EQ(result.exitCode, 1) << result.err;
    EXPECT_NE(result.out.find("jump on 15 nodes failed its verification (sampled seed "), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("The verification failed."), std::string::npos) << result.out;
    const auto plan = nlohmann::json::parse(readFile(dir / "plan.json"));
    EXPECT_FALSE(plan["feasible"].get<bool>());
    EXPECT_TRUE(plan["recommended"].is_null());
    EXPECT_FALSE(plan["verification"]["passed"].get<bool>());

    // Without --verify the same file is a plan of 15 nodes, exit 0, and plan.json has no verification.
    const CliResult plain = runCli({ "plan", kPlans + "noisy-peak.yaml", "--format", "json" });
    ASSERT_EQ(plain.exitCode, 0) << plain.err;
    const auto unverified = nlohmann::json::parse(plain.out);
    EXPECT_EQ(unverified["recommended"]["nodes"], 15);
    EXPECT_TRUE(unverified["verification"].is_null());
    EXPECT_EQ(unverified["today"]["nodes"], 4);
    EXPECT_EQ(unverified["today"]["monthly_cost"], 2000);
}

// A scenario shorter than the planner's window is simulated whole: the plan's latency for now is what `run` reports
// for the recommended layout in summary.json.
TEST(PlanCli, EachPeriodCarriesTheLatencyPercentilesOfItsRun)
{
    const auto dir = freshDirectory("latency");
    std::filesystem::create_directories(dir);
    const auto file = dir / "short.yaml";
    std::ofstream(file) << "name: short\nduration: 10s\ntick: 1s\n"
                           "cluster: { nodes: 2, node: { max_qps: 10K, storage: 1TB } }\n"
                           "data: { tables: [ { name: t, key: id, rows: 1M } ] }\n"
                           "sharding: { rule: \"mod:n=2\" }\n"
                           "workload: { rate: 50K/s, keys: { distribution: zipf, theta: 0.5 } }\n"
                           "plan: { horizon: 0d, rules: [jump], limits: { max_utilization: 70% } }\n";
    const CliResult planned = runCli({ "plan", file.string(), "--format", "json" });
    ASSERT_EQ(planned.exitCode, 0) << planned.err;
    const auto plan = nlohmann::json::parse(planned.out);
    ASSERT_TRUE(plan["feasible"].get<bool>()) << plan["reason"];
    const auto& now = plan["timeline"][0];
    const auto& latency = now["latency"];
    const CliResult run = runCli({ "run", file.string(), "--set", "cluster.nodes=" + std::to_string(now["nodes"].get<int>()),
        "--set", "sharding.rule=" + now["rule"].get<std::string>(), "--engine", "expected", "--out",
        (dir / "run").string(), "--no-history" });
    ASSERT_EQ(run.exitCode, 0) << run.err;
    const auto summary = nlohmann::json::parse(readFile(dir / "run" / "summary.json"))["latency"];
    double previous = 0;
    for (const char* percentile : { "p50_ms", "p95_ms", "p99_ms", "p999_ms" }) {
        ASSERT_TRUE(latency.contains(percentile)) << latency.dump();
        const double value = latency[percentile].get<double>();
        EXPECT_GT(value, previous) << percentile;
        EXPECT_NEAR(value, summary[percentile].get<double>(), 1e-4) << percentile;
        previous = value;
    }
}

TEST(PlanCli, JsonFormatPrintsThePlan)
{
    const CliResult result = runCli({ "plan", kPlans + "growth-quarters.yaml", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto plan = nlohmann::json::parse(result.out);
    ASSERT_EQ(plan["timeline"].size(), 13u);
    EXPECT_EQ(plan["timeline"][12]["period"], "quarter 12");
    ASSERT_FALSE(plan["reshards"].empty());
    for (const char* field : { "when", "from_nodes", "to_nodes", "moved_fraction", "moved_bytes", "duration_s", "what" })
        EXPECT_TRUE(plan["reshards"][0].contains(field)) << field;
}

TEST(PlanCli, BusinessDatabasesArePlannedOneAtATime)
{
    const std::string file = kPlans + "business-databases.yaml";
    const CliResult whole = runCli({ "plan", file });
    EXPECT_EQ(whole.exitCode, 2);
    EXPECT_NE(whole.err.find("--database NAME"), std::string::npos) << whole.err;

    // member_db: 20% of 60K/s = 12K/s on nodes of 10K/s at 70% at most: 2 nodes.
    const CliResult member = runCli({ "plan", file, "--database", "member_db", "--format", "json" });
    ASSERT_EQ(member.exitCode, 0) << member.err;
    EXPECT_EQ(nlohmann::json::parse(member.out)["recommended"]["nodes"], 2);
    // payment_db: 6K/s on one node; its 24M rows need 3 tables of at most 10M.
    const CliResult payment = runCli({ "plan", file, "--database", "payment_db", "--format", "json" });
    ASSERT_EQ(payment.exitCode, 0) << payment.err;
    const auto plan = nlohmann::json::parse(payment.out);
    EXPECT_EQ(plan["recommended"]["nodes"], 1);
    EXPECT_EQ(plan["recommended"]["tables"], 3);

    const CliResult unknown = runCli({ "plan", file, "--database", "member" });
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_NE(unknown.err.find("did you mean 'member_db'"), std::string::npos) << unknown.err;
}

TEST(PlanCli, HotKeyIsInfeasibleWithTheReason)
{
    const auto dir = freshDirectory("hot");
    const CliResult result = runCli({ "plan", kPlans + "hot-key.yaml", "--out", dir.string() });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("No cluster meets these limits"), std::string::npos) << result.out;
    const auto plan = nlohmann::json::parse(readFile(dir / "plan.json"));
    EXPECT_FALSE(plan["feasible"].get<bool>());
    EXPECT_NE(plan["reason"].get<std::string>().find("the hottest key alone needs"), std::string::npos);
    EXPECT_EQ(plan["binding_constraint"], "hot_key");
}

TEST(PlanCli, ScenarioWithoutPlanSectionIsPlannedForThePresent)
{
    // The desktop app's Plan view shows this same plan for this file (PlanViewTest,
    // ScenarioWithoutPlanSectionShowsThePlanOfTheCommandLine).
    // Its peak fits four nodes of 20K/s under 70% (53.1%), half the eight it is configured with.
    const auto dir = freshDirectory("no-plan");
    const std::string file = SHARDSIM_SCENARIOS "/events/grow-8-to-16.yaml";
    const CliResult text = runCli({ "plan", file, "--out", dir.string() });
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_NE(text.out.find("no plan: section, so this is the present"), std::string::npos) << text.out;
    const auto plan = nlohmann::json::parse(readFile(dir / "plan.json"));
    EXPECT_TRUE(plan["feasible"].get<bool>());
    EXPECT_EQ(plan["recommended"]["nodes"], 4);
    EXPECT_EQ(plan["recommended"]["rule"], "jump:buckets=4");
    ASSERT_EQ(plan["timeline"].size(), 1u);
    EXPECT_EQ(plan["timeline"][0]["period"], "now");
    EXPECT_EQ(plan["timeline"][0]["nodes"], 4);

    const CliResult json = runCli({ "plan", file, "--format", "json" });
    ASSERT_EQ(json.exitCode, 0) << json.err;
    EXPECT_EQ(nlohmann::json::parse(json.out), plan) << "--format json prints plan.json";
}

TEST(SweepCli, TwoByTwoGridAndItsPartitionsAgree)
{
    const auto dir = freshDirectory("sweep");
    const std::string scenario = kPlans + "growth-quarters.yaml";
    const std::vector<std::string> grid { "--param", "cluster.nodes=4,8", "--param",
        "workload.rate.base=20K/s,40K/s", "--engine", "expected" };
    auto args = [&](std::vector<std::string> extra) {
        std::vector<std::string> all { "sweep", scenario };
        all.insert(all.end(), grid.begin(), grid.end());
        all.insert(all.end(), extra.begin(), extra.end());
        return all;
    };
    const std::string history = (dir / "history.sqlite").string();
    const CliResult whole = runCli(args({ "--jobs", "2", "--out", (dir / "whole").string(), "--history", history }));
    ASSERT_EQ(whole.exitCode, 0) << whole.err;
    const std::string csv = readFile(dir / "whole" / "sweep.csv");
    std::istringstream lines(csv);
    std::string header;
    std::getline(lines, header);
    EXPECT_EQ(header.rfind("point,cluster.nodes,workload.rate.base,engine,requests,", 0), 0u) << header;
    std::vector<std::string> rows;
    for (std::string line; std::getline(lines, line);)
        rows.push_back(line);
    ASSERT_EQ(rows.size(), 4u);
    // Row-major, the last parameter fastest, whatever --jobs is.
    EXPECT_EQ(rows[0].rfind("1,4,20K/s,", 0), 0u);
    EXPECT_EQ(rows[1].rfind("2,4,40K/s,", 0), 0u);
    EXPECT_EQ(rows[2].rfind("3,8,20K/s,", 0), 0u);
    EXPECT_EQ(rows[3].rfind("4,8,40K/s,", 0), 0u);

    const CliResult serial = runCli(args({ "--jobs", "1", "--out", (dir / "serial").string(), "--no-history" }));
    ASSERT_EQ(serial.exitCode, 0) << serial.err;
    EXPECT_EQ(readFile(dir / "serial" / "sweep.csv"), csv);

    std::string concatenated;
    for (const char* part : { "1/3", "2/3", "3/3" }) {
        const auto out = dir / ("part" + std::string(1, part[0]));
        const CliResult partial = runCli(args({ "--partition", part, "--out", out.string(), "--no-history" }));
        ASSERT_EQ(partial.exitCode, 0) << partial.err;
        concatenated += readFile(out / "sweep.csv");
    }
    EXPECT_EQ(concatenated, csv);

    auto opened = shardsim::RunHistory::open(history);
    ASSERT_TRUE(opened.ok());
    auto runs = opened->list();
    ASSERT_TRUE(runs.ok());
    EXPECT_EQ(runs->size(), 4u);
}

// Each sweep row carries the served requests' percentiles over the whole run: the numbers summary.json gives for the
// same point run on its own.
TEST(SweepCli, RowsCarryTheLatencyPercentilesOfTheirRunsSummary)
{
    const auto dir = freshDirectory("sweep-latency");
    const std::string scenario = kPlans + "growth-quarters.yaml";
    const CliResult sweep = runCli({ "sweep", scenario, "--param", "cluster.nodes=4,8", "--engine", "expected",
        "--out", (dir / "sweep").string(), "--no-history" });
    ASSERT_EQ(sweep.exitCode, 0) << sweep.err;
    std::istringstream lines(readFile(dir / "sweep" / "sweep.csv"));
    const auto split = [](const std::string& line) {
        std::vector<std::string> cells;
        std::istringstream in(line);
        for (std::string cell; std::getline(in, cell, ',');)
            cells.push_back(cell);
        return cells;
    };
    std::string header;
    std::getline(lines, header);
    const std::vector<std::string> columns = split(header);
    const std::vector<std::string> percentiles { "p50_ms", "p95_ms", "p99_ms", "p999_ms" };
    ASSERT_GE(columns.size(), percentiles.size());
    for (std::size_t i = 0; i < percentiles.size(); ++i)
        EXPECT_EQ(columns[columns.size() - percentiles.size() + i], "latency_" + percentiles[i]) << header;
    for (const std::string nodes : { "4", "8" }) {
        std::string line;
        ASSERT_TRUE(std::getline(lines, line));
        const std::vector<std::string> cells = split(line);
        ASSERT_EQ(cells.size(), columns.size()) << line;
        const auto out = dir / ("run" + nodes);
        const CliResult run = runCli({ "run", scenario, "--set", "cluster.nodes=" + nodes, "--engine", "expected",
            "--out", out.string(), "--no-history", "--quiet" });
        ASSERT_EQ(run.exitCode, 0) << run.err;
        const auto latency = nlohmann::json::parse(readFile(out / "summary.json"))["latency"];
        for (std::size_t i = 0; i < percentiles.size(); ++i) {
            const double value = std::stod(cells[columns.size() - percentiles.size() + i]);
            EXPECT_GT(value, 0) << percentiles[i];
            EXPECT_DOUBLE_EQ(value, latency[percentiles[i]].get<double>()) << nodes << " nodes, " << percentiles[i];
        }
    }
}

TEST(SweepCli, BadValueNamesThePoint)
{
    const auto dir = freshDirectory("bad");
    const CliResult result = runCli({ "sweep", kPlans + "growth-quarters.yaml", "--param", "cluster.nodes=4,0",
        "--out", dir.string(), "--no-history" });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("point 2 (cluster.nodes=0)"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("cluster.nodes: must be at least 1"), std::string::npos) << result.err;
}

TEST(SweepCli, BadPartitionIsAUsageError)
{
    const auto dir = freshDirectory("partition");
    const CliResult result = runCli({ "sweep", kPlans + "growth-quarters.yaml", "--param", "cluster.nodes=4,8",
        "--partition", "3/2", "--out", dir.string(), "--no-history" });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("I must be between 1 and N"), std::string::npos) << result.err;
}

TEST(PlanCli, TheDefaultScenarioSaysWhatWouldHaveSurvivedMidnight)
{
    // 8 nodes were offered about 167% at midnight; the plan is feasible and needs more than the 12 the story ends with.
    const CliResult result
        = runCli({ "plan", SHARDSIM_RESOURCES "/scenarios/double-11-orders.yaml", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto plan = nlohmann::json::parse(result.out);
    EXPECT_TRUE(plan["feasible"].get<bool>());
    EXPECT_EQ(plan["today"]["nodes"], 8);
    EXPECT_GT(plan["today"]["peak_utilization"].get<double>(), 1.0);
    EXPECT_GT(plan["recommended"]["nodes"].get<int>(), 12);
    EXPECT_EQ(plan["recommended"]["binding_constraint"], "qps");
}
