#pragma once
// `shardsim-cli analyze`: is a column a good shard key? The questions of MongoDB 7's analyzeShardKey asked of a
// scenario table: how many distinct values the key has, which are the most frequent, whether it grows with
// insertion order, how many reads and writes of the mix stay on one shard, and how hot the hottest shard gets
// (docs/shard-key-analysis.md).

#include <cstdint>
#include <string>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim {

struct KeyValueFrequency {
    std::string value;
    double frequency = 0; // share of the key law's draws that hit this value
};

// Shares of the calls of one side of the mix (reads or writes), weighted by the operations' weights; they add up
// to 1 when the side has any call, else all 0.
struct TargetingShares {
    double singleShard = 0;
    double multiShard = 0; // more than one shard, found by the key
    double scatterGather = 0; // every shard asked: the condition names no shard key
};

struct ShardKeyCandidate {
    std::string key; // the column
    std::string rule; // the rule's canonical spec
    int64_t cardinality = 0; // distinct values
    std::vector<KeyValueFrequency> mostCommon; // at most kMostCommonValues, most frequent first
    double monotonicity = 0; // Pearson r of the key with insertion order
    bool monotonic = false; // |r| >= kMonotonicThreshold
    std::string monotonicityHow; // how r was obtained, in words
    TargetingShares reads;
    TargetingShares writes;
    double hottestShardShare = 0; // of all shard requests of the mix
    // Where reads, writes and the hottest shard were counted: empty for the mix's operations by the model, else the
    // trace's rows ("the 12 rows of orders-trace.csv on this table").
    std::string targetingFrom;
    int shards = 0;
    std::string verdict; // in words
    bool good = false; // no problem found: the verdict begins "good:"
};

struct ShardKeyAnalysis {
    std::string table;
    std::vector<ShardKeyCandidate> candidates; // keys in the order given, each with every rule in the order given
};

inline constexpr double kMonotonicThreshold = 0.7; // MongoDB's analyzeShardKey: |r| >= 0.7 is "monotonic"
inline constexpr size_t kMostCommonValues = 5;

// `table`: empty for the first table of the first operation of the mix. `keys`: empty for the table's shard key.
// `rules`: rule specs; empty for sharding.rule.
Result<ShardKeyAnalysis> analyzeShardKeys(const ScenarioConfig& config, const std::string& table,
    const std::vector<std::string>& keys, const std::vector<std::string>& rules);

std::string formatShardKeyAnalysis(const ShardKeyAnalysis& analysis);
// A share as the text report and the desktop view print it: "75%", "34.4%", "0.0123%"; below one in ten thousand as
// one in how many ("1 in 8M"), which a person reads more easily than "1.25e-05%".
std::string formatShardKeyShare(double share);
// A count of distinct values with its thousands grouped: "8,000,000".
std::string formatCardinality(int64_t cardinality);
// The most common values with their frequencies: "1 (1 in 1M), 2 (1 in 1M)".
std::string formatMostCommon(const ShardKeyCandidate& candidate);
// "monotonic" or "not monotonic", the JSON `monotonicity.type`.
std::string monotonicityType(const ShardKeyCandidate& candidate);

} // namespace shardsim
