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

TEST(Units, DurationsInPartsFromTheLargestUnitDown)
{
    EXPECT_DOUBLE_EQ(*parseDuration("1h30m"), 5400);
    EXPECT_DOUBLE_EQ(*parseDuration("20h1m"), 20 * 3600 + 60);
    EXPECT_DOUBLE_EQ(*parseDuration("1h0m30s"), 3630);
    EXPECT_DOUBLE_EQ(*parseDuration("90s"), 90);
    EXPECT_DOUBLE_EQ(*parseDuration("2d3h"), 2 * 86400 + 3 * 3600);
    EXPECT_DOUBLE_EQ(*parseDuration("1m30.5s"), 90.5);
    EXPECT_DOUBLE_EQ(*parseDuration("1s500ms"), 1.5);
    EXPECT_DOUBLE_EQ(*parseDuration("1w2d"), 9 * 86400);
    EXPECT_DOUBLE_EQ(*parseDuration(" 1h 30m "), 5400);
}

TEST(Units, DurationPartsThatCannotBeReadSayWhy)
{
    auto missing = parseDuration("1h30");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error(), "missing unit after '30' in '1h30'; write every part with its unit, like 1h30m");
    auto sign = parseDuration("1h-5m");
    ASSERT_FALSE(sign);
    EXPECT_EQ(sign.error(),
        "unexpected sign in '1h-5m' at '-5m': each part of a duration is a number and its unit, like 1h30m");
    auto order = parseDuration("30m1h");
    ASSERT_FALSE(order);
    EXPECT_EQ(order.error(), "the parts of '30m1h' must go from the largest unit to the smallest, each once, like "
                             "1h30m or 2d3h");
    EXPECT_FALSE(parseDuration("1h1h"));
    EXPECT_FALSE(parseDuration("1m1min"));
    auto overflow = parseDuration("1e308y1d");
    ASSERT_FALSE(overflow);
    EXPECT_EQ(overflow.error(), "a duration is too large: '1e308y1d'");
    auto unknown = parseDuration("1h30q");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error(), "unknown unit 'q' in '1h30q'; expected a duration like 30s, 10m or 2h");
    EXPECT_FALSE(parseDuration("-1h30m"));
    EXPECT_FALSE(parseDuration("1h30m-"));
}

TEST(Units, PrintedDurationsReadBackAsTheSameDuration)
{
    // Canonical text survives a round trip unchanged...
    for (const char* text : { "1h30m", "20h1m", "1h0m30s", "2d3h", "1m30.5s", "59m59.999s", "3d0h0m1s", "500ms",
             "250\u00b5s", "42s", "1h" })
        EXPECT_EQ(formatDuration(*parseDuration(text)), text) << text;
    // ...and other ways of writing the same duration print the canonical way.
    EXPECT_EQ(formatDuration(*parseDuration("90s")), "1m30s");
    EXPECT_EQ(formatDuration(*parseDuration("150m")), "2h30m");
    EXPECT_EQ(formatDuration(*parseDuration("1w")), "7d");
    // Every whole second of the first ten days, and milliseconds across the minute, read back exactly.
    for (int64_t s = 0; s <= 400 * 86400; s += 997)
        EXPECT_EQ(*parseDuration(formatDuration(static_cast<double>(s))), static_cast<double>(s)) << s;
    for (int64_t ms = 59'000; ms <= 3'601'000; ms += 37) {
        const double seconds = static_cast<double>(ms) / 1000.0;
        EXPECT_EQ(*parseDuration(formatDuration(seconds)), seconds) << formatDuration(seconds);
    }
    // Parts never round up to a whole unit.
    EXPECT_EQ(formatDuration(3599.9999), "1h");
    EXPECT_EQ(formatDuration(1e7 * 86400), "10000000d");
}
