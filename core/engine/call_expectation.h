#pragma once
// The expected engine's view of one call of an operation from one region: the shard requests, rows and fan-out it
// causes on average, computed from the key domains' shard shares with the formulas of docs/queries-model.md
// (queries/fanout_math.h). Built when the expected engine rebuilds its mixes, never per tick or per request.

#include <vector>

#include "engine/traffic.h"

namespace shardsim::engine {

struct CallShares {
    std::vector<double> shardRequests; // per logical shard, per call (data, lookups, 2PC prepares)
    std::vector<double> shardRows;
    std::vector<double> databaseRequests; // broadcast copies, per database
    std::vector<double> databaseRows;
    double refused = 0; // shard requests per call whose key the rule refused (they reach no node)
    double requests = 0; // shard requests per call, refused included
    double fanout = 0; // E[distinct data shards]
    std::vector<double> histogram; // P(fan-out = d)
    double rows = 0;
    double lookups = 0;
    double crossShard = 0; // P(more than one shard); transactions: P(2PC)
    double roundTrips = 0; // extra 2PC round trips per call
};

// Each shard's share of domain `domain`'s keys for requests of region `region` (a geo rule routes by region), and
// the share the rule refuses.
void domainShares(const TrafficSetup& setup, int domain, size_t region, std::vector<double>& shares, double& refused);

CallShares expectCall(const TrafficSetup& setup, const OperationPlan& op, size_t region);

// The shard a monotone id scheme puts the next key of `op`'s table on, -1 when refused; -2 when the next key is
// not fixed (uuid keys, bound tables, geo rules): it spreads like the domain's keys.
int nextKeyShard(const TrafficSetup& setup, const OperationPlan& op);

} // namespace shardsim::engine
