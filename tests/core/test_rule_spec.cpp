#include <gtest/gtest.h>

#include "shardsim/rules/key.h"
#include "shardsim/rules/placement.h"
#include "shardsim/rules/rule_spec.h"

using namespace shardsim;

TEST(RuleSpec, ParsesNameParametersAndLists)
{
    auto spec = parseRuleSpec("range:bounds=10M|20M|30M");
    ASSERT_TRUE(spec) << spec.error();
    EXPECT_EQ(spec->name, "range");
    EXPECT_EQ(spec->params.at("bounds"), (std::vector<std::string> { "10M", "20M", "30M" }));

    auto bare = parseRuleSpec("jump");
    ASSERT_TRUE(bare);
    EXPECT_TRUE(bare->params.empty());

    auto two = parseRuleSpec(" db-table:dbs=8, tables=10 ");
    ASSERT_TRUE(two) << two.error();
    EXPECT_EQ(two->toString(), "db-table:dbs=8,tables=10");
}

TEST(RuleSpec, RejectsMalformedSpecsWithAReason)
{
    EXPECT_FALSE(parseRuleSpec(""));
    EXPECT_FALSE(parseRuleSpec("mod:"));
    EXPECT_FALSE(parseRuleSpec("mod:n"));
    EXPECT_FALSE(parseRuleSpec("mod:n="));
    EXPECT_FALSE(parseRuleSpec("mod:n=4,n=5"));
    EXPECT_FALSE(parseRuleSpec("range:bounds=1||2"));
    EXPECT_FALSE(parseRuleSpec("mo d:n=4"));
    auto twice = parseRuleSpec("mod:n=4,n=5");
    EXPECT_NE(twice.error().find("twice"), std::string::npos);
}

TEST(RuleParams, ReadsTypedValuesAndReportsUnknownOnes)
{
    auto spec = parseRuleSpec("ring:nodes=8,vnodse=100,c=1.25");
    ASSERT_TRUE(spec);
    RuleParams params(*spec);
    EXPECT_EQ(params.integer("nodes", std::nullopt, 1, 1000), 8);
    EXPECT_EQ(params.integer("vnodes", 160, 1, 10000), 160);
    EXPECT_DOUBLE_EQ(params.number("c", 1.0, 1.0, 10.0), 1.25);
    const auto& errors = params.finish();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("did you mean 'vnodes'"), std::string::npos) << errors[0];
}

TEST(RuleParams, RangeAndMissingParametersAreErrors)
{
    auto spec = parseRuleSpec("mod:n=0");
    RuleParams params(*spec);
    params.integer("n", std::nullopt, 1, 1'000'000);
    params.integer("buckets", std::nullopt, 1, 10);
    const auto& errors = params.finish();
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_NE(errors[0].find("between 1 and 1000000"), std::string::npos) << errors[0];
    EXPECT_NE(errors[1].find("needs parameter 'buckets'"), std::string::npos) << errors[1];
}

TEST(RuleParams, CountSuffixesAndChoices)
{
    auto spec = parseRuleSpec("hash-mod:n=1K,hash=murmur");
    RuleParams params(*spec);
    EXPECT_EQ(params.integer("n", std::nullopt, 1, 1'000'000), 1000);
    params.choice("hash", "java", { "java", "murmur3", "xxhash64" });
    const auto& errors = params.finish();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("did you mean 'murmur3'"), std::string::npos) << errors[0];
}

TEST(Key, AutoReadsIntegersAsInt64AndEverythingElseAsString)
{
    EXPECT_EQ(parseKey("9527", KeyParseMode::Auto)->type, KeyType::Int64);
    EXPECT_EQ(parseKey("-42", KeyParseMode::Auto)->i, -42);
    EXPECT_EQ(parseKey("alice", KeyParseMode::Auto)->type, KeyType::String);
    EXPECT_EQ(parseKey("12ab", KeyParseMode::Auto)->type, KeyType::String);
    EXPECT_EQ(parseKey("99999999999999999999", KeyParseMode::Auto)->type, KeyType::String);
}

TEST(Key, TypedModesCheckTheirRange)
{
    EXPECT_FALSE(parseKey("2147483648", KeyParseMode::Int32));
    EXPECT_EQ(parseKey("-2147483648", KeyParseMode::Int32)->i, -2147483648LL);
    EXPECT_EQ(parseKey("18446744073709551615", KeyParseMode::UInt64)->u, 18446744073709551615ULL);
    EXPECT_FALSE(parseKey("-1", KeyParseMode::UInt64));
    auto bytes = parseKey("0x00ff10", KeyParseMode::Hex);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(bytes->bytes, std::string("\x00\xff\x10", 3));
    EXPECT_EQ(bytes->display(), "0x00ff10");
    EXPECT_FALSE(parseKey("abc", KeyParseMode::Hex));
}

TEST(Placement, RoundRobinExplicitAndByRegion)
{
    const Placement rr = Placement::roundRobin(10, 4);
    EXPECT_EQ(rr.nodeOf(0), 0);
    EXPECT_EQ(rr.nodeOf(5), 1);
    EXPECT_EQ(rr.nodeOf(9), 1);

    EXPECT_FALSE(Placement::explicitList({ 0, 4 }, 4));
    EXPECT_EQ(Placement::explicitList({ 3, 1 }, 4)->nodeOf(0), 3);

    std::vector<NodeInfo> nodes { { "node-1", "east" }, { "node-2", "east" }, { "node-3", "north" } };
    auto byRegion = Placement::byRegion({ "east", "north", "east", "east" }, nodes);
    ASSERT_TRUE(byRegion) << byRegion.error();
    EXPECT_EQ(byRegion->nodeOf(0), 0);
    EXPECT_EQ(byRegion->nodeOf(1), 2);
    EXPECT_EQ(byRegion->nodeOf(2), 1);
    EXPECT_EQ(byRegion->nodeOf(3), 0);
    EXPECT_FALSE(Placement::byRegion({ "south" }, nodes));
}
