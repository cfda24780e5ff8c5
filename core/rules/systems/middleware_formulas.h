#pragma once
// Internal: the formulas of the sharding middlewares (Apache ShardingSphere, MyCat), separate from the rule
// classes so the tests can check each one against the vectors those projects publish.
// docs/rules-real-systems.md cites the sources.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/rules/key.h"

namespace shardsim::rules::systems {

// Key::int64(value).text() (the column value as the middleware receives it in SQL text) without allocating, for the simulator's inner loop: the digits land in `buffer`.
inline std::string_view decimalText(int64_t value, char (&buffer)[24])
{
    const auto end = std::to_chars(buffer, buffer + sizeof(buffer), value).ptr;
    return std::string_view(buffer, static_cast<size_t>(end - buffer));
}

// ---- ShardingSphere ----------------------------------------------------------------------------------

// `new BigInteger(text).mod(modulus)`: an optional sign and decimal digits of any length; the result is in
// [0, modulus) also for negative values. Anything else is refused as Java's NumberFormatException refuses it.
Result<int64_t> bigIntegerMod(std::string_view text, int64_t modulus);
// `Long.parseLong(text)`: an optional sign and decimal digits within int64.
Result<int64_t> javaParseLong(std::string_view text);

// Local date-times (no zone) as seconds since 1970-01-01 00:00:00, as java.time.LocalDateTime counts them.
// Parses the first 19 characters as "yyyy-MM-dd HH:mm:ss" (what follows, such as ".123", is ignored, as
// ShardingSphere's parsers ignore it); a day past the month's end is moved to its last day (the SMART resolver).
Result<int64_t> parseLocalDateTime(std::string_view text);
std::string formatLocalDateTime(int64_t seconds); // "yyyy-MM-dd HH:mm:ss"
// LocalDateTime.plusMonths: the day is kept, or clamped to the last day of the new month.
int64_t plusMonths(int64_t seconds, int64_t months);

// A DateTimeFormatter pattern of numeric fields (yyyy yy MM M QQ Q dd d HH H mm m ss s), quoted text and
// punctuation, as the interval algorithm's `sharding-suffix-pattern` uses it.
class DateTimePattern {
public:
    static Result<DateTimePattern> parse(std::string_view pattern);
    std::string format(int64_t seconds) const;
    const std::string& text() const { return m_text; }

private:
    struct Field {
        char letter = 0; // 0 for literal text
        int width = 0;
        std::string literal;
    };
    std::string m_text;
    std::vector<Field> m_fields;
};

// The epoch of ShardingSphere's SnowflakeKeyGenerateAlgorithm, 2016-11-01 00:00:00, here in UTC (ShardingSphere
// takes the JVM's zone offset): milliseconds since the Unix epoch.
inline constexpr int64_t kShardingSphereSnowflakeEpochMs = 1'477'958'400'000;
// The local date-time (seconds, UTC) at which a ShardingSphere Snowflake id was made: its top 41 bits after the
// 10 worker bits and 12 sequence bits are milliseconds since the epoch above.
int64_t snowflakeSeconds(int64_t id);

// AUTO_INTERVAL's table of a value `seconds` after datetime-lower: ceil of seconds / S formatted with
// DecimalFormat("0.00") (half-even), clamped to [0, tables - 1].
int autoIntervalTable(int64_t seconds, int64_t shardingSeconds, int tables);

// ---- MyCat -------------------------------------------------------------------------------------------

// PartitionUtil's 1024-slot segment table: count[i] partitions of length[i] slots each, in order; the lengths
// must cover exactly 1024 slots. Entry s is the partition of slot s.
Result<std::vector<int>> mycatSegmentTable(const std::vector<int>& counts, const std::vector<int>& lengths);

// Guava's Hashing.murmur3_32(seed).hashUnencodedChars(text): MurmurHash3_x86_32 over the UTF-16 code units of
// the Java String that `utf8` decodes to, two bytes each, little-endian.
int32_t guavaMurmur3HashChars(std::string_view utf8, uint32_t seed);

// PartitionByMurmurHash's ring points of node `node` with `points` virtual nodes: MyCat appends "-NODE-n" to
// one growing StringBuilder, so the n-th point hashes "SHARD-i-NODE-0-NODE-1-...-NODE-n".
std::vector<int32_t> mycatMurmurPoints(int node, int points, uint32_t seed);

// PartitionByCRC32PreSlot: crc32 (of the UTF-8 bytes) % 102400 is the slot; node i holds slots
// [i * 102400 / N, (i + 1) * 102400 / N) with integer division, the last node the rest up to 102399.
inline constexpr int kMycatCrc32Slots = 102400;
int mycatCrc32SlotNode(int slot, int nodes);

} // namespace shardsim::rules::systems
