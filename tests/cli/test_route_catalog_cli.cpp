// `route` with the Redis Cluster, Kafka, Elasticsearch, Citus and Guava rules: what a user types and reads.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

TEST(RouteCatalogCli, HelpListsTheCatalogRules)
{
    const CliResult result = runCli({ "route", "--help" });
    EXPECT_EQ(result.exitCode, 0);
    for (const char* synopsis : { "redis-cluster:nodes=N", "kafka:partitions=N",
             "elasticsearch:shards=N[,routing_shards=R][,partition_size=P][,version=7|9.4]",
             "citus:shards=N[,type=int4|int8|text][,workers=W]", "guava:buckets=N" })
        EXPECT_NE(result.out.find(synopsis), std::string::npos) << synopsis;
}

TEST(RouteCatalogCli, RedisExplainShowsHashTagSlotAndMaster)
{
    const CliResult result
        = runCli({ "route", "--rule", "redis-cluster:nodes=3", "--explain", "{user1000}.following", "foo" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("{user1000}.following -> master-0 (node node-1)"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("hash tag {user1000}"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("slot 3443 is in Master[0] -> Slots 0 - 5460"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("foo -> master-2 (node node-3)"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("slot 12182"), std::string::npos) << result.out;
}

TEST(RouteCatalogCli, KafkaJsonCarriesTheSignedMurmur2)
{
    const CliResult result
        = runCli({ "route", "--rule", "kafka:partitions=6", "--key-type", "int32", "--format", "json", "1" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto line = nlohmann::json::parse(result.out);
    EXPECT_EQ(line["hash"], "-173113808");
    EXPECT_EQ(line["index"], 0);
    EXPECT_EQ(line["shard"], "partition-0");
}

TEST(RouteCatalogCli, ElasticsearchRefusesTheEmptyId)
{
    const CliResult result = runCli({ "route", "--rule", "elasticsearch:shards=3", "--key-type", "string", "" });
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("if _id is specified it must not be empty"), std::string::npos) << result.err;
}

TEST(RouteCatalogCli, CitusPlacesShardsOnWorkers)
{
    // worker_hash(123) = -205084363 is in shard 1 of 4, which lives on worker 1 % 2 = node-2.
    const CliResult result
        = runCli({ "route", "--rule", "citus:shards=4,workers=2", "--key-type", "int32", "--format", "json", "123" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto line = nlohmann::json::parse(result.out);
    EXPECT_EQ(line["hash"], "-205084363");
    EXPECT_EQ(line["shard"], "shard-1");
    EXPECT_EQ(line["node"], "node-2");
}

TEST(RouteCatalogCli, MigrateBetweenRedisClusterLayouts)
{
    // redis-cli's layouts for 3 and 4 masters share 4096 + 2731 + 1365 = 8192 slots on the same master index,
    // so re-creating the cluster with 4 masters moves half the slots, and so about half the keys.
    const CliResult result = runCli({ "migrate", "--format", "json", "--from", "redis-cluster:nodes=3", "--to",
        "redis-cluster:nodes=4", "--keys", "1000000" });
    ASSERT_EQ(result.exitCode, 0) << result.err;
    const auto json = nlohmann::json::parse(result.out);
    EXPECT_NEAR(json["moved_fraction"].get<double>(), 0.5, 0.003);
    EXPECT_EQ(json["from_shards"].size(), 3u);
    EXPECT_EQ(json["to_shards"].size(), 4u);
}
