// The cache and proxy balancers' rules (libketama as spymemcached implements it, Envoy's ring_hash and maglev),
// checked against the expectations of those projects' own tests; each vector names the file it comes from.
// Vectors marked "computed" were worked out with Python's hashlib and a separate xxHash64.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/systems/balancer_formulas.h"
#include "shardsim/rules/hashes.h"
#include "shardsim/rules/rule_factory.h"

using namespace shardsim;
using namespace shardsim::rules::systems;

namespace {

ShardRulePtr mustMake(const std::string& spec)
{
    auto rule = makeRule(spec);
    EXPECT_TRUE(rule.ok()) << spec << ": " << (rule.ok() ? "" : rule.error());
    return rule.ok() ? *rule : nullptr;
}

std::string routeName(const ShardRule& rule, const Key& key)
{
    auto routed = rule.route(key);
    if (!routed)
        return "error: " + routed.error();
    return rule.shardName(routed->index);
}

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (size_t i = 0; i < items.size(); ++i)
        out += (i ? "|" : "") + items[i];
    return out;
}

// spymemcached's test nodes: InetSocketAddress.createUnresolved("127.0.0.1", 10000 + i).
std::string localServers(int count)
{
    std::vector<std::string> servers;
    for (int i = 0; i < count; ++i)
        servers.push_back("127.0.0.1:" + std::to_string(10000 + i));
    return "ketama:servers=" + joined(servers);
}

int ringHost(const std::vector<RingEntry>& ring, uint64_t hash) { return ring[envoyRingIndex(ring, hash)].host; }

} // namespace

// ---- Ketama ------------------------------------------------------------------------------------------

TEST(Ketama, KetamaNodeLocatorTestLookups)
{
    // dustin/java-memcached-client (spymemcached) KetamaNodeLocatorTest: testLookups, testContinuumWrapping,
    // testClusterResizing and testLibKetamaCompat.
    const auto four = mustMake(localServers(4));
    ASSERT_NE(four, nullptr);
    const std::pair<const char*, int> fourNodes[] = { { "dustin", 0 }, { "noelani", 2 }, { "some other key", 0 },
        { "V5XS8C8N", 3 }, { "8KR2DKR2", 3 }, { "L9KH6X4X", 3 } };
    for (const auto& [key, node] : fourNodes)
        EXPECT_EQ(four->route(Key::string(key))->index, node) << key;
    std::vector<std::string> servers;
    for (int i = 0; i < 4; ++i)
        servers.push_back("127.0.0.1:" + std::to_string(10000 + i));
    EXPECT_EQ(ketamaContinuum(servers).rbegin()->first, 4294887009u); // getMaxKey()

    const auto five = mustMake(localServers(5));
    ASSERT_NE(five, nullptr);
    const std::pair<const char*, int> fiveNodes[] = { { "36", 2 }, { "10037", 3 }, { "22051", 1 }, { "49044", 4 },
        { "dustin", 0 }, { "noelani", 2 }, { "some other key", 4 } };
    for (const auto& [key, node] : fiveNodes)
        EXPECT_EQ(five->route(Key::string(key))->index, node) << key;
    // An integer key is its decimal text, as the memcached key would be.
    EXPECT_EQ(five->route(Key::int64(49044))->index, 4);
}

TEST(Ketama, LibKetamaCompatTwo)
{
    // spymemcached KetamaNodeLocatorTest.testLibKetamaCompatTwo (the first 40 of its expectations).
    const std::string spec = "ketama:servers=10.0.1.1:11211|10.0.1.2:11211|10.0.1.3:11211|10.0.1.4:11211|"
                             "10.0.1.5:11211|10.0.1.6:11211|10.0.1.7:11211|10.0.1.8:11211";
    const auto rule = mustMake(spec);
    ASSERT_NE(rule, nullptr);
    const std::pair<const char*, const char*> expected[] = { { "0", "10.0.1.1:11211" }, { "233", "10.0.1.7:11211" },
        { "466", "10.0.1.3:11211" }, { "699", "10.0.1.1:11211" }, { "932", "10.0.1.6:11211" },
        { "1165", "10.0.1.2:11211" }, { "1398", "10.0.1.1:11211" }, { "1631", "10.0.1.6:11211" },
        { "1864", "10.0.1.5:11211" }, { "2097", "10.0.1.3:11211" }, { "2330", "10.0.1.7:11211" },
        { "2563", "10.0.1.3:11211" }, { "2796", "10.0.1.6:11211" }, { "3029", "10.0.1.1:11211" },
        { "3262", "10.0.1.2:11211" }, { "3495", "10.0.1.3:11211" }, { "3728", "10.0.1.8:11211" },
        { "3961", "10.0.1.4:11211" }, { "4194", "10.0.1.4:11211" }, { "4427", "10.0.1.3:11211" },
        { "4660", "10.0.1.4:11211" }, { "4893", "10.0.1.7:11211" }, { "5126", "10.0.1.4:11211" },
        { "5359", "10.0.1.2:11211" }, { "5592", "10.0.1.2:11211" }, { "5825", "10.0.1.3:11211" },
        { "6058", "10.0.1.2:11211" }, { "6291", "10.0.1.7:11211" }, { "6524", "10.0.1.5:11211" },
        { "6757", "10.0.1.5:11211" }, { "6990", "10.0.1.1:11211" }, { "7223", "10.0.1.5:11211" },
        { "7456", "10.0.1.4:11211" }, { "7689", "10.0.1.2:11211" }, { "7922", "10.0.1.5:11211" },
        { "8155", "10.0.1.5:11211" }, { "8388", "10.0.1.1:11211" }, { "8621", "10.0.1.2:11211" },
        { "8854", "10.0.1.2:11211" }, { "9087", "10.0.1.1:11211" } };
    for (const auto& [key, server] : expected)
        EXPECT_EQ(routeName(*rule, Key::string(key)), server) << key;
    // computed with hashlib.md5: the empty key, negative numbers and non-ASCII keys (hashed as UTF-8).
    const std::pair<Key, const char*> more[] = { { Key::string(""), "10.0.1.4:11211" },
        { Key::string("-42"), "10.0.1.7:11211" }, { Key::int64(-42), "10.0.1.7:11211" },
        { Key::string("北京"), "10.0.1.5:11211" }, { Key::string("ключ"), "10.0.1.5:11211" },
        { Key::string("😀"), "10.0.1.6:11211" }, { Key::int64(INT64_MIN), "10.0.1.2:11211" } };
    for (const auto& [key, server] : more)
        EXPECT_EQ(routeName(*rule, key), server) << key.display();
    EXPECT_EQ(rule->route(Key::string(""))->hash, "3649838548");
    EXPECT_EQ(ketamaHash("北京"), 1720856169u);
}

TEST(Ketama, RefusesMalformedServers)
{
    auto noPort = makeRule("ketama:servers=10.0.1.1");
    ASSERT_FALSE(noPort.ok());
    EXPECT_NE(noPort.error().find("HOST:PORT"), std::string::npos);
    EXPECT_FALSE(makeRule("ketama:servers=a:1|a:1").ok());
}

// ---- Envoy ring_hash ---------------------------------------------------------------------------------

TEST(EnvoyRing, RingHashLbTestRings)
{
    // envoyproxy/envoy test/extensions/load_balancing_policies/ring_hash/ring_hash_lb_test.cc BasicWithHostname:
    // hosts hashed by the names "90".."95", minimum_ring_size 12, xxHash64: the sorted ring it lists.
    const std::vector<std::string> names = { "90", "91", "92", "93", "94", "95" };
    const auto ring = envoyRing(names, 12, 8 * 1024 * 1024);
    const std::vector<std::pair<uint64_t, int>> expected
        = { { 1975508444536362413ULL, 5 }, { 2376063919839173711ULL, 5 }, { 2386806903309390596ULL, 3 },
              { 6749904478991551885ULL, 4 }, { 6803900775736438537ULL, 3 }, { 7225015537174310577ULL, 2 },
              { 8787465352164086522ULL, 0 }, { 11282020843382717940ULL, 2 }, { 13723418369486627818ULL, 1 },
              { 13776502110861797421ULL, 0 }, { 14338313586354474791ULL, 1 }, { 15364271037087512980ULL, 4 } };
    ASSERT_EQ(ring.size(), expected.size());
    for (size_t i = 0; i < ring.size(); ++i) {
        EXPECT_EQ(ring[i].hash, expected[i].first) << i;
        EXPECT_EQ(ring[i].host, expected[i].second) << i;
    }
    // Its lookups: 0 and UINT64_MAX wrap to the first point (95); an exact point is its own host.
    EXPECT_EQ(ringHost(ring, 0), 5);
    EXPECT_EQ(ringHost(ring, UINT64_MAX), 5);
    EXPECT_EQ(ringHost(ring, 7225015537174310577ULL), 2);
    EXPECT_EQ(ringHost(ring, 6803900775736438537ULL), 3);

    // Basic: hosts by address 127.0.0.1:90..95.
    std::vector<std::string> addresses;
    for (int port = 90; port <= 95; ++port)
        addresses.push_back("127.0.0.1:" + std::to_string(port));
    const auto byAddress = envoyRing(addresses, 12, 8 * 1024 * 1024);
    ASSERT_EQ(byAddress.size(), 12u);
    EXPECT_EQ(byAddress.front().hash, 833437586790550860ULL);
    EXPECT_EQ(byAddress.back().hash, 16117243373044804889ULL);
    EXPECT_EQ(ringHost(byAddress, 0), 4);
    EXPECT_EQ(ringHost(byAddress, UINT64_MAX), 4);
    EXPECT_EQ(ringHost(byAddress, 3551244743356806947ULL), 5);
    EXPECT_EQ(ringHost(byAddress, 3551244743356806948ULL), 3);
    EXPECT_EQ(ringHost(byAddress, 16117243373044804880ULL), 0);
}

TEST(EnvoyRing, RingSizeScalesToWholeHashesPerHost)
{
    // ceil(1024 / 3) = 342 hashes per host; with 1024 or fewer hosts one ring of at least 1024 points.
    EXPECT_EQ(envoyRing({ "a", "b", "c" }, 1024, 8 * 1024 * 1024).size(), 1026u);
    EXPECT_EQ(envoyRing({ "a", "b", "c" }, 1024, 600).size(), 600u);
    auto bad = makeRule("envoy-ring:hosts=a|b,min_ring=20,max_ring=10");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("minimum_ring_size (20) > maximum_ring_size (10)"), std::string::npos);
}

TEST(EnvoyRing, RoutesKeysByXxhashOfTheirText)
{
    // computed with a separate xxHash64 and ring: four hosts, the default ring of 1024 points.
    const auto rule = mustMake("envoy-ring:hosts=10.0.0.1:80|10.0.0.2:80|10.0.0.3:80|10.0.0.4:80");
    ASSERT_NE(rule, nullptr);
    const std::pair<Key, const char*> vectors[] = { { Key::string(""), "10.0.0.2:80" },
        { Key::string("-42"), "10.0.0.1:80" }, { Key::int64(-42), "10.0.0.1:80" }, { Key::string("42"), "10.0.0.3:80" },
        { Key::string("北京"), "10.0.0.1:80" }, { Key::string("ключ"), "10.0.0.4:80" },
        { Key::string("😀"), "10.0.0.2:80" }, { Key::string("user:1001"), "10.0.0.1:80" },
        { Key::int64(INT64_MAX), "10.0.0.3:80" }, { Key::int64(INT64_MIN), "10.0.0.4:80" } };
    for (const auto& [key, host] : vectors)
        EXPECT_EQ(routeName(*rule, key), host) << key.display();
    EXPECT_EQ(rule->route(Key::string(""))->hash, "17241709254077376921");
    EXPECT_EQ(rule->spec(),
        "envoy-ring:hosts=10.0.0.1:80|10.0.0.2:80|10.0.0.3:80|10.0.0.4:80,min_ring=1024,"
        "max_ring=8388608");
}

// ---- Envoy maglev ------------------------------------------------------------------------------------

TEST(EnvoyMaglev, MaglevLbTestTables)
{
    // envoyproxy/envoy test/extensions/load_balancing_policies/maglev/maglev_lb_test.cc, table size 7:
    // Basic (hosts by address) and BasicWithHostName (by the names "90".."95").
    std::vector<std::string> addresses;
    std::vector<std::string> names;
    for (int port = 90; port <= 95; ++port) {
        addresses.push_back("127.0.0.1:" + std::to_string(port));
        names.push_back(std::to_string(port));
    }
    EXPECT_EQ(envoyMaglevTable(addresses, 7), (std::vector<int> { 2, 4, 0, 1, 5, 0, 3 }));
    EXPECT_EQ(envoyMaglevTable(names, 7), (std::vector<int> { 2, 5, 0, 3, 4, 1, 0 }));
    // The table does not depend on the order the hosts are listed in.
    std::vector<std::string> reversed(names.rbegin(), names.rend());
    EXPECT_EQ(envoyMaglevTable(reversed, 7), (std::vector<int> { 3, 0, 5, 2, 1, 4, 5 }));
    // SingleHost: one host takes every entry.
    EXPECT_EQ(envoyMaglevTable({ "127.0.0.1:90" }, 7), std::vector<int>(7, 0));
}

TEST(EnvoyMaglev, RoutesKeysByXxhashOfTheirText)
{
    // computed with a separate xxHash64 and Maglev table of 65537 entries.
    const auto rule = mustMake("envoy-maglev:hosts=10.0.0.1:80|10.0.0.2:80|10.0.0.3:80|10.0.0.4:80");
    ASSERT_NE(rule, nullptr);
    const std::pair<Key, const char*> vectors[] = { { Key::string(""), "10.0.0.1:80" },
        { Key::string("-42"), "10.0.0.1:80" }, { Key::int64(-42), "10.0.0.1:80" }, { Key::string("42"), "10.0.0.1:80" },
        { Key::string("北京"), "10.0.0.4:80" }, { Key::string("ключ"), "10.0.0.3:80" },
        { Key::string("😀"), "10.0.0.3:80" }, { Key::string("user:1001"), "10.0.0.1:80" },
        { Key::int64(INT64_MAX), "10.0.0.3:80" }, { Key::int64(INT64_MIN), "10.0.0.1:80" } };
    for (const auto& [key, host] : vectors)
        EXPECT_EQ(routeName(*rule, key), host) << key.display();
    Explanation steps;
    ASSERT_TRUE(rule->route(Key::string("北京"), &steps).ok());
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[0], "xxHash64(\"北京\", seed 0) = 17355835949537984226");
    EXPECT_EQ(steps[1],
        "17355835949537984226 % 65537 = table entry " + std::to_string(17355835949537984226ULL % 65537)
            + ", held by 10.0.0.4:80");
    // NoPrimeNumber: "The table size of maglev must be prime number".
    auto bad = makeRule("envoy-maglev:hosts=a|b,table=8");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("must be prime number"), std::string::npos);
}
