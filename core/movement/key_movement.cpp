// Key movement between two shard rules over the integer keys 1..N, exact and without per-key memory.

#include "shardsim/movement/key_movement.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace shardsim {

namespace {

    // Longest period routed once and multiplied; a longer one is cheaper to route straight through.
    constexpr uint64_t kMaxPeriod = uint64_t(1) << 22;
    constexpr size_t kBatch = 4096;

    // How a rule's shard depends on the key: constant pattern between `cuts`, repeating with `period` inside a
    // piece. period 0: no structure known (hashed rules), every key is routed.
    struct KeyPattern {
        std::vector<int64_t> cuts;
        uint64_t period = 0;
    };

    KeyPattern patternOf(const ShardRule& rule)
    {
        const auto spec = parseRuleSpec(rule.spec());
        if (!spec)
            return {};
        const auto integerParam = [&](const char* name) -> uint64_t {
            const auto found = spec->params.find(name);
            if (found == spec->params.end() || found->second.size() != 1)
                return 0;
            try {
                return std::stoull(found->second.front());
            } catch (...) {
                return 0;
            }
        };
        KeyPattern pattern;
        pattern.cuts = rule.rangeBoundaries();
        if (spec->name == "mod")
            pattern.period = static_cast<uint64_t>(rule.shardCount()); // key mod n
        else if (spec->name == "db-table")
            pattern.period = static_cast<uint64_t>(rule.shardCount()); // key mod (dbs x tables), see the rule
        else if (spec->name == "range")
            pattern.period = 1; // one shard between bounds
        else if (spec->name == "range-mod")
            pattern.period = integerParam("mod"); // key mod tables inside a database's span
        if (pattern.period == 0)
            pattern.cuts.clear();
        return pattern;
    }

    bool isRangeRule(const ShardRule& rule)
    {
        const auto spec = parseRuleSpec(rule.spec());
        return spec && spec->name == "range";
    }

    uint64_t lcmCapped(uint64_t a, uint64_t b)
    {
        if (a == 0 || b == 0)
            return 0;
        const uint64_t g = std::gcd(a, b);
        const uint64_t scaled = a / g;
        if (scaled > kMaxPeriod / b + 1)
            return 0;
        const uint64_t l = scaled * b;
        return l > kMaxPeriod ? 0 : l;
    }

    class MovementCounter {
    public:
        MovementCounter(const ShardRule& from, const ShardRule& to, KeyMovement& out)
            : m_from(from)
            , m_to(to)
            , m_out(out)
            , m_toShards(static_cast<size_t>(to.shardCount()))
        {
        }

        // Routes keys first, first + step, ... (count of them) and adds each to the counts `weight` times.
        void route(uint64_t first, uint64_t count, uint64_t step, uint64_t weight)
        {
            std::array<int64_t, kBatch> keys {};
            std::array<int32_t, kBatch> fromShards {};
            std::array<int32_t, kBatch> toShards {};
            uint64_t done = 0;
            while (done < count) {
                const size_t n = static_cast<size_t>(std::min<uint64_t>(kBatch, count - done));
                for (size_t i = 0; i < n; ++i)
                    keys[i] = static_cast<int64_t>(first + (done + i) * step);
                m_from.shardsOfIntegers(std::span<const int64_t>(keys.data(), n), fromShards);
                m_to.shardsOfIntegers(std::span<const int64_t>(keys.data(), n), toShards);
                for (size_t i = 0; i < n; ++i) {
                    const int32_t f = fromShards[i];
                    const int32_t t = toShards[i];
                    if (f < 0)
                        m_out.refusedFrom += weight;
                    if (t < 0)
                        m_out.refusedTo += weight;
                    if (f >= 0 && t >= 0)
                        m_out.matrix[static_cast<size_t>(f) * m_toShards + static_cast<size_t>(t)] += weight;
                }
                done += n;
            }
        }

    private:
        const ShardRule& m_from;
        const ShardRule& m_to;
        KeyMovement& m_out;
        size_t m_toShards;
    };

    KeyMovement emptyMovement(const ShardRule& from, const ShardRule& to, uint64_t keys)
    {
        KeyMovement out;
        out.keys = keys;
        out.fromShards = from.shardCount();
        out.toShards = to.shardCount();
        out.fromDatabases = from.databaseCount();
        out.toDatabases = to.databaseCount();
        out.from.reserve(static_cast<size_t>(out.fromShards));
        for (int i = 0; i < out.fromShards; ++i)
            out.from.push_back(from.shardName(i));
        out.to.reserve(static_cast<size_t>(out.toShards));
        for (int i = 0; i < out.toShards; ++i)
            out.to.push_back(to.shardName(i));
        out.matrix.assign(static_cast<size_t>(out.fromShards) * static_cast<size_t>(out.toShards), 0);
        out.continued = continuedShards(from, to);
        return out;
    }

    // A key keeps its place only inside a shard that continues its old one, so a continued shard keeps at most the
    // smaller of its keys before and after; the rest must move under any assignment with these shard sizes. With
    // equal shards this is the classic |m - n| / max(m, n); a hashed rule's real, uneven counts can put it a little
    // below that, and so can the move itself (docs/migration-model.md).
    double continuedOptimum(const KeyMovement& movement)
    {
        if (movement.keys == 0)
            return 0.0;
        std::vector<uint64_t> before(movement.from.size(), 0), after(movement.to.size(), 0);
        for (size_t f = 0; f < movement.from.size(); ++f)
            for (size_t t = 0; t < movement.to.size(); ++t) {
                before[f] += movement.cell(f, t);
                after[t] += movement.cell(f, t);
            }
        uint64_t kept = 0;
        for (size_t t = 0; t < movement.to.size(); ++t)
            if (const int f = movement.continued[t]; f >= 0)
                kept += std::min(before[static_cast<size_t>(f)], after[t]);
        kept = std::min(kept, movement.keys);
        return static_cast<double>(movement.keys - kept) / static_cast<double>(movement.keys);
    }

    void finishMovement(const ShardRule& from, const ShardRule& to, KeyMovement& out)
    {
        out.movedKeys = 0;
        for (size_t f = 0; f < out.from.size(); ++f)
            for (size_t t = 0; t < out.to.size(); ++t)
                if (!out.stays(f, t))
                    out.movedKeys += out.cell(f, t);
        out.movedFraction = out.keys ? static_cast<double>(out.movedKeys) / static_cast<double>(out.keys) : 0.0;
        // Ranges are not equally loaded units: their bound comes from the ranges themselves.
        out.byRanges = isRangeRule(from) && isRangeRule(to);
        out.optimumFraction = out.byRanges ? rangeOptimum(out) : continuedOptimum(out);
        if (!out.exact && out.sampledKeys > 0) {
            const double p = std::clamp(out.movedFraction, 0.0, 1.0);
            out.standardError = std::sqrt(p * (1 - p) / static_cast<double>(out.sampledKeys));
        }
    }

    // Evenly spaced keys, each standing for `step` keys; the last few keys of 1..keys are dropped and the matrix
    // scaled back to the whole key set, so that the fractions stay unbiased.
    void routeEvenlySpaced(MovementCounter& counter, uint64_t keys, uint64_t sample, KeyMovement& out)
    {
        const uint64_t step = keys / sample;
        counter.route(1, sample, step, step);
        out.exact = false;
        out.sampledKeys = sample;
        const uint64_t covered = sample * step;
        if (covered != keys && covered > 0) {
            const double scale = static_cast<double>(keys) / static_cast<double>(covered);
            for (auto& cell : out.matrix)
                cell = static_cast<uint64_t>(std::llround(static_cast<double>(cell) * scale));
        }
    }

    // Pieces between the union of both rules' cuts, [first, last]; inside a piece both rules repeat every period.
    std::vector<std::pair<uint64_t, uint64_t>> piecesOf(const KeyPattern& a, const KeyPattern& b, uint64_t keys)
    {
        std::vector<int64_t> cuts = a.cuts;
        cuts.insert(cuts.end(), b.cuts.begin(), b.cuts.end());
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        std::vector<std::pair<uint64_t, uint64_t>> pieces;
        uint64_t start = 1;
        for (const int64_t cut : cuts) {
            if (cut <= static_cast<int64_t>(start))
                continue;
            if (start > keys)
                break;
            const uint64_t last = std::min<uint64_t>(static_cast<uint64_t>(cut) - 1, keys);
            pieces.emplace_back(start, last);
            start = last + 1;
        }
        if (start <= keys)
            pieces.emplace_back(start, keys);
        return pieces;
    }

    // Exact counts over 1..keys; `routedKeyLimit` 0 means no limit.
    KeyMovement measure(const ShardRule& from, const ShardRule& to, uint64_t keys, uint64_t routedKeyLimit)
    {
        KeyMovement out = emptyMovement(from, to, keys);
        MovementCounter counter(from, to, out);
        const KeyPattern a = patternOf(from);
        const KeyPattern b = patternOf(to);
        const uint64_t period = lcmCapped(a.period, b.period);
        const auto overLimit = [&](uint64_t routed) { return routedKeyLimit > 0 && routed > routedKeyLimit; };
        if (period == 0) {
            if (overLimit(keys))
                routeEvenlySpaced(counter, keys, routedKeyLimit, out);
            else
                counter.route(1, keys, 1, 1);
            finishMovement(from, to, out);
            return out;
        }
        const auto pieces = piecesOf(a, b, keys);
        // A piece up to two periods long is routed whole; a longer one routes one period, multiplied, and the rest.
        uint64_t routed = 0;
        for (const auto& [first, last] : pieces) {
            const uint64_t length = last - first + 1;
            routed += length <= 2 * period ? length : period + length % period;
        }
        // Periodic counts stay exact up to the CLI's budget whatever the limit: the limit is there for hashed rules.
        if (overLimit(routed) && routed > kExactRoutedKeys) {
            routeEvenlySpaced(counter, keys, routedKeyLimit, out);
            finishMovement(from, to, out);
            return out;
        }
        for (const auto& [first, last] : pieces) {
            const uint64_t length = last - first + 1;
            if (length <= 2 * period) {
                counter.route(first, length, 1, 1);
                continue;
            }
            counter.route(first, period, 1, length / period);
            counter.route(first, length % period, 1, 1);
        }
        finishMovement(from, to, out);
        return out;
    }

} // namespace

std::vector<int> continuedShards(const ShardRule& from, const ShardRule& to)
{
    std::vector<int> continued(static_cast<size_t>(to.shardCount()), -1);
    if (isRangeRule(from) && isRangeRule(to)) {
        // Keys start at 1: new shard t's first key is its lower bound or 1, and it lies in old shard `holder`. A
        // range wholly below 1 never holds a key and keeps no place.
        const std::vector<int64_t> oldBounds = from.rangeBoundaries();
        const std::vector<int64_t> newBounds = to.rangeBoundaries();
        int previous = -1;
        for (size_t t = 0; t < continued.size(); ++t) {
            if (t < newBounds.size() && newBounds[t] <= 1)
                continue;
            const int64_t first = t == 0 ? 1 : std::max<int64_t>(newBounds[t - 1], 1);
            const auto holder
                = static_cast<int>(std::upper_bound(oldBounds.begin(), oldBounds.end(), first) - oldBounds.begin());
            if (holder != previous)
                continued[t] = holder;
            previous = holder;
        }
        return continued;
    }
    for (int t = 0; t < to.shardCount() && t < from.shardCount(); ++t)
        if (from.databaseOf(t) == to.databaseOf(t))
            continued[static_cast<size_t>(t)] = t;
    return continued;
}

std::vector<int> continuedDatabases(const ShardRule& from, const ShardRule& to)
{
    const std::vector<int> shards = continuedShards(from, to);
    std::vector<int> continued(static_cast<size_t>(to.databaseCount()), -1);
    std::vector<bool> claimed(static_cast<size_t>(from.databaseCount()), false);
    std::vector<bool> decided(continued.size(), false);
    for (size_t t = 0; t < shards.size(); ++t) {
        const auto database = static_cast<size_t>(to.databaseOf(static_cast<int>(t)));
        if (shards[t] < 0 || decided[database])
            continue;
        decided[database] = true;
        const int old = from.databaseOf(shards[t]);
        if (!claimed[static_cast<size_t>(old)]) {
            claimed[static_cast<size_t>(old)] = true;
            continued[database] = old;
        }
    }
    return continued;
}

std::vector<int> databasesKeptInPlace(const ShardRule& from, const ShardRule& to)
{
    std::vector<int> continued = continuedDatabases(from, to);
    for (size_t d = 0; d < continued.size(); ++d)
        if (continued[d] >= 0 && continued[d] != static_cast<int>(d))
            return continued;
    return {};
}

double rangeOptimum(const KeyMovement& movement)
{
    if (movement.keys == 0)
        return 0.0;
    // The overlaps in key order: both shard indices only grow. Pairing overlap i with an earlier overlap j is
    // allowed when j lies before the first overlap of i's old shard and before the first of i's new shard.
    struct Overlap {
        size_t from, to;
        uint64_t keys;
    };
    std::vector<Overlap> overlaps;
    for (size_t f = 0; f < movement.from.size(); ++f)
        for (size_t t = 0; t < movement.to.size(); ++t)
            if (const uint64_t keys = movement.cell(f, t); keys > 0)
                overlaps.push_back({ f, t, keys });
    // best[i]: the most keys kept by a pairing of overlaps 0..i-1.
    std::vector<uint64_t> best(overlaps.size() + 1, 0);
    size_t firstOfFrom = 0, firstOfTo = 0;
    for (size_t i = 0; i < overlaps.size(); ++i) {
        if (i == 0 || overlaps[i].from != overlaps[i - 1].from)
            firstOfFrom = i;
        if (i == 0 || overlaps[i].to != overlaps[i - 1].to)
            firstOfTo = i;
        best[i + 1] = std::max(best[i], overlaps[i].keys + best[std::min(firstOfFrom, firstOfTo)]);
    }
    const uint64_t kept = std::min(best.back(), movement.keys);
    return static_cast<double>(movement.keys - kept) / static_cast<double>(movement.keys);
}


namespace {

    Result<bool> checkSize(const ShardRule& from, const ShardRule& to)
    {
        const uint64_t cells = static_cast<uint64_t>(from.shardCount()) * static_cast<uint64_t>(to.shardCount());
        if (cells > kMaxMovementCells)
            return fail(fmt::format("{} x {} shards make a from -> to matrix of {} cells; at most {} are measured",
                from.shardCount(), to.shardCount(), cells, kMaxMovementCells));
        return true;
    }

} // namespace

Result<KeyMovement> measureKeyMovement(const ShardRule& from, const ShardRule& to, uint64_t keys)
{
    if (auto size = checkSize(from, to); !size)
        return fail(size.error());
    if (keys > uint64_t(INT64_MAX))
        return fail(fmt::format("at most {} keys can be compared (got {})", INT64_MAX, keys));
    return measure(from, to, keys, 0);
}

Result<RulePair> makeRulePair(const RuleSpec& from, const RuleSpec& to, const RuleContext& context)
{
    auto fromRule = makeRule(from, context);
    if (!fromRule)
        return fail(fmt::format("from rule {}: {}", from.toString(), fromRule.error()));
    auto toRule = makeRule(to, context);
    if (!toRule)
        return fail(fmt::format("to rule {}: {}", to.toString(), toRule.error()));
    return RulePair { *fromRule, *toRule };
}

Result<KeyMovement> measureKeyMovement(const RuleSpec& from, const RuleSpec& to, uint64_t keys,
    const RuleContext& context, uint64_t routedKeyLimit)
{
    auto rules = makeRulePair(from, to, context);
    if (!rules)
        return fail(rules.error());
    if (routedKeyLimit > 0)
        return measureKeyMovementBounded(*rules->from, *rules->to, keys, routedKeyLimit);
    return measureKeyMovement(*rules->from, *rules->to, keys);
}

Result<KeyMovement> measureKeyMovementBounded(const ShardRule& from, const ShardRule& to, uint64_t keys,
    uint64_t routedKeyLimit)
{
    if (auto size = checkSize(from, to); !size)
        return fail(size.error());
    return measure(from, to, std::min<uint64_t>(keys, uint64_t(INT64_MAX)), routedKeyLimit);
}

} // namespace shardsim
