#include "shardsim/workload/scrambled_zipf_keys.h"

#include <algorithm>
#include <utility>

#include <boost/random/uniform_01.hpp>
#include <fmt/format.h>

#include "shardsim/workload/harmonic.h"

namespace shardsim::workload {

namespace {

    // YCSB's ZETAN for its constant, H(10^10 + 1, theta) otherwise. YCSB sums the 10^10 terms one by one for other
    // thetas (minutes of work, and ~1e-12 of rounding drift); the exact value differs from that only in the
    // rounding.
    double zetaFor(double theta)
    {
        if (theta == kYcsbTheta)
            return kYcsbZetaN;
        return harmonicNumber(kYcsbItemCount + 1, theta);
    }

} // namespace

int64_t ycsbFnvHash64(int64_t value)
{
    constexpr uint64_t kOffsetBasis = 0xCBF29CE484222325ULL;
    constexpr uint64_t kPrime = 1099511628211ULL;
    uint64_t hash = kOffsetBasis;
    for (int i = 0; i < 8; ++i) {
        // Java shifts the signed value arithmetically; only the low byte is read, so a logical shift of the
        // same bits reads the same bytes.
        hash ^= (static_cast<uint64_t>(value) >> (8 * i)) & 0xFF;
        hash *= kPrime;
    }
    // Math.abs on a long: two's complement negation, Long.MIN_VALUE stays itself.
    const int64_t signedHash = static_cast<int64_t>(hash);
    return signedHash < 0 ? static_cast<int64_t>(0 - hash) : signedHash;
}

ScrambledZipfKeys::ScrambledZipfKeys(double theta, uint64_t n, uint64_t hotRanks)
    : m_ranks(kYcsbItemCount + 1, theta, zetaFor(theta))
{
    const uint64_t count = std::clamp<uint64_t>(hotRanks, 1, kYcsbItemCount + 1);
    m_hotHashes.reserve(count);
    m_hotMasses.reserve(count);
    double hotMass = 0;
    for (uint64_t rank = 0; rank < count; ++rank) {
        m_hotHashes.push_back(ycsbFnvHash64(static_cast<int64_t>(rank)));
        m_hotMasses.push_back(m_ranks.probability(rank));
        hotMass += m_hotMasses.back();
    }
    // The tail is the complement of the CDF, which is exact where the sum of K masses carries rounding; the hot
    // masses are scaled to match, so that hot + tail = 1 up to a rounding.
    m_tailMass = 1 - m_ranks.cumulative(count - 1);
    const double scale = (1 - m_tailMass) / hotMass;
    for (double& mass : m_hotMasses)
        mass *= scale;
    setKeyCount(n);
}

uint64_t ScrambledZipfKeys::keyOfHash(int64_t hash) const
{
    if (m_n == 0)
        return 0;
    // Java's % keeps the sign of the dividend. A negative hash is Long.MIN_VALUE, which no rank up to 3 * 2^32
    // (beyond YCSB's 10^10) hashes to, so the correction never runs for a rank the generator can return.
    int64_t slot = hash % static_cast<int64_t>(m_n);
    if (slot < 0)
        slot += static_cast<int64_t>(m_n);
    return 1 + static_cast<uint64_t>(slot);
}

void ScrambledZipfKeys::setKeyCount(uint64_t n)
{
    m_n = n;
    m_hotKeys.clear();
    m_hotMassBefore.assign(1, 0.0);
    if (n == 0)
        return;
    std::vector<std::pair<uint64_t, double>> hot;
    hot.reserve(m_hotHashes.size());
    for (std::size_t i = 0; i < m_hotHashes.size(); ++i)
        hot.emplace_back(keyOfHash(m_hotHashes[i]), m_hotMasses[i]);
    std::sort(hot.begin(), hot.end());
    for (const auto& [key, mass] : hot) {
        if (m_hotKeys.empty() || m_hotKeys.back() != key) {
            m_hotKeys.push_back(key);
            m_hotMassBefore.push_back(m_hotMassBefore.back());
        }
        m_hotMassBefore.back() += mass;
    }
}

uint64_t ScrambledZipfKeys::sample(RandomEngine& engine) const
{
    if (m_n == 0)
        return 0;
    return keyFromUniform(boost::random::uniform_01<double>()(engine));
}

double ScrambledZipfKeys::probabilityOfRange(uint64_t first, uint64_t last) const
{
    first = std::max<uint64_t>(first, 1);
    last = std::min(last, m_n);
    if (last < first)
        return 0;
    const auto begin = std::lower_bound(m_hotKeys.begin(), m_hotKeys.end(), first) - m_hotKeys.begin();
    const auto end = std::upper_bound(m_hotKeys.begin(), m_hotKeys.end(), last) - m_hotKeys.begin();
    const double hot
        = m_hotMassBefore[static_cast<std::size_t>(end)] - m_hotMassBefore[static_cast<std::size_t>(begin)];
    const double share = static_cast<double>(last - first + 1) / static_cast<double>(m_n);
    return hot + m_tailMass * share;
}

std::string ScrambledZipfKeys::describe() const { return fmt::format("scrambled-zipf(theta={:g})", m_ranks.theta()); }

} // namespace shardsim::workload
