#pragma once
// What a scenario asks the engine to simulate, resolved once: the regions requests come from, the operations of
// the mix and the key space each one reads, and how each table's rows are spread.
//
// A key domain is a key space 1..n that requests draw from: a table with its own keys, together with every table
// bound to it (`bound_to`) or sharded by its key (`shard_key` naming another table's `key`), whose rows live with
// the parent's key. n follows the root table's rows: rows + growth * t.

#include <cstdint>
#include <string>
#include <vector>

#include "queries/query_shape.h"
#include "shardsim/common/result.h"
#include "shardsim/scenario/scenario_config.h"
#include "shardsim/workload/rate_curve.h"

namespace shardsim::engine {

struct RegionPlan {
    std::string name; // empty for requests from no region in particular (a workload without geo)
    double share = 1; // of all requests
    workload::RateCurve curve; // the workload's rate seen from this region (its `shift` applied)
};

struct OperationPlan {
    std::string name;
    double fraction = 0; // weight over the sum of weights
    int table = 0; // the operation's first table
    int domain = -1; // key domain its keys are drawn from; -1 for a broadcast table
    // The KeyDomain (TrafficSetup::domains) whose law draws its keys: `domain` itself, or, for an operation with
    // its own `key_distribution`, one past the plan's domains (RunPlan::keyLaws); -1 for a broadcast table.
    int law = -1;
    std::string keyLaw; // its own key law in words ("latest theta 0.99"); empty: workload.keys
    int group = 0; // business database of its tables (data.databases); 0 without
    bool write = false; // insert and transaction
    bool broadcast = false; // its table is copied to every database
    queries::QueryShape query; // the shards, lookups and rows one call touches
};

struct DomainPlan {
    int table = 0; // the root table, whose keys 1..n requests draw
    int group = 0; // business database of its tables; 0 without
    double rows = 0; // keys at the start
    double growth = 0; // keys added per second

    // Keys at time t, at least 1: an empty table is read as if it had key 1, so its requests still land on a shard.
    uint64_t keysAt(double t) const;
};

// An operation's own key law over the keys of one domain: the same keys, drawn by another law.
struct KeyLawPlan {
    int domain = 0; // the key domain whose keys it draws
    std::string op; // the operation's name, for messages
    KeyDistributionConfig keys;
};

struct TablePlan {
    int domain = -1; // the key domain its rows are spread over; -1 for a broadcast table
    int group = 0; // business database (data.databases) it lives in; 0 without
    bool ownKeys = false; // its rows are the domain's keys themselves (the root table)
    double rows = 0; // at the start
    double growth = 0; // rows/s
    double rowSize = 0; // bytes
    IdScheme ids = IdScheme::Sequential;

    double rowsAt(double t) const { return rows + growth * t; }
};

class RunPlan {
public:
    // `rangeRule`: the rule keeps keys in ranges (a scan by the shard key stays on one shard).
    static Result<RunPlan> create(const ScenarioConfig& config, bool rangeRule = false);

    const std::vector<RegionPlan>& regions() const { return m_regions; }
    const std::vector<OperationPlan>& operations() const { return m_operations; }
    const std::vector<DomainPlan>& domains() const { return m_domains; }
    const std::vector<TablePlan>& tables() const { return m_tables; }
    // The operations' own key laws, in mix order: OperationPlan::law = domains().size() + index.
    const std::vector<KeyLawPlan>& keyLaws() const { return m_keyLaws; }
    // The domain shown on the heat map: the first table's, or the first sharded table's when that is broadcast;
    // -1 when every table is broadcast.
    int heatDomain() const { return m_heatDomain; }

    // A range of domain `domain`'s keys' bytes per root row at t: the root table's row and the rows of the tables
    // that live with its keys.
    double bytesPerRootRow(int domain, double t) const;

    // Expected requests of region r over [t0, t1).
    double expectedRequests(size_t region, double t0, double t1) const;
    // Over the whole run, all regions.
    double expectedRequestsOfRun(double duration) const;

private:
    std::vector<RegionPlan> m_regions;
    std::vector<OperationPlan> m_operations;
    std::vector<DomainPlan> m_domains;
    std::vector<TablePlan> m_tables;
    std::vector<KeyLawPlan> m_keyLaws;
    int m_heatDomain = -1;
};

} // namespace shardsim::engine
