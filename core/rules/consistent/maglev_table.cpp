#include "rules/consistent/maglev_table.h"

#include <string>

#include "rules/consistent/member_names.h"
#include "shardsim/rules/hashes.h"

namespace shardsim::rules {

bool isPrime(int64_t value)
{
    if (value < 2)
        return false;
    for (int64_t divisor = 2; divisor * divisor <= value; ++divisor) {
        if (value % divisor == 0)
            return false;
    }
    return true;
}

std::vector<int32_t> populateMaglevTable(int nodes, int64_t size)
{
    const auto m = static_cast<uint64_t>(size);
    std::vector<uint64_t> offset(static_cast<size_t>(nodes));
    std::vector<uint64_t> skip(static_cast<size_t>(nodes));
    for (int i = 0; i < nodes; ++i) {
        const std::string label = memberLabel(i);
        offset[static_cast<size_t>(i)] = hashes::hashBytes(hashes::HashFunction::XxHash64, label) % m;
        skip[static_cast<size_t>(i)] = hashes::hashBytes(hashes::HashFunction::Murmur3, label) % (m - 1) + 1;
    }
    // M is prime and 1 <= skip < M, so each preference list is a permutation of all entries: a shard always
    // finds a free entry while one is left, and next[i] stays below M, so next * skip < M^2 fits in 64 bits.
    std::vector<uint64_t> next(static_cast<size_t>(nodes), 0);
    std::vector<int32_t> entry(static_cast<size_t>(size), -1);
    uint64_t filled = 0;
    while (true) {
        for (int i = 0; i < nodes; ++i) {
            const auto s = static_cast<size_t>(i);
            uint64_t candidate = (offset[s] + next[s] * skip[s]) % m;
            while (entry[candidate] >= 0) {
                ++next[s];
                candidate = (offset[s] + next[s] * skip[s]) % m;
            }
            entry[candidate] = i;
            ++next[s];
            if (++filled == m)
                return entry;
        }
    }
}

} // namespace shardsim::rules
