#include "engine/range_share_counter.h"

#include <algorithm>
#include <cmath>

#include "engine/worker_pool.h"
#include "rules/range_shares.h"

namespace shardsim::engine {

namespace {

    constexpr uint64_t kMinStep = 16'384; // keys between checkpoints at least: a range costs at most this many routes
    constexpr uint64_t kMaxCheckpointCounts = uint64_t(1) << 23; // 32 MB of checkpoints at most, however many shards
    constexpr uint64_t kMaxPrefixCounts = uint64_t(1) << 22; // 16 MB of remembered prefixes at most
    constexpr size_t kBatch = 4096; // keys per shardsOfIntegers call

    uint64_t perCost(uint64_t keys, const ShardRule& rule)
    {
        return std::max<uint64_t>(ShardRule::kRangeShareKeys,
            static_cast<uint64_t>(static_cast<double>(keys) / std::max(1.0, rule.keyRoutingCost())));
    }

    bool cancelled(const std::atomic<bool>* cancel) { return cancel && cancel->load(std::memory_order_relaxed); }

} // namespace

RangeShareCounter::RangeShareCounter(const ShardRule& rule, CountingLimits limits)
    : m_rule(&rule)
    , m_exactKeys(perCost(limits.exactKeys, rule))
    , m_reach(std::max(m_exactKeys, perCost(limits.budgetKeys, rule)))
    , m_shareError(limits.shareError)
    , m_threads(std::max(1, limits.threads))
    , m_cancel(limits.cancel)
    , m_slots(static_cast<size_t>(rule.shardCount()) + 1)
    , m_step(kMinStep)
    , m_maxPrefixes(std::clamp<size_t>(kMaxPrefixCounts / m_slots, 64, 4096))
{
    m_running.assign(m_slots, 0);
    m_checkpoints.push_back(m_running);
    m_batch.keys.resize(kBatch);
    m_batch.shards.resize(kBatch);
}

double RangeShareCounter::addRangeShares(
    int64_t lo, int64_t hi, double mass, std::span<double> shares, uint64_t countedLast)
{
    const rules::WideInt length = rules::rangeLength(lo, hi);
    // Closed forms are exact, and a short range is routed key by key by the rule itself.
    if (m_rule->countsRangesExactly() || length <= ShardRule::kRangeShareKeys)
        return m_rule->addRangeShares(lo, hi, mass, shares);
    const double perKey = mass / static_cast<double>(length);
    double refused = 0;
    const auto first = static_cast<uint64_t>(std::max<int64_t>(lo, 1));
    uint64_t last = hi < 1 ? 0 : std::min({ static_cast<uint64_t>(hi), countedLast, m_reach });
    if (first <= last) {
        sweepTo(last);
        last = std::min(last, m_reach); // a cancelled sweep shortens the reach
    }
    if (first <= last) {
        Counts counts = prefix(last); // a copy: the next call may forget remembered prefixes
        const Counts& before = prefix(first - 1);
        const size_t shards = std::min(shares.size(), m_slots - 1);
        for (size_t s = 0; s < shards; ++s)
            shares[s] += perKey * static_cast<double>(counts[s] - before[s]);
        refused += perKey * static_cast<double>(counts[m_slots - 1] - before[m_slots - 1]);
    }
    // The keys not counted: the rule's expected fractions.
    const auto outside = [&](int64_t a, int64_t b) {
        if (a <= b)
            refused += m_rule->addRangeShares(a, b, perKey * static_cast<double>(rules::rangeLength(a, b)), shares);
    };
    outside(lo, std::min<int64_t>(hi, 0));
    const uint64_t countedTo = std::max<uint64_t>(last, first - 1); // keys 1..countedTo are counted or below lo
    if (countedTo < static_cast<uint64_t>(INT64_MAX))
        outside(std::max(lo, static_cast<int64_t>(countedTo) + 1), hi);
    return refused;
}

double RangeShareCounter::addEvenShares(uint64_t first, uint64_t last, std::span<double> shares)
{
    const auto lo = static_cast<int64_t>(first);
    const auto hi = static_cast<int64_t>(last);
    const uint64_t counted = keysToCount(first, last);
    if (counted == 0)
        return m_rule->addRangeShares(lo, hi, 1.0, shares);
    return addRangeShares(lo, hi, 1.0, shares, first + counted - 1);
}

uint64_t RangeShareCounter::allowedBeyond(uint64_t length) const
{
    const double shards = static_cast<double>(m_slots - 1);
    const auto error = [&](uint64_t beyond) {
        return std::sqrt((shards - 1) * static_cast<double>(beyond)) / static_cast<double>(length);
    };
    const double allowed = std::pow(m_shareError * static_cast<double>(length), 2) / (shards - 1);
    auto beyond = static_cast<uint64_t>(std::min(std::floor(allowed), static_cast<double>(length)));
    while (beyond > 0 && error(beyond) > m_shareError) // rounding may put the floor a key past the bound
        --beyond;
    return beyond;
}

uint64_t RangeShareCounter::keysToCount(uint64_t first, uint64_t last) const
{
    if (last < first || m_rule->countsRangesExactly() || m_slots <= 2)
        return 0;
    const uint64_t length = last - first + 1;
    if (length <= static_cast<uint64_t>(ShardRule::kRangeShareKeys))
        return 0;
    const uint64_t beyond = allowedBeyond(length);
    if (beyond >= length)
        return 0; // the fractions alone keep the bound
    if (last <= m_exactKeys)
        return length;
    const uint64_t needed = length - beyond;
    if (first - 1 <= m_reach && needed <= m_reach - (first - 1))
        return needed;
    // Past the budget: the keys up to reach() when they are at least half of the range (counting fewer would lower
    // the error by less than a third).
    const uint64_t countable = first > m_reach ? 0 : m_reach - first + 1;
    return countable >= length / 2 ? countable : 0;
}

double RangeShareCounter::shareStandardError(uint64_t first, uint64_t last) const
{
    if (last < first || m_rule->countsRangesExactly() || last - first + 1 <= ShardRule::kRangeShareKeys)
        return 0;
    const uint64_t length = last - first + 1;
    const auto beyond = static_cast<double>(length - keysToCount(first, last));
    return std::sqrt((static_cast<double>(m_slots - 1) - 1) * beyond) / static_cast<double>(length);
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
        route(x + 1, (c + 1) * m_step, -1, counts, m_batch);
    } else {
        counts = m_checkpoints[c];
        route(below + 1, x, +1, counts, m_batch);
    }
    if (m_prefixes.size() >= m_maxPrefixes)
        m_prefixes.clear();
    return m_prefixes.emplace(x, std::move(counts)).first->second;
}

void RangeShareCounter::thinCheckpoints(uint64_t x)
{
    const uint64_t most = std::max<uint64_t>(2, kMaxCheckpointCounts / m_slots);
    const auto needed = [&] { return std::min(m_reach, (x + m_step - 1) / m_step * m_step) / m_step + 1; };
    while (needed() > most) {
        // Keep the even ones: checkpoint 2c at the old step is checkpoint c at the new. The running counts stay.
        for (size_t c = 1; 2 * c < m_checkpoints.size(); ++c)
            m_checkpoints[c] = std::move(m_checkpoints[2 * c]);
        m_checkpoints.resize((m_checkpoints.size() + 1) / 2);
        m_step *= 2;
    }
}

void RangeShareCounter::sweepTo(uint64_t x)
{
    if (x <= m_counted || m_counted >= m_reach)
        return;
    thinCheckpoints(x);
    const uint64_t target = std::min(m_reach, (x + m_step - 1) / m_step * m_step);
    // The pieces between checkpoints; a piece ending at one counts into its new checkpoint, turned into the running
    // total below, so the sweep needs no memory beyond the checkpoints'.
    struct Piece {
        uint64_t first;
        uint64_t last;
        Counts* counts;
        bool done = false;
    };
    std::vector<Piece> pieces;
    for (uint64_t at = m_counted; at < target;) {
        const uint64_t next = std::min(target, (at / m_step + 1) * m_step);
        pieces.push_back({ at + 1, next, nullptr });
        at = next;
    }
    const size_t base = m_checkpoints.size();
    const bool endsBetween = target % m_step != 0;
    m_checkpoints.resize(base + pieces.size() - (endsBetween ? 1 : 0), Counts(m_slots, 0));
    Counts tail(endsBetween ? m_slots : 0, 0);
    for (size_t p = 0; p < pieces.size(); ++p)
        pieces[p].counts = p + base < m_checkpoints.size() ? &m_checkpoints[base + p] : &tail;

    // A few pieces (a growing table's next keys) are not worth starting a thread for.
    const int threads
        = pieces.size() < 4 ? 1 : static_cast<int>(std::min(static_cast<size_t>(m_threads), pieces.size()));
    std::vector<Batch> batches(static_cast<size_t>(threads));
    for (Batch& batch : batches) {
        batch.keys.resize(kBatch);
        batch.shards.resize(kBatch);
    }
    WorkerPool pool(threads);
    pool.run(pieces.size(), [&](size_t p, int worker) {
        if (cancelled(m_cancel))
            return;
        Piece& piece = pieces[p];
        route(piece.first, piece.last, +1, *piece.counts, batches[static_cast<size_t>(worker)]);
        piece.done = true;
    });

    // Running totals, in key order, up to the first piece a cancellation skipped: the keys past it are not counted
    // (reach() shrinks to them) and get the rule's fractions.
    size_t done = 0;
    for (; done < pieces.size() && pieces[done].done; ++done) {
        for (size_t s = 0; s < m_slots; ++s)
            m_running[s] += (*pieces[done].counts)[s];
        if (pieces[done].counts != &tail)
            *pieces[done].counts = m_running;
        m_counted = pieces[done].last;
    }
    if (done < pieces.size()) {
        m_checkpoints.resize(m_counted / m_step + 1);
        m_reach = m_counted;
        m_exactKeys = std::min(m_exactKeys, m_reach);
    }
}

void RangeShareCounter::route(uint64_t first, uint64_t last, int sign, Counts& counts, Batch& batch) const
{
    const auto shards = static_cast<uint32_t>(m_slots - 1);
    for (uint64_t from = first; from <= last; from += kBatch) {
        const size_t size = static_cast<size_t>(std::min<uint64_t>(kBatch, last - from + 1));
        for (size_t i = 0; i < size; ++i)
            batch.keys[i] = static_cast<int64_t>(from + i);
        m_rule->shardsOfIntegers(std::span(batch.keys).first(size), batch.shards);
        for (size_t i = 0; i < size; ++i) {
            const auto shard = static_cast<uint32_t>(batch.shards[i]); // -1 (refused) becomes large
            counts[shard < shards ? shard : shards] += static_cast<uint32_t>(sign);
        }
    }
}

} // namespace shardsim::engine
