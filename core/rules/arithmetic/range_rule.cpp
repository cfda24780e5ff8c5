// `range:bounds=B1|B2|...|Bk` — ShardingSphere's BOUNDARY_RANGE: k increasing bounds cut the key line into
// k + 1 shards. Shard 0 takes every key below B1, shard i takes B(i) <= key < B(i+1), the last takes
// key >= Bk. Cheap to extend (append a bound), but the newest keys all land on the last shard.

#include <algorithm>
#include <fmt/format.h>

#include "rules/arithmetic/key_math.h"
#include "rules/range_shares.h"
#include "rules/rule_makers.h"

namespace shardsim::rules {

namespace {

    class RangeRule final : public ShardRule {
    public:
        explicit RangeRule(std::vector<int64_t> bounds)
            : m_bounds(std::move(bounds))
        {
        }

        Result<RouteResult> route(const Key& key, Explanation* explain) const override
        {
            const auto value = wideValue(key);
            if (!value)
                return fail(fmt::format("range needs an integer key, got the {} '{}'; use hash-mod or ring for "
                                        "string keys",
                    keyTypeName(key.type), key.display()));
            // The shard index is the number of bounds at or below the key.
            const auto above = std::upper_bound(
                m_bounds.begin(), m_bounds.end(), *value, [](WideInt v, int64_t bound) { return v < bound; });
            RouteResult result;
            result.index = static_cast<int>(above - m_bounds.begin());
            if (explain) {
                const std::string shown = key.display();
                const size_t i = static_cast<size_t>(result.index);
                if (i == 0)
                    explain->push_back(fmt::format("{} < {}, below the first bound", shown, m_bounds.front()));
                else if (i == m_bounds.size())
                    explain->push_back(fmt::format("{} >= {}, at or above the last bound", shown, m_bounds.back()));
                else
                    explain->push_back(fmt::format("{} <= {} < {}", m_bounds[i - 1], shown, m_bounds[i]));
                explain->push_back(fmt::format("range {} is shard {}", shardName(result.index), result.index));
            }
            return result;
        }

        int shardCount() const override { return static_cast<int>(m_bounds.size()) + 1; }

        // Half-open intervals in the units people wrote: "<10M", "[10M,20M)", ">=30M".
        std::string shardName(int index) const override
        {
            const size_t i = static_cast<size_t>(index);
            if (i == 0)
                return fmt::format("<{}", compactCount(m_bounds.front()));
            if (i == m_bounds.size())
                return fmt::format(">={}", compactCount(m_bounds.back()));
            return fmt::format("[{},{})", compactCount(m_bounds[i - 1]), compactCount(m_bounds[i]));
        }

        std::string spec() const override
        {
            std::string out = "range:bounds=";
            for (size_t i = 0; i < m_bounds.size(); ++i)
                out += fmt::format("{}{}", i ? "|" : "", compactCount(m_bounds[i]));
            return out;
        }

        int shardOfInteger(int64_t key) const override
        {
            return static_cast<int>(std::upper_bound(m_bounds.begin(), m_bounds.end(), key) - m_bounds.begin());
        }

        // Exact: the range is cut at the bounds inside it and each piece counted.
        bool countsRangesExactly() const override { return true; }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            const WideInt length = rangeLength(lo, hi);
            if (length == 0)
                return 0;
            const double perKey = mass / static_cast<double>(length);
            size_t shard = static_cast<size_t>(shardOfInteger(lo));
            WideInt from = lo;
            for (;;) {
                const WideInt last = shard < m_bounds.size() ? std::min<WideInt>(WideInt(m_bounds[shard]) - 1, hi) : hi;
                shares[shard] += perKey * static_cast<double>(last - from + 1);
                if (last >= hi)
                    return 0;
                from = last + 1;
                ++shard;
            }
        }

        std::vector<int64_t> rangeBoundaries() const override { return m_bounds; }

    private:
        std::vector<int64_t> m_bounds; // strictly increasing, at least one
    };

} // namespace

ShardRulePtr makeRangeRule(RuleParams& params, const RuleContext&)
{
    const auto texts = params.list("bounds", true);
    if (!params.finish().empty())
        return nullptr;
    constexpr size_t kMaxBounds = 1'000'000;
    if (texts.size() > kMaxBounds) {
        params.addError(fmt::format("range has {} bounds; at most {} are supported", texts.size(), kMaxBounds));
        return nullptr;
    }
    std::vector<int64_t> bounds;
    bool valid = true;
    for (const std::string& text : texts) {
        auto bound = parseIntegerText(text);
        if (!bound) {
            params.addError(fmt::format("bound '{}' of rule 'range': {}", text, bound.error()));
            valid = false;
            continue;
        }
        if (!bounds.empty() && *bound <= bounds.back()) {
            params.addError(fmt::format(
                "range bounds must be strictly increasing: {} comes after {}", text, compactCount(bounds.back())));
            valid = false;
        }
        bounds.push_back(*bound);
    }
    if (!valid)
        return nullptr;
    return std::make_shared<RangeRule>(std::move(bounds));
}

} // namespace shardsim::rules
