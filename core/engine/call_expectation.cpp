#include "engine/call_expectation.h"

#include <algorithm>
#include <cmath>

#include "engine/routed_search.h"
#include "engine/sticky_partitioner.h"
#include "queries/fanout_math.h"

namespace shardsim::engine {

namespace {

    // The key draws of one call: `keys` draws from each of these share vectors.
    struct Family {
        std::vector<double> shares;
        double refused = 0;
    };

    double ipow(double base, int64_t k) { return std::pow(std::clamp(base, 0.0, 1.0), static_cast<double>(k)); }

    void addHistogram(std::vector<double>& into, size_t at, double mass)
    {
        if (into.size() <= at)
            into.resize(at + 1, 0.0);
        into[at] += mass;
    }

} // namespace

void domainShares(const TrafficSetup& setup, int domain, size_t region, std::vector<double>& shares, double& refused)
{
    const size_t shardCount = static_cast<size_t>(setup.cluster->shardsPerGroup());
    shares.assign(shardCount, 0.0);
    refused = 0;
    if (setup.sticky) {
        const auto sticky = setup.sticky->shares();
        std::copy_n(sticky.begin(), std::min(sticky.size(), shardCount), shares.begin());
        return;
    }
    if (setup.geoRule) {
        const int shard = setup.shardOfRegion[region];
        if (shard >= 0)
            shares[static_cast<size_t>(shard)] = 1;
        else if (shard == kRegionAnyShard)
            std::fill(shares.begin(), shares.end(), 1.0 / static_cast<double>(shardCount));
        else
            refused = 1;
        return;
    }
    const KeyDomain& keys = *setup.domains[static_cast<size_t>(domain)];
    const auto law = keys.shardShares();
    for (size_t s = 0; s < shardCount && s < law.size(); ++s)
        shares[s] = law[s];
    refused = keys.refusedShare();
}

int nextKeyShard(const TrafficSetup& setup, const OperationPlan& op)
{
    const TablePlan& table = setup.plan->tables()[static_cast<size_t>(op.table)];
    if (setup.geoRule || setup.sticky || !table.ownKeys || table.ids == IdScheme::Uuid)
        return -2;
    const KeyDomain& keys = *setup.domains[static_cast<size_t>(op.domain)];
    const int shard = setup.rule->shardOfInteger(static_cast<int64_t>(keys.keyCount() + 1));
    return shard >= 0 ? shard : -1;
}

namespace {

// A search by one routing value on a rule that spreads a value over several shards: every shard it visits is asked
// once and returns its page (or partial).
void expectRoutedSearch(const TrafficSetup& setup, const OperationPlan& op, CallShares& call)
{
    const queries::QueryShape& query = op.query;
    const SearchLaw law = routedSearchLaw(*setup.rule, setup.domains[static_cast<size_t>(op.law)]->law());
    const double reads = 1.0 + query.extensionReads;
    const double shardRows = query.meanShardRows();
    for (size_t s = 0; s < call.shardRequests.size() && s < law.visited.size(); ++s) {
        call.shardRequests[s] += law.visited[s] * reads;
        call.shardRows[s] += law.visited[s] * shardRows;
    }
    for (size_t d = 1; d < law.histogram.size(); ++d)
        call.fanout += static_cast<double>(d) * law.histogram[d];
    call.rows += call.fanout * shardRows;
    call.refused += law.histogram[0];
    call.requests += call.fanout * reads + law.histogram[0];
    call.histogram = law.histogram;
    call.crossShard = std::max(0.0, 1 - law.histogram[0] - (law.histogram.size() > 1 ? law.histogram[1] : 0.0));
}

// The call within its business database: shards and databases are the rule's (for a shard s of the rule,
// cluster.databaseOfShard(s) is the rule's database of s).
CallShares expectCallInGroup(const TrafficSetup& setup, const OperationPlan& op, size_t region)
{
    const queries::QueryShape& query = op.query;
    const ClusterLayout& cluster = *setup.cluster;
    const size_t shards = static_cast<size_t>(cluster.shardsPerGroup());
    const size_t databases = static_cast<size_t>(cluster.databasesPerGroup());
    CallShares call;
    call.shardRequests.assign(shards, 0.0);
    call.shardRows.assign(shards, 0.0);
    call.databaseRequests.assign(databases, 0.0);
    call.databaseRows.assign(databases, 0.0);
    const auto keys = static_cast<double>(query.keys);
    const double shardRows = query.meanShardRows();
    const double keyRows = keys * static_cast<double>(query.rowsPerKey);

    if (query.reach == queries::Reach::BroadcastRead) {
        const std::vector<int>& copies = setup.readCopiesOfRegion[region];
        for (int d : copies) {
            call.databaseRequests[static_cast<size_t>(d)] += 1.0 / static_cast<double>(copies.size());
            call.databaseRows[static_cast<size_t>(d)] += (shardRows + keyRows) / static_cast<double>(copies.size());
        }
        call.requests = 1;
        call.fanout = 1;
        call.histogram = { 0.0, 1.0 };
        call.rows = shardRows + keyRows;
        return call;
    }
    if (query.reach == queries::Reach::BroadcastWrite) {
        const double prepare = query.twoPhase && databases > 1 ? 1.0 : 0.0;
        for (size_t d = 0; d < databases; ++d) {
            call.databaseRequests[d] = 1 + prepare;
            call.databaseRows[d] = keyRows;
        }
        call.requests = static_cast<double>(databases) * (1 + prepare);
        call.fanout = static_cast<double>(databases);
        addHistogram(call.histogram, databases, 1.0);
        call.rows = static_cast<double>(databases) * keyRows;
        call.crossShard = databases > 1 ? 1.0 : 0.0;
        call.roundTrips = prepare;
        return call;
    }

    // Mapping-table lookups: one per key, on the shard of the key's mapping row.
    if (query.mappingTable >= 0) {
        const int mapDomain = setup.plan->tables()[static_cast<size_t>(query.mappingTable)].domain;
        std::vector<double> shares;
        double refused = 0;
        domainShares(setup, mapDomain, region, shares, refused);
        for (size_t s = 0; s < shards; ++s) {
            call.shardRequests[s] += keys * shares[s];
            call.shardRows[s] += keys * shares[s];
        }
        call.refused += keys * refused;
        call.requests += keys;
        call.lookups = keys;
        call.rows += keys * (1 - refused);
    }

    // The broadcast copies a transaction writes besides its sharded rows.
    const bool broadcastWrites = query.broadcastWrites > 0;
    if (broadcastWrites) {
        for (size_t d = 0; d < databases; ++d) {
            call.databaseRequests[d] += static_cast<double>(query.broadcastWrites);
            call.databaseRows[d] += static_cast<double>(query.broadcastWrites) * keys;
        }
        call.requests += static_cast<double>(query.broadcastWrites * static_cast<int64_t>(databases));
        call.rows += static_cast<double>(query.broadcastWrites) * keys * static_cast<double>(databases);
    }

    if (query.reach == queries::Reach::EveryShard) {
        const double matching = keyRows + keys * static_cast<double>(query.scatteredSides.size());
        const double reads = 1.0 + query.extensionReads;
        for (size_t s = 0; s < shards; ++s) {
            call.shardRequests[s] += reads;
            call.shardRows[s] += shardRows + matching / static_cast<double>(shards);
        }
        call.requests += reads * static_cast<double>(shards);
        call.fanout = static_cast<double>(shards);
        addHistogram(call.histogram, shards, 1.0);
        call.rows += static_cast<double>(shards) * shardRows + matching;
        const bool cross = query.twoPhase ? (databases > 1 || broadcastWrites) : shards > 1;
        call.crossShard = cross ? 1.0 : 0.0;
        if (query.twoPhase && cross) {
            call.roundTrips = 1;
            for (size_t s = 0; s < shards; ++s)
                call.shardRequests[s] += 1;
            call.requests += static_cast<double>(shards);
        }
        return call;
    }

    if (query.routingSearch && !setup.geoRule && setup.rule->searchSpread() > 1) {
        expectRoutedSearch(setup, op, call);
        return call;
    }

    // Keys and NextKey: the lead table's keys, then one key per other table in its own key space.
    std::vector<Family> families(1);
    const int next = query.reach == queries::Reach::NextKey ? nextKeyShard(setup, op) : -2;
    if (next >= 0) {
        families[0].shares.assign(shards, 0.0);
        families[0].shares[static_cast<size_t>(next)] = 1;
    } else if (next == -1) {
        families[0].shares.assign(shards, 0.0);
        families[0].refused = 1;
    } else {
        domainShares(setup, op.law, region, families[0].shares, families[0].refused);
    }
    for (int table : query.otherTables) {
        Family family;
        domainShares(
            setup, setup.plan->tables()[static_cast<size_t>(table)].domain, region, family.shares, family.refused);
        families.push_back(std::move(family));
    }
    const int64_t k = query.keys;
    std::vector<double> touched(shards, 0.0);
    for (size_t s = 0; s < shards; ++s) {
        double untouched = 1;
        for (const Family& family : families) {
            untouched *= ipow(1 - family.shares[s], k);
        }
        touched[s] = 1 - untouched;
        call.shardRequests[s] += touched[s] * (1.0 + query.extensionReads);
        call.shardRows[s]
            += touched[s] * shardRows + keys * static_cast<double>(query.rowsPerKey) * families[0].shares[s];
        for (size_t f = 1; f < families.size(); ++f)
            call.shardRows[s] += keys * families[f].shares[s];
        call.fanout += touched[s];
    }
    if (families.size() == 1 && k == 1) {
        // One key touches one shard unless refused: said exactly, not as a sum of shares that rounds.
        call.fanout = 1 - families[0].refused;
    }
    call.rows += call.fanout * shardRows;
    double dataRefused = 0;
    for (size_t f = 0; f < families.size(); ++f) {
        const double perKey = f == 0 ? static_cast<double>(query.rowsPerKey) : 1.0;
        call.rows += keys * perKey * (1 - families[f].refused);
        dataRefused += keys * families[f].refused; // a refused key is a request that reaches no node
    }
    call.refused += dataRefused;
    call.requests += call.fanout * (1.0 + query.extensionReads) + dataRefused;

    const bool singleKey = families.size() == 1 && k == 1;
    if (singleKey) {
        call.histogram = { families[0].refused, 1 - families[0].refused };
    } else {
        // The fan-out's distribution: exact when every draw has the same law, else over the draws' mean law.
        std::vector<double> pooled(shards, 0.0);
        double pooledRefused = 0;
        for (const Family& family : families) {
            for (size_t s = 0; s < shards; ++s)
                pooled[s] += family.shares[s] / static_cast<double>(families.size());
            pooledRefused += family.refused / static_cast<double>(families.size());
        }
        call.histogram
            = queries::distinctShardHistogram(pooled, pooledRefused, k * static_cast<int64_t>(families.size()));
    }

    if (singleKey && !broadcastWrites) {
        call.crossShard = 0; // one key, one shard: never across shards, never 2PC
    } else if (!query.twoPhase) {
        double single = 0;
        for (size_t d = 0; d < 2 && d < call.histogram.size(); ++d)
            single += call.histogram[d];
        call.crossShard = std::max(0.0, 1 - single);
    } else if (broadcastWrites && databases > 1) {
        call.crossShard = 1;
        call.roundTrips = 1;
        for (size_t s = 0; s < shards; ++s)
            call.shardRequests[s] += touched[s];
        call.requests += call.fanout;
        for (size_t d = 0; d < databases; ++d)
            call.databaseRequests[d] += 1;
        call.requests += static_cast<double>(databases);
    } else {
        // 2PC when the touched shards span more than one database: P(every key in database d or refused), summed
        // over d, counts "all refused" once per database.
        std::vector<std::vector<double>> inDatabase(families.size(), std::vector<double>(databases, 0.0));
        for (size_t f = 0; f < families.size(); ++f) {
            for (size_t s = 0; s < shards; ++s)
                inDatabase[f][static_cast<size_t>(cluster.databaseOfShard(static_cast<int>(s)))]
                    += families[f].shares[s];
        }
        double allRefused = 1;
        for (const Family& family : families)
            allRefused *= ipow(family.refused, k);
        double local = 0;
        for (size_t d = 0; d < databases; ++d) {
            double within = 1;
            for (size_t f = 0; f < families.size(); ++f)
                within *= ipow(inDatabase[f][d] + families[f].refused, k);
            local += within - allRefused;
        }
        call.crossShard = std::clamp(1 - local - allRefused, 0.0, 1.0);
        call.roundTrips = call.crossShard;
        // The prepare round: one more request on every touched shard of a 2PC call.
        for (size_t s = 0; s < shards; ++s) {
            const size_t d = static_cast<size_t>(cluster.databaseOfShard(static_cast<int>(s)));
            double within = 1;
            double withinWithout = 1;
            for (size_t f = 0; f < families.size(); ++f) {
                within *= ipow(inDatabase[f][d] + families[f].refused, k);
                withinWithout *= ipow(inDatabase[f][d] + families[f].refused - families[f].shares[s], k);
            }
            const double prepare = std::max(0.0, touched[s] - (within - withinWithout));
            call.shardRequests[s] += prepare;
            call.requests += prepare;
        }
    }
    return call;
}


// Moves a group's vectors to the group's place among the layout's shards and databases.
void placeInGroup(std::vector<double>& values, size_t total, size_t first)
{
    std::vector<double> placed(total, 0.0);
    std::copy(values.begin(), values.end(), placed.begin() + static_cast<std::ptrdiff_t>(first));
    values = std::move(placed);
}

} // namespace

CallShares expectCall(const TrafficSetup& setup, const OperationPlan& op, size_t region)
{
    CallShares call = expectCallInGroup(setup, op, region);
    const ClusterLayout& cluster = *setup.cluster;
    if (cluster.groupCount() == 1)
        return call;
    const auto shards = static_cast<size_t>(cluster.shardCount());
    const auto databases = static_cast<size_t>(cluster.databaseCount());
    const auto firstShard = static_cast<size_t>(cluster.groupShard(op.group, 0));
    const auto firstDatabase = static_cast<size_t>(cluster.groupDatabase(op.group, 0));
    placeInGroup(call.shardRequests, shards, firstShard);
    placeInGroup(call.shardRows, shards, firstShard);
    placeInGroup(call.databaseRequests, databases, firstDatabase);
    placeInGroup(call.databaseRows, databases, firstDatabase);
    return call;
}

} // namespace shardsim::engine
