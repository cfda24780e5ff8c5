// Rate shapes: the values a user reads off the scenario (the Double-11 plateau, the diurnal top at its hour),
// stacking, growth, and the closed-form integrals against numerical quadrature.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include <boost/math/quadrature/gauss_kronrod.hpp>

#include "shardsim/workload/exp_integrals.h"
#include "shardsim/workload/rate_curve.h"

using namespace shardsim;
using namespace shardsim::workload;

namespace {

constexpr double kHour = 3'600;
constexpr double kDay = 86'400;

RateShapeConfig constant(double base, double growth = 0)
{
    RateShapeConfig config;
    config.base = base;
    config.growth = growth;
    return config;
}

RateShapeConfig diurnal(double base, double peak, double peakHour, double growth = 0)
{
    RateShapeConfig config;
    config.kind = RateShapeKind::Diurnal;
    config.base = base;
    config.peak = peak;
    config.peakHour = peakHour;
    config.growth = growth;
    return config;
}

// The built-in Double-11 example: 50K/s, 30x at 1h, a 30 s ramp, a 10 min plateau, a 40 min decay.
RateShapeConfig double11(double growth = 0)
{
    RateShapeConfig config;
    config.kind = RateShapeKind::Double11;
    config.base = 50'000;
    config.peak = 30;
    config.at = kHour;
    config.ramp = 30;
    config.hold = 600;
    config.decay = 2'400;
    config.growth = growth;
    return config;
}

RateShapeConfig points(std::vector<RatePoint> list, double growth = 0)
{
    RateShapeConfig config;
    config.kind = RateShapeKind::Points;
    config.points = std::move(list);
    config.growth = growth;
    return config;
}

RateShapePtr shape(const RateShapeConfig& config, double shift = 0)
{
    auto made = makeRateShape(config, shift);
    EXPECT_TRUE(made) << made.error();
    return made ? *made : nullptr;
}

// Adaptive Gauss–Kronrod between the shape's kinks, where the integrand is smooth.
double quadrature(const RateShape& rate, double t0, double t1, std::vector<double> kinks = {})
{
    kinks.push_back(t0);
    kinks.push_back(t1);
    std::sort(kinks.begin(), kinks.end());
    double total = 0;
    for (std::size_t i = 0; i + 1 < kinks.size(); ++i) {
        const double lo = std::max(kinks[i], t0);
        const double hi = std::min(kinks[i + 1], t1);
        if (lo < hi)
            total += boost::math::quadrature::gauss_kronrod<double, 31>::integrate(
                [&rate](double t) { return rate.rate(t); }, lo, hi, 20, 1e-14);
    }
    return total;
}

void expectRelative(double actual, double expected, double tolerance)
{
    EXPECT_NEAR(actual, expected, tolerance * std::max(1.0, std::fabs(expected))) << "expected " << expected;
}

} // namespace

// ---- closed-form building blocks ------------------------------------------------------------------------------

TEST(ExpIntegrals, TinyExponentsKeepTheirDigits)
{
    // lambda = 50%/year: the series branch must agree with the closed form where both are accurate.
    const double lambda = std::log1p(0.5) / (365 * kDay);
    const double t0 = 3 * kDay;
    const double t1 = t0 + 7 * kDay;
    const double exact = (std::exp(lambda * t1) - std::exp(lambda * t0)) / lambda;
    expectRelative(integrateExp(lambda, t0, t1), exact, 1e-9);
    // A line from 1 to 3 under the same growth, against quadrature of the integrand itself.
    const double lineExact = boost::math::quadrature::gauss_kronrod<double, 31>::integrate(
        [&](double t) { return (1 + 2 * (t - t0) / (t1 - t0)) * std::exp(lambda * t); }, t0, t1, 20, 1e-15);
    expectRelative(integrateLineExp(lambda, t0, t1, 1, 3), lineExact, 1e-13);
    // Where the series and the closed form meet (lambda width = 0.25) both give the same value.
    expectRelative(integrateLineExp(0.25, 0, 1, 0, 1), integrateLineExp(0.25 * (1 - 1e-15), 0, 1, 0, 1), 1e-13);
    // Without growth the line integrates to its trapezoid.
    EXPECT_DOUBLE_EQ(integrateLineExp(0, 10, 20, 1, 3), 20);
    EXPECT_DOUBLE_EQ(integrateExp(0, 10, 20), 10);
}

TEST(ExpIntegrals, CosineOverAShortIntervalFarIntoTheRun)
{
    // One second, ten years in: the integral is the integrand times one second, not a difference of two large
    // antiderivatives.
    const double omega = 2 * std::numbers::pi / kDay;
    const double lambda = std::log1p(0.3) / (365 * kDay);
    const double t0 = 10 * 365 * kDay;
    const double t1 = t0 + 1e-3;
    const double width = t1 - t0; // not quite 1 ms: t0 + 1e-3 rounds to a multiple of 2^-24 s out here
    const double value = integrateCosExp(lambda, omega, 0.7, t0, t1);
    const double midpoint = std::cos(0.7 + omega * width / 2) * std::exp(lambda * (t0 + width / 2)) * width;
    expectRelative(value, midpoint, 1e-9);
}

// ---- constant -----------------------------------------------------------------------------------------

TEST(ConstantRate, FlatAndIntegratesToRateTimesDuration)
{
    auto rate = shape(constant(50'000));
    EXPECT_DOUBLE_EQ(rate->rate(0), 50'000);
    EXPECT_DOUBLE_EQ(rate->rate(123 * kDay), 50'000);
    EXPECT_DOUBLE_EQ(rate->expectedRequests(10, 70), 3'000'000);
    EXPECT_DOUBLE_EQ(rate->expectedRequests(5, 5), 0);
}

TEST(ConstantRate, GrowthCompoundsPerYear)
{
    auto rate = shape(constant(1'000, 0.5));
    const double year = 365 * kDay;
    EXPECT_NEAR(rate->rate(year), 1'500, 1e-9);
    EXPECT_NEAR(rate->rate(2 * year), 2'250, 1e-9);
    EXPECT_NEAR(rate->rate(year / 2), 1'000 * std::sqrt(1.5), 1e-9);
    // Over a year: integral of 1000 * 1.5^(t/year) = 1000 * year * 0.5 / ln 1.5.
    expectRelative(rate->expectedRequests(0, year), 1'000 * year * 0.5 / std::log(1.5), 1e-13);
    expectRelative(rate->expectedRequests(40 * kDay, 41 * kDay), quadrature(*rate, 40 * kDay, 41 * kDay), 1e-12);
}

// ---- diurnal ------------------------------------------------------------------------------------------

TEST(DiurnalRate, TopAtThePeakHourTroughTwelveHoursAway)
{
    auto rate = shape(diurnal(2'000, 3, 21.5));
    EXPECT_NEAR(rate->rate(21.5 * kHour), 6'000, 1e-9);
    EXPECT_NEAR(rate->rate(kDay + 21.5 * kHour), 6'000, 1e-9);
    EXPECT_NEAR(rate->rate(9.5 * kHour), 2'000, 1e-9);
    // Halfway between: the mean, base * (1 + peak) / 2.
    EXPECT_NEAR(rate->rate(15.5 * kHour), 4'000, 1e-9);
    for (double t = 0; t < kDay; t += 600) {
        EXPECT_LE(rate->rate(t), 6'000 + 1e-9);
        EXPECT_GE(rate->rate(t), 2'000 - 1e-9);
    }
    // A whole day, wherever it starts: the mean times 86 400 s.
    EXPECT_NEAR(rate->expectedRequests(0, kDay), 4'000 * kDay, 1e-6);
    EXPECT_NEAR(rate->expectedRequests(5 * kHour, kDay + 5 * kHour), 4'000 * kDay, 1e-6);
}

TEST(DiurnalRate, RegionShiftDelaysTheCurve)
{
    auto home = shape(diurnal(100, 2, 20));
    auto west = shape(diurnal(100, 2, 20), kHour);
    EXPECT_NEAR(west->rate(21 * kHour), 200, 1e-9);
    EXPECT_LT(west->rate(20 * kHour), 200 - 1);
    for (double t = 0; t < 2 * kDay; t += 1'234)
        EXPECT_NEAR(west->rate(t + kHour), home->rate(t), 1e-9);
    EXPECT_NEAR(west->expectedRequests(kHour, 7 * kHour), home->expectedRequests(0, 6 * kHour), 1e-6);
}

TEST(DiurnalRate, IntegralMatchesQuadratureWithGrowth)
{
    auto rate = shape(diurnal(2'000, 3, 21.5, std::pow(1.05, 12) - 1));
    for (auto [t0, t1] : { std::pair { 0.0, 3 * kHour }, { 5'000.0, 5'001.0 }, { 0.0, 3 * kDay },
             { 400 * kDay + 17.0, 401 * kDay + 9 * kHour } })
        expectRelative(rate->expectedRequests(t0, t1), quadrature(*rate, t0, t1), 1e-12);
}

// ---- double-11 ----------------------------------------------------------------------------------------

TEST(Double11Rate, PlateauIsBaseTimesPeakFromRampEndToDecayStart)
{
    auto rate = shape(double11());
    EXPECT_DOUBLE_EQ(rate->rate(0), 50'000);
    EXPECT_DOUBLE_EQ(rate->rate(kHour - 1e-6), 50'000);
    EXPECT_DOUBLE_EQ(rate->rate(kHour), 50'000);
    EXPECT_DOUBLE_EQ(rate->rate(kHour + 15), 50'000 + 29 * 50'000 / 2.0); // halfway up the ramp
    for (double t = kHour + 30; t <= kHour + 630; t += 7.5)
        EXPECT_DOUBLE_EQ(rate->rate(t), 1'500'000) << "at " << t;
    EXPECT_DOUBLE_EQ(rate->rate(kHour + 630), 1'500'000);
    // One decay time after the plateau the excess has fallen to 1/e.
    EXPECT_NEAR(rate->rate(kHour + 630 + 2'400), 50'000 + 1'450'000 / std::numbers::e, 1e-6);
    EXPECT_NEAR(rate->rate(kDay), 50'000, 1e-6);
}

TEST(Double11Rate, PeakValueAndTiming)
{
    auto rate = shape(double11());
    double best = 0;
    double firstAtBest = -1;
    for (double t = 0; t < 3 * kHour; t += 0.5) {
        const double value = rate->rate(t);
        if (value > best + 1e-6) {
            best = value;
            firstAtBest = t;
        }
    }
    EXPECT_DOUBLE_EQ(best, 1'500'000);
    EXPECT_DOUBLE_EQ(firstAtBest, kHour + 30);
}

TEST(Double11Rate, IntegralOfTheWholeEvent)
{
    auto rate = shape(double11());
    const double excess = 1'450'000;
    // Base all day, plus the ramp's triangle, the plateau, and the decay's excess up to the end of the day.
    const double expected
        = 50'000 * kDay + excess * 30 / 2 + excess * 600 + excess * 2'400 * -std::expm1(-(kDay - kHour - 630) / 2'400);
    expectRelative(rate->expectedRequests(0, kDay), expected, 1e-13);
    const std::vector<double> kinks = { kHour, kHour + 30, kHour + 630 };
    for (auto [t0, t1] : { std::pair { 0.0, kDay }, { kHour + 10, kHour + 20 }, { kHour + 25, kHour + 700 },
             { 2 * kHour, 2 * kHour + 1 } })
        expectRelative(rate->expectedRequests(t0, t1), quadrature(*rate, t0, t1, kinks), 1e-12);
}

TEST(Double11Rate, IntegralWithGrowthMatchesQuadrature)
{
    RateShapeConfig config = double11(3.0); // tripling per year, to make the growth term count
    config.at = 200 * kDay;
    auto rate = shape(config);
    const double start = 200 * kDay;
    const std::vector<double> kinks = { start, start + 30, start + 630 };
    for (auto [t0, t1] : { std::pair { start - kHour, start + 3 * kHour }, { start + 3, start + 10 },
             { start + 600, start + 800 }, { 0.0, 365 * kDay } })
        expectRelative(rate->expectedRequests(t0, t1), quadrature(*rate, t0, t1, kinks), 1e-12);
}

TEST(Double11Rate, ZeroRampAndZeroDecayAreSteps)
{
    RateShapeConfig config = double11();
    config.ramp = 0;
    config.decay = 0;
    auto rate = shape(config);
    EXPECT_DOUBLE_EQ(rate->rate(kHour - 1e-3), 50'000);
    EXPECT_DOUBLE_EQ(rate->rate(kHour), 1'500'000);
    EXPECT_DOUBLE_EQ(rate->rate(kHour + 600), 50'000);
    EXPECT_DOUBLE_EQ(rate->expectedRequests(0, 2 * kHour), 50'000 * 2 * kHour + 1'450'000 * 600);
}

// ---- points -------------------------------------------------------------------------------------------

TEST(PointsRate, PiecewiseLinearAndFlatOutside)
{
    auto rate = shape(points({ { 0, 0 }, { 12 * kHour, 500 }, { kDay, 100 } }));
    EXPECT_DOUBLE_EQ(rate->rate(-5), 0);
    EXPECT_DOUBLE_EQ(rate->rate(6 * kHour), 250);
    EXPECT_DOUBLE_EQ(rate->rate(12 * kHour), 500);
    EXPECT_DOUBLE_EQ(rate->rate(18 * kHour), 300);
    EXPECT_DOUBLE_EQ(rate->rate(3 * kDay), 100);
    // Trapezoids, then the flat tail.
    EXPECT_DOUBLE_EQ(rate->expectedRequests(0, kDay), 500 * 12 * kHour / 2 + 600 * 12 * kHour / 2);
    EXPECT_DOUBLE_EQ(rate->expectedRequests(kDay, 2 * kDay), 100 * kDay);
    EXPECT_DOUBLE_EQ(rate->expectedRequests(3 * kHour, 9 * kHour), 250 * 6 * kHour);
}

TEST(PointsRate, FlatBeforeTheFirstPoint)
{
    auto rate = shape(points({ { kHour, 40 }, { 2 * kHour, 80 } }));
    EXPECT_DOUBLE_EQ(rate->rate(0), 40);
    EXPECT_DOUBLE_EQ(rate->expectedRequests(0, kHour), 40 * kHour);
    EXPECT_DOUBLE_EQ(rate->expectedRequests(0, 3 * kHour), 40 * kHour + 60 * kHour + 80 * kHour);
    auto single = shape(points({ { 10, 7 } }));
    EXPECT_DOUBLE_EQ(single->rate(0), 7);
    EXPECT_DOUBLE_EQ(single->expectedRequests(0, 20), 140);
}

TEST(PointsRate, IntegralWithGrowthMatchesQuadrature)
{
    std::vector<RatePoint> list;
    for (int i = 0; i < 50; ++i)
        list.push_back({ i * 1'800.0, 1'000 + 700 * std::sin(i * 0.7) });
    std::vector<double> kinks;
    for (const auto& point : list)
        kinks.push_back(point.at);
    auto rate = shape(points(list, 0.8));
    for (auto [t0, t1] :
        { std::pair { -500.0, 100'000.0 }, { 2'000.0, 2'100.0 }, { 1'800.0, 3'600.0 }, { 80'000.0, 90'000.0 } })
        expectRelative(rate->expectedRequests(t0, t1), quadrature(*rate, t0, t1, kinks), 1e-12);
}

// ---- the stack ----------------------------------------------------------------------------------------

TEST(RateCurve, StackedShapesAdd)
{
    std::vector<RateShapeConfig> configs
        = { diurnal(2'000, 3, 21.5, 0.2), double11(), points({ { 0, 0 }, { 12 * kHour, 500 } }), constant(100) };
    auto curve = RateCurve::fromConfig(configs);
    ASSERT_TRUE(curve) << curve.error();
    std::vector<RateShapePtr> parts;
    for (const auto& config : configs)
        parts.push_back(shape(config));
    for (double t : { 0.0, 1'234.5, kHour + 100, 20 * kHour, 3 * kDay }) {
        double sum = 0;
        for (const auto& part : parts)
            sum += part->rate(t);
        EXPECT_DOUBLE_EQ(curve->rate(t), sum);
    }
    double total = 0;
    for (const auto& part : parts)
        total += part->expectedRequests(0, 2 * kDay);
    expectRelative(curve->expectedRequests(0, 2 * kDay), total, 1e-15);
    // Integrals over adjacent windows add up to the integral over their union: ticks lose no requests.
    double ticks = 0;
    for (double t = 0; t < 2 * kDay; t += 10)
        ticks += curve->expectedRequests(t, t + 10);
    expectRelative(ticks, total, 1e-12);
}

TEST(RateCurve, ShiftReachesOnlyTheDailyCurve)
{
    std::vector<RateShapeConfig> configs = { diurnal(100, 2, 20), double11() };
    auto shifted = RateCurve::fromConfig(configs, 2 * kHour);
    ASSERT_TRUE(shifted);
    // The flash sale starts at the same simulated second in every region.
    EXPECT_DOUBLE_EQ(shifted->rate(kHour + 100) - shape(configs[0], 2 * kHour)->rate(kHour + 100), 1'500'000);
    EXPECT_NEAR(shifted->rate(22 * kHour), 200 + 50'000, 1e-6);
}

TEST(RateCurve, RejectsShapesNoScenarioCanHold)
{
    auto unordered = RateCurve::fromConfig({ constant(5), points({ { 10, 1 }, { 5, 2 } }) });
    ASSERT_FALSE(unordered);
    EXPECT_NE(unordered.error().find("workload.rate[1]: points[1]: times must increase"), std::string::npos)
        << unordered.error();
    auto negative = RateCurve::fromConfig({ constant(-1) });
    ASSERT_FALSE(negative);
    EXPECT_NE(negative.error().find("base must be"), std::string::npos) << negative.error();
    EXPECT_FALSE(RateCurve::fromConfig({ points({}) }));
    EXPECT_FALSE(RateCurve::fromConfig({ constant(5, -1) }));
}
