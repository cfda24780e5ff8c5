// shardsim-cli with the rules of ShardingSphere, MyCat, ketama and Envoy: listed in `route --help`, explained
// step by step, and usable in `migrate`.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

TEST(MiddlewareRouteCli, HelpListsTheMiddlewareAndBalancerRules)
{
    const CliResult result = runCli({ "route", "--help" });
    EXPECT_EQ(result.exitCode, 0);
    for (const char* rule : { "shardingsphere-mod:count=N", "shardingsphere-hash-mod:count=N",
             "shardingsphere-volume-range:", "shardingsphere-boundary-range:", "shardingsphere-interval:",
             "shardingsphere-auto-interval:", "mycat-long:", "mycat-murmur:", "mycat-crc32slot:", "ketama:servers=",
             "envoy-ring:hosts=", "envoy-maglev:hosts=" })
        EXPECT_NE(result.out.find(rule), std::string::npos) << rule;
}

TEST(MiddlewareRouteCli, ExplainsAnIntervalTable)
{
    const CliResult result = runCli({ "route", "--rule",
        "shardingsphere-interval:lower=2026-01-01 00:00:00,upper=2026-12-31 23:59:59,unit=MONTHS,suffix=yyyyMM",
        "--explain", "2026-11-11 00:00:00" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(result.out.substr(0, result.out.find('\n')), "2026-11-11 00:00:00 -> t_order_202611 (node node-11)");
    EXPECT_NE(result.out.find("    suffix pattern yyyyMM formats 2026-11-01 00:00:00 as 202611\n"), std::string::npos)
        << result.out;
}

TEST(MiddlewareRouteCli, JsonCarriesTheHashAsTheSystemPrintsIt)
{
    const CliResult result = runCli({ "route", "--rule",
        "ketama:servers=127.0.0.1:10000|127.0.0.1:10001|"
        "127.0.0.1:10002|127.0.0.1:10003",
        "--format", "json", "--explain", "noelani" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto line = nlohmann::json::parse(result.out);
    // spymemcached KetamaNodeLocatorTest.testLookups: "noelani" is on the third node.
    EXPECT_EQ(line["shard"], "127.0.0.1:10002");
    // computed with hashlib.md5: the first 4 bytes of MD5("noelani"), little-endian, unsigned.
    EXPECT_EQ(line["hash"], "389303636");
    // The hash, the continuum point, then the node the server's shard is placed on.
    EXPECT_EQ(line["steps"].size(), 3u);
}

TEST(MiddlewareRouteCli, RefusedKeysSayWhy)
{
    const CliResult result = runCli({ "route", "--rule", "mycat-long:count=4,length=256", "abc" });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("Long.parseLong"), std::string::npos) << result.err;
    const CliResult badSpec = runCli({ "route", "--rule", "envoy-maglev:hosts=a|b,table=10", "1" });
    EXPECT_EQ(badSpec.exitCode, 2);
    EXPECT_NE(badSpec.err.find("prime"), std::string::npos) << badSpec.err;
}

TEST(MiddlewareRouteCli, MigrateBetweenShardingSphereModCounts)
{
    const CliResult result = runCli({ "migrate", "--from", "shardingsphere-mod:count=2", "--to",
        "shardingsphere-mod:count=4", "--keys", "100", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto json = nlohmann::json::parse(result.out);
    EXPECT_EQ(json["moved_fraction"], 0.5);
}

TEST(MiddlewareRouteCli, CompareGrowsTheMiddlewareRules)
{
    const std::string file = std::string(SHARDSIM_SCENARIOS) + "/rules/modulo-two-databases.yaml";
    const CliResult result
        = runCli({ "compare", file, "--rules", "shardingsphere-mod:count=2,mycat-murmur:nodes=2", "--format", "json" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto json = nlohmann::json::parse(result.out);
    ASSERT_EQ(json["rules"].size(), 2u);
    // Doubling a modulo moves half of the keys; a consistent-hash ring about half too, but only onto the new nodes.
    EXPECT_EQ(json["rules"][0]["growth"]["to"], "shardingsphere-mod:count=4");
    EXPECT_EQ(json["rules"][0]["growth"]["moved_fraction"], 0.5);
    EXPECT_EQ(json["rules"][1]["growth"]["to"], "mycat-murmur:nodes=4,virtual=160,seed=0");
    EXPECT_NEAR(json["rules"][1]["growth"]["moved_fraction"].get<double>(), 0.5, 0.1);
}
