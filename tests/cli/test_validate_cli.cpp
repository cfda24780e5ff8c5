#include <gtest/gtest.h>

#include "cli_runner.h"

namespace {
const std::string kExample = SHARDSIM_RESOURCES "/scenarios/double-11-orders.yaml";
const std::string kBroken = SHARDSIM_TEST_DATA "/cli/broken.yaml";
}

TEST(ValidateCli, TheExampleFromTheFormatIsValid)
{
    const CliResult result = runCli({ "validate", kExample });
    EXPECT_EQ(result.exitCode, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("valid"), std::string::npos);
}

TEST(ValidateCli, EveryErrorOfABrokenFileWithItsPlace)
{
    const CliResult result = runCli({ "validate", kBroken });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.out.find(kBroken + ":5:10: error: cluster.nodes: must be at least 1 (got 0)"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find(kBroken + ":11:"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("did you mean 'placement'"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find(kBroken + ":15:"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("did you mean 't_user'"), std::string::npos) << result.out;
}

TEST(ValidateCli, ManyFilesExitTwoWhenAnyIsInvalid)
{
    EXPECT_EQ(runCli({ "validate", kExample, kExample }).exitCode, 0);
    EXPECT_EQ(runCli({ "validate", kExample, kBroken }).exitCode, 2);
}

TEST(ValidateCli, AMissingFileIsAnErrorNotACrash)
{
    const CliResult result = runCli({ "validate", "/nonexistent.yaml" });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.out.find("/nonexistent.yaml"), std::string::npos) << result.out;
}

TEST(ValidateCli, OverridesAreValidatedLikeTheFile)
{
    EXPECT_EQ(runCli({ "validate", kExample, "--set", "cluster.nodes=16", "--set",
                         "cluster.regions={east: 4, north: 4}" })
                  .exitCode,
        2)
        << "regions name 8 nodes, so 16 must be rejected";
    EXPECT_EQ(runCli({ "validate", kExample, "--set", "cluster.nodes=16", "--set",
                         "cluster.regions={east: 8, north: 4, south: 4}" })
                  .exitCode,
        0);
}

TEST(ValidateCli, HelpOnEverySubcommand)
{
    for (const char* command : { "validate", "route", "describe" }) {
        const CliResult result = runCli({ command, "--help" });
        EXPECT_EQ(result.exitCode, 0) << command;
        EXPECT_NE(result.out.find("Usage"), std::string::npos) << command;
    }
    const CliResult noFiles = runCli({ "validate" });
    EXPECT_EQ(noFiles.exitCode, 2);
    EXPECT_NE(noFiles.err.find("--help"), std::string::npos);
}

TEST(DescribeCli, ShowsTheScenarioAsUnderstood)
{
    const CliResult result = runCli({ "describe", kExample });
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("80 in 8 databases"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("3h in 10800 ticks"), std::string::npos) << result.out;
}
