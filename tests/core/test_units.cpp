#include <gtest/gtest.h>

#include "shardsim/common/diagnostic.h"
#include "shardsim/common/printable.h"
#include "shardsim/common/suggest.h"
#include "shardsim/common/units.h"

using namespace shardsim;
using namespace shardsim::units;

TEST(Units, DurationsFromMillisecondsToYears)
{
    EXPECT_DOUBLE_EQ(*parseDuration("500ms"), 0.5);
    EXPECT_DOUBLE_EQ(*parseDuration("1us"), 1e-6);
    EXPECT_DOUBLE_EQ(*parseDuration("250\u00b5s"), 250e-6); // micro sign
    EXPECT_DOUBLE_EQ(*parseDuration("250\u03bcs"), 250e-6); // Greek mu
    EXPECT_DOUBLE_EQ(*parseDuration("1.5 us"), 1.5e-6);
    EXPECT_DOUBLE_EQ(*parseDuration("30s"), 30);
    EXPECT_DOUBLE_EQ(*parseDuration("10m"), 600);
    EXPECT_DOUBLE_EQ(*parseDuration("2h"), 7200);
    EXPECT_DOUBLE_EQ(*parseDuration("1d"), 86400);
    EXPECT_DOUBLE_EQ(*parseDuration("150m"), 9000);
    EXPECT_DOUBLE_EQ(*parseDuration("3y"), 3 * 365 * 86400.0);
    EXPECT_DOUBLE_EQ(*parseDuration("1.5h"), 5400);
}

TEST(Units, DurationWithoutUnitIsRejectedWithAnExample)
{
    auto result = parseDuration("30");
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().find("needs a unit"), std::string::npos) << result.error();
    EXPECT_FALSE(parseDuration("-5s"));
    EXPECT_FALSE(parseDuration("5 parsecs"));
    EXPECT_FALSE(parseDuration("nan"));
    EXPECT_FALSE(parseDuration(".inf"));
    EXPECT_FALSE(parseDuration(""));
}

TEST(Units, SizesAreDecimalOrBinary)
{
    EXPECT_DOUBLE_EQ(*parseSize("512B"), 512);
    EXPECT_DOUBLE_EQ(*parseSize("4KB"), 4000);
    EXPECT_DOUBLE_EQ(*parseSize("2GB"), 2e9);
    EXPECT_DOUBLE_EQ(*parseSize("1TB"), 1e12);
    EXPECT_DOUBLE_EQ(*parseSize("4KiB"), 4096);
    EXPECT_DOUBLE_EQ(*parseSize("1MiB"), 1048576);
    EXPECT_DOUBLE_EQ(*parseSize("2GiB"), 2147483648.0);
    EXPECT_DOUBLE_EQ(*parseSize("1TiB"), 1099511627776.0);
    EXPECT_FALSE(parseSize("2 gallons"));
    EXPECT_FALSE(parseSize("1e400GB"));
}

TEST(Units, CountsTakeSuffixesAndSeparators)
{
    EXPECT_EQ(*parseCount("50M"), 50'000'000);
    EXPECT_EQ(*parseCount("1_000_000"), 1'000'000);
    EXPECT_EQ(*parseCount("20K"), 20'000);
    EXPECT_EQ(*parseCount("2B"), 2'000'000'000);
    EXPECT_EQ(*parseCount("1.5K"), 1'500);
    EXPECT_EQ(*parseCount("34"), 34);
    EXPECT_FALSE(parseCount("1.5"));
    EXPECT_FALSE(parseCount("-3"));
    EXPECT_FALSE(parseCount("1__000"));
    EXPECT_FALSE(parseCount("_1"));
    EXPECT_FALSE(parseCount("12Q"));
    EXPECT_FALSE(parseCount("1e30"));
}

TEST(Units, RatesArePerSecond)
{
    EXPECT_DOUBLE_EQ(*parseRate("50K/s"), 50'000);
    EXPECT_DOUBLE_EQ(*parseRate("2M/day"), 2e6 / 86400);
    EXPECT_DOUBLE_EQ(*parseRate("600/min"), 10);
    EXPECT_DOUBLE_EQ(*parseRate("36K/h"), 10);
    EXPECT_DOUBLE_EQ(*parseByteRate("100MB/s"), 1e8);
    EXPECT_FALSE(parseRate("50K"));
    EXPECT_FALSE(parseRate("50K/fortnight"));
}

TEST(Units, MultipliersPercentagesAndGrowth)
{
    EXPECT_DOUBLE_EQ(*parseMultiplier("30x"), 30);
    EXPECT_DOUBLE_EQ(*parseMultiplier("1.5x"), 1.5);
    EXPECT_DOUBLE_EQ(*parsePercent("70%"), 0.7);
    EXPECT_DOUBLE_EQ(*parseGrowth("50%/year"), 0.5);
    EXPECT_NEAR(*parseGrowth("10%/quarter"), 1.1 * 1.1 * 1.1 * 1.1 - 1, 1e-12);
    EXPECT_FALSE(parseMultiplier("30"));
    EXPECT_FALSE(parsePercent("0.7"));
    EXPECT_FALSE(parseGrowth("50%"));
    EXPECT_FALSE(parseGrowth("-100%/year"));
}

TEST(Units, FormattingIsReadable)
{
    EXPECT_EQ(formatDuration(7200), "2h");
    EXPECT_EQ(formatDuration(0.5), "500ms");
    EXPECT_EQ(formatDuration(250e-6), "250\u00b5s");
    EXPECT_EQ(formatSize(2e12), "2 TB");
    EXPECT_EQ(formatCount(50'000), "50K");
}

TEST(Units, RoundingThatReachesAThousandMovesToTheNextUnit)
{
    // Three significant digits: what rounds up to 1000 of a unit is 1 of the next, never "1e+03K".
    EXPECT_EQ(formatCount(999), "999");
    EXPECT_EQ(formatCount(999.4), "999");
    EXPECT_EQ(formatCount(999.5), "1K");
    EXPECT_EQ(formatCount(999'499), "999K");
    EXPECT_EQ(formatCount(999'500), "1M");
    EXPECT_EQ(formatCount(999'950), "1M");
    EXPECT_EQ(formatCount(999'999), "1M");
    EXPECT_EQ(formatCount(1e6), "1M");
    EXPECT_EQ(formatCount(999'999'999), "1B");
    EXPECT_EQ(formatCount(-999'999), "-1M");
    EXPECT_EQ(formatCount(1.5e12), "1.5T");
    // Past the last unit the digits are written out.
    EXPECT_EQ(formatCount(999.9e12), "1000T");
    EXPECT_EQ(formatCount(1e15), "1000T");
    EXPECT_EQ(formatCount(2.5e16), "25000T");
    EXPECT_EQ(formatSize(999'999), "1 MB");
    EXPECT_EQ(formatSize(999.96e15), "1 EB");
    EXPECT_EQ(formatSize(1e18), "1 EB");
    EXPECT_EQ(formatSize(0), "0 B");
    EXPECT_EQ(formatSize(999.5), "1 KB");
    for (double value : { 999.95e3, 999'999.0, 1e15, 1e18, 123.456e9 }) {
        EXPECT_EQ(formatCount(value).find('e'), std::string::npos) << value;
        EXPECT_EQ(formatSize(value).find("e+"), std::string::npos) << value;
    }
}

TEST(Suggest, FindsTheClosestNameOnly)
{
    const std::vector<std::string> names { "nodes", "node", "regions", "replication" };
    EXPECT_EQ(closestMatch("nodse", names), "nodes");
    EXPECT_EQ(closestMatch("replicaton", names), "replication");
    EXPECT_EQ(closestMatch("banana", names), std::nullopt);
    EXPECT_EQ(didYouMean("regons", names), "; did you mean 'regions'?");
    EXPECT_EQ(editDistance("ab", "ba"), 1);
}

TEST(Units, DurationsPrintInMixedUnits)
{
    EXPECT_EQ(formatDuration(0), "0s");
    EXPECT_EQ(formatDuration(3630), "1h0m30s");
    EXPECT_EQ(formatDuration(5400), "1h30m");
    EXPECT_EQ(formatDuration(9000), "2h30m");
    EXPECT_EQ(formatDuration(86400 + 3600), "1d1h");
    EXPECT_EQ(formatDuration(90.5), "1m30.5s");
}

TEST(Printable, ControlAndInvisibleCharactersAreFoundAndEscaped)
{
    EXPECT_EQ(firstUnprintable("t_user"), std::nullopt);
    EXPECT_EQ(firstUnprintable("t_usér-东"), std::nullopt);
    EXPECT_EQ(firstUnprintable("a\x1b[2Jb"), "U+001B");
    EXPECT_EQ(firstUnprintable("a\x7f"), "U+007F");
    EXPECT_EQ(firstUnprintable("a\xc2\x9b"), "U+009B"); // C1 CSI
    EXPECT_EQ(firstUnprintable("a\xe2\x80\xae"), "U+202E"); // right-to-left override
    EXPECT_EQ(firstUnprintable("a\xef\xbb\xbf"), "U+FEFF");
    EXPECT_EQ(firstUnprintable("a\xff"), "the byte 0xFF");
    EXPECT_EQ(firstUnprintable("one\ttwo\n", "\n\t"), std::nullopt);
    EXPECT_EQ(firstUnprintable("one\ttwo\r", "\n\t"), "U+000D");

    EXPECT_EQ(escapeUnprintable("a\x1b[2Jb"), "a\\x1b[2Jb");
    EXPECT_EQ(escapeUnprintable("t_\xe2\x80\xaeuser"), "t_\\u{202e}user");
    EXPECT_EQ(escapeUnprintable("\xff\xc2\x9b"), "\\xff\\u{009b}");
    EXPECT_EQ(escapeUnprintable("t_usér"), "t_usér");

    Diagnostic diagnostic { "in\x1b.yaml", 1, 2, "data.tables[0].name", "'t\x1b]0;owned\x07' is not a valid name" };
    EXPECT_EQ(diagnostic.format(), "in\\x1b.yaml:1:2: error: data.tables[0].name: 't\\x1b]0;owned\\x07' is not a valid name");
}
