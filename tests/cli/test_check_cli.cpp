// `shardsim-cli check`: scenarios as regression tests against golden summaries.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "cli_runner.h"

namespace {

namespace fs = std::filesystem;

constexpr const char* kUpdate = "SHARDSIM_UPDATE_GOLDEN";

std::string readFile(const fs::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Sets or clears the rewrite variable for the child processes of one test.
class UpdateGolden {
public:
    explicit UpdateGolden(bool on)
    {
        if (on)
            setenv(kUpdate, "1", 1);
        else
            unsetenv(kUpdate);
    }
    ~UpdateGolden() { unsetenv(kUpdate); }
};

class CheckCli : public ::testing::Test {
protected:
    void SetUp() override
    {
        unsetenv(kUpdate);
        m_dir = fs::temp_directory_path()
            / ("shardsim-check-" + std::to_string(getpid()) + "-"
                + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "topic");
    }
    void TearDown() override { fs::remove_all(m_dir); }

    // Uniform keys on mod:n=4 over 1,000 keys: every node exactly a quarter.
    fs::path writeScenario(const std::string& name, const std::string& expect)
    {
        const fs::path path = m_dir / "topic" / (name + ".yaml");
        std::ofstream(path) << "name: " << name
                            << "\nduration: 10s\ntick: 1s\nseed: 7\n"
                               "cluster: { nodes: 4, node: { max_qps: 10K } }\n"
                               "data: { tables: [ { name: t, rows: 1000 } ] }\n"
                               "sharding: { rule: \"mod:n=4\" }\n"
                               "workload: { rate: 1K/s, keys: { distribution: uniform } }\n"
                            << expect;
        return path;
    }

    fs::path m_dir;
};

TEST_F(CheckCli, APassingDirectoryExitsZeroAndNamesEveryScenario)
{
    writeScenario("even", "expect:\n  - { metric: imbalance.max_over_mean, at_most: 2 }\n");
    writeScenario("also-even", "");
    {
        UpdateGolden update(true);
        const CliResult written = runCli({ "check", m_dir.string() });
        ASSERT_EQ(written.exitCode, 0) << written.out << written.err;
        EXPECT_NE(written.out.find("2 goldens written"), std::string::npos) << written.out;
    }
    EXPECT_TRUE(fs::exists(m_dir / "topic" / "even.golden.json"));
    const CliResult result = runCli({ "check", m_dir.string() });
    EXPECT_EQ(result.exitCode, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("PASS " + (m_dir / "topic" / "also-even.yaml").string()), std::string::npos);
    EXPECT_NE(result.out.find("PASS " + (m_dir / "topic" / "even.yaml").string()), std::string::npos);
    EXPECT_NE(result.out.find("2 scenarios: 2 passed, 0 failed"), std::string::npos) << result.out;
    // Sorted by path, never in directory order.
    EXPECT_LT(result.out.find("also-even.yaml"), result.out.find("even.yaml\n"));
}

TEST_F(CheckCli, AChangedGoldenFailsWithThePathAndBothValues)
{
    const fs::path scenario = writeScenario("even", "");
    {
        UpdateGolden update(true);
        ASSERT_EQ(runCli({ "check", scenario.string() }).exitCode, 0);
    }
    const fs::path golden = m_dir / "topic" / "even.golden.json";
    auto json = nlohmann::ordered_json::parse(readFile(golden));
    const int64_t requests = json["requests"].get<int64_t>();
    json["requests"] = requests + 1;
    json["nodes"][2]["name"] = "node-x";
    std::ofstream(golden) << json.dump(2);

    const CliResult result = runCli({ "check", scenario.string() });
    EXPECT_EQ(result.exitCode, 1) << result.out;
    EXPECT_NE(result.out.find("FAIL " + scenario.string()), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("$.requests: " + std::to_string(requests + 1) + " -> " + std::to_string(requests)),
        std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("$.nodes[2].name: \"node-x\" -> \"node-3\""), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("1 scenario: 0 passed, 1 failed"), std::string::npos) << result.out;
}

TEST_F(CheckCli, NumbersWithinOnePartInABillionAreEqual)
{
    const fs::path scenario = writeScenario("even", "");
    {
        UpdateGolden update(true);
        ASSERT_EQ(runCli({ "check", scenario.string() }).exitCode, 0);
    }
    const fs::path golden = m_dir / "topic" / "even.golden.json";
    auto json = nlohmann::ordered_json::parse(readFile(golden));
    const double share = json["nodes"][0]["share"].get<double>();
    json["nodes"][0]["share"] = share * (1 + 1e-12); // another libm's last bit
    std::ofstream(golden) << json.dump(2);
    EXPECT_EQ(runCli({ "check", scenario.string() }).exitCode, 0);

    json["nodes"][0]["share"] = share * (1 + 1e-6); // a real change
    std::ofstream(golden) << json.dump(2);
    const CliResult result = runCli({ "check", scenario.string() });
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.out.find("$.nodes[0].share"), std::string::npos) << result.out;
}

TEST_F(CheckCli, AFailingExpectationFailsWithItsLineAndValue)
{
    // Line 10 of the file: the eight scenario lines, then `expect:`, then the assertion.
    const fs::path scenario = writeScenario("strict", "expect:\n  - { metric: requests.total, at_most: 100 }\n");
    {
        UpdateGolden update(true);
        // Rewriting the golden never excuses a failed expectation.
        EXPECT_EQ(runCli({ "check", scenario.string() }).exitCode, 1);
    }
    const CliResult result = runCli({ "check", scenario.string() });
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(
        result.out.find(scenario.string() + ":10: expectation failed: requests.total <= 100, got "), std::string::npos)
        << result.out;
}

TEST_F(CheckCli, TheRewriteVariableRestoresAChangedGolden)
{
    const fs::path scenario = writeScenario("even", "");
    const fs::path golden = m_dir / "topic" / "even.golden.json";
    const CliResult missing = runCli({ "check", scenario.string() });
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_NE(missing.out.find("no golden summary; run with SHARDSIM_UPDATE_GOLDEN=1"), std::string::npos)
        << missing.out;

    {
        UpdateGolden update(true);
        ASSERT_EQ(runCli({ "check", scenario.string() }).exitCode, 0);
    }
    const std::string original = readFile(golden);
    std::ofstream(golden) << "{\"scenario\": \"stale\"}";
    EXPECT_EQ(runCli({ "check", scenario.string() }).exitCode, 1);
    {
        UpdateGolden update(true);
        const CliResult rewritten = runCli({ "check", scenario.string() });
        EXPECT_EQ(rewritten.exitCode, 0);
        EXPECT_NE(rewritten.out.find("(golden written)"), std::string::npos) << rewritten.out;
    }
    EXPECT_EQ(readFile(golden), original);
    EXPECT_EQ(runCli({ "check", scenario.string() }).exitCode, 0);
}

TEST_F(CheckCli, AnInvalidScenarioOrMissingPathExitsTwo)
{
    const fs::path broken = m_dir / "topic" / "broken.yaml";
    std::ofstream(broken) << "name: broken\nduration: 10s\n";
    const CliResult invalid = runCli({ "check", broken.string() });
    EXPECT_EQ(invalid.exitCode, 2);
    EXPECT_NE(invalid.out.find("INVALID " + broken.string()), std::string::npos) << invalid.out;
    EXPECT_NE(invalid.out.find("missing required key 'cluster'"), std::string::npos) << invalid.out;

    const CliResult nothing = runCli({ "check", (m_dir / "nowhere").string() });
    EXPECT_EQ(nothing.exitCode, 2);
    EXPECT_NE(nothing.err.find("no such file or directory"), std::string::npos) << nothing.err;
}

} // namespace

TEST_F(CheckCli, AFailedPerTickExpectationSaysWhenOnTheScenariosClock)
{
    // A ten-second run from 23:59: whichever tick peaks, the check reads its moment the way the run's text does (the
    // time of day), not as seconds since the start.
    const fs::path scenario
        = writeScenario("late", "start: \"23:59\"\nexpect:\n  - { metric: peak.utilization, at_most: 0.001% }\n");
    const CliResult result = runCli({ "check", scenario.string() });
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.out.find("expectation failed: peak.utilization <= 0.001%, got "), std::string::npos) << result.out;
    // The value in the bound's unit (a percentage: 1K/s over four nodes of 10K/s is about 2.5% each), then the moment.
    EXPECT_NE(result.out.find("0.001%, got 2."), std::string::npos) << result.out;
    const size_t at = result.out.find("% at 23:59");
    ASSERT_NE(at, std::string::npos) << result.out;
    const char after = result.out[at + std::string("% at 23:59").size()];
    EXPECT_TRUE(after == '\n' || after == ':') << result.out; // 23:59, or 23:59:SS for a tick within the minute
    EXPECT_EQ(result.out.find(" s\n"), std::string::npos) << result.out;
}
