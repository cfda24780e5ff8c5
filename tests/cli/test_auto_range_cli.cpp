// `auto-range` from the command line: route and explain over its bounds, and a bad spec's exit code and message.

#include <gtest/gtest.h>

#include "cli_runner.h"

TEST(AutoRangeCli, RoutesLikeRangeAndExplainsThatRangesMoveInARun)
{
    const CliResult result
        = runCli({ "route", "--rule", "auto-range:preset=tikv,bounds=10M|20M", "--explain", "15000000" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(result.out.rfind("15000000 -> [10M,20M) (node ", 0), 0u) << result.out;
    EXPECT_NE(result.out.find("10000000 <= 15000000 < 20000000"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("in a run the ranges split, merge and move as TiKV 8.5.0 does"), std::string::npos)
        << result.out;

    const CliResult range = runCli({ "route", "--rule", "range:bounds=10M|20M", "15000000" });
    EXPECT_EQ(result.out.substr(0, result.out.find('\n')), range.out.substr(0, range.out.find('\n')));
}

TEST(AutoRangeCli, ABadValueNamesItsParameterAndExitsWithTwo)
{
    const CliResult result = runCli({ "route", "--rule", "auto-range:preset=tikv,snapshot_rate=fast", "1" });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("parameter 'snapshot_rate' of rule 'auto-range'"), std::string::npos) << result.err;

    const CliResult preset = runCli({ "route", "--rule", "auto-range:preset=tikb", "1" });
    EXPECT_EQ(preset.exitCode, 2);
    EXPECT_NE(preset.err.find("did you mean 'tikv'"), std::string::npos) << preset.err;
}
