// Maglev's disruption between surviving shards when 10 shards become 11 (M = 65537), against a table populated
// here from the paper (Eisenbud et al., NSDI 2016, Pseudocode 1) with the hashes docs/rules.md names:
// offset = xxhash64("shard-<i>") mod M, skip = murmur3("shard-<i>") mod (M - 1) + 1.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "rules/consistent/maglev_table.h"
#include "shardsim/rules/hashes.h"
#include "shardsim/rules/rule_factory.h"

using namespace shardsim;

namespace {

constexpr uint64_t kTable = 65537;

// Pseudocode 1 as printed: permutation[i][j] = (offset + j * skip) mod M; each shard in turn takes the first
// entry of its permutation that is still empty.
std::vector<int> paperTable(int shards)
{
    std::vector<uint64_t> offset, skip, next(static_cast<size_t>(shards), 0);
    for (int i = 0; i < shards; ++i) {
        const std::string name = "shard-" + std::to_string(i);
        offset.push_back(hashes::hashBytes(hashes::HashFunction::XxHash64, name) % kTable);
        skip.push_back(hashes::hashBytes(hashes::HashFunction::Murmur3, name) % (kTable - 1) + 1);
    }
    std::vector<int> entry(kTable, -1);
    uint64_t n = 0;
    for (;;) {
        for (size_t i = 0; i < static_cast<size_t>(shards); ++i) {
            uint64_t c = (offset[i] + next[i] * skip[i]) % kTable;
            while (entry[c] >= 0) {
                ++next[i];
                c = (offset[i] + next[i] * skip[i]) % kTable;
            }
            entry[c] = static_cast<int>(i);
            ++next[i];
            if (++n == kTable)
                return entry;
        }
    }
}

} // namespace

TEST(MaglevDisruption, TenToElevenMovesAThirdOfAPercentBetweenSurvivors)
{
    const std::vector<int> ten = paperTable(10);
    const std::vector<int> eleven = paperTable(11);
    // The project's table is the paper's, entry by entry.
    const auto ownTen = rules::populateMaglevTable(10, kTable);
    const auto ownEleven = rules::populateMaglevTable(11, kTable);
    EXPECT_TRUE(std::equal(ten.begin(), ten.end(), ownTen.begin()));
    EXPECT_TRUE(std::equal(eleven.begin(), eleven.end(), ownEleven.begin()));

    // Entries that change owner although their old and new owner both exist: 222 of 65,537, 0.339%.
    uint64_t betweenSurvivors = 0, toNewShard = 0;
    for (size_t e = 0; e < kTable; ++e) {
        if (eleven[e] == 10)
            ++toNewShard;
        else if (eleven[e] != ten[e])
            ++betweenSurvivors;
    }
    EXPECT_EQ(toNewShard, kTable / 11); // 5957 or 5958 entries: balanced to one entry
    EXPECT_EQ(betweenSurvivors, 222u);
    EXPECT_NEAR(static_cast<double>(betweenSurvivors) / kTable, 0.0033874, 1e-7);

    // Keys 1..1M land on the entries by their murmur3 hash: 3,294 of them (0.329%, what `migrate` reports) move
    // between survivors, within the binomial spread of a million hashed keys (0.006%) of the table's 0.339%.
    auto from = makeRule("maglev:nodes=10");
    auto to = makeRule("maglev:nodes=11");
    ASSERT_TRUE(from && to);
    uint64_t keysBetweenSurvivors = 0;
    for (int64_t key = 1; key <= 1'000'000; ++key) {
        const Key k = Key::int64(key);
        const int a = (*from)->route(k)->index;
        const int b = (*to)->route(k)->index;
        EXPECT_EQ(b, eleven[hashes::hashKey(hashes::HashFunction::Murmur3, k) % kTable]);
        if (b != 10 && b != a)
            ++keysBetweenSurvivors;
    }
    EXPECT_EQ(keysBetweenSurvivors, 3294u);
    const double p = static_cast<double>(betweenSurvivors) / kTable;
    EXPECT_NEAR(static_cast<double>(keysBetweenSurvivors) / 1e6, p, 2 * std::sqrt(p * (1 - p) / 1e6));
}
