#pragma once
// The units of the scenario format. Every parser rejects NaN, infinities, trailing junk and values
// out of range with a message that says what was expected.
//
//   durations    500ms 30s 10m 2h 1d 2w 3y          -> seconds (1y = 365d)
//   sizes        512B 4KB 2GB 1TB (decimal) 4KiB 2GiB -> bytes
//   counts       50M 1_000_000 1.5K 2B               -> integer (K=10^3, M=10^6, B=10^9, T=10^12)
//   rates        50K/s 2M/day 300/min 10K/h          -> per second
//   byte rates   100MB/s 1GiB/min                    -> bytes per second
//   multipliers  30x 1.5x                            -> factor
//   percentages  70% 0.5%                            -> fraction (0.7)

#include <cstdint>
#include <string>
#include <string_view>

#include "shardsim/common/result.h"

namespace shardsim::units {

Result<double> parseNumber(std::string_view text); // plain decimal, `_` separators allowed
Result<double> parseDuration(std::string_view text);
Result<double> parseSize(std::string_view text);
Result<int64_t> parseCount(std::string_view text);
Result<double> parseRate(std::string_view text);
Result<double> parseByteRate(std::string_view text);
Result<double> parseMultiplier(std::string_view text);
Result<double> parsePercent(std::string_view text);
// A growth rate `50%/year` (also /day /month /quarter) -> compounding rate per year (0.5).
Result<double> parseGrowth(std::string_view text);

// Readable output for reports: 2h, 1.5 GB, 50K/s.
std::string formatDuration(double seconds);
std::string formatSize(double bytes);
std::string formatCount(double count);

} // namespace shardsim::units
