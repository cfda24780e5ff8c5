#pragma once
// `shardsim-cli explain`: one call of a mix operation taken apart, like Vitess's vtexplain: which shards it asks,
// why, in which order, and how many rows each returns. It reads the same QueryShape the engines simulate.

#include <cstdint>
#include <string>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::queries {

struct ExplainedRequest {
    int step = 0; // 1-based; requests of one step run in parallel
    std::string table;
    int shard = -1; // logical shard index; -1 for a broadcast copy chosen by database
    std::string shardName; // "db1.t_7", "3", "database 2"
    std::string node; // the primary's name
    double rows = 0; // rows the request returns
    std::string role; // "lookup", "read", "write", "prepare"
};

struct QueryExplanation {
    std::string op;
    std::string kind;
    std::string rule; // the rule's spec
    std::vector<int64_t> keys; // the keys the call was explained with
    std::vector<std::string> steps; // in words, in order
    std::vector<ExplainedRequest> requests;
    int fanout = 0; // distinct data shards (databases for broadcast tables)
    int lookups = 0;
    double rows = 0; // rows read, summed
    bool twoPhase = false;
};

// `keys`: the keys the call uses (empty: 1, 2, ... as many as the operation draws; an insert: the next key).
// A page is explained at its smallest offset.
Result<QueryExplanation> explainQuery(
    const ScenarioConfig& config, const std::string& op, const std::vector<int64_t>& keys);

std::string formatExplanation(const QueryExplanation& explanation);

} // namespace shardsim::queries
