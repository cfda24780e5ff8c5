#include "engine/retired_totals.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace shardsim::engine {

void RetiredTotals::retire(Traffic& traffic, const std::string& rule, std::vector<ShardSummary> layout)
{
    std::vector<double> shardRequests;
    std::vector<double> current;
    traffic.totals(shardRequests, current);
    for (size_t s = 0; s < layout.size() && s < shardRequests.size(); ++s) {
        ShardSummary& shard = layout[s];
        shard.requests = shardRequests[s];
        const auto [entry, added] = shardIndex.try_emplace(rule + '\n' + shard.name, shards.size());
        if (added) {
            shards.push_back(Shard { rule, std::move(shard) });
        } else {
            Shard& same = shards[entry->second];
            same.summary.requests += shard.requests;
            same.summary.node = shard.node;
        }
    }
    operations.resize(current.size(), 0.0);
    for (size_t o = 0; o < current.size(); ++o)
        operations[o] += current[o];
    std::vector<QueryTotals> calls;
    traffic.queryTotals(calls);
    queries.resize(std::max(queries.size(), calls.size()));
    for (size_t o = 0; o < calls.size(); ++o)
        queries[o].add(calls[o]);
    std::vector<std::vector<double>> work;
    traffic.operationNodeWork(work);
    nodeWork.resize(std::max(nodeWork.size(), work.size()));
    for (size_t o = 0; o < work.size(); ++o) {
        std::vector<double>& retired = nodeWork[o];
        retired.resize(std::max(retired.size(), work[o].size()), 0.0);
        for (size_t n = 0; n < work[o].size(); ++n)
            retired[n] += work[o][n];
    }
}

void RetiredTotals::addShards(std::vector<ShardSummary>& final, const std::string& rule) const
{
    // Final shards by name, looked up once per retired shard: a run of splitting ranges retires thousands.
    std::unordered_map<std::string_view, size_t> finalIndex;
    finalIndex.reserve(final.size());
    for (size_t s = 0; s < final.size(); ++s)
        finalIndex.try_emplace(final[s].name, s);
    std::vector<ShardSummary> earlierShards;
    for (const Shard& retired : shards) {
        const auto same = retired.rule == rule ? finalIndex.find(retired.summary.name) : finalIndex.end();
        if (same != finalIndex.end()) {
            final[same->second].requests += retired.summary.requests;
            continue;
        }
        ShardSummary earlier = retired.summary;
        // Under its own rule a shard the final layout lacks is a range that split or merged since (auto-range): the
        // rule's name would only repeat the final one's.
        earlier.name += retired.rule == rule ? std::string(" (since split or merged)") : " (" + retired.rule + ")";
        earlier.node = -1;
        earlierShards.push_back(std::move(earlier));
    }
    // Appended after the lookups: growing `final` would move the names the index points into.
    final.insert(final.end(), std::make_move_iterator(earlierShards.begin()), std::make_move_iterator(earlierShards.end()));
}

std::vector<double> RetiredTotals::operationsWith(Traffic& traffic, std::vector<double>& shardCounts) const
{
    std::vector<double> out;
    traffic.totals(shardCounts, out);
    for (size_t o = 0; o < operations.size() && o < out.size(); ++o)
        out[o] += operations[o];
    return out;
}

std::vector<QueryTotals> RetiredTotals::queriesWith(Traffic& traffic) const
{
    std::vector<QueryTotals> current;
    traffic.queryTotals(current);
    if (queries.empty())
        return current;
    std::vector<QueryTotals> run = queries;
    run.resize(std::max(run.size(), current.size()));
    for (size_t o = 0; o < current.size(); ++o)
        run[o].add(current[o]);
    return run;
}

std::vector<std::vector<double>> RetiredTotals::nodeWorkWith(Traffic& traffic) const
{
    std::vector<std::vector<double>> work;
    traffic.operationNodeWork(work);
    work.resize(std::max(work.size(), nodeWork.size()));
    for (size_t o = 0; o < nodeWork.size(); ++o) {
        work[o].resize(std::max(work[o].size(), nodeWork[o].size()), 0.0);
        for (size_t n = 0; n < nodeWork[o].size(); ++n)
            work[o][n] += nodeWork[o][n];
    }
    return work;
}

} // namespace shardsim::engine
