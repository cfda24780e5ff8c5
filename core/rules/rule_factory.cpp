#include "shardsim/rules/rule_factory.h"

#include <fmt/format.h>

#include "rules/rule_makers.h"
#include "shardsim/common/suggest.h"

namespace shardsim {

namespace {

    using Maker = ShardRulePtr (*)(RuleParams&, const RuleContext&);

    struct Entry {
        RuleInfo info;
        Maker make;
    };

    const std::vector<Entry>& registry()
    {
        using namespace rules;
        static const std::vector<Entry> entries {
            { { "mod", "mod:n=N", "integer key mod N" }, makeModRule },
            { { "hash-mod", "hash-mod:n=N[,hash=java|murmur3|xxhash64|fnv1a64|crc32]",
                  "hash(key) mod N; java is ShardingSphere's HASH_MOD" },
                makeHashModRule },
            { { "range", "range:bounds=B1|B2|...", "shard i holds bounds[i-1] <= key < bounds[i]" }, makeRangeRule },
            { { "auto-range",
                  "auto-range:preset=tikv|cockroachdb|mongodb|hbase|yugabyte|foundationdb[,split_size=S][,split_qps=Q]"
                  "[,merge_size=S][,snapshot_rate=R/s]...[,bounds=B1|B2|...]",
                  "ranges that split, merge and move as the preset's system does; routes like range over its bounds" },
                makeAutoRangeRule },
            { { "range-mod", "range-mod:span=S,mod=M,dbs=D[,overflow=error|clamp]",
                  "a range of S keys picks the database, key mod M the table inside it" },
                makeRangeModRule },
            { { "geo", "geo:map=REGION:SHARD|...", "the request's region decides the shard" }, makeGeoRule },
            { { "directory", "directory:map=KEY:SHARD|...|file=PATH.csv[,buckets=B][,default=S]",
                  "an explicit key (or bucket) to shard mapping table" },
                makeDirectoryRule },
            { { "db-table", "db-table:dbs=D,tables=T[,fold=F]",
                  "db = (key / T) % D + 1, table = key % T; fold maps db onto (db - 1) % F + 1" },
                makeDbTableRule },
            { { "ring", "ring:nodes=N[,vnodes=100][,hash=murmur3]", "consistent-hash ring with virtual nodes (Karger)" },
                makeRingRule },
            { { "jump", "jump:buckets=N", "jump consistent hash (Lamping & Veach)" }, makeJumpRule },
            { { "rendezvous", "rendezvous:nodes=N", "highest-random-weight hashing" }, makeRendezvousRule },
            { { "rendezvous-skeleton", "rendezvous-skeleton:nodes=N[,fanout=16]",
                  "highest-random-weight hashing down a tree of fan-out F: O(F log N) per key" },
                makeRendezvousSkeletonRule },
            { { "maglev", "maglev:nodes=N[,table=65537]", "Maglev lookup table (NSDI 2016), M prime" }, makeMaglevRule },
            { { "bounded", "bounded:nodes=N,c=1.25[,keys=1M][,vnodes=100]", "consistent hashing with bounded loads" },
                makeBoundedRule },
            { { "vitess-hash", "vitess-hash:shards=N", "Vitess hash vindex (DES of the id) over N shards" },
                makeVitessHashRule },
            { { "vitess-xxhash", "vitess-xxhash:shards=N", "Vitess xxhash vindex over N shards" },
                makeVitessXxhashRule },
            { { "vitess-numeric", "vitess-numeric:shards=N", "Vitess numeric vindex (the id is the keyspace id)" },
                makeVitessNumericRule },
            { { "murmur3", "murmur3:nodes=N", "Cassandra Murmur3Partitioner tokens on N evenly spaced nodes" },
                makeCassandraMurmur3Rule },
            { { "mongo-hashed", "mongo-hashed:chunks=N", "MongoDB hashed shard key, initial split into N chunks" },
                makeMongoHashedRule },
            { { "redis-cluster", "redis-cluster:nodes=N",
                  "Redis Cluster: CRC16 hash slot (with {hash tags}), slots split over N masters as redis-cli does" },
                makeRedisClusterRule },
            { { "kafka", "kafka:partitions=N[,batch_size=16384][,adaptive=true|false][,availability_timeout=MS]",
                  "Kafka default partitioner: murmur2 of the key; records without one take the sticky partitioner" },
                makeKafkaRule },
            { { "elasticsearch", "elasticsearch:shards=N[,routing_shards=R][,partition_size=P][,version=7|9.4]",
                  "Elasticsearch document routing (murmur3 of the routing value)" },
                makeElasticsearchRule },
            { { "citus", "citus:shards=N[,type=int4|int8|text][,workers=W]",
                  "Citus hash-distributed table: PostgreSQL hash into N int32 ranges" },
                makeCitusRule },
            { { "guava", "guava:buckets=N",
                  "Guava Hashing.consistentHash: jump hash in Guava's arithmetic (differs from jump on rare keys)" },
                makeGuavaRule },
            { { "shardingsphere-mod", "shardingsphere-mod:count=N", "ShardingSphere MOD: BigInteger value mod N" },
                makeShardingSphereModRule },
            { { "shardingsphere-hash-mod", "shardingsphere-hash-mod:count=N",
                  "ShardingSphere HASH_MOD: abs((long) hashCode) % N" },
                makeShardingSphereHashModRule },
            { { "shardingsphere-volume-range", "shardingsphere-volume-range:lower=L,upper=U,volume=V",
                  "ShardingSphere VOLUME_RANGE: tables of V values from L to U, open-ended at both sides" },
                makeShardingSphereVolumeRangeRule },
            { { "shardingsphere-boundary-range", "shardingsphere-boundary-range:bounds=B1|B2|...",
                  "ShardingSphere BOUNDARY_RANGE: k bounds, k + 1 tables" },
                makeShardingSphereBoundaryRangeRule },
            { { "shardingsphere-interval",
                  "shardingsphere-interval:lower=DT,upper=DT,suffix=yyyyMM[,unit=DAYS][,amount=1][,key_seconds=S]",
                  "ShardingSphere INTERVAL: a table per amount units of time, named by the suffix" },
                makeShardingSphereIntervalRule },
            { { "shardingsphere-auto-interval", "shardingsphere-auto-interval:lower=DT,upper=DT,seconds=S[,key_seconds=S]",
                  "ShardingSphere AUTO_INTERVAL: a table per S seconds" },
                makeShardingSphereAutoIntervalRule },
            { { "mycat-long", "mycat-long:count=C1|C2,length=L1|L2",
                  "MyCat PartitionByLong: 1024 slots in segments" },
                makeMycatLongRule },
            { { "mycat-murmur", "mycat-murmur:nodes=N[,virtual=160][,seed=0]",
                  "MyCat PartitionByMurmurHash: Guava murmur3_32 ring" },
                makeMycatMurmurRule },
            { { "mycat-crc32slot", "mycat-crc32slot:nodes=N", "MyCat crc32slot: crc32 % 102400 slots in blocks" },
                makeMycatCrc32SlotRule },
            { { "ketama", "ketama:servers=HOST:PORT|...", "libketama / spymemcached MD5 continuum, 160 points each" },
                makeKetamaRule },
            { { "envoy-ring", "envoy-ring:hosts=H1|H2|...[,min_ring=1024][,max_ring=8388608]",
                  "Envoy ring_hash load balancer (xxHash64)" },
                makeEnvoyRingRule },
            { { "envoy-maglev", "envoy-maglev:hosts=H1|H2|...[,table=65537]", "Envoy maglev load balancer" },
                makeEnvoyMaglevRule },
        };
        return entries;
    }

    std::string joined(const std::vector<std::string>& errors)
    {
        std::string out;
        for (size_t i = 0; i < errors.size(); ++i)
            out += (i ? "; " : "") + errors[i];
        return out;
    }

} // namespace

const std::vector<RuleInfo>& ruleCatalog()
{
    static const std::vector<RuleInfo> catalog = [] {
        std::vector<RuleInfo> infos;
        for (const Entry& entry : registry())
            infos.push_back(entry.info);
        return infos;
    }();
    return catalog;
}

Result<ShardRulePtr> makeRule(const RuleSpec& spec, const RuleContext& context)
{
    for (const Entry& entry : registry()) {
        if (entry.info.name != spec.name)
            continue;
        RuleParams params(spec);
        ShardRulePtr rule = entry.make(params, context);
        const auto& errors = params.finish();
        if (!errors.empty())
            return fail(joined(errors));
        if (!rule)
            return fail(fmt::format("rule '{}' could not be built from '{}'", spec.name, spec.toString()));
        return rule;
    }
    std::vector<std::string> names;
    for (const Entry& entry : registry())
        names.push_back(entry.info.name);
    return fail(fmt::format("unknown rule '{}'{}", spec.name, didYouMean(spec.name, names)));
}

Result<ShardRulePtr> makeRule(std::string_view specText, const RuleContext& context)
{
    auto spec = parseRuleSpec(specText);
    if (!spec)
        return fail(spec.error());
    return makeRule(*spec, context);
}

} // namespace shardsim
