#pragma once
// What the routing replaced at a cutover had counted: the run's totals are those of every routing it had.

#include <string>
#include <unordered_map>
#include <vector>

#include "engine/traffic.h"
#include "shardsim/engine/run_result.h"

namespace shardsim::engine {

struct RetiredTotals {
    std::vector<double> operations; // requests per operation
    std::vector<QueryTotals> queries; // calls per operation
    std::vector<std::vector<double>> nodeWork; // [operation][node]
    // The shards of the layouts replaced so far, with the requests they took while they served; one entry per shard
    // of a rule (the same rule's shard in two layouts, say before and after a placement change, is one).
    struct Shard {
        std::string rule; // ShardRule::spec() of its layout
        ShardSummary summary;
    };
    std::vector<Shard> shards;
    // rule + '\n' + shard name -> index into shards: a run whose ranges split and move retires thousands of shards
    // hundreds of times.
    std::unordered_map<std::string, size_t> shardIndex;

    bool empty() const { return operations.empty(); } // no cutover yet
    // Adds the counts of `traffic`, about to be replaced; `layout` names the shards it routed to (their names and
    // primary nodes, in shard order) under the rule `rule`.
    void retire(Traffic& traffic, const std::string& rule, std::vector<ShardSummary> layout);
    // Adds the retired shards to `final`, the shards of the last layout (rule `rule`), so that together they cover
    // the whole run: a shard of that rule adds its requests to the final shard of the same name; a shard of another
    // rule is listed after them as "NAME (RULE)", on no node (its rows moved away at the cutover, node -1).
    void addShards(std::vector<ShardSummary>& final, const std::string& rule) const;
    // `traffic`'s counts with the retired ones: calls before the last cutover first, so a per-call value the whole
    // run shared stays as it was.
    std::vector<double> operationsWith(Traffic& traffic, std::vector<double>& shards) const;
    std::vector<QueryTotals> queriesWith(Traffic& traffic) const;
    std::vector<std::vector<double>> nodeWorkWith(Traffic& traffic) const;
};

} // namespace shardsim::engine
