#include "rules/consistent/jump_hash.h"

namespace shardsim::rules {

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

} // namespace shardsim::rules
