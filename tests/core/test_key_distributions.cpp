// Key distributions: random streams, harmonic sums against known values, YCSB's scrambled-zipf vectors, exact
// range probabilities, and sampled frequencies against those probabilities (chi-square, fixed seeds).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "shardsim/workload/harmonic.h"
#include "shardsim/workload/hotspot_keys.h"
#include "shardsim/workload/latest_keys.h"
#include "shardsim/workload/sample_keys.h"
#include "shardsim/workload/scrambled_zipf_keys.h"
#include "shardsim/workload/uniform_keys.h"
#include "shardsim/workload/zipf_keys.h"

using namespace shardsim;
using namespace shardsim::workload;

namespace {

constexpr uint64_t kBillion = 1'000'000'000;
constexpr uint64_t kTrillion = 1'000'000'000'000;

struct Bin {
    uint64_t first;
    uint64_t last;
};

// Bins [1, c1 - 1], [c1, c2 - 1], ..., [ck, n] from ascending cut points in 2..n.
std::vector<Bin> binsFromCuts(std::vector<uint64_t> cuts, uint64_t n)
{
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::vector<Bin> bins;
    uint64_t first = 1;
    for (uint64_t cut : cuts) {
        if (cut > first && cut <= n) {
            bins.push_back({ first, cut - 1 });
            first = cut;
        }
    }
    bins.push_back({ first, n });
    return bins;
}

std::vector<Bin> equalBins(uint64_t n, uint64_t count)
{
    std::vector<uint64_t> cuts;
    for (uint64_t i = 1; i < count; ++i)
        cuts.push_back(1 + n / count * i);
    return binsFromCuts(cuts, n);
}

// 1, 2, 3, 4-5, 6-9, 10-17, ...: fine where Zipf is steep, coarse in the tail.
std::vector<uint64_t> geometricCuts(uint64_t n)
{
    std::vector<uint64_t> cuts;
    for (uint64_t cut = 2; cut <= n; cut = cut < 4 ? cut + 1 : 2 * cut - 2)
        cuts.push_back(cut);
    return cuts;
}

// The same cuts seen from the other end of the key space, for `latest`.
std::vector<uint64_t> mirrored(const std::vector<uint64_t>& cuts, uint64_t n)
{
    std::vector<uint64_t> out;
    for (uint64_t cut : cuts)
        out.push_back(n + 2 - cut);
    return out;
}

// Merges neighbouring bins until each expects at least `minimum` draws, as the chi-square test needs.
std::vector<Bin> merged(const std::vector<Bin>& bins, const KeyDistribution& keys, double draws, double minimum = 20)
{
    std::vector<Bin> out;
    double pending = 0;
    for (const Bin& bin : bins) {
        if (pending == 0)
            out.push_back(bin);
        else
            out.back().last = bin.last;
        pending += draws * keys.probabilityOfRange(bin.first, bin.last);
        if (pending >= minimum)
            pending = 0;
    }
    if (pending > 0 && out.size() > 1) {
        out[out.size() - 2].last = out.back().last;
        out.pop_back();
    }
    return out;
}

// p-value of Pearson's chi-square of `draws` samples over `bins` (a partition of 1..n). Every draw must land in
// a bin, and the bins' probabilities must add up to 1.
double samplingPValue(const KeyDistribution& keys, std::vector<Bin> bins, int draws, uint64_t seed)
{
    bins = merged(bins, keys, draws);
    RandomEngine engine = RandomStreams(seed).engine("keys");
    std::vector<double> counts(bins.size());
    for (int i = 0; i < draws; ++i) {
        const uint64_t key = keys.sample(engine);
        EXPECT_GE(key, 1u);
        EXPECT_LE(key, keys.keyCount());
        const auto found = std::upper_bound(
            bins.begin(), bins.end(), key, [](uint64_t value, const Bin& bin) { return value < bin.first; });
        counts[static_cast<std::size_t>(found - bins.begin()) - 1] += 1;
    }
    double statistic = 0;
    double total = 0;
    for (std::size_t i = 0; i < bins.size(); ++i) {
        const double p = keys.probabilityOfRange(bins[i].first, bins[i].last);
        total += p;
        const double expected = draws * p;
        statistic += (counts[i] - expected) * (counts[i] - expected) / expected;
    }
    EXPECT_NEAR(total, 1, 1e-12);
    if (bins.size() < 2)
        return 1;
    boost::math::chi_squared chiSquare(static_cast<double>(bins.size() - 1));
    return boost::math::cdf(boost::math::complement(chiSquare, statistic));
}

// A threshold no correct sampler at these fixed seeds comes near, but a wrong law (a mass off by a few
// percent on a busy bin) falls far below.
constexpr double kMinPValue = 1e-6;

// The sum of probabilities over a partition of 1..n into `pieces` random ranges plus the single keys 1..50.
double partitionSum(const KeyDistribution& keys, int pieces)
{
    RandomEngine engine = RandomStreams(99).engine("cuts");
    const uint64_t n = keys.keyCount();
    std::vector<uint64_t> cuts;
    for (int i = 0; i < pieces && n >= 2; ++i)
        cuts.push_back(boost::random::uniform_int_distribution<uint64_t>(2, n)(engine));
    for (uint64_t k = 2; k <= 51 && k <= n; ++k)
        cuts.push_back(k);
    for (uint64_t k = 0; k < 50 && k + 2 <= n; ++k)
        cuts.push_back(n - k);
    double sum = 0;
    for (const Bin& bin : binsFromCuts(cuts, n))
        sum += keys.probabilityOfRange(bin.first, bin.last);
    return sum;
}

std::vector<uint64_t> firstDraws(const KeyDistribution& keys, uint64_t seed, int count = 1'000)
{
    RandomEngine engine = RandomStreams(seed).engine("keys");
    std::vector<uint64_t> out;
    for (int i = 0; i < count; ++i)
        out.push_back(keys.sample(engine));
    return out;
}

void expectRelative(double actual, double expected, double tolerance)
{
    EXPECT_NEAR(actual, expected, tolerance * std::fabs(expected)) << "expected " << expected;
}

KeyDistributionConfig hotspotConfig(HotspotPosition at, double fraction = 0.2, double ops = 0.8)
{
    KeyDistributionConfig config;
    config.kind = KeyDistributionKind::Hotspot;
    config.hotAt = at;
    config.hotFraction = fraction;
    config.hotOps = ops;
    return config;
}

} // namespace

// ---- random streams -----------------------------------------------------------------------------------

TEST(RandomStreams, BuildingBlocksMatchTheirReferences)
{
    // SplitMix64 seeded with 1234567: the first two outputs of the reference generator.
    EXPECT_EQ(splitMix64(1234567), 6457827717110365317u);
    EXPECT_EQ(splitMix64(1234567 + 0x9E3779B97F4A7C15ULL), 3203168211198807973u);
    // MT19937-64 with its default seed 5489: the 10000th output fixed by the C++ standard ([rand.predef]).
    RandomEngine engine;
    engine.discard(9'999);
    EXPECT_EQ(engine(), 9981545732273789042u);
}

TEST(RandomStreams, SameSeedAndStreamSameSequence)
{
    RandomStreams a(2024);
    RandomStreams b(2024);
    RandomEngine first = a.engine("keys", 3);
    RandomEngine second = b.engine("keys", 3);
    for (int i = 0; i < 1'000; ++i)
        ASSERT_EQ(first(), second());
    EXPECT_NE(a.engine("keys", 3)(), a.engine("keys", 4)());
    EXPECT_NE(a.engine("keys")(), a.engine("arrivals")());
    EXPECT_NE(a.engine("keys")(), RandomStreams(2025).engine("keys")());
    // Recorded runs replay only while the derivation stays put: seed 2024's "keys" stream always starts here.
    RandomEngine recorded = a.engine("keys");
    // (Checked independently: the seed derived by hand, fed to std::mt19937_64.)
    EXPECT_EQ(recorded(), 1937285423699852207u);
    EXPECT_EQ(recorded(), 5510966784591158275u);
}

// ---- harmonic sums ------------------------------------------------------------------------------------

TEST(HarmonicSum, MatchesADirectSumOfAMillionTerms)
{
    for (double theta : { 0.2, 0.5, 0.99, 1.0, 1.5, 3.0, 10.0 }) {
        long double sum = 0; // smallest terms first, in extended precision
        for (uint64_t k = 1'000'000; k >= 1; --k)
            sum += std::pow(static_cast<long double>(k), -static_cast<long double>(theta));
        expectRelative(harmonicNumber(1'000'000, theta), static_cast<double>(sum), 1e-14);
    }
}

TEST(HarmonicSum, KnownValues)
{
    // zeta(s) - zeta(s, n + 1) (Hurwitz) evaluated with mpmath at 40 digits; H(n, 1) is the harmonic number.
    expectRelative(harmonicNumber(1'000'000, 0.99), 15.3918497460368038610591, 1e-14);
    expectRelative(harmonicNumber(kBillion, 0.99), 23.60336410412510175253422, 1e-14);
    expectRelative(harmonicNumber(10 * kBillion, 0.99), 26.46902820175148181292787, 1e-14);
    expectRelative(harmonicNumber(kTrillion, 0.99), 32.40216087791318516870945, 1e-14);
    expectRelative(harmonicNumber(kTrillion, 0.5), 1999998.539645991190413187, 1e-14);
    expectRelative(harmonicNumber(kBillion, 1), 21.3004815023479440166851, 1e-14);
    expectRelative(harmonicNumber(kTrillion, 1.5), 2.612373348685488343848568, 1e-14);
    expectRelative(harmonicNumber(kBillion, 3), 1.202056903159594284899738, 1e-14);
    expectRelative(harmonicNumber(1'000'000'000'000'000, 0.2), 1249999999999.266117100528, 1e-14);
    // YCSB's ZETAN, summed term by term in doubles for 10^10 items, carries its own ~1e-12 of rounding.
    expectRelative(harmonicNumber(kYcsbItemCount, 0.99), kYcsbZetaN, 1e-11);
}

TEST(HarmonicSum, EulerMaclaurinAgreesWithExactSums)
{
    for (double theta : { 0.01, 0.99, 1.0, 2.5, 10.0 }) {
        for (uint64_t first : { kEulerMaclaurinStart, uint64_t(100), uint64_t(12'345) }) {
            const uint64_t last = first + 20'000;
            expectRelative(harmonicSumEulerMaclaurin(first, last, theta), harmonicSumDirect(first, last, theta), 1e-14);
        }
        // Two different splits of 1..10^9 between the exact head and the expansion.
        expectRelative(harmonicSumEulerMaclaurin(kEulerMaclaurinStart, kBillion, theta)
                + harmonicSumDirect(1, kEulerMaclaurinStart - 1, theta),
            harmonicSumEulerMaclaurin(5'000, kBillion, theta) + harmonicSumDirect(1, 4'999, theta), 1e-14);
    }
    EXPECT_EQ(harmonicSum(10, 9, 1.0), 0);
    EXPECT_DOUBLE_EQ(harmonicSum(7, 7, 2.0), 1.0 / 49);
}

// ---- uniform ------------------------------------------------------------------------------------------

TEST(UniformKeys, RangesAreExactFractions)
{
    UniformKeys keys(1'000);
    EXPECT_EQ(keys.probabilityOfRange(1, 250), 0.25);
    EXPECT_EQ(keys.probabilityOfRange(0, 5'000), 1.0);
    EXPECT_EQ(keys.probabilityOfRange(1'001, 2'000), 0.0);
    EXPECT_EQ(keys.probabilityOfRange(20, 10), 0.0);
    UniformKeys big(4 * kTrillion);
    EXPECT_EQ(big.probabilityOfRange(kTrillion + 1, 2 * kTrillion), 0.25);
    EXPECT_NEAR(partitionSum(big, 1'000), 1, 1e-12);
}

TEST(UniformKeys, SamplesAgreeWithProbabilities)
{
    EXPECT_GT(samplingPValue(UniformKeys(7), equalBins(7, 7), 70'000, 1), kMinPValue);
    EXPECT_GT(samplingPValue(UniformKeys(kTrillion), equalBins(kTrillion, 20), 100'000, 2), kMinPValue);
}

// ---- zipf ---------------------------------------------------------------------------------------------

TEST(ZipfKeys, KeyOneOfABillionHasMassOneOverH)
{
    ZipfKeys keys(0.99, kBillion);
    expectRelative(keys.probabilityOfRange(1, 1), 1 / 23.60336410412510175253422, 1e-9);
    expectRelative(keys.probabilityOfRange(2, 2), std::pow(2.0, -0.99) / 23.60336410412510175253422, 1e-9);
    // The head is heavy: the hottest thousand keys out of a billion take over 30% of the traffic.
    EXPECT_GT(keys.probabilityOfRange(1, 1'000), 0.3);
}

TEST(ZipfKeys, PartitionsAddUpToOne)
{
    for (double theta : { 0.3, 0.99, 1.0, 2.0, 10.0 })
        for (uint64_t n : { uint64_t(1), uint64_t(1'000), kBillion, kTrillion, kMaxKeyCount }) {
            ZipfKeys keys(theta, n);
            EXPECT_NEAR(partitionSum(keys, 1'000), 1, 1e-12) << "theta " << theta << ", n " << n;
        }
}

TEST(ZipfKeys, SamplesAgreeWithProbabilities)
{
    for (double theta : { 0.3, 0.99, 1.0, 1.5, 3.0 }) {
        for (uint64_t n : { uint64_t(1'000), kTrillion }) {
            ZipfKeys keys(theta, n);
            EXPECT_GT(samplingPValue(keys, binsFromCuts(geometricCuts(n), n), 200'000, 3), kMinPValue)
                << "theta " << theta << ", n " << n;
        }
    }
}

TEST(ZipfKeys, KeyCountCanGrow)
{
    ZipfKeys keys(1.2, 10);
    EXPECT_DOUBLE_EQ(keys.probabilityOfRange(1, 1), 1 / harmonicNumber(10, 1.2));
    keys.setKeyCount(20);
    EXPECT_DOUBLE_EQ(keys.probabilityOfRange(1, 1), 1 / harmonicNumber(20, 1.2));
    EXPECT_GT(samplingPValue(keys, equalBins(20, 20), 50'000, 4), kMinPValue);
    keys.setKeyCount(0);
    EXPECT_EQ(keys.probabilityOfRange(1, 1), 0);
    RandomEngine engine(1);
    EXPECT_EQ(keys.sample(engine), 0u);
}

// ---- scrambled zipf -----------------------------------------------------------------------------------

TEST(ScrambledZipfKeys, FnvHashAsYcsb)
{
    // Utils.fnvhash64 from YCSB, run on the JVM.
    EXPECT_EQ(ycsbFnvHash64(0), 6284781860667377211);
    EXPECT_EQ(ycsbFnvHash64(1), 8517097267634966620);
    EXPECT_EQ(ycsbFnvHash64(2), 1820151046732198393);
    EXPECT_EQ(ycsbFnvHash64(9'527), 5295334647694713823);
    EXPECT_EQ(ycsbFnvHash64(10'000'000'000), 1201321332300452516);
}

TEST(ScrambledZipfKeys, SameRanksAsYcsbForTheSameUniforms)
{
    // YCSB's ZipfianGenerator(0, ITEM_COUNT, 0.99, ZETAN) fed these doubles on the JVM.
    const ScrambledZipfKeys keys(0.99, 1'000);
    const GrayZipfian& ranks = keys.ranks();
    const std::vector<std::pair<double, uint64_t>> expected = { { 0.0, 0 }, { 0.01, 0 }, { 0.0377, 0 }, { 0.05, 1 },
        { 0.0567, 1 }, { 0.1, 6 }, { 0.3, 1'038 }, { 0.5, 134'552 }, { 0.77, 67'128'950 }, { 0.9, 1'170'869'537 },
        { 0.999, 9'790'013'524 }, { 0.9999999, 9'999'978'781 }, { 0.99999999999, 9'999'999'998 } };
    for (auto [u, rank] : expected)
        EXPECT_EQ(ranks.rankFromUniform(u), rank) << "u = " << u;
}

TEST(ScrambledZipfKeys, SameKeysAsYcsbForTheSameUniforms)
{
    // By hand: u = 0.01 gives u * ZETAN = 0.26 < 1, so rank 0; fnvhash64(0) % 1000 = 211; min 1 makes it key 212.
    EXPECT_EQ(ScrambledZipfKeys(0.99, 1'000).keyFromUniform(0.01), 212u);
    // new ScrambledZipfianGenerator(1, n) on the JVM, fed the same doubles.
    struct Vector {
        uint64_t n;
        double u;
        uint64_t key;
    };
    const std::vector<Vector> vectors = { { 1'000, 0.05, 621 }, { 1'000, 0.1, 588 }, { 1'000, 0.3, 600 },
        { 1'000, 0.5, 261 }, { 1'000, 0.999, 60 }, { 1'000'000, 0.0, 377'212 }, { 1'000'000, 0.77, 353'040 },
        { 1'000'000, 0.99999999999, 172'950 }, { 1'000'000'007, 0.05, 15'286'165 }, { 1'000'000'007, 0.9, 620'279'818 },
        { 1'000'000'007, 0.9999999, 750'921'887 }, { kTrillion, 0.1, 399'106'995'588 },
        { kTrillion, 0.5, 188'871'280'261 }, { kTrillion, 0.999, 253'515'290'060 } };
    for (const Vector& v : vectors)
        EXPECT_EQ(ScrambledZipfKeys(0.99, v.n).keyFromUniform(v.u), v.key) << "n = " << v.n << ", u = " << v.u;
}

TEST(ScrambledZipfKeys, RankLawIsTheGeneratorsOwn)
{
    for (double theta : { 0.99, 0.6, 1.0, 1.4 }) {
        const ScrambledZipfKeys keys(theta, 1'000);
        const GrayZipfian& ranks = keys.ranks();
        // The CDF is where the generator's output steps up.
        for (uint64_t rank : { 0ULL, 1ULL, 2ULL, 5ULL, 100ULL, 1'000'000ULL, 1'000'000'000ULL }) {
            const double edge = ranks.cumulative(rank);
            EXPECT_LE(ranks.rankFromUniform(edge * (1 - 1e-12)), rank) << theta << " " << rank;
            EXPECT_GT(ranks.rankFromUniform(edge * (1 + 1e-12)), rank) << theta << " " << rank;
        }
        double sum = 0;
        for (uint64_t rank = 0; rank < 5'000; ++rank)
            sum += ranks.probability(rank);
        expectRelative(sum, ranks.cumulative(4'999), 1e-12);
    }
}

TEST(ScrambledZipfKeys, HottestKeyIsExactTailIsProportional)
{
    const ScrambledZipfKeys keys(0.99, kBillion);
    const uint64_t hottest = keys.keyOfRank(0);
    const double tail = 1 - keys.ranks().cumulative(ScrambledZipfKeys::kDefaultHotRanks - 1);
    expectRelative(keys.probabilityOfRange(hottest, hottest), 1 / kYcsbZetaN + tail / kBillion, 1e-9);
    EXPECT_NEAR(partitionSum(keys, 1'000), 1, 1e-12);
}

TEST(ScrambledZipfKeys, SamplesAgreeWithProbabilities)
{
    for (double theta : { 0.99, 0.7, 1.0 }) {
        for (uint64_t n : { uint64_t(1'000), kBillion }) {
            const ScrambledZipfKeys keys(theta, n);
            // Equal ranges, with the five hottest keys in bins of their own.
            std::vector<uint64_t> cuts;
            for (const Bin& bin : equalBins(n, 20))
                cuts.push_back(bin.first);
            for (uint64_t rank = 0; rank < 5; ++rank) {
                cuts.push_back(keys.keyOfRank(rank));
                cuts.push_back(keys.keyOfRank(rank) + 1);
            }
            EXPECT_GT(samplingPValue(keys, binsFromCuts(cuts, n), 200'000, 5), kMinPValue)
                << "theta " << theta << ", n " << n;
        }
    }
}

// ---- hotspot ------------------------------------------------------------------------------------------

TEST(HotspotKeys, RangesAreExactWherePlaced)
{
    HotspotKeys start(hotspotConfig(HotspotPosition::Start), 1'000, 0);
    EXPECT_DOUBLE_EQ(start.probabilityOfRange(1, 200), 0.8);
    EXPECT_DOUBLE_EQ(start.probabilityOfRange(201, 1'000), 0.2);
    EXPECT_DOUBLE_EQ(start.probabilityOfRange(1, 1), 0.8 / 200);
    EXPECT_DOUBLE_EQ(start.probabilityOfRange(191, 210), 0.8 * 10 / 200 + 0.2 * 10 / 800);

    HotspotKeys end(hotspotConfig(HotspotPosition::End), 1'000, 0);
    EXPECT_EQ(end.firstHotKey(), 801u);
    EXPECT_DOUBLE_EQ(end.probabilityOfRange(801, 1'000), 0.8);

    KeyDistributionConfig range = hotspotConfig(HotspotPosition::Range, 0.05, 0.9);
    range.hotBegin = 0.4;
    range.hotEnd = 0.45;
    HotspotKeys ranged(range, 10'000, 0);
    EXPECT_EQ(ranged.firstHotKey(), 4'001u);
    EXPECT_EQ(ranged.hotKeyCount(), 500u);
    EXPECT_NEAR(ranged.probabilityOfRange(4'001, 4'500), 0.9, 1e-15);

    // Everything hot is uniform.
    HotspotKeys all(hotspotConfig(HotspotPosition::Start, 1.0, 0.3), 1'000, 0);
    EXPECT_DOUBLE_EQ(all.probabilityOfRange(1, 500), 0.5);
}

TEST(HotspotKeys, DriftWrapsAroundTheKeySpace)
{
    KeyDistributionConfig config = hotspotConfig(HotspotPosition::End);
    config.drift = 1.0 / 1'024; // of the key space per second: an eighth every 128 s, in exact binary
    HotspotKeys keys(config, 1'000, 0);
    keys.setTime(128);
    // Keys 801..1000 moved on by 125: 926..1000 and, past the end, 1..125.
    EXPECT_EQ(keys.firstHotKey(), 926u);
    EXPECT_DOUBLE_EQ(keys.probabilityOfRange(926, 1'000), 0.8 * 75 / 200);
    EXPECT_DOUBLE_EQ(keys.probabilityOfRange(1, 125), 0.8 * 125 / 200);
    EXPECT_DOUBLE_EQ(keys.probabilityOfRange(126, 925), 0.2);
    EXPECT_GT(samplingPValue(keys, binsFromCuts({ 126, 501, 926 }, 1'000), 50'000, 6), kMinPValue);
    keys.setTime(1'024); // a full turn later it is back at the end
    EXPECT_EQ(keys.firstHotKey(), 801u);
}

TEST(HotspotKeys, RandomPlacementComesFromTheSeed)
{
    auto placed = [](uint64_t seed) {
        RandomEngine placement = RandomStreams(seed).engine("hotspot");
        auto made = makeKeyDistribution(hotspotConfig(HotspotPosition::Random, 0.01), kBillion, placement);
        EXPECT_TRUE(made);
        return static_cast<const HotspotKeys&>(**made).firstHotKey();
    };
    EXPECT_EQ(placed(11), placed(11));
    EXPECT_NE(placed(11), placed(12));
    RandomEngine placement = RandomStreams(11).engine("hotspot");
    auto made = makeKeyDistribution(hotspotConfig(HotspotPosition::Random, 0.01), kBillion, placement);
    const auto& keys = static_cast<const HotspotKeys&>(**made);
    const uint64_t first = keys.firstHotKey();
    EXPECT_NEAR(keys.probabilityOfRange(first, first + 10'000'000 - 1), 0.8, 1e-15);
    EXPECT_GT(samplingPValue(keys, binsFromCuts({ first / 2, first, first + 5'000'000, first + 10'000'000 }, kBillion),
                  100'000, 7),
        kMinPValue);
}

TEST(HotspotKeys, SamplesAgreeWithProbabilities)
{
    for (HotspotPosition at : { HotspotPosition::Start, HotspotPosition::End }) {
        HotspotKeys keys(hotspotConfig(at, 0.1, 0.95), kTrillion, 0);
        std::vector<uint64_t> cuts = { keys.firstHotKey(), keys.firstHotKey() + keys.hotKeyCount() };
        for (const Bin& bin : equalBins(kTrillion, 16))
            cuts.push_back(bin.first);
        EXPECT_GT(samplingPValue(keys, binsFromCuts(cuts, kTrillion), 100'000, 8), kMinPValue);
        EXPECT_NEAR(partitionSum(keys, 1'000), 1, 1e-12);
    }
}

// ---- latest -------------------------------------------------------------------------------------------

TEST(LatestKeys, NewestKeyIsTheMostPopular)
{
    LatestKeys keys(0.99, kBillion);
    expectRelative(keys.probabilityOfRange(kBillion, kBillion), 1 / 23.60336410412510175253422, 1e-9);
    expectRelative(keys.probabilityOfRange(1, 1), std::pow(1e9, -0.99) / 23.60336410412510175253422, 1e-9);
    keys.setKeyCount(kBillion + 10);
    expectRelative(
        keys.probabilityOfRange(kBillion + 10, kBillion + 10), 1 / harmonicNumber(kBillion + 10, 0.99), 1e-12);
    EXPECT_NEAR(partitionSum(keys, 1'000), 1, 1e-12);
}

TEST(LatestKeys, SamplesAgreeWithProbabilities)
{
    for (double theta : { 0.99, 1.0, 2.0 }) {
        const uint64_t n = 1'000'000;
        LatestKeys keys(theta, n);
        EXPECT_GT(samplingPValue(keys, binsFromCuts(mirrored(geometricCuts(n), n), n), 200'000, 9), kMinPValue)
            << "theta " << theta;
    }
}

// ---- every law ----------------------------------------------------------------------------------------

TEST(KeyDistribution, SameSeedSameFirstThousandDraws)
{
    std::vector<KeyDistributionConfig> configs(5);
    configs[1].kind = KeyDistributionKind::Zipf;
    configs[2].kind = KeyDistributionKind::ScrambledZipf;
    configs[3] = hotspotConfig(HotspotPosition::Random);
    configs[4].kind = KeyDistributionKind::Latest;
    for (const auto& config : configs) {
        RandomEngine placement = RandomStreams(5).engine("hotspot");
        auto made = makeKeyDistribution(config, kBillion, placement);
        ASSERT_TRUE(made) << made.error();
        const auto draws = firstDraws(**made, 42);
        EXPECT_EQ(draws, firstDraws(**made, 42)) << (*made)->describe();
        EXPECT_NE(draws, firstDraws(**made, 43)) << (*made)->describe();
    }
}

TEST(KeyDistribution, FactoryRejectsWhatItCannotDraw)
{
    RandomEngine placement(1);
    KeyDistributionConfig config;
    config.kind = KeyDistributionKind::Trace;
    EXPECT_FALSE(makeKeyDistribution(config, 10, placement));
    config.kind = KeyDistributionKind::Zipf;
    config.theta = 0;
    auto zeroTheta = makeKeyDistribution(config, 10, placement);
    ASSERT_FALSE(zeroTheta);
    EXPECT_NE(zeroTheta.error().find("theta"), std::string::npos);
    config.theta = 0.99;
    EXPECT_FALSE(makeKeyDistribution(config, kMaxKeyCount + 1, placement));
    KeyDistributionConfig range = hotspotConfig(HotspotPosition::Range);
    range.hotBegin = 0.5;
    range.hotEnd = 0.4;
    EXPECT_FALSE(makeKeyDistribution(range, 10, placement));
    auto made = makeKeyDistribution(config, 10, placement);
    ASSERT_TRUE(made);
    EXPECT_EQ((*made)->describe(), "zipf(theta=0.99)");
}

namespace {

const std::string kSampleFile = std::string(SHARDSIM_TEST_DATA) + "/scenarios/valid/sample.csv";

} // namespace

TEST(SampleKeys, ProbabilitiesAreTheFileWeightsExactly)
{
    auto keys = readSampleFile(kSampleFile);
    ASSERT_TRUE(keys) << keys.error();
    // 1:50 2:20 3:10 7:10 10:5 12:5, a total of 100.
    const SampleKeys sample(*keys, 12);
    EXPECT_DOUBLE_EQ(sample.probabilityOfRange(1, 1), 0.5);
    EXPECT_DOUBLE_EQ(sample.probabilityOfRange(2, 3), 0.3);
    EXPECT_DOUBLE_EQ(sample.probabilityOfRange(4, 6), 0);
    EXPECT_DOUBLE_EQ(sample.probabilityOfRange(7, 100), 0.2);
    EXPECT_DOUBLE_EQ(sample.probabilityOfRange(0, 12), 1);
    EXPECT_DOUBLE_EQ(sample.probabilityOfRange(5, 4), 0);

    // Keys the table does not hold yet are set aside and the rest renormalised, until it grows.
    SampleKeys small(*keys, 7);
    EXPECT_DOUBLE_EQ(small.probabilityOfRange(1, 1), 50.0 / 90);
    EXPECT_DOUBLE_EQ(small.probabilityOfRange(8, 100), 0);
    small.setKeyCount(12);
    EXPECT_DOUBLE_EQ(small.probabilityOfRange(10, 12), 0.1);
}

TEST(SampleKeys, DrawsFollowTheWeightsWithinSamplingError)
{
    auto keys = readSampleFile(kSampleFile);
    ASSERT_TRUE(keys) << keys.error();
    const SampleKeys sample(*keys, 12);
    RandomEngine engine(7);
    constexpr int kDraws = 200'000;
    std::vector<int> counts(13, 0);
    for (int i = 0; i < kDraws; ++i) {
        const uint64_t key = sample.sample(engine);
        ASSERT_GE(key, 1u);
        ASSERT_LE(key, 12u);
        ++counts[key];
    }
    for (uint64_t key = 1; key <= 12; ++key) {
        const double p = sample.probabilityOfRange(key, key);
        // Five standard deviations of a binomial count.
        const double slack = 5 * std::sqrt(kDraws * p * (1 - p)) + 1e-9;
        EXPECT_NEAR(counts[key], kDraws * p, slack) << "key " << key;
    }
}

TEST(SampleKeys, NoKeyWithinTheTableFallsBackToUniform)
{
    const SampleKeys sample({ { 100, 1 } }, 10);
    EXPECT_DOUBLE_EQ(sample.probabilityOfRange(1, 5), 0.5);
    RandomEngine engine(3);
    for (int i = 0; i < 100; ++i) {
        const uint64_t key = sample.sample(engine);
        EXPECT_GE(key, 1u);
        EXPECT_LE(key, 10u);
    }
}

TEST(SampleKeys, FactoryReadsTheFile)
{
    RandomEngine placement(1);
    KeyDistributionConfig config;
    config.kind = KeyDistributionKind::Sample;
    config.resolvedFile = kSampleFile;
    auto made = makeKeyDistribution(config, 12, placement);
    ASSERT_TRUE(made) << made.error();
    EXPECT_EQ((*made)->describe(), "sample(6 keys)");
    EXPECT_DOUBLE_EQ((*made)->probabilityOfRange(1, 2), 0.7);
    config.resolvedFile = kSampleFile + ".missing";
    auto missing = makeKeyDistribution(config, 12, placement);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("no such file"), std::string::npos) << missing.error();
}
