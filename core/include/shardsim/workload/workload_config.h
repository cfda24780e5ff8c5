#pragma once
// The `workload` section: how many requests arrive, which keys they hit, from where, and what they do. Value types
// only; they live beside the workload laws that take them, and the scenario reader fills them in.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shardsim {

enum class RateShapeKind {
    Constant, // `base` all the time
    Diurnal, // a daily sine between `base` (trough) and base x peak at `peak_hour`
    Double11, // base, then a ramp to base x peak at `at`, a hold, and an exponential decay back
    Points, // piecewise linear through (time, rate) points, flat before the first and after the last
};

struct RatePoint {
    double at = 0; // s since the start
    double rate = 0; // requests/s
};

struct RateShapeConfig {
    RateShapeKind kind = RateShapeKind::Constant; // written `shape:`; default constant
    double base = 0; // requests/s; required except for points
    double peak = 1; // factor over base at the top; default 2x (diurnal), 10x (double-11)
    double at = 0; // s, double-11: when the ramp starts; default 0
    double ramp = 60; // s, double-11: base to peak; default 1m
    double hold = 600; // s, double-11: time at the peak; default 10m
    double decay = 1800; // s, double-11: time constant of the fall back to base; default 30m
    double peakHour = 20; // hour of day 0..24 (diurnal); simulated time 0 is midnight; default 20
    std::vector<RatePoint> points; // points: strictly increasing times; required for points
    double growth = 0; // compounding growth per year (`50%/year` = 0.5); default 0
};

enum class KeyDistributionKind {
    Uniform, // every key equally likely (default)
    Zipf, // rank r with probability ~ 1 / r^theta; rank 1 is the smallest key
    ScrambledZipf, // zipf ranks hashed over the key space: skewed but not clustered
    Hotspot, // hot_ops of the requests go to a hot_fraction of the keys
    Latest, // the newest keys are the most popular (zipf over recency)
    Trace, // requests replayed from a CSV of time,op,key[,table] rows, as recorded
    Sample, // keys drawn by the weights of a CSV of key,weight rows
    Recent, // `share` of the requests uniform over the newest keys (the last `window` of inserts), the rest uniform
};

enum class HotspotPosition {
    Start, // the smallest keys (default)
    End, // the largest (newest) keys
    Random, // a random place chosen from the seed
    Range, // an explicit part of the key space, `at: [40%, 45%]`
};

struct KeyDistributionConfig {
    KeyDistributionKind kind = KeyDistributionKind::Uniform; // written `distribution:`; default uniform
    double theta = 0.99; // zipf, scrambled-zipf, latest: skew, 0 < theta <= 10; default 0.99
    double hotFraction = 0.2; // hotspot: fraction of the key space that is hot; default 20%
    double hotOps = 0.8; // hotspot: fraction of requests sent to the hot keys; default 80%
    HotspotPosition hotAt = HotspotPosition::Start; // hotspot: where the hot keys are; default start
    double hotBegin = 0; // hotspot Range: start of the hot part, fraction of the key space
    double hotEnd = 0; // hotspot Range: end of the hot part (exclusive), fraction of the key space
    double drift = 0; // hotspot: key-space fraction the hot part moves per second, written `10%/h`; default 0
    std::string file; // trace, sample: the CSV file as written
    double window = 0; // recent: s of inserts whose keys are the newest, written `7d`; window x growth keys
    double windowKeys = 0; // recent: the newest keys as a count, written `keys: 10M`; set from `window` for a run
    double share = 0; // recent: fraction of requests on the newest keys; required
    std::string resolvedFile; // trace, sample: the file relative to the scenario's directory
};

struct GeoShare {
    std::string region; // a cluster region
    double share = 0; // fraction of requests; the shares add up to 1
    double shift = 0; // s, time-zone shift of this region's daily curve; default 0
};

enum class OperationKind {
    Point, // read of `keys` rows by `by` (default the table's key)
    Page, // ORDER BY order_by LIMIT offset, limit: every shard returns offset + limit rows
    Transaction, // writes `keys` rows over `tables` atomically (2PC when they span shards)
    Scan, // range scan of `limit` rows
    Aggregate, // COUNT/SUM/MIN/MAX, computed per shard and combined
    Join, // join of `tables` on `by`: local when they are bound, else cross-node
    Insert, // `keys` new rows with ids from the table's id scheme
};

struct OperationConfig {
    std::string name; // written `op:`; default "<kind>-<position>", unique within the mix
    OperationKind kind = OperationKind::Point; // required
    std::vector<std::string> tables; // `table:` or `tables:`; required, existing tables
    // Column of the WHERE condition. Default: the table's key (point), the first table's shard key
    // (transaction), none (page, scan, aggregate, join: every shard is asked; insert: not used).
    std::string by;
    std::string orderBy; // page, scan: sort column; default none (the key order)
    double weight = 1; // relative share of this operation in the mix; default 1
    int64_t limit = 20; // page, scan: rows returned; default 20
    int64_t offset = 0; // page: fixed offset; default 0
    int64_t maxOffset = 0; // page: offset drawn uniformly from offset..max_offset; default 0 (fixed)
    int64_t keys = 1; // point, transaction, insert: rows touched per request; default 1
    // Written `key_distribution:`, as workload.keys: the law this operation's keys are drawn by (point,
    // transaction, and page/scan/aggregate/join with `by`), e.g. recent orders read by `latest` while the
    // writes stay uniform. Default: none, workload.keys.
    std::optional<KeyDistributionConfig> keyLaw;
    int line = 0; // where the operation was written, for later messages
};

// What a shard request costs its node, in units of max_qps: per_request + per_row x rows it returns.
struct QueryCostConfig {
    double perRequest = 1; // units per shard request; default 1
    double perRow = 0; // units per row read; default 0
};

struct WorkloadConfig {
    std::string preset; // `preset:`, a published workload that filled keys, mix and the first table's row size
    // Required. A list stacks shapes: their rates add up. `rate: 50K/s` is a constant shape.
    std::vector<RateShapeConfig> rate;
    KeyDistributionConfig keys; // default uniform
    // `keys: none`: the records carry no key; the kafka rule's sticky partitioner places them. Default false.
    bool keyless = false;
    std::vector<GeoShare> geo; // in file order; default empty: requests come from no region in particular
    // Default: one point read of the first table by its key.
    std::vector<OperationConfig> mix;
    QueryCostConfig cost; // default { per_request: 1, per_row: 0 }: one unit per shard request
};

} // namespace shardsim
