#include "shardsim/workload/workload_presets.h"

namespace shardsim::workload {

namespace {

    KeyDistributionConfig keyLaw(KeyDistributionKind kind, double theta)
    {
        KeyDistributionConfig law;
        law.kind = kind;
        law.theta = theta;
        return law;
    }

    // mixgraph's 30 key ranges: the hottest takes 538 of db_bench's 667 access units (80.66%), placed at a random
    // range as db_bench shuffles them; the other 29 ranges are flattened into the cold part.
    KeyDistributionConfig mixgraphRanges()
    {
        KeyDistributionConfig law;
        law.kind = KeyDistributionKind::Hotspot;
        law.hotFraction = 1.0 / 30;
        law.hotOps = 538.0 / 667;
        law.hotAt = HotspotPosition::Random;
        return law;
    }

    constexpr auto Read = OperationKind::Point;
    constexpr auto Write = OperationKind::Transaction; // one row, one table: a single-shard write
    constexpr auto Insert = OperationKind::Insert;
    constexpr auto Scan = OperationKind::Scan;
    constexpr auto kTwitter = "OSDI 2020 cache traces, twitter/cache-trace stat/2020Mar.md";
    // YCSB's record: 10 fields of 100 bytes and a key "user" + up to 19 digits.
    constexpr double kYcsbRow = 10 * 100 + 23;

} // namespace

const std::vector<WorkloadPreset>& workloadPresets()
{
    static const std::vector<WorkloadPreset> presets {
        { "ycsb-a", "YCSB workloads/workloada", keyLaw(KeyDistributionKind::ScrambledZipf, 0.99),
            { { "read", Read, 0.5 }, { "update", Write, 0.5 } }, kYcsbRow },
        { "ycsb-b", "YCSB workloads/workloadb", keyLaw(KeyDistributionKind::ScrambledZipf, 0.99),
            { { "read", Read, 0.95 }, { "update", Write, 0.05 } }, kYcsbRow },
        { "ycsb-c", "YCSB workloads/workloadc", keyLaw(KeyDistributionKind::ScrambledZipf, 0.99),
            { { "read", Read, 1.0 } }, kYcsbRow },
        { "ycsb-d", "YCSB workloads/workloadd", keyLaw(KeyDistributionKind::Latest, 0.99),
            { { "read", Read, 0.95 }, { "insert", Insert, 0.05 } }, kYcsbRow },
        // Scan lengths are uniform over 1..100 in YCSB; shardsim's scan has one length, the nearest whole mean.
        { "ycsb-e", "YCSB workloads/workloade", keyLaw(KeyDistributionKind::ScrambledZipf, 0.99),
            { { "scan", Scan, 0.95, 50 }, { "insert", Insert, 0.05 } }, kYcsbRow },
        { "ycsb-f", "YCSB workloads/workloadf", keyLaw(KeyDistributionKind::ScrambledZipf, 0.99),
            { { "read", Read, 0.5 }, { "read-modify-write", Write, 0.5 } }, kYcsbRow },
        // The median of the 53 clusters with statistics: Zipf alpha 1.28 (over those with alpha > 0), reads 86%,
        // key 36 B, value 224 B.
        { "twitter", kTwitter, keyLaw(KeyDistributionKind::ScrambledZipf, 1.28),
            { { "get", Read, 0.86 }, { "set", Write, 0.14 } }, 36 + 224 },
        { "twitter-cluster52", kTwitter, keyLaw(KeyDistributionKind::ScrambledZipf, 1.2117),
            { { "get", Read, 0.93 }, { "set", Write, 0.06 } }, 20 + 273 },
        { "twitter-cluster7", kTwitter, keyLaw(KeyDistributionKind::ScrambledZipf, 1.0666),
            { { "get", Read, 0.82 }, { "set", Write, 0.18 } }, 17 + 1936 },
        { "twitter-cluster12", kTwitter, keyLaw(KeyDistributionKind::ScrambledZipf, 0.3048),
            { { "get", Read, 0.20 }, { "set", Write, 0.80 } }, 44 + 1030 },
        // GET:SET 30:1; key size GEV(30.7984, 8.20449, 0.078688), mean 36.2 B; value size generalized Pareto
        // (0, 214.476, 0.348238), mean 329.1 B. The paper fits no popularity law for ETC: YCSB's Zipf 0.99 stands in.
        { "meta-etc", "Atikoglu et al., SIGMETRICS 2012, the ETC pool",
            keyLaw(KeyDistributionKind::ScrambledZipf, 0.99), { { "get", Read, 30 }, { "set", Write, 1 } },
            36.2 + 329.1 },
        // Get/Put/Seek 0.85/0.14/0.01; 48-byte keys, values generalized Pareto (k 0.2615, sigma 25.45), mean 34.5 B;
        // scan lengths generalized Pareto (k 2.517, sigma 14.236), whose mean is infinite: the median, 27 rows.
        { "rocksdb-mixgraph", "Cao et al., FAST 2020, db_bench mixgraph", mixgraphRanges(),
            { { "get", Read, 0.85 }, { "put", Write, 0.14 }, { "seek", Scan, 0.01, 27 } }, 48 + 34.5 },
    };
    return presets;
}

const WorkloadPreset* findWorkloadPreset(std::string_view name)
{
    for (const WorkloadPreset& preset : workloadPresets())
        if (preset.name == name)
            return &preset;
    return nullptr;
}

} // namespace shardsim::workload
