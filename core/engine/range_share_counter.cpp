#include "engine/range_share_counter.h"

#include <algorithm>
#include <cmath>

#include "rules/range_shares.h"

namespace shardsim::engine {

namespace {

    constexpr uint64_t kMinStep = 16'384; // keys between checkpoints at least: a range costs at most this many routes
    constexpr uint64_t kMaxCheckpointCounts = uint64_t(1) << 23; // 32 MB of checkpoints at most, however many shards
    constexpr size_t kBatch = 4096; // keys per shardsOfIntegers call
    constexpr size_t kMaxRememberedPrefixes = 4096;

} // namespace

RangeShareCounter::RangeShareCounter(const ShardRule& rule, uint64_t exactKeys)
    : m_rule(&rule)
    , m_exactKeys(std::max<uint64_t>(ShardRule::kRangeShareKeys,
          static_cast<uint64_t>(static_cast<double>(exactKeys) / std::max(1.0, rule.keyRoutingCost()))))
    , m_slots(static_cast<size_t>(rule.shardCount()) + 1)
{
    const uint64_t checkpoints = std::max<uint64_t>(1, kMaxCheckpointCounts / m_slots);
    m_step = std::max(kMinStep, (m_exactKeys + checkpoints - 1) / checkpoints);
    m_running.assign(m_slots, 0);
    m_checkpoints.push_back(m_running);
    m_keys.resize(kBatch);
    m_shards.resize(kBatch);
}

double RangeShareCounter::addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares)
{
    const rules::WideInt length = rules::rangeLength(lo, hi);
    // Closed forms are exact, and a short range is routed key by key by the rule itself.
    if (m_rule->countsRangesExactly() || length <= ShardRule::kRangeShareKeys)
        return m_rule->addRangeShares(lo, hi, mass, shares);
    const double perKey = mass / static_cast<double>(length);
    double refused = 0;
    const auto first = static_cast<uint64_t>(std::max<int64_t>(lo, 1));
    const uint64_t last = hi < 1 ? 0 : std::min(static_cast<uint64_t>(hi), m_exactKeys);
    if (first <= last) {
        Counts counts = prefix(last); // a copy: the next call may forget remembered prefixes
        const Counts& before = prefix(first - 1);
        const size_t shards = std::min(shares.size(), m_slots - 1);
        for (size_t s = 0; s < shards; ++s)
            shares[s] += perKey * static_cast<double>(counts[s] - before[s]);
        refused += perKey * static_cast<double>(counts[m_slots - 1] - before[m_slots - 1]);
    }
    // Keys outside 1..exactKeys: the rule's expected fractions.
    const auto outside = [&](int64_t a, int64_t b) {
        if (a <= b)
            refused += m_rule->addRangeShares(a, b, perKey * static_cast<double>(rules::rangeLength(a, b)), shares);
    };
    outside(lo, std::min<int64_t>(hi, 0));
    if (m_exactKeys < static_cast<uint64_t>(INT64_MAX))
        outside(std::max(lo, static_cast<int64_t>(m_exactKeys) + 1), hi);
    return refused;
}

bool RangeShareCounter::needsCounting(uint64_t first, uint64_t last) const
{
    if (last < first || m_rule->countsRangesExactly())
        return false;
    const auto length = static_cast<double>(last - first + 1);
    const double countable = first > m_exactKeys ? 0.0 : static_cast<double>(std::min(last, m_exactKeys) - first + 1);
    const double shards = static_cast<double>(m_slots - 1);
    return (shards - 1) / length > kShareError * kShareError && countable >= length / 2;
}

double RangeShareCounter::shareStandardError(uint64_t first, uint64_t last) const
{
    if (last < first || m_rule->countsRangesExactly() || last - first + 1 <= ShardRule::kRangeShareKeys)
        return 0;
    const auto length = static_cast<double>(last - first + 1);
    double beyond = length;
    if (needsCounting(first, last))
        beyond = last > m_exactKeys ? static_cast<double>(last - std::max(first - 1, m_exactKeys)) : 0.0;
    return std::sqrt((static_cast<double>(m_slots - 1) - 1) * beyond) / length;
}

const RangeShareCounter::Counts& RangeShareCounter::prefix(uint64_t x)
{
    if (x == 0)
        return m_checkpoints.front();
    if (const auto found = m_prefixes.find(x); found != m_prefixes.end())
        return found->second;
    sweepTo(x);
    const uint64_t c = x / m_step;
    const uint64_t below = c * m_step;
    Counts counts;
    // From the nearer checkpoint: up from the one below, or down from the one above when the sweep has passed it.
    if (c + 1 < m_checkpoints.size() && (c + 1) * m_step - x < x - below) {
        counts = m_checkpoints[c + 1];
        route(x + 1, (c + 1) * m_step, -1, counts);
    } else {
        counts = m_checkpoints[c];
        route(below + 1, x, +1, counts);
    }
    if (m_prefixes.size() >= kMaxRememberedPrefixes)
        m_prefixes.clear();
    return m_prefixes.emplace(x, std::move(counts)).first->second;
}

void RangeShareCounter::sweepTo(uint64_t x)
{
    const uint64_t target = std::min(m_exactKeys, (x + m_step - 1) / m_step * m_step);
    while (m_counted < target) {
        const uint64_t next = std::min(target, (m_counted / m_step + 1) * m_step);
        route(m_counted + 1, next, +1, m_running);
        m_counted = next;
        if (next % m_step == 0)
            m_checkpoints.push_back(m_running);
    }
}

void RangeShareCounter::route(uint64_t first, uint64_t last, int sign, Counts& counts)
{
    const auto shards = static_cast<uint32_t>(m_slots - 1);
    for (uint64_t from = first; from <= last; from += kBatch) {
        const size_t batch = static_cast<size_t>(std::min<uint64_t>(kBatch, last - from + 1));
        for (size_t i = 0; i < batch; ++i)
            m_keys[i] = static_cast<int64_t>(from + i);
        m_rule->shardsOfIntegers(std::span(m_keys).first(batch), m_shards);
        for (size_t i = 0; i < batch; ++i) {
            const auto shard = static_cast<uint32_t>(m_shards[i]); // -1 (refused) becomes large
            counts[shard < shards ? shard : shards] += static_cast<uint32_t>(sign);
        }
    }
}

} // namespace shardsim::engine
