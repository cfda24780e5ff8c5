#include "rules/arithmetic/range_bounds.h"

#include <algorithm>
#include <fmt/format.h>

#include "rules/arithmetic/key_math.h"
#include "rules/range_shares.h"

namespace shardsim::rules {

RangeBounds::RangeBounds(std::vector<int64_t> bounds)
    : m_bounds(std::move(bounds))
{
}

int RangeBounds::rangeOf(int64_t key) const
{
    return static_cast<int>(std::upper_bound(m_bounds.begin(), m_bounds.end(), key) - m_bounds.begin());
}

Result<RouteResult> RangeBounds::route(const Key& key, Explanation* explain, std::string_view ruleName) const
{
    const auto value = wideValue(key);
    if (!value)
        return fail(fmt::format("{} needs an integer key, got the {} '{}'; use hash-mod or ring for string keys",
            ruleName, keyTypeName(key.type), key.display()));
    // The range index is the number of bounds at or below the key.
    const auto above = std::upper_bound(
        m_bounds.begin(), m_bounds.end(), *value, [](WideInt v, int64_t bound) { return v < bound; });
    RouteResult result;
    result.index = static_cast<int>(above - m_bounds.begin());
    if (explain) {
        const std::string shown = key.display();
        const size_t i = static_cast<size_t>(result.index);
        if (m_bounds.empty())
            explain->push_back(fmt::format("no bounds: one range holds every key, {} included", shown));
        else if (i == 0)
            explain->push_back(fmt::format("{} < {}, below the first bound", shown, m_bounds.front()));
        else if (i == m_bounds.size())
            explain->push_back(fmt::format("{} >= {}, at or above the last bound", shown, m_bounds.back()));
        else
            explain->push_back(fmt::format("{} <= {} < {}", m_bounds[i - 1], shown, m_bounds[i]));
        explain->push_back(fmt::format("range {} is shard {}", rangeName(result.index), result.index));
    }
    return result;
}

std::string RangeBounds::rangeName(int index) const
{
    const size_t i = static_cast<size_t>(index);
    if (m_bounds.empty())
        return "all";
    if (i == 0)
        return fmt::format("<{}", compactCount(m_bounds.front()));
    if (i == m_bounds.size())
        return fmt::format(">={}", compactCount(m_bounds.back()));
    return fmt::format("[{},{})", compactCount(m_bounds[i - 1]), compactCount(m_bounds[i]));
}

std::string RangeBounds::listText() const
{
    std::string out;
    for (size_t i = 0; i < m_bounds.size(); ++i)
        out += fmt::format("{}{}", i ? "|" : "", compactCount(m_bounds[i]));
    return out;
}

double RangeBounds::addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const
{
    const WideInt length = rangeLength(lo, hi);
    if (length == 0)
        return 0;
    const double perKey = mass / static_cast<double>(length);
    size_t range = static_cast<size_t>(rangeOf(lo));
    WideInt from = lo;
    for (;;) {
        const WideInt last = range < m_bounds.size() ? std::min<WideInt>(WideInt(m_bounds[range]) - 1, hi) : hi;
        shares[range] += perKey * static_cast<double>(last - from + 1);
        if (last >= hi)
            return 0;
        from = last + 1;
        ++range;
    }
}

std::optional<std::vector<int64_t>> parseRangeBounds(RuleParams& params, const std::vector<std::string>& texts)
{
    const std::string& rule = params.ruleName();
    constexpr size_t kMaxBounds = 1'000'000;
    if (texts.size() > kMaxBounds) {
        params.addError(fmt::format("{} has {} bounds; at most {} are supported", rule, texts.size(), kMaxBounds));
        return std::nullopt;
    }
    std::vector<int64_t> bounds;
    bool valid = true;
    for (const std::string& text : texts) {
        auto bound = parseIntegerText(text);
        if (!bound) {
            params.addError(fmt::format("bound '{}' of rule '{}': {}", text, rule, bound.error()));
            valid = false;
            continue;
        }
        if (!bounds.empty() && *bound <= bounds.back()) {
            params.addError(fmt::format(
                "{} bounds must be strictly increasing: {} comes after {}", rule, text, compactCount(bounds.back())));
            valid = false;
        }
        bounds.push_back(*bound);
    }
    if (!valid)
        return std::nullopt;
    return bounds;
}

} // namespace shardsim::rules
