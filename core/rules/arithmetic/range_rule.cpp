// `range:bounds=B1|B2|...|Bk` — ShardingSphere's BOUNDARY_RANGE: k increasing bounds cut the key line into
// k + 1 shards. Shard 0 takes every key below B1, shard i takes B(i) <= key < B(i+1), the last takes
// key >= Bk. Cheap to extend (append a bound), but the newest keys all land on the last shard.

#include "rules/arithmetic/range_bounds.h"
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
            return m_bounds.route(key, explain, "range");
        }

        int shardCount() const override { return m_bounds.rangeCount(); }
        std::string shardName(int index) const override { return m_bounds.rangeName(index); }
        std::string spec() const override { return "range:bounds=" + m_bounds.listText(); }
        int shardOfInteger(int64_t key) const override { return m_bounds.rangeOf(key); }

        // Exact: the range is cut at the bounds inside it and each piece counted.
        bool countsRangesExactly() const override { return true; }

        double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
        {
            return m_bounds.addRangeShares(lo, hi, mass, shares);
        }

        std::vector<int64_t> rangeBoundaries() const override { return m_bounds.values(); }

    private:
        RangeBounds m_bounds; // at least one bound
    };

} // namespace

ShardRulePtr makeRangeRule(RuleParams& params, const RuleContext&)
{
    const auto texts = params.list("bounds", true);
    if (!params.finish().empty())
        return nullptr;
    auto bounds = parseRangeBounds(params, texts);
    if (!bounds)
        return nullptr;
    return std::make_shared<RangeRule>(std::move(*bounds));
}

} // namespace shardsim::rules
