#include "shardsim/workload/sample_keys.h"

#include <algorithm>
#include <cmath>

#include <boost/random/uniform_01.hpp>
#include <fmt/format.h>

#include "csv_lines.h"
#include "shardsim/common/units.h"

namespace shardsim::workload {

Result<std::vector<WeightedKey>> readSampleFile(const std::string& path)
{
    auto opened = CsvLines::open(path);
    if (!opened)
        return fail(opened.error());
    CsvLines& lines = *opened;
    std::vector<WeightedKey> keys;
    std::vector<std::string_view> fields;
    bool first = true;
    while (lines.next(fields)) {
        const bool header = first && fields.front() == "key";
        first = false;
        if (header)
            continue;
        if (fields.size() > 2)
            return fail(lines.where(fmt::format("expected key,weight, got {} fields", fields.size())));
        auto key = parseIntegerKey(fields[0]);
        if (!key)
            return fail(lines.where(key.error()));
        if (*key < 1 || static_cast<uint64_t>(*key) > kMaxKeyCount)
            return fail(lines.where(fmt::format("keys are 1 to {}, got {}", kMaxKeyCount, *key)));
        double weight = 1;
        if (fields.size() == 2) {
            auto parsed = units::parseNumber(fields[1]);
            if (!parsed)
                return fail(lines.where("weight: " + parsed.error()));
            if (!(*parsed > 0))
                return fail(lines.where(fmt::format("a weight must be greater than 0, got {}", fields[1])));
            weight = *parsed;
        }
        keys.push_back({ static_cast<uint64_t>(*key), weight });
    }
    if (keys.empty())
        return fail(path + ": lists no keys");
    // Sorted by key, then repeated keys merged: a raw log of keys, one per request, is its own sample.
    std::stable_sort(
        keys.begin(), keys.end(), [](const WeightedKey& a, const WeightedKey& b) { return a.key < b.key; });
    std::vector<WeightedKey> merged;
    for (const WeightedKey& entry : keys) {
        if (!merged.empty() && merged.back().key == entry.key)
            merged.back().weight += entry.weight;
        else
            merged.push_back(entry);
    }
    return merged;
}

SampleKeys::SampleKeys(std::vector<WeightedKey> keys, uint64_t n)
{
    m_keys.reserve(keys.size());
    m_prefix.reserve(keys.size() + 1);
    m_prefix.push_back(0);
    for (const WeightedKey& entry : keys) {
        m_keys.push_back(entry.key);
        m_prefix.push_back(m_prefix.back() + entry.weight);
    }
    setKeyCount(n);
}

void SampleKeys::setKeyCount(uint64_t n)
{
    m_n = n;
    m_active = static_cast<std::size_t>(std::upper_bound(m_keys.begin(), m_keys.end(), n) - m_keys.begin());
}

uint64_t SampleKeys::sample(RandomEngine& engine) const
{
    if (m_n == 0)
        return 0;
    const double u = boost::random::uniform_01<double>()(engine);
    if (m_active == 0)
        return std::min<uint64_t>(m_n, 1 + static_cast<uint64_t>(u * static_cast<double>(m_n)));
    // The first key whose prefix sum passes u of the total: key i with probability weight_i / total.
    const double target = u * m_prefix[m_active];
    const auto end = m_prefix.begin() + static_cast<std::ptrdiff_t>(m_active) + 1;
    const auto found = std::upper_bound(m_prefix.begin() + 1, end, target);
    const auto index = std::min<std::size_t>(static_cast<std::size_t>(found - m_prefix.begin()) - 1, m_active - 1);
    return m_keys[index];
}

double SampleKeys::probabilityOfRange(uint64_t first, uint64_t last) const
{
    first = std::max<uint64_t>(first, 1);
    last = std::min(last, m_n);
    if (m_n == 0 || last < first)
        return 0;
    if (m_active == 0)
        return static_cast<double>(last - first + 1) / static_cast<double>(m_n);
    const auto active = m_keys.begin() + static_cast<std::ptrdiff_t>(m_active);
    const auto from = static_cast<std::size_t>(std::lower_bound(m_keys.begin(), active, first) - m_keys.begin());
    const auto to = static_cast<std::size_t>(std::upper_bound(m_keys.begin(), active, last) - m_keys.begin());
    return (m_prefix[to] - m_prefix[from]) / m_prefix[m_active];
}

std::string SampleKeys::describe() const { return fmt::format("sample({} keys)", m_keys.size()); }

} // namespace shardsim::workload
