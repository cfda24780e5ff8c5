// Every enum's name table: each enumerator has the name the documentation gives it, and that name reads back as
// the same enumerator; a name the table does not have reads as nothing.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "shardsim/engine/engine_mode_names.h"
#include "shardsim/scenario/config_names.h"

using namespace shardsim;

namespace {

template <typename E, std::size_t N>
void expectRoundTrip(const EnumNames<E, N>& table, const std::vector<std::pair<E, std::string>>& documented)
{
    ASSERT_EQ(documented.size(), N) << "every enumerator is named";
    std::set<std::string> seen;
    for (const auto& [value, name] : documented) {
        EXPECT_EQ(table.name(value), name);
        const auto parsed = table.parse(name);
        ASSERT_TRUE(parsed) << name;
        EXPECT_EQ(*parsed, value) << name;
        EXPECT_TRUE(seen.insert(name).second) << name << " names two enumerators";
    }
    // `documented` is in declaration order, which is the order readers offer the names in.
    std::vector<std::string> inOrder;
    for (const auto& entry : documented)
        inOrder.push_back(entry.second);
    EXPECT_EQ(table.list(), inOrder);
    EXPECT_FALSE(table.parse("")) << "the empty name";
    EXPECT_FALSE(table.parse(std::string(documented.front().second) + "x"));
    const auto pairs = table.pairs();
    ASSERT_EQ(pairs.size(), N);
    for (const auto& [name, value] : pairs)
        EXPECT_EQ(table.parse(name), value);
}

} // namespace

TEST(EnumNames, OperationKindRoundTrips)
{
    expectRoundTrip(kOperationKindNames,
        { { OperationKind::Point, "point" }, { OperationKind::Page, "page" },
            { OperationKind::Transaction, "transaction" }, { OperationKind::Scan, "scan" },
            { OperationKind::Aggregate, "aggregate" }, { OperationKind::Join, "join" },
            { OperationKind::Insert, "insert" } });
}

TEST(EnumNames, EngineModeRoundTrips)
{
    expectRoundTrip(kEngineModeNames,
        { { EngineMode::Auto, "auto" }, { EngineMode::Sampled, "sampled" }, { EngineMode::Expected, "expected" } });
    EXPECT_EQ(engineModeName(EngineMode::Sampled), "sampled");
}

TEST(EnumNames, RateShapeRoundTrips)
{
    expectRoundTrip(kRateShapeNames,
        { { RateShapeKind::Constant, "constant" }, { RateShapeKind::Diurnal, "diurnal" },
            { RateShapeKind::Double11, "double-11" }, { RateShapeKind::Points, "points" } });
}

TEST(EnumNames, KeyDistributionRoundTrips)
{
    expectRoundTrip(kKeyDistributionNames,
        { { KeyDistributionKind::Uniform, "uniform" }, { KeyDistributionKind::Zipf, "zipf" },
            { KeyDistributionKind::ScrambledZipf, "scrambled-zipf" }, { KeyDistributionKind::Hotspot, "hotspot" },
            { KeyDistributionKind::Latest, "latest" }, { KeyDistributionKind::Trace, "trace" },
            { KeyDistributionKind::Sample, "sample" }, { KeyDistributionKind::Recent, "recent" } });
}

TEST(EnumNames, IdSchemeRoundTrips)
{
    expectRoundTrip(kIdSchemeNames,
        { { IdScheme::Sequential, "sequential" }, { IdScheme::Snowflake, "snowflake" },
            { IdScheme::Segment, "segment" }, { IdScheme::Uuid, "uuid" }, { IdScheme::Step, "step" } });
}

TEST(EnumNames, PlanStepRoundTrips)
{
    expectRoundTrip(
        kPlanStepNames, { { PlanStep::Month, "month" }, { PlanStep::Quarter, "quarter" }, { PlanStep::Year, "year" } });
}
