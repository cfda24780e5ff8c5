#include "rules/consistent/jump_hash.h"

#include "shardsim/rules/hashes.h"

namespace shardsim::rules {

uint64_t jumpInput(const Key& key)
{
    switch (key.type) {
    case KeyType::Int32:
    case KeyType::Int64:
        return static_cast<uint64_t>(key.i);
    case KeyType::UInt64:
        return key.u;
    case KeyType::String:
    case KeyType::Bytes:
        break;
    }
    return hashes::hashKey(hashes::HashFunction::Murmur3, key);
}

int32_t jumpConsistentHash(uint64_t key, int32_t buckets, std::vector<int64_t>* visited)
{
    // The key's bucket as the bucket count grows: it jumps forward to `target`, where it stays for every
    // count up to `target`. The LCG makes each jump length a function of the key alone.
    constexpr uint64_t kMultiplier = 2862933555777941757ULL;
    const double twoTo31 = static_cast<double>(int64_t(1) << 31);
    int64_t bucket = -1;
    int64_t target = 0;
    while (target < buckets) {
        bucket = target;
        if (visited)
            visited->push_back(bucket);
        key = key * kMultiplier + 1;
        // (bucket + 1) * 2^31 < 2^62, so the conversion back to int64 cannot overflow.
        target
            = static_cast<int64_t>(static_cast<double>(bucket + 1) * (twoTo31 / static_cast<double>((key >> 33) + 1)));
    }
    if (visited)
        visited->push_back(target);
    return static_cast<int32_t>(bucket);
}

void jumpConsistentHashes(std::span<const int64_t> keys, int32_t count, std::span<int32_t> buckets)
{
    constexpr uint64_t kMultiplier = 2862933555777941757ULL;
    const double twoTo31 = static_cast<double>(int64_t(1) << 31);
    constexpr size_t kLanes = 8;
    size_t i = 0;
    for (; i + kLanes <= keys.size(); i += kLanes) {
        uint64_t key[kLanes];
        int64_t bucket[kLanes];
        int64_t target[kLanes];
        for (size_t l = 0; l < kLanes; ++l) {
            key[l] = static_cast<uint64_t>(keys[i + l]);
            bucket[l] = -1;
            target[l] = 0;
        }
        // Every lane steps until all have left the range; a finished lane keeps its bucket (the same steps as
        // jumpConsistentHash, so the same doubles and the same roundings).
        bool running = true;
        while (running) {
            running = false;
            for (size_t l = 0; l < kLanes; ++l) {
                if (target[l] >= count)
                    continue;
                bucket[l] = target[l];
                key[l] = key[l] * kMultiplier + 1;
                target[l] = static_cast<int64_t>(
                    static_cast<double>(bucket[l] + 1) * (twoTo31 / static_cast<double>((key[l] >> 33) + 1)));
                running = running || target[l] < count;
            }
        }
        for (size_t l = 0; l < kLanes; ++l)
            buckets[i + l] = static_cast<int32_t>(bucket[l]);
    }
    for (; i < keys.size(); ++i)
        buckets[i] = jumpConsistentHash(static_cast<uint64_t>(keys[i]), count);
}

} // namespace shardsim::rules
